/**
 * Where a feed lives: the one grammar of Warta's feed URLs. A feed is a
 * slice of the news (`FeedRef`) in one format; its string key names it in the
 * store, its path names it on the web. Every part of Warta that reads or writes
 * a feed URL (the Hono routes, the warm path, WebSub topics, OPML, pages,
 * renderers' links) goes through this module, driven by one table of slice
 * kinds (SLICE_KINDS), so they cannot disagree.
 *
 * | kind      | key                     | page path                           | feed path                 |
 * |-----------|-------------------------|-------------------------------------|---------------------------|
 * | `all`     | `all`                   | `/`                                 | `/feed.<format>`          |
 * | `cat`     | `cat:<slug>`            | `/categories/<slug>`                | `<page path>/feed.<format>` |
 * | `inst`    | `inst:<slug>`           | `/institutions/<slug>`              | ″                         |
 * | `instcat` | `instcat:<inst>:<cat>`  | `/institutions/<inst>/categories/<cat>` | ″                     |
 * | `author`  | `author:<slug>`         | `/authors/<slug>`                   | ″                         |
 * | `tag`     | `tag:<slug>`            | `/tags/<slug>`                      | ″                         |
 *
 * A feed URL may carry `?limit=` (an integer from 1 to 100, at most once;
 * DEFAULT_FEED_LIMIT when absent) and `?cursor=` (at most once; verified by
 * the feed, not here). Other parameters are ignored.
 */
import { SLUG_PATTERN } from './schemas.js';

/** The kinds of feed Warta serves. */
export type FeedKind = 'all' | 'cat' | 'inst' | 'instcat' | 'author' | 'tag';

/** A feed (a slice of the news) as a value. */
export type FeedRef =
  | { kind: 'all' }
  | { kind: 'cat' | 'inst' | 'author' | 'tag'; slug: string }
  | { kind: 'instcat'; slug: string; category: string };

/** Every format a feed is served in, in the order pages and OPML list them. */
export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
/** A feed format. */
export type FeedFormat = (typeof FEED_FORMATS)[number];
/** Display label of each format. */
export const FORMAT_LABELS: Readonly<Record<FeedFormat, string>> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** Items per page when `?limit=` is absent. */
export const DEFAULT_FEED_LIMIT = 20;
/** The largest `?limit=` a feed (and a WebSub topic) accepts. */
export const MAX_FEED_LIMIT = 100;
/** Longest slug in a feed URL (the registries' and authors' bound). */
const MAX_SLUG_LENGTH = 64;

/** The parameters a slice kind's URLs carry, in URL order. */
type SliceParam = 'slug' | 'category';

/** A slice kind's URLs: its page path is `prefix` with `:param` segments filled in (`/` for an empty prefix), its feeds are `prefix/feed.<format>`. */
export interface SliceKind {
  kind: FeedKind;
  /** Hono-style path prefix, e.g. `/institutions/:slug/categories/:category`; `''` for everything. */
  prefix: string;
  /** The `:param` names of `prefix`, in order. */
  params: readonly SliceParam[];
}

/** The one table of slice kinds: routes, parsers and link builders are all derived from it. */
export const SLICE_KINDS: readonly SliceKind[] = [
  { kind: 'all', prefix: '', params: [] },
  { kind: 'cat', prefix: '/categories/:slug', params: ['slug'] },
  { kind: 'inst', prefix: '/institutions/:slug', params: ['slug'] },
  { kind: 'instcat', prefix: '/institutions/:slug/categories/:category', params: ['slug', 'category'] },
  { kind: 'author', prefix: '/authors/:slug', params: ['slug'] },
  { kind: 'tag', prefix: '/tags/:slug', params: ['slug'] },
];

const SLICE_OF = new Map(SLICE_KINDS.map((s) => [s.kind, s]));
/** The segments of each prefix (`['institutions', ':slug']`), split once. */
const SEGMENTS = SLICE_KINDS.map((s) => ({ slice: s, segments: s.prefix.split('/').slice(1) }));

/** The string form of a feed, used in keys and in the article record's `feeds`. */
export function feedKey(feed: FeedRef): string {
  switch (feed.kind) {
    case 'all':
      return 'all';
    case 'instcat':
      return `instcat:${feed.slug}:${feed.category}`;
    default:
      return `${feed.kind}:${feed.slug}`;
  }
}

/** Parses a feed key back into a FeedRef; null when it is not one. */
export function parseFeedKey(key: string): FeedRef | null {
  if (key === 'all') return { kind: 'all' };
  const [kind, slug, category, extra] = key.split(':');
  if (!slug || extra !== undefined) return null;
  if (kind === 'instcat') return category ? { kind, slug, category } : null;
  if (category !== undefined) return null;
  if (kind === 'cat' || kind === 'inst' || kind === 'author' || kind === 'tag') return { kind, slug };
  return null;
}

const paramOf = (ref: FeedRef, name: SliceParam): string => (name === 'slug' ? (ref as { slug: string }).slug : (ref as { category: string }).category);

function filledPrefix(ref: FeedRef): string {
  const slice = SLICE_OF.get(ref.kind)!;
  let path = slice.prefix;
  for (const name of slice.params) path = path.replace(`:${name}`, paramOf(ref, name));
  return path;
}

