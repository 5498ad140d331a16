/**
 * Node compresses like the Worker's platform does: HTML pages and API JSON
 * come gzipped (with a Content-Length) to clients that accept gzip, and the
 * OPML list is precompressed like the feeds, with an ETag per coding and 304s.
 * An article's strong ETag (compared by If-Match) stays identity.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { rawBytes } from './support/raw-bytes.js';

const now = { value: Date.parse('2024-01-10T03:00:00Z') };
let w: TestWarta;
let id: string;

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
  const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: seedArticle() });
  expect(res.status).toBe(201);
  id = ((await res.json()) as { id: string }).id;
});
afterAll(() => w.close());

const GZIP = { 'accept-encoding': 'gzip, deflate, br' };
const IDENTITY = { 'accept-encoding': 'identity' };

describe('HTML pages and API JSON on Node', () => {
  for (const path of ['/', '/institutions/lapas-kelas-i-madiun', '/api/openapi.json', '/api/institutions']) {
    it(`gzips ${path} with a Content-Length, the same bytes once decompressed`, async () => {
      const plain = await rawBytes(`${w.url}${path}`, IDENTITY);
      const gz = await rawBytes(`${w.url}${path}`, GZIP);
      expect([plain.status, gz.status]).toEqual([200, 200]);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(plain.body.length).toBeGreaterThanOrEqual(512);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toBe('Accept-Encoding');
      expect(gz.headers['content-length']).toBe(String(gz.body.length));
      expect(gz.headers['transfer-encoding']).toBeUndefined();
      expect(gz.headers['content-type']).toBe(plain.headers['content-type']);
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      expect(gz.body.length).toBeLessThan(plain.body.length);
    });
  }

  it('leaves an article (strong ETag used by If-Match) and small problem documents uncompressed', async () => {
    const article = await rawBytes(`${w.url}/api/articles/${id}`, { ...GZIP, authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(article.status).toBe(200);
    expect(article.body.length).toBeGreaterThan(512);
    expect([article.headers['content-encoding'], article.headers.etag]).toEqual([undefined, '"v1"']);
    const missing = await rawBytes(`${w.url}/api/articles/nope`, { ...GZIP, authorization: `Bearer ${ADMIN_TOKEN}` });
    expect([missing.status, missing.headers['content-encoding']]).toEqual([404, undefined]);
    expect(JSON.parse(missing.body.toString('utf8')).type).toBe('tag:warta,2026:problem:not-found');
  });
});

describe('/feeds.opml', () => {
  it('is precompressed with its own ETag and Content-Length, and answers 304 for either ETag', async () => {
    const plain = await rawBytes(`${w.url}/feeds.opml`, IDENTITY);
    const gz = await rawBytes(`${w.url}/feeds.opml`, GZIP);
    expect([plain.status, gz.status]).toEqual([200, 200]);
    expect(plain.headers['content-type']).toBe('text/x-opml; charset=utf-8');
    expect(gz.headers['content-type']).toBe('text/x-opml; charset=utf-8');
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
    expect(gz.headers.etag).toBe(`${etag.slice(0, -1)}-gz"`);
    expect(plain.headers['content-length']).toBe(String(plain.body.length));
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-length']).toBe(String(gz.body.length));
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);

    for (const tag of [etag, String(gz.headers.etag)]) {
      const again = await rawBytes(`${w.url}/feeds.opml`, { ...GZIP, 'if-none-match': tag });
      expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, tag]);
    }
  });

  it('gets a new ETag when the list changes', async () => {
    const before = await rawBytes(`${w.url}/feeds.opml`, IDENTITY);
    now.value += 60_000;
    // A new article changes the newest change of the news, which is the list's dateCreated.
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1) });
    expect(res.status).toBe(201);
    const after = await rawBytes(`${w.url}/feeds.opml`, { ...IDENTITY, 'if-none-match': String(before.headers.etag) });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(before.body.toString('utf8')).toContain('<dateCreated>Wed, 10 Jan 2024 10:00:00 +0700</dateCreated>');
    expect(after.body.toString('utf8')).toContain('<dateCreated>Wed, 10 Jan 2024 10:01:00 +0700</dateCreated>');
  });
});
