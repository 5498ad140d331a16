/**
 * RFC 5005 paging through opaque cursors, to the end and without gaps or
 * repeats, in every format; and embargoed articles, which appear when the
 * (pinned) clock passes their publication time, with no write in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { feedFacts } from './support/feed-facts.js';
import type { FeedFormatName } from './support/feed-validators.js';
import { getFeedState } from '../src/store/feed-state.js';

const T0 = Date.parse('2024-02-01T03:00:00Z'); // 10:00 WIB
const now = { value: T0 };
let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

const publish = async (n: number, overrides: Record<string, unknown>) => {
  const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n, overrides) });
  expect(res.status).toBe(201);
};

describe('paging', () => {
  const FEED = '/institutions/polres-ponorogo/feed';
  const ids = [1, 2, 3, 4, 5, 6, 7].map((n) => `paged-${n}`);

  beforeAll(async () => {
    for (let n = 1; n <= 7; n++) await publish(n, { id: `paged-${n}`, institutions: ['polres-ponorogo'] });
    now.value += 10_000;
  });

  it.each(['rss', 'atom', 'json'] as FeedFormatName[])('walks %s with limit=2 to the end: every article once, newest first, no next on the last page', async (format) => {
    let url: string | undefined = `${w.url}${FEED}.${format}?limit=2`;
    const seen: string[] = [];
    const pages: { count: number; cacheControl: string | null }[] = [];
    while (url) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const facts = feedFacts(await res.text(), format);
      expect(facts.firstUrl).toBe(`${w.url}${FEED}.${format}?limit=2`);
      expect(facts.selfUrl).toBe(url);
      seen.push(...facts.items.map((i) => i.id.replace('tag:127.0.0.1,2026:article/', '')));
      pages.push({ count: facts.items.length, cacheControl: res.headers.get('cache-control') });
      if (facts.nextUrl) expect(res.headers.get('link')).toContain(`<${facts.nextUrl}>; rel="next"`);
      url = facts.nextUrl;
    }
    expect(seen).toEqual([...ids].reverse());
    expect(pages.map((p) => p.count)).toEqual([2, 2, 2, 1]);
    // Full pages behind a cursor rarely change: 10 minutes, not immutable (a deleted article must leave shared caches soon).
    expect(pages.map((p) => p.cacheControl)).toEqual([
      'public, max-age=60, stale-while-revalidate=60',
      'public, max-age=600',
      'public, max-age=600',
      'public, max-age=60, stale-while-revalidate=60',
    ]);
  });

  it('keeps a cursor valid after newer articles arrive: the next page is still the older items', async () => {
    const first = (await (await w.request(`${FEED}.json?limit=3`)).json()) as { next_url: string };
    await publish(8, { id: 'paged-8', institutions: ['polres-ponorogo'] });
    const second = (await (await fetch(first.next_url)).json()) as { items: { id: string }[] };
    expect(second.items.map((i) => i.id.replace('tag:127.0.0.1,2026:article/', ''))).toEqual(['paged-4', 'paged-3', 'paged-2']);
  });
});

describe('embargo', () => {
  const FEED = '/categories/lalu-lintas/feed.json';
  const EMBARGO = T0 + 3_600_000; // 11:00 WIB

  it('hides an article published for the future, bounds max-age by the embargo, and shows it on time without a write', async () => {
    await publish(100, { id: 'past', category: 'lalu-lintas', institutions: ['polres-madiun-kota'] });
    await publish(101, {
      id: 'embargoed',
      category: 'lalu-lintas',
      institutions: ['polres-madiun-kota'],
      publishedAt: '2024-02-01T11:00:00+07:00',
    });
    const ids = async (res: Response) => ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id.replace('tag:127.0.0.1,2026:article/', ''));

    now.value = EMBARGO - 600_000;
    const before = await w.request(FEED);
    expect(await ids(before)).toEqual(['past']);
    expect(before.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=60');
    expect((await w.request('/articles/embargoed')).status).toBe(404);

    now.value = EMBARGO - 90_000;
    expect((await w.request(FEED)).headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=30');
    now.value = EMBARGO - 30_500;
    const close = await w.request(FEED);
    expect(close.headers.get('cache-control')).toBe('public, max-age=30');
    expect((await w.request(FEED, { headers: { 'if-none-match': close.headers.get('etag')! } })).headers.get('cache-control')).toBe('public, max-age=30');
    const version = (await getFeedState(w.services.db, 'cat:lalu-lintas'))!.version;

    now.value = EMBARGO + 1_000;
    const after = await w.request(FEED, { headers: { 'if-none-match': close.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(close.headers.get('etag'));
    expect(after.headers.get('last-modified')).toBe(new Date(EMBARGO).toUTCString());
    expect(await ids(after)).toEqual(['embargoed', 'past']);
    expect((await getFeedState(w.services.db, 'cat:lalu-lintas'))!.version).toBe(version);
    expect((await w.request('/articles/embargoed')).status).toBe(200);
  });
});
