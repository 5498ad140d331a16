/**
 * Registered sources pulled continuously: `PUT/GET/DELETE /api/sources/:id`
 * and `GET /api/sources` (admin only), the scheduler's tick (the function
 * Node's interval and the Workers cron call) fetching a due source, a 304
 * on the next poll costing nothing, a new post at the source reaching
 * Warta's feeds on the one after, a failing source backing off on its own,
 * and the server refusing private targets unless WARTA_SOURCES_ALLOW_PRIVATE.
 * The clock is pinned and moved by hand.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { startFeedFixture, type FeedFixture } from './support/feed-source-fixture.js';
import { runDueSources } from '../src/ingest/scheduler.js';
import { nodeConnector } from '../src/server/outbound-node.js';
import { generatedSite, startWordPressFixture } from './support/wordpress-fixture.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
let now = T0;
let warta: TestWarta;
let feeds: FeedFixture;
const items: { guid: string; title: string; date: string }[] = [
  { guid: 'https://humas-lapas.example/?p=1', title: 'Pembinaan Kemandirian Warga Binaan', date: 'Thu, 29 Feb 2024 03:00:00 +0000' },
  { guid: 'https://humas-lapas.example/?p=2', title: 'Kunjungan Kanwil ke Lapas', date: 'Thu, 29 Feb 2024 05:00:00 +0000' },
];
const feedBody = () =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Lapas</title><link>https://humas-lapas.example/</link>${items
    .map((i) => `<item><title>${i.title}</title><link>${i.guid}</link><guid isPermaLink="false">${i.guid}</guid><pubDate>${i.date}</pubDate><category>Pembinaan</category><description>&lt;p&gt;${i.title}.&lt;/p&gt;</description></item>`)
    .join('')}</channel></rss>`;

beforeAll(async () => {
  warta = await startTestWarta({ clock: () => now, env: { WARTA_SOURCES_ALLOW_PRIVATE: '1', WARTA_SOURCES_TICK_MS: '0' } });
  await warta.registerDemoRegistries();
  feeds = await startFeedFixture();
  feeds.docs.set('/lapas/feed', (req: IncomingMessage, res: ServerResponse) => {
    const etag = `"v${items.length}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=UTF-8', etag }).end(feedBody());
  });
  feeds.docs.set('/broken', { status: 500, type: 'text/html', body: '<html>500</html>' });
});
afterAll(async () => {
  await feeds.close();
  await warta.close();
});

const tick = () => runDueSources(warta.services, (p) => void p.catch(() => {}));
const source = async (id: string) => (await (await warta.request(`/api/sources/${id}`, { token: ADMIN_TOKEN })).json()) as Record<string, unknown>;

describe('a registered source', () => {
  it('is registered by the admin only, with every field checked', async () => {
    const { token } = await warta.createKey('publisher', ['lapas-kelas-i-madiun']);
    const body = { url: `${feeds.url}/lapas/feed`, kind: 'feed', institution: 'lapas-kelas-i-madiun', intervalMinutes: 10 };
    expect((await warta.request('/api/sources/lapas', { method: 'PUT', token, json: body })).status).toBe(403);
    expect((await warta.request('/api/sources', { token })).status).toBe(403);
    expect((await warta.request('/api/sources/lapas', { method: 'PUT', json: body })).status).toBe(401);
    const bad = await warta.request('/api/sources/lapas', { method: 'PUT', token: ADMIN_TOKEN, json: { ...body, url: 'ftp://x', institution: 'rutan-x', intervalMinutes: 0 } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['intervalMinutes', 'url']);
    const unknown = await warta.request('/api/sources/lapas', { method: 'PUT', token: ADMIN_TOKEN, json: { ...body, institution: 'rutan-x' } });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'institution', reason: 'unknown institution "rutan-x"' }]);
    expect((await warta.request('/api/sources', { token: ADMIN_TOKEN }).then((r) => r.json())) as unknown).toEqual({ sources: [] });

    const created = await warta.request('/api/sources/lapas', { method: 'PUT', token: ADMIN_TOKEN, json: body });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      id: 'lapas', url: `${feeds.url}/lapas/feed`, kind: 'feed', institution: 'lapas-kelas-i-madiun', categoryMap: {}, defaultCategory: 'berita', intervalMinutes: 10,
      createdAt: '2024-03-01T07:00:00+07:00', updatedAt: '2024-03-01T07:00:00+07:00', status: 'new', nextFetchAt: '2024-03-01T07:00:00+07:00', totals: { imported: 0, updated: 0, failed: 0 },
    });
  });

  it('is fetched when due, answers 304 on the next poll, and its new post reaches the feeds on the one after', async () => {
    const first = await tick();
    expect(first).toEqual([{ id: 'lapas', status: 'ok' }]);
    let s = await source('lapas');
    expect(s.lastCounts).toEqual({ imported: 2, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(s.lastFetchAt).toBe('2024-03-01T07:00:00+07:00');
    expect(s.nextFetchAt).toBe('2024-03-01T07:10:00+07:00');

    // Not yet due: nothing is fetched.
    const before = feeds.requests.length;
    now = T0 + 5 * 60_000;
    expect(await tick()).toEqual([]);
    expect(feeds.requests.length).toBe(before);

    now = T0 + 10 * 60_000;
    expect(await tick()).toEqual([{ id: 'lapas', status: 'not-modified' }]);
    expect(feeds.requests.at(-1)!.headers['if-none-match']).toBe('"v2"');
    expect(feeds.requests.at(-1)!.headers['user-agent']).toMatch(/^Warta-Ingest\//);
    s = await source('lapas');
    expect(s.status).toBe('not-modified');
    expect(s.totals).toEqual({ imported: 2, updated: 0, failed: 0 });

    items.unshift({ guid: 'https://humas-lapas.example/?p=3', title: 'Lapas Madiun Gelar Bakti Sosial', date: 'Fri, 01 Mar 2024 00:05:00 +0000' });
    now = T0 + 20 * 60_000;
    expect(await tick()).toEqual([{ id: 'lapas', status: 'ok' }]);
    s = await source('lapas');
    expect(s.lastCounts).toEqual({ imported: 1, updated: 0, unchanged: 2, skipped: 0, failed: 0 });
    const feed = await (await warta.request('/institutions/lapas-kelas-i-madiun/feed.atom')).text();
    expect(feed).toContain('<title type="text">Lapas Madiun Gelar Bakti Sosial</title>');
    expect(feed).toContain('<published>2024-03-01T07:05:00+07:00</published>');
    const listed = (await (await warta.request('/api/sources', { token: ADMIN_TOKEN })).json()) as { sources: { id: string; status: string }[] };
    expect(listed.sources.map((x) => [x.id, x.status])).toEqual([['lapas', 'ok']]);
  });

  it('a failing source backs off on its own; the others are fetched in the same tick', async () => {
    const put = await warta.request('/api/sources/broken', { method: 'PUT', token: ADMIN_TOKEN, json: { url: `${feeds.url}/broken`, kind: 'feed', institution: 'polres-ponorogo', intervalMinutes: 10 } });
    expect(put.status).toBe(201);
    now = T0 + 30 * 60_000;
    expect(await tick()).toEqual([{ id: 'broken', status: 'error' }, { id: 'lapas', status: 'not-modified' }]);
    const b = await source('broken');
    expect(b.lastError).toBe(`ingest: ${feeds.url}/broken answered HTTP 500`);
    // 10 minutes doubled once.
    expect(b.nextFetchAt).toBe('2024-03-01T07:50:00+07:00');
    now = T0 + 50 * 60_000;
    expect(await tick()).toEqual([{ id: 'broken', status: 'error' }, { id: 'lapas', status: 'not-modified' }]);
    expect((await source('broken')).nextFetchAt).toBe('2024-03-01T08:30:00+07:00');
    expect((await warta.request('/api/sources/broken', { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    expect((await warta.request('/api/sources/broken', { token: ADMIN_TOKEN })).status).toBe(404);
    now = T0 + 90 * 60_000;
    expect(await tick()).toEqual([{ id: 'lapas', status: 'not-modified' }]);
  });
});

describe('a registered WordPress site', () => {
  it('is detected, read newest first 20 a page while pages bring new posts, and its next post arrives on the next poll', async () => {
    const site = await startWordPressFixture(generatedSite(45), { home: 'https://polres-wp.example' });
    try {
      expect((await warta.request('/api/sources/polres-wp', { method: 'PUT', token: ADMIN_TOKEN, json: { url: `${site.url}/`, institution: 'polres-madiun-kota', intervalMinutes: 10 } })).status).toBe(201);
      const own = async () => (await tick()).filter((o) => o.id === 'polres-wp');
      expect(await own()).toEqual([{ id: 'polres-wp', status: 'ok' }]);
      let s = await source('polres-wp');
      expect(s.resolvedKind).toBe('wordpress');
      expect(s.lastCounts).toEqual({ imported: 45, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
      expect(site.requests.filter((r) => r.includes('_embed=1'))).toEqual([1, 2, 3].map((n) => `/wp-json/wp/v2/posts?_embed=1&per_page=20&page=${n}&status=publish`));

      site.site.posts.push({ ...site.site.posts[0]!, id: 5000, date: '2024-03-01T03:00:00', dateGmt: '2024-02-29T20:00:00', modifiedGmt: '2024-02-29T20:00:00', slug: 'baru', title: 'Polres Amankan Pawai Budaya' });
      now += 10 * 60_000;
      site.requests.length = 0;
      expect(await own()).toEqual([{ id: 'polres-wp', status: 'ok' }]);
      s = await source('polres-wp');
      // Page 1 brought the new post, page 2 nothing new: the poll stops there.
      expect(s.lastCounts).toEqual({ imported: 1, updated: 0, unchanged: 39, skipped: 0, failed: 0 });
      expect(site.requests.filter((r) => r.includes('_embed=1'))).toEqual([1, 2].map((n) => `/wp-json/wp/v2/posts?_embed=1&per_page=20&page=${n}&status=publish`));
      const feed = await (await warta.request('/institutions/polres-madiun-kota/feed.rss')).text();
      expect(feed).toContain('<title>Polres Amankan Pawai Budaya</title>');
      expect(feed).toContain('<link>https://polres-wp.example/?p=5000</link>');
      expect((await warta.request('/api/sources/polres-wp', { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    } finally {
      await site.close();
    }
  });
});

describe('hostile answers to the scheduler', () => {
  it('a body past WARTA_SOURCES_MAX_BYTES, a DTD and an HTML error page each end as that source\'s error, writing nothing', async () => {
    feeds.docs.set('/huge', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.on('error', () => {});
      const chunk = Buffer.alloc(256 * 1024, 32);
      let sent = 0;
      const more = () => {
        while (sent < 4096 && res.write(chunk)) sent++;
        if (sent < 4096) res.once('drain', more);
        else res.end();
      };
      more();
    });
    feeds.docs.set('/dtd', { type: 'application/rss+xml', body: '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title><guid>x</guid></item></channel></rss>' });
    feeds.docs.set('/html-200', { type: 'text/html', body: '<!doctype html><html><body>Maintenance</body></html>' });
    for (const [id, path] of [['huge', '/huge'], ['dtd', '/dtd'], ['html', '/html-200']]) {
      expect((await warta.request(`/api/sources/${id}`, { method: 'PUT', token: ADMIN_TOKEN, json: { url: `${feeds.url}${path}`, kind: 'feed', institution: 'polres-ponorogo', intervalMinutes: 60 } })).status).toBe(201);
    }
    const outcomes = await tick();
    expect(outcomes.filter((o) => o.id !== 'lapas')).toEqual([{ id: 'dtd', status: 'error' }, { id: 'html', status: 'error' }, { id: 'huge', status: 'error' }]);
    expect((await source('huge')).lastError).toBe(`net: the body from ${feeds.url} is longer than the 10485760 bytes allowed`);
    expect((await source('dtd')).lastError).toBe('ingest: the XML has a DOCTYPE; DTDs are refused (no external entities, no entity expansion)');
    expect((await source('html')).lastError).toBe(`ingest: ${feeds.url}/html-200 is an HTML page, not a feed`);
    const listed = (await (await warta.request('/api/articles?institution=polres-ponorogo', { token: ADMIN_TOKEN })).json()) as { articles: unknown[] };
    expect(listed.articles).toEqual([]);
    for (const id of ['huge', 'dtd', 'html']) expect((await warta.request(`/api/sources/${id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
  }, 30_000);
});

describe('without WARTA_SOURCES_ALLOW_PRIVATE', () => {
  it('refuses a private URL when registered, and a name resolving to a private address when fetched', async () => {
    const strict = await startTestWarta({
      env: { WARTA_SOURCES_TICK_MS: '0' },
      connector: nodeConnector({ resolve: async (host) => (host === 'portal.test' ? [{ address: '127.0.0.1', family: 4 }] : []) }),
    });
    try {
      await strict.registerDemoRegistries();
      const literal = await strict.request('/api/sources/x', { method: 'PUT', token: ADMIN_TOKEN, json: { url: `${feeds.url}/lapas/feed`, institution: 'polres-ponorogo' } });
      expect(literal.status).toBe(422);
      expect(((await literal.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'url', reason: 'host 127.0.0.1 is a loopback address' }]);
      const metadata = await strict.request('/api/sources/x', { method: 'PUT', token: ADMIN_TOKEN, json: { url: 'http://169.254.169.254/latest/meta-data/', institution: 'polres-ponorogo' } });
      expect(metadata.status).toBe(422);
      const named = await strict.request('/api/sources/x', { method: 'PUT', token: ADMIN_TOKEN, json: { url: `http://portal.test:${new URL(feeds.url).port}/lapas/feed`, kind: 'feed', institution: 'polres-ponorogo' } });
      expect(named.status).toBe(201);
      const before = feeds.requests.length;
      expect(await runDueSources(strict.services, () => {})).toEqual([{ id: 'x', status: 'error' }]);
      const x = (await (await strict.request('/api/sources/x', { token: ADMIN_TOKEN })).json()) as { lastError: string };
      expect(x.lastError).toBe('net: host portal.test resolves to a non-public address');
      expect(feeds.requests.length).toBe(before);
    } finally {
      await strict.close();
    }
  });
});
