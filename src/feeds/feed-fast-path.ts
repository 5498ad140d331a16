/**
 * The warm path of a feed request, taken before Hono routes it: when the
 * feed's state and the rendered page are both in this process's caches, the
 * answer (200 with cached bytes, or 304) needs no routing, no middleware and
 * no store request. Anything else (HEAD, an unusual URL, a cache miss)
 * returns null and goes through the full app, which validates and fills the
 * caches. Readers poll: most feed requests end here.
 *
 * The core works on a minimal request view and returns plain parts, so each
 * runtime sends them its fastest way: a Response from `app.fetch` (Workers),
 * or straight onto Node's socket (src/server/node-server.ts).
 */
import type { Services } from '../app-env.js';
import { visibleFeedState } from '../store/feed-state.js';
import { feedKey, type FeedRef } from '../store/keys.js';
import { installFeedCache } from './feed-cache.js';
import { parseLimit } from './feed-http.js';
import { requestHeader } from '../http/encoded-response.js';
import { answerParts, DEFAULT_FEED_LIMIT, documentKey, feedResponse, type FeedAnswer } from './feed-service.js';
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

/** What the warm path needs of a request. */
export interface WarmRequest {
  method: string;
  /** Path and query, e.g. `/feed.rss?limit=5`. */
  target: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
}

/** Answers a GET of a feed page from the caches alone, or null to let the app handle it. */
export function warmFeedAnswer(s: Services, req: WarmRequest): FeedAnswer | null {
  if (req.method !== 'GET' || !s.config.feedCache) return null;
  const target = req.target;
  const q = target.indexOf('?');
  const feed = parseFeedPath(q < 0 ? target : target.slice(0, q));
  if (!feed) return null;
  let limit = DEFAULT_FEED_LIMIT;
  let cursor: string | undefined;
  if (q >= 0) {
    const params = new URLSearchParams(target.slice(q + 1));
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
  const doc = caches.docs.get(documentKey(key, feed.format, limit, cursor, vis.tag));
  if (!doc) return null;
  const incoming = req.header('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  return answerParts(doc, req.header, s.config, nowMs, requestId);
}

/** The warm path for a Fetch API Request (app.fetch on every runtime). */
export function serveWarmFeed(s: Services, request: Request): Response | null {
  if (request.method !== 'GET') return null;
  const url = request.url;
  const answer = warmFeedAnswer(s, {
    method: request.method,
    target: url.slice(url.indexOf('/', url.indexOf('//') + 2)),
    header: requestHeader(request),
  });
  return answer && feedResponse(answer);
}
