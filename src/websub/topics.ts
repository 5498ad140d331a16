/**
 * WebSub topics are Warta's own feed URLs: `<baseUrl>/feed.rss`,
 * `/categories/<slug>/feed.atom`, `/institutions/<slug>/feed.json`,
 * `/institutions/<slug>/categories/<cat>/feed.*`, `/authors/<slug>/feed.*`,
 * `/tags/<slug>/feed.*`, optionally with `?limit=<n>`. Anything else is not
 * a topic of this hub.
 */
import { feedKey, parseFeedKey, type FeedRef } from '../store/keys.js';

/** The formats every feed is served in. */
export const TOPIC_FORMATS = ['rss', 'atom', 'json'] as const;
/** A feed format. */
export type TopicFormat = (typeof TOPIC_FORMATS)[number];

/** A topic understood: the feed it shows, its path (with the query) and its absolute URL. */
export interface Topic {
  /** Feed key (`inst:lapas-kelas-i-madiun`). */
  feed: string;
  format: TopicFormat;
  /** Path and query relative to the base URL: `/institutions/x/feed.rss?limit=5`; the store keys use it. */
  path: string;
  /** Absolute URL: `config.baseUrl + path`. */
  url: string;
}

const SLUG = '([a-z0-9]+(?:-[a-z0-9]+)*)';
const FORMAT = '(rss|atom|json)';
const PATTERNS: [RegExp, (m: string[]) => FeedRef][] = [
  [new RegExp(`^/feed\\.${FORMAT}$`), () => ({ kind: 'all' })],
  [new RegExp(`^/categories/${SLUG}/feed\\.${FORMAT}$`), (m) => ({ kind: 'cat', slug: m[1]! })],
  [new RegExp(`^/institutions/${SLUG}/feed\\.${FORMAT}$`), (m) => ({ kind: 'inst', slug: m[1]! })],
  [new RegExp(`^/institutions/${SLUG}/categories/${SLUG}/feed\\.${FORMAT}$`), (m) => ({ kind: 'instcat', slug: m[1]!, category: m[2]! })],
  [new RegExp(`^/authors/${SLUG}/feed\\.${FORMAT}$`), (m) => ({ kind: 'author', slug: m[1]! })],
  [new RegExp(`^/tags/${SLUG}/feed\\.${FORMAT}$`), (m) => ({ kind: 'tag', slug: m[1]! })],
];

/** Path of a feed in `format` (the inverse of the patterns above). */
export function topicPathOf(feed: string, format: TopicFormat): string | null {
  const ref = parseFeedKey(feed);
  if (!ref) return null;
  switch (ref.kind) {
    case 'all':
      return `/feed.${format}`;
    case 'cat':
      return `/categories/${ref.slug}/feed.${format}`;
    case 'inst':
      return `/institutions/${ref.slug}/feed.${format}`;
    case 'instcat':
      return `/institutions/${ref.slug}/categories/${ref.category}/feed.${format}`;
    case 'author':
      return `/authors/${ref.slug}/feed.${format}`;
    case 'tag':
      return `/tags/${ref.slug}/feed.${format}`;
  }
}

/** Why a topic is refused, or the topic. Pure: the feed's existence is checked by fetching it. */
export function parseTopic(raw: string, baseUrl: string): Topic | { reason: string } {
  if (raw.length > 2048) return { reason: 'is longer than 2048 characters' };
  let url: URL;
  let base: URL;
  try {
    url = new URL(raw);
    base = new URL(baseUrl);
  } catch {
    return { reason: 'is not an absolute URL' };
  }
  if (url.origin !== base.origin) return { reason: `must be a feed URL of ${base.origin}` };
  if (raw.includes('#')) return { reason: 'must not have a fragment' };
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix && !url.pathname.startsWith(`${prefix}/`)) return { reason: `must be a feed URL under ${baseUrl}` };
  const path = url.pathname.slice(prefix.length);
  for (const [re, refOf] of PATTERNS) {
    const m = re.exec(path);
    if (!m) continue;
    const format = m[m.length - 1] as TopicFormat;
    const keys = [...url.searchParams.keys()];
    if (keys.some((k) => k !== 'limit') || keys.length > 1) return { reason: 'may only carry the query parameter limit' };
    const limit = url.searchParams.get('limit');
    if (limit !== null && !/^[1-9][0-9]{0,3}$/.test(limit)) return { reason: 'limit must be a positive integer' };
    const relative = limit === null ? path : `${path}?limit=${limit}`;
    return { feed: feedKey(refOf(m)), format, path: relative, url: `${baseUrl}${relative}` };
  }
  return { reason: 'is not a Warta feed URL (e.g. /institutions/<slug>/feed.rss)' };
}

/** Is this value a topic (not a refusal)? */
export const isTopic = (t: Topic | { reason: string }): t is Topic => 'feed' in t;

/** The topic stored under `path` (as parseTopic returns it), given the base URL. */
export function topicFromPath(path: string, baseUrl: string): Topic | null {
  const t = parseTopic(`${baseUrl}${path}`, baseUrl);
  return isTopic(t) ? t : null;
}
