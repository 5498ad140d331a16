/**
 * Answering one feed request: `answerFeed(services, target, headers)`. The
 * order of work is the performance design:
 *
 * 1. the target (path and query) is parsed once per target string
 *    (feed-targets.ts); the feed's state comes from the process cache, and the
 *    single lookup of the rendered document is keyed by its tag. A hit is
 *    answered at once (synchronously): the conditional-GET decision
 *    (`conditionalVariant`) picks 200 or 304 and the coding, the headers were
 *    prepared with the document. No rendering, no store request.
 * 2. otherwise (cold): the state is read if it was not cached, then the slice is
 *    resolved (registry, cached), the cursor verified, a 304 answered from the
 *    state alone when the validators match (the same decision); else the edge
 *    cache (Workers) or a render (`renderPage`) makes the document, cached.
 *
 * The runtimes differ only in how they send the answer: `feedAnswerResponse`
 * (a Fetch Response: Workers' app.fetch, the Hono route) or `flatFeedAnswer`
 * (Node's socket, headers as a flat list prepared once per document). Node and
 * app.fetch ask for CACHED_ONLY answers and leave the rest to the Hono route, so
 * refusals and cold pages go through the app's middleware and error handling.
 */
import type { Background, Services } from '../../app-env.js';
import type { Config } from '../../config.js';
import { verifyCursor } from '../../http/cursor.js';
import { clientAcceptEncoding, encodedResponse } from '../../http/encoded-response.js';
import { nextRequestId } from '../../http/request-id.js';
import { feedPageQuery, feedPathOf, isFeedRefusal, matchFeedPath } from '../../model/feed-address.js';
import { visibleFeedState, type FeedState, type VisibleFeedState } from '../../store/feed-state.js';
import { renderOnce, type CachedFeedDocument } from './document-cache.js';
import { edgeCache, edgeGet, edgeKey, edgePut } from './feed-edge-cache.js';
import { hubUrls } from './feed-entries.js';
import { acceptsGzip, ARCHIVE_MAX_AGE_SECONDS, conditionalVariant, feedCacheControl, feedEtag, feedGzipEtag, feedLinkHeader, isNotModifiedVariant, type AnswerVariant } from './feed-http.js';
import { cursorProblem, feedCursorPurpose, feedRefusalProblem, noFeedProblem, notModifiedHeaders, renderPage, variantBody, variantHeaders } from './feed-page.js';
import { describeSlice } from './feed-slices.js';
import { splitTarget, targetDocKey, warmTarget, type WarmTarget } from './feed-targets.js';
import { entryVisibleState, refreshFeedState, usableStateEntry } from './state-cache.js';

/** Request headers as Node gives them (lower-case names). */
export type RawRequestHeaders = Record<string, string | string[] | undefined>;
/** A request's headers as the runtime holds them: a Fetch Request (Workers, Hono) or Node's header object. */
export type FeedRequestHeaders = Request | RawRequestHeaders;

const one = (v: string | string[] | undefined) => (typeof v === 'string' || v === undefined ? v : v.join(', '));

/** A request header by lower-case name; Accept-Encoding as the client sent it (Cloudflare keeps it in `cf`). No closure per request. */
function headerOf(headers: FeedRequestHeaders, name: string): string | undefined {
  if (headers instanceof Request || typeof (headers as { headers?: { get?: unknown } }).headers?.get === 'function') {
    const request = headers as Request;
    return name === 'accept-encoding' ? clientAcceptEncoding(request) : (request.headers.get(name) ?? undefined);
  }
  return one((headers as RawRequestHeaders)[name]);
}

/** An answer from a rendered document: the variant the request asks of it, at business time `nowMs`. */
export interface DocumentAnswer {
  doc: CachedFeedDocument;
  variant: AnswerVariant;
  nowMs: number;
}
/** A 304 answered from the feed's state alone (nothing rendered). */
export interface StateAnswer {
  status: 304;
  headers: Record<string, string>;
}
/** What a feed request is answered with, before a runtime sends it. */
export type FeedAnswer = DocumentAnswer | StateAnswer;

/** Options of answerFeed: `cachedOnly` answers only from the caches (null otherwise); `background` takes work after the answer. */
export interface AnswerOptions {
  cachedOnly?: boolean;
  background?: Background;
}
/** The options of the runtimes' fast entries (Node's socket, Workers' app.fetch): one object, no allocation per request. */
export const CACHED_ONLY: AnswerOptions & { cachedOnly: true } = Object.freeze({ cachedOnly: true as const });

