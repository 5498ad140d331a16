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
import type { Services } from '../../app-env.js';
import { feedKey, isFeedRefusal, matchFeedPath, type FeedFormat } from '../../model/feed-address.js';
import type { CachedFeedDocument } from './document-cache.js';
import { entryVisibleState, usableStateEntry } from './state-cache.js';
import { requestHeader } from '../../http/encoded-response.js';
import { nextRequestId } from '../../http/request-id.js';
import { conditionalVariant } from './feed-http.js';
import { answerParts, documentKey, feedResponse, variantBody, variantHeaders, type FeedAnswer } from './feed-service.js';

const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** What the warm path needs of a request. */
export interface WarmRequest {
  method: string;
  /** Path and query, e.g. `/feed.rss?limit=5`. */
  target: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
}

/** A request target the warm path can serve, parsed once and remembered per target string. */
export interface WarmTarget {
  key: string;
  format: FeedFormat;
  /** `documentKey` without the state tag. */
  docKeyPrefix: string;
  /** The last tag seen and its document key (one string built per state change, not per request). */
  tag?: string;
  docKey?: string;
}

/** Targets remembered per process (parsed or refused); cleared when full, so hostile URLs cannot grow it. */
const MAX_TARGETS = 4_096;

/** The warm path's parsed targets of one Services (`services.warmTargets`, built by buildServices). */
export type WarmTargets = Map<string, WarmTarget | null>;

/** The warm target of a request target (path and query), parsed by the one feed URL grammar; null when it names no feed page. */
export function parseWarmTarget(target: string): WarmTarget | null {
  const q = target.indexOf('?');
  const match = q < 0 ? matchFeedPath(target, '') : matchFeedPath(target.slice(0, q), target.slice(q + 1));
  if (isFeedRefusal(match)) return null;
  const key = feedKey(match.ref);
  return { key, format: match.format, docKeyPrefix: documentKey(key, match.format, match.limit, match.cursor, '') };
}

function warmTarget(s: Services, target: string): WarmTarget | null {
  const targets = s.warmTargets;
  let parsed = targets.get(target);
  if (parsed === undefined) {
    parsed = parseWarmTarget(target);
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(target, parsed);
  }
  return parsed;
}

/**
 * The cached document a GET of `target` is answered from, with the business time it is answered
 * at; null when the caches cannot answer it (the app then handles it). Past the state's TTL the
 * single refresh is started and the cached state still answers, up to the bound of
 * `usableStateEntry`.
 */
export function warmDocument(s: Services, target: string): { doc: CachedFeedDocument; nowMs: number } | null {
  if (!s.config.feedCache) return null;
  const t = warmTarget(s, target);
  if (t === null) return null;
  const entry = usableStateEntry(s, s.feedStates, t.key, Date.now());
  if (entry === undefined) return null;
  const nowMs = s.clock();
  const tag = entryVisibleState(entry, nowMs).tag;
  if (t.tag !== tag) {
    t.tag = tag;
    t.docKey = t.docKeyPrefix + tag;
  }
  const doc = s.feedDocuments.docs.get(t.docKey!);
  return doc === undefined ? null : { doc, nowMs };
}

/** The X-Request-Id of a warm answer: the client's when it is well-formed, else a new one. */
const requestIdOf = (incoming: string | undefined) => (incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : nextRequestId());

/** Answers a GET of a feed page from the caches alone, or null to let the app handle it. */
export function warmFeedAnswer(s: Services, req: WarmRequest): FeedAnswer | null {
  if (req.method !== 'GET') return null;
  const hit = warmDocument(s, req.target);
  if (!hit) return null;
  return answerParts(hit.doc, req.header, s.config, hit.nowMs, requestIdOf(req.header('x-request-id')));
}

/** Request headers as Node gives them (lower-case names). */
export type RawRequestHeaders = Record<string, string | string[] | undefined>;

/** A warm answer with its headers as a flat `[name, value, …]` list, the form Node's writeHead takes without conversion. */
export interface FlatFeedAnswer {
  status: 200 | 304;
  headers: string[];
  body: Uint8Array<ArrayBuffer> | null;
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' || v === undefined ? v : v.join(', '));

/**
 * The warm path for a server that takes headers as a flat list (Node): the list of each answer
 * variant is built once per cached document (ending in an X-Request-Id slot), and a request
 * only copies it and fills in its id.
 */
export function warmFeedAnswerFlat(s: Services, target: string, headers: RawRequestHeaders): FlatFeedAnswer | null {
  const hit = warmDocument(s, target);
  if (!hit) return null;
  const { doc } = hit;
  const variant = conditionalVariant(doc, one(headers['accept-encoding']), one(headers['if-none-match']), one(headers['if-modified-since']));
  let flat: string[];
  if (doc.nextEmbargoMs !== undefined) flat = flatten(variantHeaders(doc, variant, s.config, hit.nowMs));
  else {
    const lists = (doc.flat ??= {});
    flat = (lists[variant] ??= flatten(variantHeaders(doc, variant, s.config, hit.nowMs))).slice();
  }
  flat[flat.length - 1] = requestIdOf(one(headers['x-request-id']));
  return { status: variant === 'ok' || variant === 'okGzip' ? 200 : 304, headers: flat, body: variantBody(doc, variant) };
}

function flatten(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const k in headers) out.push(k, headers[k]!);
  out.push('X-Request-Id', '');
  return out;
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
