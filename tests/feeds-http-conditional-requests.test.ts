/**
 * HTTP semantics of feed URLs against a real server: validators derived from
 * the feed state (same across processes), 304 answered from the state alone,
 * 304 ending with a change to that feed only, HEAD, gzip, CORS, parameter
 * errors, and the number of store requests a page costs.
 */
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { forgeCursor } from './support/cursors.js';

const T0 = Date.parse('2024-01-10T03:00:00Z');
const now = { value: T0 };
let w: TestWarta;
let lapas: string;
const LAPAS_ATOM = '/institutions/lapas-kelas-i-madiun/feed.atom';

beforeAll(async () => {
  // A long state TTL: every write goes through this process, whose listener invalidates at once.
  w = await startTestWarta({ clock: () => now.value, env: { WARTA_FEED_STATE_TTL_MS: '60000' } });
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  expect((await w.request('/api/articles', { token: lapas, json: seedArticle({ id: 'seed' }) })).status).toBe(201);
  now.value += 10_000;
});
afterAll(() => w.close());

const get = (path: string, headers: Record<string, string> = {}) => w.request(path, { headers: { 'accept-encoding': 'identity', ...headers } });

/** Raw bytes and headers, without fetch's transparent decompression. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('feed validators and 304', () => {
  it('serves the feed with a weak ETag, Last-Modified from the feed state, and 304 on If-None-Match', async () => {
    const first = await get(LAPAS_ATOM);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
    // The seed was written at T0; the state's changedMs is T0.
    expect(first.headers.get('last-modified')).toBe(new Date(T0).toUTCString());
    expect((await get(LAPAS_ATOM)).headers.get('etag')).toBe(etag);
    const conditional = await get(LAPAS_ATOM, { 'if-none-match': etag });
    expect(conditional.status).toBe(304);
    expect(await conditional.text()).toBe('');
    expect(conditional.headers.get('etag')).toBe(etag);
    expect(conditional.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=60');
    expect(conditional.headers.get('vary')).toBe('Accept-Encoding');
    expect(conditional.headers.get('access-control-allow-origin')).toBe('*');
    expect((await get(LAPAS_ATOM, { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    expect((await get(LAPAS_ATOM, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('answers If-Modified-Since with 304 when nothing changed since, 200 otherwise', async () => {
    expect((await get(LAPAS_ATOM, { 'if-modified-since': new Date(T0).toUTCString() })).status).toBe(304);
    expect((await get(LAPAS_ATOM, { 'if-modified-since': new Date(T0 + 60_000).toUTCString() })).status).toBe(304);
    expect((await get(LAPAS_ATOM, { 'if-modified-since': new Date(T0 - 1000).toUTCString() })).status).toBe(200);
  });

  it('keeps answering 304 after a change to another feed, and stops after a change to this one', async () => {
    const before = await get(LAPAS_ATOM);
    const etag = before.headers.get('etag')!;
    const lastModified = before.headers.get('last-modified')!;
    now.value += 5_000;
    const other = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1, { id: 'ponorogo-1', institutions: ['polres-ponorogo'] }) });
    expect(other.status).toBe(201);
    expect((await get(LAPAS_ATOM, { 'if-none-match': etag })).status).toBe(304);
    expect((await get(LAPAS_ATOM, { 'if-modified-since': lastModified })).status).toBe(304);
    // The `all` feed did change.
    const allEtag = (await get('/feed.atom')).headers.get('etag')!;
    now.value += 5_000;
    const mine = await w.request('/api/articles', { token: lapas, json: smallArticle(2, { id: 'lapas-2', institutions: ['lapas-kelas-i-madiun'] }) });
    expect(mine.status).toBe(201);
    const after = await get(LAPAS_ATOM, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.headers.get('last-modified')).toBe(new Date(now.value).toUTCString());
    expect(await after.text()).toContain('<id>tag:127.0.0.1,2026:article/lapas-2</id>');
    expect((await get(LAPAS_ATOM, { 'if-modified-since': lastModified })).status).toBe(200);
    expect((await get('/feed.atom', { 'if-none-match': allEtag })).status).toBe(200);
  });

  it('gives the same ETag and the same document from a second process on the same table', async () => {
    const w2 = await startTestWarta({ clock: () => now.value, env: { WARTA_TABLE: w.services.config.table } });
    try {
      for (const path of [LAPAS_ATOM, '/feed.rss', '/categories/binmas/feed.json', '/authors/achmad-sarjono-6349bdf3/feed.rss?limit=1']) {
        const [a, b] = await Promise.all([get(path), w2.request(path, { headers: { 'accept-encoding': 'identity' } })]);
        expect(a.status).toBe(200);
        expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
        expect(b.headers.get('last-modified')).toBe(a.headers.get('last-modified'));
        expect((await b.text()).replaceAll(w2.url, w.url)).toBe(await a.text());
      }
    } finally {
      await w2.close();
    }
  });
});

describe('HEAD, gzip and CORS', () => {
  it('answers HEAD with the headers of GET and no body', async () => {
    const full = await get('/feed.rss');
    const body = new Uint8Array(await full.arrayBuffer());
    const head = await w.request('/feed.rss', { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(full.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(head.headers.get('content-length')).toBe(String(body.byteLength));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('serves gzip with its own ETag to clients that accept it, the same document once decompressed', async () => {
    const identity = await rawGet(`${w.url}/feed.json`, { 'accept-encoding': 'identity' });
    const gz = await rawGet(`${w.url}/feed.json`, { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.headers.etag).toBe(`${String(identity.headers.etag).slice(0, -1)}-gz"`);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.byteLength);
    expect(gz.body.byteLength).toBeLessThan(identity.body.byteLength);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(identity.body.toString('utf8'));
    const refused = await rawGet(`${w.url}/feed.json`, { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const revalidated = await rawGet(`${w.url}/feed.json`, { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.etag).toBe(gz.headers.etag);
  });

  it('allows any origin to read feeds and their validators, and answers preflights', async () => {
    const res = await get('/categories/binmas/feed.json', { origin: 'https://reader.example' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag, Last-Modified, Link');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const preflight = await w.request('/categories/binmas/feed.json', { method: 'OPTIONS', headers: { origin: 'https://reader.example', 'access-control-request-headers': 'if-none-match' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('If-None-Match, If-Modified-Since');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
  });

  it('announces the WebSub hub and itself in Link headers', async () => {
    const res = await get('/tags/kamtibmas/feed.rss');
    expect(res.headers.get('link')).toBe(
      `<${w.url}/websub>; rel="hub", <${w.url}/tags/kamtibmas/feed.rss>; rel="self", <${w.url}/tags/kamtibmas/feed.rss>; rel="first"`,
    );
  });
});

describe('parameters and unknown feeds', () => {
  it.each(['0', '101', 'abc', '', '-1', '2.5', '1e1'])('refuses limit=%j with a 400 problem naming limit', async (limit) => {
    const res = await get(`/feed.rss?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { errors: { field: string }[]; type: string };
    expect(body.type).toBe('tag:warta,2026:problem:bad-request');
    expect(body.errors.map((e) => e.field)).toEqual(['limit']);
  });

  it('accepts limit 1 and 100', async () => {
    expect((await get('/feed.json?limit=1')).status).toBe(200);
    expect((await get('/feed.json?limit=100')).status).toBe(200);
  });

  it('refuses a forged cursor, and a cursor of another feed, with a 400 problem naming cursor', async () => {
    const next = ((await (await get('/feed.json?limit=1')).json()) as { next_url: string }).next_url;
    const cursor = new URL(next).searchParams.get('cursor')!;
    const forged = forgeCursor(cursor);
    for (const path of [`/feed.json?limit=1&cursor=${forged}`, `/categories/binmas/feed.json?limit=1&cursor=${cursor}`, '/feed.rss?cursor=', '/feed.rss?cursor=not-a-cursor']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['cursor']);
    }
    expect((await get(`/feed.json?limit=1&cursor=${cursor}`)).status).toBe(200);
  });

  it.each([
    '/categories/tidak-ada/feed.rss',
    '/institutions/tidak-ada/feed.atom',
    '/institutions/lapas-kelas-i-madiun/categories/tidak-ada/feed.json',
    '/authors/tidak-ada/feed.rss',
    '/tags/tidak-ada/feed.json',
    '/categories/BINMAS/feed.rss',
  ])('answers 404 with a problem for %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('store requests per page', () => {
  it('a cold page costs a state read, one Query and one BatchGetItem, whatever the number of articles; 304 costs the state read alone', async () => {
    const cold = await startTestWarta({ clock: () => now.value, env: { WARTA_TABLE: w.services.config.table, WARTA_FEED_CACHE: '0', WARTA_FEED_STATE_TTL_MS: '0' } });
    try {
      const counter = cold.services.db.requests;
      const cost = async (path: string, headers: Record<string, string> = {}) => {
        const before = counter.count;
        const res = await cold.request(path, { headers: { 'accept-encoding': 'identity', ...headers } });
        await res.arrayBuffer();
        return { status: res.status, requests: counter.count - before, etag: res.headers.get('etag')! };
      };
      await cost('/institutions/polres-madiun-kota/feed.rss?limit=2'); // warms the registry cache
      const few = await cost('/institutions/polres-madiun-kota/feed.rss?limit=2');
      expect(few.requests).toBe(3);
      for (let n = 10; n < 16; n++) {
        expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n, { institutions: ['polres-madiun-kota'] }) })).status).toBe(201);
      }
      await cost('/institutions/polres-madiun-kota/feed.rss?limit=2');
      const many = await cost('/institutions/polres-madiun-kota/feed.rss?limit=2');
      expect(many.requests).toBe(3);
      const notModified = await cost('/institutions/polres-madiun-kota/feed.rss?limit=2', { 'if-none-match': many.etag });
      expect(notModified).toEqual({ status: 304, requests: 1, etag: many.etag });
    } finally {
      await cold.close();
    }
  });

  it('a warm page, and its 304, cost no store request at all', async () => {
    now.value += 10_000; // past the settle window of the last write
    const counter = w.services.db.requests;
    const path = '/institutions/polres-madiun-kota/feed.json?limit=3';
    const first = await get(path);
    const before = counter.count;
    const again = await get(path);
    const conditional = await get(path, { 'if-none-match': first.headers.get('etag')! });
    expect(counter.count - before).toBe(0);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(await first.text());
    expect(conditional.status).toBe(304);
  });
});