/** Path of a slice's HTML page: `/`, `/categories/binmas`, `/institutions/x/categories/y`, `/authors/x`, `/tags/x`. */
export const pagePathOf = (ref: FeedRef): string => filledPrefix(ref) || '/';

/** Path of a slice's feed in `format`: `/feed.rss`, `/categories/binmas/feed.atom`, … */
export const feedPathOf = (ref: FeedRef, format: FeedFormat): string => `${filledPrefix(ref)}/feed.${format}`;

/** The query of a feed page's link: `?limit=` only when not the default, `?cursor=` when paging; `''` for the first default page. */
export function feedPageQuery(limit: number, cursor?: string): string {
  const parts: string[] = [];
  if (limit !== DEFAULT_FEED_LIMIT) parts.push(`limit=${limit}`);
  if (cursor !== undefined) parts.push(`cursor=${encodeURIComponent(cursor)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Path and query of one page of a feed: what `matchFeedPath` reads back. */
export const feedPageHref = (ref: FeedRef, format: FeedFormat, limit: number, cursor?: string): string => feedPathOf(ref, format) + feedPageQuery(limit, cursor);

/** The Hono route paths of a slice kind's feeds, one per format (`/categories/:slug/feed.rss`, …). */
export const feedRoutePaths = (slice: SliceKind): { format: FeedFormat; path: string }[] =>
  FEED_FORMATS.map((format) => ({ format, path: `${slice.prefix}/feed.${format}` }));

/** A feed URL understood. */
export interface FeedMatch {
  ref: FeedRef;
  format: FeedFormat;
  limit: number;
  /** The raw cursor, unverified; undefined when absent (an empty one is kept, and refused by the feed). */
  cursor: string | undefined;
}

/** Why a URL is not a feed page: `path` when it names no feed, else the query parameter at fault. */
export interface FeedRefusal {
  refusal: { field: 'path' | 'limit' | 'cursor'; reason: string };
}

/** The reason every `?limit=` out of the rule is refused with. */
export const LIMIT_REASON = `must be an integer from 1 to ${MAX_FEED_LIMIT}`;
const NOT_A_FEED: FeedRefusal = { refusal: { field: 'path', reason: 'is not a Warta feed URL (e.g. /institutions/<slug>/feed.rss)' } };

/** Is this value a refusal (not a match)? */
export const isFeedRefusal = (m: FeedMatch | FeedRefusal): m is FeedRefusal => 'refusal' in m;

/** Parses `?limit=`: NaN when not an integer from 1 to MAX_FEED_LIMIT written in digits. No regex: the warm path parses each new target. */
export function parseFeedLimit(raw: string): number {
  if (raw.length === 0 || raw.length > 3) return Number.NaN;
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n >= 1 && n <= MAX_FEED_LIMIT ? n : Number.NaN;
}

const isSlug = (s: string) => s.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(s);

function matchRef(path: string): { ref: FeedRef; format: FeedFormat } | null {
  const slash = path.lastIndexOf('/');
  if (slash < 0 || !path.startsWith('feed.', slash + 1)) return null;
  const format = path.slice(slash + 6) as FeedFormat;
  if (!FEED_FORMATS.includes(format)) return null;
  const segments = slash === 0 ? [] : path.slice(1, slash).split('/');
  if (path[0] !== '/') return null;
  for (const { slice, segments: pattern } of SEGMENTS) {
    if (pattern.length !== segments.length) continue;
    const bound: Partial<Record<SliceParam, string>> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const want = pattern[i]!;
      const got = segments[i]!;
      if (want.startsWith(':')) {
        ok = isSlug(got);
        bound[want.slice(1) as SliceParam] = got;
      } else ok = want === got;
    }
    if (!ok) continue;
    const ref: FeedRef =
      slice.kind === 'all'
        ? { kind: 'all' }
        : slice.kind === 'instcat'
          ? { kind: 'instcat', slug: bound.slug!, category: bound.category! }
          : { kind: slice.kind, slug: bound.slug! };
    return { ref, format };
  }
  return null;
}

/**
 * The feed page a URL names: `path` (no query) and `query` (without `?`, `''` when none).
 * A refusal says which part is wrong and why; existence (registries, public articles) and the
 * cursor's signature are checked by the feed, not here.
 */
export function matchFeedPath(path: string, query: string): FeedMatch | FeedRefusal {
  const feed = matchRef(path);
  if (!feed) return NOT_A_FEED;
  if (query === '') return { ...feed, limit: DEFAULT_FEED_LIMIT, cursor: undefined };
  const params = new URLSearchParams(query);
  const limits = params.getAll('limit');
  const cursors = params.getAll('cursor');
  if (limits.length > 1) return { refusal: { field: 'limit', reason: 'must be given at most once' } };
  if (cursors.length > 1) return { refusal: { field: 'cursor', reason: 'must be given at most once' } };
  const limit = limits.length === 0 ? DEFAULT_FEED_LIMIT : parseFeedLimit(limits[0]!);
  if (Number.isNaN(limit)) return { refusal: { field: 'limit', reason: LIMIT_REASON } };
  return { ...feed, limit, cursor: cursors[0] };
}
