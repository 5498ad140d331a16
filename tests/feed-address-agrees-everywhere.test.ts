/**
 * The feed URL grammar exists once (src/model/feed-address.ts), and every
 * reader of feed URLs agrees with it: for every slice kind, format and edge
 * of `?limit=`, the routed app (a real request), the warm path's target
 * parser, WebSub's parseTopic and the link builders give the same feed,
 * format and limit, or the same refusal with the same reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import {
  FEED_FORMATS,
  feedKey,
  feedPageHref,
  feedPathOf,
  matchFeedPath,
  pagePathOf,
  SLICE_KINDS,
  type FeedFormat,
  type FeedRef,
} from '../src/model/feed-address.js';
import { parseWarmTarget } from '../src/feeds/serve/feed-targets.js';
import { documentKey } from '../src/feeds/serve/feed-page.js';
import { parseTopic } from '../src/websub/topics.js';
import { authorSlugOf } from '../src/publishing/article-service.js';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  const res = await w.request('/api/articles/agree-1', { method: 'PUT', token: ADMIN_TOKEN, json: smallArticle(1) });
  expect(res.status).toBe(201);
});
afterAll(() => w.close());

/** One feed of each slice kind, all with the article above. */
const REFS: Record<FeedRef['kind'], FeedRef> = {
  all: { kind: 'all' },
  cat: { kind: 'cat', slug: 'binmas' },
  inst: { kind: 'inst', slug: 'polres-madiun-kota' },
  instcat: { kind: 'instcat', slug: 'polres-madiun-kota', category: 'binmas' },
  author: { kind: 'author', slug: authorSlugOf('Penulis Uji', 'polres-madiun-kota') },
  tag: { kind: 'tag', slug: 'uji' },
};

type Expected = { limit: number } | { field: 'limit'; reason: string };
const OUT_OF_RULE = { field: 'limit', reason: 'must be an integer from 1 to 100' } as const;
/** Each edge of `?limit=`: the query and what every reader must make of it. */
const LIMIT_EDGES: [string, string, Expected][] = [
  ['absent', '', { limit: 20 }],
  ['1', 'limit=1', { limit: 1 }],
  ['100', 'limit=100', { limit: 100 }],
  ['0', 'limit=0', OUT_OF_RULE],
  ['101', 'limit=101', OUT_OF_RULE],
  ['1.5', 'limit=1.5', OUT_OF_RULE],
  ['x', 'limit=x', OUT_OF_RULE],
  ['duplicated', 'limit=1&limit=2', { field: 'limit', reason: 'must be given at most once' }],
];

const CASES = SLICE_KINDS.flatMap(({ kind }) => FEED_FORMATS.flatMap((format) => LIMIT_EDGES.map(([edge, query, expected]) => ({ kind, format, edge, query, expected }))));

const selfLink = (link: string | null) => /<([^>]*)>; rel="self"/.exec(link ?? '')?.[1];

describe('one feed URL grammar', () => {
  it('has a case for every slice kind, format and limit edge', () => {
    expect(SLICE_KINDS.map((s) => s.kind)).toEqual(['all', 'cat', 'inst', 'instcat', 'author', 'tag']);
    expect(CASES).toHaveLength(6 * 3 * 8);
  });

  it.each(CASES)('$kind in $format with limit $edge: router, warm path, topics and links agree', async ({ kind, format, query, expected }) => {
    const ref = REFS[kind];
    const path = feedPathOf(ref, format as FeedFormat);
    const target = query ? `${path}?${query}` : path;
    const topic = parseTopic(`${w.url}${target}`, w.url);
    const warm = parseWarmTarget(target);
    const res = await w.request(target);
    if ('limit' in expected) {
      expect(matchFeedPath(path, query)).toEqual({ ref, format, limit: expected.limit, cursor: undefined });
      // The router served this feed at this limit: its self link is the link builder's URL of it.
      expect(res.status).toBe(200);
      expect(selfLink(res.headers.get('link'))).toBe(`${w.url}${feedPageHref(ref, format as FeedFormat, expected.limit)}`);
      expect(matchFeedPath(...splitTarget(feedPageHref(ref, format as FeedFormat, expected.limit)))).toEqual({ ref, format, limit: expected.limit, cursor: undefined });
      expect(warm).toEqual({ key: feedKey(ref), match: { ref, format, limit: expected.limit, cursor: undefined }, docKeyPrefix: documentKey(feedKey(ref), format as FeedFormat, expected.limit, undefined, '') });
      expect(topic).toEqual({ feed: feedKey(ref), format, path: target, url: `${w.url}${target}` });
    } else {
      expect(matchFeedPath(path, query)).toEqual({ refusal: expected });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: unknown }).errors).toEqual([expected]);
      expect(warm).toBeNull();
      expect(topic).toEqual({ reason: `limit ${expected.reason}` });
    }
  });

  it.each(SLICE_KINDS.filter((s) => s.kind !== 'all'))('serves the HTML page of $kind where pagePathOf says', async ({ kind }) => {
    const ref = REFS[kind];
    const res = await w.request(pagePathOf(ref));
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const format of FEED_FORMATS) expect(html).toContain(`href="${w.url}${feedPathOf(ref, format)}"`);
  });

  it.each([
    '/categories/BINMAS/feed.rss',
    '/categories/a--b/feed.rss',
    `/categories/${'a'.repeat(65)}/feed.rss`,
    '/feed.xml',
    '/authors/x/categories/y/feed.rss',
    '/institutions/polres-madiun-kota/categories/feed.rss',
  ])('refuses %s alike: 404 from the router, no warm target, no topic', async (path) => {
    const reason = 'is not a Warta feed URL (e.g. /institutions/<slug>/feed.rss)';
    expect(matchFeedPath(path, '')).toEqual({ refusal: { field: 'path', reason } });
    expect(parseWarmTarget(path)).toBeNull();
    expect(parseTopic(`${w.url}${path}`, w.url)).toEqual({ reason });
    expect((await w.request(path)).status).toBe(404);
  });
});

function splitTarget(target: string): [string, string] {
  const q = target.indexOf('?');
  return q < 0 ? [target, ''] : [target.slice(0, q), target.slice(q + 1)];
}
