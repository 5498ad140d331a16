/**
 * Hostile sources meet the import command: a public portal redirecting to
 * a private address, a 1 GB body (announced or streamed), a slow drip, a
 * DTD (XXE, billion laughs) in a feed and in a WXR file, a feed declared
 * windows-1252 or ISO-8859-1, an HTML error page served as 200, a REST page
 * that is not JSON, an item with an unreadable date. Each ends as a clear
 * error on that source or item; nothing half-written. "Public" hosts are
 * simulated by a resolver that names them 127.0.0.1 and a policy that
 * treats that one address as public; everything stays on loopback.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { startFeedFixture, type FeedFixture } from './support/feed-source-fixture.js';
import { generatedSite, startWordPressFixture } from './support/wordpress-fixture.js';
import { runImportCommand } from './support/import-run.js';
import { nodeConnector } from '../src/server/outbound-node.js';
import { nonPublicAddressReason } from '../src/net/address-policy.js';
import { articleIdOf, itemKey } from '../src/ingest/ids.js';

let warta: TestWarta;
let feeds: FeedFixture;
beforeAll(async () => {
  warta = await startTestWarta();
  await warta.registerDemoRegistries();
  feeds = await startFeedFixture();
});
afterAll(async () => {
  await feeds.close();
  await warta.close();
});

const importFrom = (source: string, ...extra: string[]) =>
  runImportCommand([source, '--institution', 'polres-ponorogo', '--target', warta.url, '--token', ADMIN_TOKEN, ...extra]);
const listIds = async (institution: string) =>
  ((await (await warta.request(`/api/articles?institution=${institution}&limit=100`, { token: ADMIN_TOKEN })).json()) as { articles: { id: string }[] }).articles.map((a) => a.id).sort();
const countOf = async () => ((await (await warta.request('/api/articles?institution=polres-ponorogo&limit=100', { token: ADMIN_TOKEN })).json()) as { articles: unknown[] }).articles.length;
const rss = (items: string, decl = '<?xml version="1.0" encoding="UTF-8"?>') => `${decl}<rss version="2.0"><channel><title>T</title><link>https://hostile.example/</link>${items}</channel></rss>`;

describe('hostile sources', () => {
  it('a portal redirecting to a private address is refused (only the host the operator typed may be private)', async () => {
    feeds.docs.set('/go-private', (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(302, { location: `http://10.0.0.7:${new URL(feeds.url).port}/feed` }).end());
    const connector = nodeConnector({
      resolve: async (host) => (host === 'portal.test' ? [{ address: '127.0.0.1', family: 4 }] : []),
      reasonOf: (address) => (address === '127.0.0.1' ? null : nonPublicAddressReason(address)),
    });
    const run = await runImportCommand([`http://portal.test:${new URL(feeds.url).port}/go-private`, '--institution', 'polres-ponorogo', '--target', warta.url, '--token', ADMIN_TOKEN, '--kind', 'feed'], { connector });
    expect(run.status).toBe(1);
    expect(run.stderr).toEqual(['import: net: http://10.0.0.7:' + new URL(feeds.url).port + ' refused: host 10.0.0.7 is a private address']);
  });

  it('a 1 GB body, announced or streamed, and a slow drip end with a clear error', async () => {
    feeds.docs.set('/announced', (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(1024 ** 3) }).write('<rss>'));
    feeds.docs.set('/endless', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 32);
      let sent = 0;
      const more = () => {
        while (sent < 16_384 && res.write(chunk)) sent++;
        if (sent < 16_384) res.once('drain', more);
        else res.end();
      };
      res.on('error', () => {});
      more();
    });
    feeds.docs.set('/drip', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    });
    const announced = await importFrom(`${feeds.url}/announced`, '--max-bytes', '1048576');
    expect(announced.stderr).toContain(`import: net: ${feeds.url} announced 1073741824 bytes, more than the 1048576 allowed`);
    expect(announced.status).toBe(1);
    const endless = await importFrom(`${feeds.url}/endless`, '--max-bytes', '1048576');
    expect(endless.stderr).toContain(`import: net: the body from ${feeds.url} is longer than the 1048576 bytes allowed`);
    const drip = await importFrom(`${feeds.url}/drip`, '--timeout-ms', '700');
    expect(drip.stderr).toContain(`import: net: no complete answer from ${feeds.url} within 700 ms`);
    expect(drip.status).toBe(1);
  }, 30_000);

  it('a DTD is refused in a feed (external entity, billion laughs) and in a WXR file', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title><guid>1</guid><description>d</description><pubDate>Mon, 04 Dec 2023 08:14:00 +0000</pubDate></item></channel></rss>';
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><item><title>&lol3;</title><guid>1</guid><description>d</description></item></channel></rss>';
    feeds.docs.set('/xxe', { type: 'application/rss+xml', body: xxe });
    feeds.docs.set('/laughs', { type: 'application/rss+xml', body: laughs });
    for (const path of ['/xxe', '/laughs']) {
      const run = await importFrom(`${feeds.url}${path}`);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('import: ingest: the XML has a DOCTYPE; DTDs are refused (no external entities, no entity expansion)');
    }
    const dir = mkdtempSync(join(tmpdir(), 'warta-wxr-'));
    writeFileSync(join(dir, 'x.xml'), xxe.replace('<rss version="2.0"><channel>', '<rss version="2.0"><channel><link>https://x.example</link>'));
    const wxr = await importFrom(join(dir, 'x.xml'));
    expect(wxr.status).toBe(1);
    expect(wxr.stderr).toContain('import: ingest: the XML has a DOCTYPE; DTDs are refused (no external entities, no entity expansion)');
    expect(await countOf()).toBe(0);
  });

  it('windows-1252 declared in the XML or ISO-8859-1 in Content-Type is decoded (curly quotes, é)', async () => {
    const item = (guid: string) => `<item><title>\x93Caf\xe9\x94 Kamtibmas ${guid}</title><guid>${guid}</guid><description>&lt;p&gt;Isi \x96 berita&lt;/p&gt;</description><pubDate>Mon, 04 Dec 2023 08:14:00 +0000</pubDate></item>`;
    feeds.docs.set('/cp1252', { type: 'application/rss+xml', body: Buffer.from(rss(item('w1'), '<?xml version="1.0" encoding="windows-1252"?>'), 'latin1') });
    feeds.docs.set('/latin1', { type: 'application/rss+xml; charset=ISO-8859-1', body: Buffer.from(rss(item('l1'), '<?xml version="1.0"?>'), 'latin1') });
    expect((await importFrom(`${feeds.url}/cp1252`)).summary).toBe('imported 1, updated 0, unchanged 0, skipped 0, failed 0');
    expect((await importFrom(`${feeds.url}/latin1`)).summary).toBe('imported 1, updated 0, unchanged 0, skipped 0, failed 0');
    for (const guid of ['w1', 'l1']) {
      const a = (await (await warta.request(`/api/articles/${articleIdOf('hostile.example', itemKey(guid))}`, { token: ADMIN_TOKEN })).json()) as Record<string, unknown>;
      expect(a.title).toBe(`“Café” Kamtibmas ${guid}`);
      expect(a.contentHtml).toBe('<p>Isi – berita</p>');
      expect(a.publishedAt).toBe('2023-12-04T15:14:00+07:00');
    }
  });

  it('an HTML error page served as 200 is not taken for a feed', async () => {
    feeds.docs.set('/error-page', { type: 'text/html; charset=utf-8', body: '<!doctype html><html><head><title>Database Error</title></head><body><h1>Error establishing a database connection</h1></body></html>' });
    const detected = await importFrom(`${feeds.url}/error-page`);
    expect(detected.status).toBe(1);
    expect(detected.stderr).toContain(`import: ingest: ${feeds.url}/error-page is neither a WordPress site nor a feed (HTTP 200, text/html; charset=utf-8)`);
    const forced = await importFrom(`${feeds.url}/error-page`, '--kind', 'feed');
    expect(forced.stderr).toContain(`import: ingest: ${feeds.url}/error-page is an HTML page, not a feed`);
  });

  it('a REST page that is not JSON stops the import there: earlier pages are complete, nothing of that page is written', async () => {
    const site = await startWordPressFixture(generatedSite(150));
    site.intercept = (req, res) => {
      if (req.url?.includes('_embed=1') && req.url.includes('page=2')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end('<html><body>Fatal error: Allowed memory size exhausted</body></html>');
        return true;
      }
      return false;
    };
    try {
      const run = await runImportCommand([`${site.url}/`, '--institution', 'lapas-kelas-i-madiun', '--target', warta.url, '--token', ADMIN_TOKEN]);
      expect(run.status).toBe(1);
      expect(run.summary).toBe('imported 100, updated 0, unchanged 0, skipped 0, failed 1');
      expect(run.stdout[0]).toBe(`failed (source): ingest: ${site.url}/wp-json/wp/v2/posts?_embed=1&per_page=100&page=2&status=publish&orderby=id&order=asc is not JSON (text/html; charset=UTF-8, starts "<html><body>Fatal error: Allowed memory ")`);
      const expected = Array.from({ length: 100 }, (_, i) => articleIdOf('kotamadiun.binmas.id', String(1001 + i))).sort();
      expect(await listIds('lapas-kelas-i-madiun')).toEqual(expected);
    } finally {
      await site.close();
    }
  });

  it('an item with an unreadable date fails alone, with its reason; the others are imported', async () => {
    feeds.docs.set('/bad-item', {
      type: 'application/rss+xml',
      body: rss('<item><title>Baik</title><guid>ok-1</guid><description>baik</description><pubDate>Mon, 04 Dec 2023 08:14:00 +0000</pubDate></item><item><title>Rusak</title><guid>bad-1</guid><description>rusak</description><pubDate>kemarin sore</pubDate></item>'),
    });
    const run = await importFrom(`${feeds.url}/bad-item`);
    expect(run.status).toBe(1);
    expect(run.summary).toBe('imported 1, updated 0, unchanged 0, skipped 0, failed 1');
    expect(run.stdout[0]).toBe(`failed ${articleIdOf('hostile.example', itemKey('bad-1'))}: unreadable publication date "kemarin sore"`);
  });
});