const documentAnswer = (doc: CachedFeedDocument, headers: FeedRequestHeaders, nowMs: number): DocumentAnswer => ({
  doc,
  variant: conditionalVariant(doc, headerOf(headers, 'accept-encoding'), headerOf(headers, 'if-none-match'), headerOf(headers, 'if-modified-since')),
  nowMs,
});

/**
 * Answers a GET (or HEAD) of the feed page `target` (path and query) names. Its first step is
 * the single cache lookup; a hit is returned synchronously. With `cachedOnly`, null on a miss or
 * a target that is not a feed page; otherwise a refusal throws its ProblemError (404, 400).
 */
export function answerFeed(s: Services, target: string, headers: FeedRequestHeaders, options: AnswerOptions & { cachedOnly: true }): DocumentAnswer | null;
export function answerFeed(s: Services, target: string, headers: FeedRequestHeaders, options?: AnswerOptions): FeedAnswer | Promise<FeedAnswer>;
export function answerFeed(s: Services, target: string, headers: FeedRequestHeaders, options: AnswerOptions = {}): FeedAnswer | Promise<FeedAnswer> | null {
  if (options.cachedOnly && !s.config.feedCache) return null;
  const t = warmTarget(s, target);
  if (t === null) {
    if (options.cachedOnly) return null;
    const [path, query] = splitTarget(target);
    const refusal = matchFeedPath(path, query);
    throw isFeedRefusal(refusal) ? feedRefusalProblem(refusal.refusal, path) : noFeedProblem(path);
  }
  const entry = usableStateEntry(s, s.feedStates, t.key, Date.now());
  if (entry !== undefined) {
    const nowMs = s.clock();
    return answerWithState(s, t, headers, options, entry.state, entryVisibleState(entry, nowMs), nowMs);
  }
  if (options.cachedOnly) return null;
  return refreshFeedState(s, t.key).then((state) => {
    const nowMs = s.clock();
    return answerWithState(s, t, headers, options, state, visibleFeedState(state, nowMs), nowMs) as FeedAnswer | Promise<FeedAnswer>;
  });
}

/** The single document lookup under the state's tag: the cached document, else (unless cachedOnly) the cold path. */
function answerWithState(
  s: Services,
  t: WarmTarget,
  headers: FeedRequestHeaders,
  options: AnswerOptions,
  state: FeedState | null,
  vis: VisibleFeedState,
  nowMs: number,
): DocumentAnswer | Promise<FeedAnswer> | null {
  const docKey = targetDocKey(t, vis.tag);
  const doc = s.config.feedCache ? s.feedDocuments.docs.get(docKey) : undefined;
  if (doc !== undefined) return documentAnswer(doc, headers, nowMs);
  return options.cachedOnly ? null : answerMiss(s, t, headers, options, state, vis, nowMs, docKey);
}

const dropped: Background = (task) => void task.catch(() => undefined);

