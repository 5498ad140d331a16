import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';
import { matchFeedPath } from '../src/model/feed-address.js';
import { createApp } from '../src/app.js';

let w: TestWarta;
const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
beforeAll(async () => {
  w = await startTestWarta({ clock: () => clock.now });
  await w.registerDemoRegistries();
  await w.request('/api/articles/warm-seed', { method: 'PUT', token: ADMIN_TOKEN, json: seedArticle() });
});
afterAll(() => w.close());

const headersOf = (res: Response) => {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== 'date' && k !== 'x-request-id' && k !== 'connection' && k !== 'keep-alive') out[k] = v;
  });
  return out;
};

describe('the warm path before routing', () => {
  it('answers a cached page with the same status, headers and bytes as the routed app, with no store request', async () => {
    for (const [path, encoding] of [['/institutions/lapas-kelas-i-madiun/feed.atom?limit=5', 'identity'], ['/feed.json', 'gzip']] as const) {
      const cold = await w.request(path, { headers: { 'accept-encoding': encoding } });
      const coldBody = new Uint8Array(await cold.arrayBuffer());
      const before = w.services.db.requests.count;
      const warm = await w.request(path, { headers: { 'accept-encoding': encoding, 'x-request-id': 'reader-7' } });
      expect(warm.status).toBe(200);
      expect(new Uint8Array(await warm.arrayBuffer())).toEqual(coldBody);
      expect(headersOf(warm)).toEqual(headersOf(cold));
      expect(warm.headers.get('x-request-id')).toBe('reader-7');
      const notModified = await w.request(path, { headers: { 'accept-encoding': encoding, 'if-none-match': cold.headers.get('etag')! } });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(w.services.db.requests.count).toBe(before);
    }
  });

  it('answers from the caches in app.fetch too (the Workers path), with the same bytes and no store request', async () => {
    const app = createApp(() => w.services);
    const url = `${w.url}/categories/binmas/feed.rss`;
    const cold = await app.fetch(new Request(url));
    const coldBody = await cold.text();
    const before = w.services.db.requests.count;
    const warm = await app.fetch(new Request(url, { headers: { 'x-request-id': 'edge-1' } }));
    expect(warm.status).toBe(200);
    expect(await warm.text()).toBe(coldBody);
    expect(warm.headers.get('etag')).toBe(cold.headers.get('etag'));
    expect(warm.headers.get('x-request-id')).toBe('edge-1');
    expect((await app.fetch(new Request(url, { headers: { 'if-none-match': cold.headers.get('etag')! } }))).status).toBe(304);
    expect(w.services.db.requests.count).toBe(before);
  });

  it('recognises exactly the feed URLs', () => {
    expect(matchFeedPath('/feed.rss', '')).toEqual({ ref: { kind: 'all' }, format: 'rss', limit: 20, cursor: undefined });
    expect(matchFeedPath('/categories/binmas/feed.atom', '')).toEqual({ ref: { kind: 'cat', slug: 'binmas' }, format: 'atom', limit: 20, cursor: undefined });
    expect(matchFeedPath('/institutions/lapas-kelas-i-madiun/feed.json', '')).toEqual({ ref: { kind: 'inst', slug: 'lapas-kelas-i-madiun' }, format: 'json', limit: 20, cursor: undefined });
    expect(matchFeedPath('/institutions/polres-madiun-kota/categories/binmas/feed.rss', '')).toEqual({ ref: { kind: 'instcat', slug: 'polres-madiun-kota', category: 'binmas' }, format: 'rss', limit: 20, cursor: undefined });
    expect(matchFeedPath('/authors/achmad-sarjono/feed.rss', '')).toEqual({ ref: { kind: 'author', slug: 'achmad-sarjono' }, format: 'rss', limit: 20, cursor: undefined });
    expect(matchFeedPath('/tags/kamtibmas/feed.json', '')).toEqual({ ref: { kind: 'tag', slug: 'kamtibmas' }, format: 'json', limit: 20, cursor: undefined });
    for (const path of ['/feed.xml', '/categories/BINMAS/feed.rss', '/categories/a/b/feed.rss', '/authors/x/categories/y/feed.rss', '/feed.rss/', '/api/feed.rss']) {
      expect(matchFeedPath(path, '')).toEqual({ refusal: { field: 'path', reason: 'is not a Warta feed URL (e.g. /institutions/<slug>/feed.rss)' } });
    }
  });
});
