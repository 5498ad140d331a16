/**
 * The warm path of a feed request, taken before Hono routes it: when the
 * feed's state and the rendered page are both in this process's caches, the
 * answer (200 with cached bytes, or 304) needs no routing, no middleware and
 * no store request. Anything else (HEAD, an unusual URL, a cache miss)
 * returns null and goes through the full app, which validates and fills the
 * caches. Readers poll: most feed requests end here.
 */
import type { Services } from '../app-env.js';
import { visibleFeedState } from '../store/feed-state.js';
import { feedKey, type FeedRef } from '../store/keys.js';
import { installFeedCache } from './feed-cache.js';
import { parseLimit } from './feed-http.js';
import { answerFromDocument, DEFAULT_FEED_LIMIT } from './feed-service.js';
import type { FeedFormat } from './types.js';

const FEED_PATH =
  /^\/(?:(categories|authors|tags)\/([a-z0-9-]{1,64})\/|institutions\/([a-z0-9-]{1,64})\/(?:categories\/([a-z0-9-]{1,64})\/)?)?feed\.(rss|atom|json)$/;
const KINDS = { categories: 'cat', authors: 'author', tags: 'tag' } as const;
const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The feed and format a path names, or null when it is not a plain feed URL. */
export function parseFeedPath(path: string): { ref: FeedRef; format: FeedFormat } | null {
  const m = FEED_PATH.exec(path);
  if (!m) return null;
  const [, kind, slug, inst, cat, format] = m;
  let ref: FeedRef;
  if (kind) ref = { kind: KINDS[kind as keyof typeof KINDS], slug: slug! };
  else if (inst) ref = cat ? { kind: 'instcat', slug: inst, category: cat } : { kind: 'inst', slug: inst };
  else ref = { kind: 'all' };
  return { ref, format: format as FeedFormat };
}

/** Answers a GET of a feed page from the caches alone, or null to let the app handle it. */
export function serveWarmFeed(s: Services, request: Request): Response | null {
  if (request.method !== 'GET' || !s.config.feedCache) return null;
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const q = url.indexOf('?', start);
  const feed = parseFeedPath(q < 0 ? url.slice(start) : url.slice(start, q));
  if (!feed) return null;
  let limit = DEFAULT_FEED_LIMIT;
  let cursor: string | undefined;
  if (q >= 0) {
    const params = new URLSearchParams(url.slice(q + 1));
    for (const name of params.keys()) if (name !== 'limit' && name !== 'cursor') return null;
    const rawLimit = params.getAll('limit');
    const rawCursor = params.getAll('cursor');
    if (rawLimit.length > 1 || rawCursor.length > 1) return null;
    limit = parseLimit(rawLimit[0], DEFAULT_FEED_LIMIT);
    if (Number.isNaN(limit)) return null;
    cursor = rawCursor[0];
  }
  const key = feedKey(feed.ref);
  const caches = installFeedCache(s);
  const state = caches.states.get(key);
  if (!state || Date.now() - state.atMs >= s.config.feedStateTtlMs) return null;
  const nowMs = s.clock();
  const vis = visibleFeedState(state.state, nowMs);
  const doc = caches.docs.get(`${key}|${feed.format}|${limit}|${cursor ?? ''}|${vis.tag}`);
  if (!doc) return null;
  const incoming = request.headers.get('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  return answerFromDocument(doc, request, s.config, nowMs, requestId);
}
