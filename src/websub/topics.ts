/**
 * WebSub topics are Warta's own feed URLs: `<baseUrl>/feed.rss`,
 * `/categories/<slug>/feed.atom`, `/institutions/<slug>/feed.json`,
 * `/institutions/<slug>/categories/<cat>/feed.*`, `/authors/<slug>/feed.*`,
 * `/tags/<slug>/feed.*`, optionally with `?limit=<n>` (1 to 100, as the feeds
 * accept): the grammar of src/model/feed-address.ts. Anything else is not a
 * topic of this hub.
 */
import { feedKey, isFeedRefusal, matchFeedPath, type FeedFormat } from '../model/feed-address.js';

/** A topic understood: the feed it shows, its path (with the query) and its absolute URL. */
export interface Topic {
  /** Feed key (`inst:lapas-kelas-i-madiun`). */
  feed: string;
  format: FeedFormat;
  /** Path and query relative to the base URL: `/institutions/x/feed.rss?limit=5`; the store keys use it. */
  path: string;
  /** Absolute URL: `config.baseUrl + path`. */
  url: string;
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
  // The feed grammar decides the path and `?limit=` (the same rule as the feed: 1 to 100);
  // a topic is the first page only, so it carries no cursor and no other parameter.
  const match = matchFeedPath(path, url.search.slice(1));
  if (isFeedRefusal(match)) return { reason: match.refusal.field === 'path' ? match.refusal.reason : `${match.refusal.field} ${match.refusal.reason}` };
  const keys = [...url.searchParams.keys()];
  if (keys.some((k) => k !== 'limit')) return { reason: 'may only carry the query parameter limit' };
  const limit = url.searchParams.get('limit');
  const relative = limit === null ? path : `${path}?limit=${limit}`;
  return { feed: feedKey(match.ref), format: match.format, path: relative, url: `${baseUrl}${relative}` };
}

/** Is this value a topic (not a refusal)? */
export const isTopic = (t: Topic | { reason: string }): t is Topic => 'feed' in t;

/** The topic stored under `path` (as parseTopic returns it), given the base URL. */
export function topicFromPath(path: string, baseUrl: string): Topic | null {
  const t = parseTopic(`${baseUrl}${path}`, baseUrl);
  return isTopic(t) ? t : null;
}