/** The cold path: the document is not cached under the state's tag. */
async function answerMiss(
  s: Services,
  t: WarmTarget,
  headers: FeedRequestHeaders,
  options: AnswerOptions,
  state: FeedState | null,
  vis: VisibleFeedState,
  nowMs: number,
  docKey: string,
): Promise<FeedAnswer> {
  const { ref, format, limit, cursor } = t.match;
  const key = t.key;
  const slice = await describeSlice(s, ref, state);
  if (!slice) throw noFeedProblem(feedPathOf(ref, format));
  let beforeSk: string | undefined;
  if (cursor !== undefined) {
    const payload = await verifyCursor(s.config.cursorSecret, feedCursorPurpose(key), cursor);
    if (!payload || typeof payload.s !== 'string' || !payload.s) throw cursorProblem();
    beforeSk = payload.s;
  }
  const etag = feedEtag(key, format, limit, cursor, vis.tag);
  const gzipEtag = feedGzipEtag(etag);
  const acceptEncoding = headerOf(headers, 'accept-encoding');
  // The same decision as a cached document's, before the page exists: a gzip coding is assumed (the client's Accept-Encoding decides).
  const variant = conditionalVariant({ etag, gzipEtag, lastModifiedMs: vis.lastModifiedMs, gzip: true }, acceptEncoding, headerOf(headers, 'if-none-match'), headerOf(headers, 'if-modified-since'));
  if (isNotModifiedVariant(variant)) {
    // Answered from the state alone: no entries read, nothing rendered.
    const path = `${s.config.baseUrl}${feedPathOf(ref, format)}`;
    const link = feedLinkHeader(hubUrls(s.config), path + feedPageQuery(limit, cursor), path + feedPageQuery(limit), undefined);
    const cacheControl = feedCacheControl(s.config, vis.nextEmbargoMs, nowMs, false);
    return { status: 304, headers: notModifiedHeaders({ etag, gzipEtag, lastModifiedMs: vis.lastModifiedMs, link }, variant === 'notModifiedGzip', cacheControl) };
  }

  // The state was read before the page, and the page is read with strong consistency
  // (src/store/articles.ts): a page is never older than the tag it is cached under.
  const cacheable = s.config.feedCache;
  const caches = s.feedDocuments;
  const edge = cacheable ? edgeCache() : undefined;
  const edgeUrl = edge ? edgeKey(s.config.baseUrl, docKey) : '';
  if (edge) {
    const stored = await edgeGet(edge, edgeUrl, format);
    if (stored) {
      caches.docs.set(docKey, stored);
      return documentAnswer(stored, headers, nowMs);
    }
  }
  // gzip once per cached document (on every runtime: the app, not the platform, compresses feeds), or per request when not caching.
  const compress = cacheable || acceptsGzip(acceptEncoding);
  // One render per document for concurrent requests, a bounded number at a time (document-cache.ts).
  const doc = await renderOnce(caches, `${docKey}|${compress ? 'gz' : 'id'}`, () => renderPage(s, { ref, key, format, limit, cursor, beforeSk, state, nowMs, etag }, slice, compress));
  if (cacheable) {
    caches.docs.set(docKey, doc);
    if (edge) edgePut(edge, edgeUrl, doc, doc.archived ? ARCHIVE_MAX_AGE_SECONDS : 3_600, options.background ?? dropped);
  }
  return documentAnswer(doc, headers, nowMs);
}

const isDocumentAnswer = (a: FeedAnswer): a is DocumentAnswer => 'doc' in a;
const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The X-Request-Id of an answer sent before the middleware: the client's when it is well-formed, else a new one. */
export const requestIdOf = (incoming: string | undefined) => (incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : nextRequestId());

/**
 * The Fetch Response of an answer, with its X-Request-Id (set here: adding it later would make
 * Hono copy the Response, and a copy need not keep `encodeBody`). A gzip body is sent as is.
 */
export function feedAnswerResponse(config: Config, answer: FeedAnswer, requestId: string): Response {
  if (!isDocumentAnswer(answer)) return new Response(null, { status: 304, headers: { ...answer.headers, 'X-Request-Id': requestId } });
  const { doc, variant } = answer;
  const status = isNotModifiedVariant(variant) ? 304 : 200;
  return encodedResponse(variantBody(doc, variant), status, { ...variantHeaders(doc, variant, config, answer.nowMs), 'X-Request-Id': requestId });
}

/** A document answer with its headers as a flat `[name, value, …]` list, the form Node's writeHead takes without conversion. */
export interface FlatFeedAnswer {
  status: 200 | 304;
  headers: string[];
  body: Uint8Array<ArrayBuffer> | null;
}

/**
 * A document answer for a server that takes headers as a flat list (Node): the list of each
 * variant is built once per cached document (ending in an X-Request-Id slot), and a request
 * only copies it and fills in its id.
 */
export function flatFeedAnswer(config: Config, answer: DocumentAnswer, requestId: string): FlatFeedAnswer {
  const { doc, variant } = answer;
  let flat: string[];
  if (doc.nextEmbargoMs !== undefined) flat = flatten(variantHeaders(doc, variant, config, answer.nowMs));
  else {
    const lists = (doc.flat ??= {});
    flat = (lists[variant] ??= flatten(variantHeaders(doc, variant, config, answer.nowMs))).slice();
  }
  flat[flat.length - 1] = requestId;
  return { status: isNotModifiedVariant(variant) ? 304 : 200, headers: flat, body: variantBody(doc, variant) };
}

function flatten(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const k in headers) out.push(k, headers[k]!);
  out.push('X-Request-Id', '');
  return out;
}
