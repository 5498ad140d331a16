/**
 * A cold feed page (no rendered document cached) once its articles are held
 * per version: one Query, no BatchGetItem, and the same bytes as a page
 * read and rendered from scratch. A new version of an article is read (and
 * rendered) again; WARTA_FEED_CACHE=items keeps only these caches,
 * WARTA_FEED_CACHE=0 none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

const T0 = Date.parse('2024-05-01T03:00:00Z');
const now = { value: T0 };
const PATH = '/institutions/polres-madiun-kota/feed';
let items: TestWarta;
let none: TestWarta;

beforeAll(async () => {
  items = await startTestWarta({ clock: () => now.value, env: { WARTA_BASE_URL: 'http://warta.test', WARTA_FEED_CACHE: 'items', WARTA_FEED_STATE_TTL_MS: '60000' } });
  await items.registerDemoRegistries();
  none = await startTestWarta({ clock: () => now.value, env: { WARTA_BASE_URL: 'http://warta.test', WARTA_TABLE: items.services.config.table, WARTA_FEED_CACHE: '0', WARTA_FEED_STATE_TTL_MS: '0' } });
  for (let n = 1; n <= 4; n++) {
    expect((await items.request(`/api/articles/cold-${n}`, { method: 'PUT', token: ADMIN_TOKEN, json: smallArticle(n) })).status).toBe(201);
  }
  now.value += 10_000;
});
afterAll(async () => {
  await none?.close();
  await items?.close();
});

async function page(w: TestWarta, path: string): Promise<{ requests: number; body: string }> {
  const before = w.services.db.requests.count;
  const res = await w.request(path, { headers: { 'accept-encoding': 'identity' } });
  expect(res.status).toBe(200);
  const body = await res.text();
  return { requests: w.services.db.requests.count - before, body };
}

describe('a cold page whose articles are held per version', () => {
  it.each(['rss', 'atom', 'json'])('costs one Query and has the bytes of a page rendered from scratch (%s)', async (format) => {
    const path = `${PATH}.${format}?limit=3`;
    await page(items, path); // holds the records and their items
    const again = await page(items, path);
    expect(again.requests).toBe(1);
    expect(again.body).toBe((await page(none, path)).body);
  });

  it('reads and renders an article again when a new version is written', async () => {
    const path = `${PATH}.rss?limit=3`;
    await page(items, path);
    expect((await items.request('/api/articles/cold-4', { method: 'PUT', token: ADMIN_TOKEN, json: smallArticle(4, { title: 'Judul baru versi dua' }) })).status).toBe(200);
    now.value += 10_000;
    const after = await page(items, path);
    expect(after.requests).toBe(3); // the state (the write dropped it), the Query, a BatchGetItem of the new version
    expect(after.body).toContain('Judul baru versi dua');
    expect(after.body).toBe((await page(none, path)).body);
    expect((await page(items, path)).requests).toBe(1);
  });

  it('is off with WARTA_FEED_CACHE=0: every page reads the records', async () => {
    const path = `${PATH}.json?limit=3`;
    await page(none, path);
    expect((await page(none, path)).requests).toBe(3); // state (TTL 0), Query, BatchGetItem
  });
});
