/**
 * The feed state's refresh past its TTL (WARTA_FEED_STATE_TTL_MS): one read
 * runs while every other request is answered from the cached state, up to
 * 2 × the TTL; past that bound a request waits for the read; a write through
 * the same process is never answered stale. Two servers share one table, so
 * a write through the other one is what a refresh has to pick up. The
 * state's age is set on the cache entry itself: nothing here waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { cachedRegistryEntries, REGISTRY_REFRESH_AHEAD_MS, REGISTRY_TTL_MS } from '../src/feeds/serve/registry-cache.js';
import { answerFeed, CACHED_ONLY } from '../src/feeds/serve/answer-feed.js';
import { feedKey } from '../src/model/feed-address.js';

const TTL = 60_000;
const T0 = Date.parse('2024-03-01T03:00:00Z');
const now = { value: T0 };
const FEED = feedKey({ kind: 'inst', slug: 'polres-madiun-kota' });
const PATH = '/institutions/polres-madiun-kota/feed.rss?limit=3';
let reader: TestWarta;
let writer: TestWarta;
let n = 0;

beforeAll(async () => {
  reader = await startTestWarta({ clock: () => now.value, env: { WARTA_FEED_STATE_TTL_MS: String(TTL) } });
  await reader.registerDemoRegistries();
  writer = await startTestWarta({ clock: () => now.value, env: { WARTA_TABLE: reader.services.config.table, WARTA_FEED_STATE_TTL_MS: String(TTL) } });
  expect((await reader.request('/api/articles', { token: ADMIN_TOKEN, json: seedArticle({ id: 'sf-seed' }) })).status).toBe(201);
  now.value += 10_000;
});
afterAll(async () => {
  await writer?.close();
  await reader?.close();
});

const get = async (w: TestWarta, path = PATH) => {
  const res = await w.request(path, { headers: { 'accept-encoding': 'identity' } });
  await res.arrayBuffer();
  return { status: res.status, etag: res.headers.get('etag') };
};

/** Publishes one more article of the feed through `w`. */
async function publishThrough(w: TestWarta): Promise<void> {
  n++;
  expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(100 + n, { institutions: ['polres-madiun-kota'] }) })).status).toBe(201);
  now.value += 10_000;
}

/** Makes the cached state of FEED look `ageMs` old (real time) in the reader, and past the bound in the writer so that it reads the store. */
function ageState(ageMs: number): void {
  const entry = reader.services.feedStates.states.get(FEED);
  expect(entry).toBeDefined();
  entry!.atMs = Date.now() - ageMs;
  writer.services.feedStates.states.delete(FEED);
}

describe('refreshing a feed state past its TTL', () => {
  it('sends one read while the other requests are answered from the cached state, within 2 × the TTL', async () => {
    const warm = await get(reader);
    expect((await get(reader)).etag).toBe(warm.etag); // cached page and state
    await publishThrough(writer); // another process changes the feed: the reader does not know yet
    const changed = await get(writer);
    expect(changed.etag).not.toBe(warm.etag);

    const caches = reader.services.feedStates;
    const counter = reader.services.db.requests;
    // Eight requests arriving together (one tick): each is answered from the cached page, one read starts.
    ageState(TTL + 1);
    let before = counter.count;
    const docs = Array.from({ length: 8 }, () => answerFeed(reader.services, PATH, {}, CACHED_ONLY)?.doc.etag);
    expect(docs).toEqual(Array.from({ length: 8 }, () => warm.etag));
    expect(caches.inflight.has(FEED)).toBe(true);
    await caches.inflight.get(FEED);
    expect(counter.count - before).toBe(1); // the state's GetItem, once
    expect((await get(reader)).etag).toBe(changed.etag); // the refresh has landed

    // Over HTTP: the first request past the TTL is answered at once from the cached state.
    await publishThrough(writer);
    const changedAgain = await get(writer);
    ageState(TTL + 1);
    before = counter.count;
    expect(await get(reader)).toEqual({ status: 200, etag: changed.etag });
    await caches.inflight.get(FEED);
    expect(counter.count - before).toBe(1);
    expect((await get(reader)).etag).toBe(changedAgain.etag);
  });

  it('waits for the read once the cached state is older than 2 × the TTL', async () => {
    const warm = await get(reader);
    await publishThrough(writer);
    ageState(TTL); // the writer's own cache is as stale as the reader's: let it read too
    const changed = await get(writer);
    expect(changed.etag).not.toBe(warm.etag);
    ageState(2 * TTL);
    expect(await get(reader)).toEqual({ status: 200, etag: changed.etag });
  });

  it('never answers stale after a write through the same process, whatever the state age', async () => {
    const warm = await get(reader);
    ageState(TTL + 1);
    await publishThrough(reader);
    const after = await get(reader);
    expect(after.etag).not.toBe(warm.etag);
    writer.services.feedStates.states.delete(FEED);
    expect(after).toEqual(await get(writer)); // the writer, reading the store, sees the same state
  });
});

describe('registry names near their expiry', () => {
  it('are still served while one read renews them, so concurrent pages do not all read the registry', async () => {
    const caches = reader.services.registryCache;
    await cachedRegistryEntries(reader.services, 'institution', ['polres-madiun-kota']);
    const entry = caches.registry.get('institution:polres-madiun-kota')!;
    entry.atMs = Date.now() - REGISTRY_REFRESH_AHEAD_MS - 1;
    const counter = reader.services.db.requests;
    const before = counter.count;
    const names = await Promise.all(Array.from({ length: 8 }, () => cachedRegistryEntries(reader.services, 'institution', ['polres-madiun-kota'])));
    expect(names.map((m) => m.get('polres-madiun-kota')?.name)).toEqual(Array.from({ length: 8 }, () => 'Polres Madiun Kota'));
    while (caches.registryInflight.size) await new Promise((r) => setImmediate(r));
    expect(counter.count - before).toBe(1);
    const renewed = caches.registry.get('institution:polres-madiun-kota')!;
    expect(Date.now() - renewed.atMs).toBeLessThan(REGISTRY_TTL_MS - REGISTRY_REFRESH_AHEAD_MS);
  });
});
