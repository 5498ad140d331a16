/**
 * Serving one feed page. The order of work is the performance design:
 *
 * 1. warm path: the feed's state from the process cache (no store request),
 *    the rendered document from the LRU keyed by the state tag; compare the
 *    validators and answer 304 or the cached bytes. No rendering, no parsing.
 * 2. cold path: resolve the slice (registry, cached), verify the cursor,
 *    answer 304 from the state alone when the validators match; otherwise
 *    read the page (`listFeedPage`: one Query and one BatchGetItem), render,
 *    encode, gzip once, cache, answer.
 *
 * A cold page costs one state read plus the page read plus (cached) registry
 * lookups, whatever the number of articles in the table.
 */
import type { Context } from 'hono';
import type { AppEnv, Services } from '../../app-env.js';
import type { Config } from '../../config.js';
import { backgroundOf } from '../../http/router.js';
import { signCursor, verifyCursor } from '../../http/cursor.js';
import { ProblemError } from '../../http/problem.js';
import { httpDate } from '../../model/time.js';
import { listFeedPage } from '../../store/articles.js';
import { visibleFeedState, type FeedState } from '../../store/feed-state.js';
import { feedKey, feedPageQuery, feedPathOf, type FeedFormat, type FeedMatch, type FeedRef, type FeedRefusal } from '../../model/feed-address.js';
import { renderOnce, type CachedFeedDocument } from './document-cache.js';
import { cachedFeedState } from './state-cache.js';
import { edgeCache, edgeGet, edgeKey, edgePut } from './feed-edge-cache.js';
import { buildFeedDocument, hubUrls, namesFor, toFeedEntry } from './feed-entries.js';
import { feedIcons } from './feed-icons.js';
import { freshnessHints } from '../render/freshness.js';
import {
  acceptsGzip,
  ARCHIVE_MAX_AGE_SECONDS,
  CORS_HEADERS,
  feedCacheControl,
  feedEtag,
  feedGzipEtag,
  feedLinkHeader,
  conditionalVariant,
  isNotModifiedVariant,
  type AnswerVariant,
} from './feed-http.js';
import { describeSlice } from './feed-slices.js';
import { renderFeed } from '../render/render.js';
import { feedDocument } from './feed-document.js';
import { clientAcceptEncoding, encodedResponse, requestHeader } from '../../http/encoded-response.js';

/**
 * The cache key of a rendered page. An absent cursor and an empty one differ: only
 * verified cursors are ever cached, so `?cursor=` must miss and be refused, not hit page one.
 */
export function documentKey(feed: string, format: FeedFormat, limit: number, cursor: string | undefined, tag: string): string {
  return `${feed}|${format}|${limit}|${cursor === undefined ? '-' : `c${cursor}`}|${tag}`;
}

/** Bodies smaller than this are not worth a gzip copy. */
export const GZIP_MIN_BYTES = 512;

const encoder = new TextEncoder();

/** gzip with the standard CompressionStream (Node 18+, workerd, browsers). */
export async function gzipBytes(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The cursor purpose of a feed: a cursor of one feed is refused by every other. */
export const feedCursorPurpose = (feed: string) => `feed:${feed}`;

/** The problem of a URL that `matchFeedPath` refused: 404 when it names no feed, else 400 naming the parameter. */
export function feedRefusalProblem(refusal: FeedRefusal['refusal'], path: string): ProblemError {
  if (refusal.field === 'path') return new ProblemError('not-found', `there is no feed at ${path}`);
  return new ProblemError('bad-request', `${refusal.field} ${refusal.reason}`, { errors: [{ field: refusal.field, reason: refusal.reason }] });
}

function cursorProblem(): ProblemError {
  return new ProblemError('bad-request', 'the cursor is not one this feed issued', { errors: [{ field: 'cursor', reason: 'is malformed, forged, or from another feed' }] });
}

function notModifiedHeaders(doc: Pick<CachedFeedDocument, 'etag' | 'gzipEtag' | 'lastModifiedMs' | 'link'>, gz: boolean, cacheControl: string): Record<string, string> {
  return {
    ETag: gz ? doc.gzipEtag : doc.etag,
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
    ...(doc.lastModifiedMs > 0 ? { 'Last-Modified': httpDate(doc.lastModifiedMs) } : {}),
    Link: doc.link,
    ...CORS_HEADERS,
  };
}

function withCacheControl(headers: Record<string, string>, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) if (k.toLowerCase() !== 'cache-control') out[k] = headers[k]!;
  out['Cache-Control'] = value;
  return out;
}

/** A response as plain parts, so that each runtime can send it its own fastest way. */
export interface FeedAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | null;
}

/**
 * The headers of a variant: made once per document and kept on it, except while an embargo is
 * pending (Cache-Control then depends on the clock and is computed per request).
 */
export function variantHeaders(doc: CachedFeedDocument, variant: AnswerVariant, config: Config, nowMs: number): Record<string, string> {
  if (doc.nextEmbargoMs !== undefined) {
    const cacheControl = feedCacheControl(config, doc.nextEmbargoMs, nowMs, doc.archived);
    if (variant === 'ok') return withCacheControl(doc.headers, cacheControl);
    if (variant === 'okGzip') return withCacheControl(doc.gzipHeaders!, cacheControl);
    return notModifiedHeaders(doc, variant === 'notModifiedGzip', cacheControl);
  }
  if (variant === 'ok') return doc.headers;
  if (variant === 'okGzip') return doc.gzipHeaders!;
  if (variant === 'notModified') return (doc.notModified ??= notModifiedHeaders(doc, false, doc.cacheControl));
  return (doc.notModifiedGzip ??= notModifiedHeaders(doc, true, doc.cacheControl));
}

/** The body of a variant (none for a 304). */
export const variantBody = (doc: CachedFeedDocument, variant: AnswerVariant): Uint8Array<ArrayBuffer> | null =>
  variant === 'ok' ? doc.body : variant === 'okGzip' ? doc.gzip! : null;

/**
 * Answers from a rendered document: 304 when the validators match, else its bytes in the
 * accepted coding. `header` reads a request header (lower-case name); `requestId`, when given,
 * is added as X-Request-Id (the warm path skips the request-id middleware).
 */
export function answerParts(doc: CachedFeedDocument, header: (name: string) => string | undefined, config: Config, nowMs: number, requestId?: string): FeedAnswer {
  const variant = conditionalVariant(doc, header('accept-encoding'), header('if-none-match'), header('if-modified-since'));
  const headers = variantHeaders(doc, variant, config, nowMs);
  return {
    status: variant === 'ok' || variant === 'okGzip' ? 200 : 304,
    body: variantBody(doc, variant),
    headers: requestId === undefined ? headers : { ...headers, 'X-Request-Id': requestId },
  };
}

/** The Response of a feed answer: a gzip body is sent as is (Workers must not compress it again). */
export const feedResponse = (parts: FeedAnswer): Response => encodedResponse(parts.body, parts.status, parts.headers);

function answer(doc: CachedFeedDocument, req: Request, config: Config, nowMs: number, requestId: string): Response {
  // X-Request-Id is set here: adding it later would make Hono copy the Response, and a copy need not keep `encodeBody`.
  return feedResponse(answerParts(doc, requestHeader(req), config, nowMs, requestId));
}

interface RenderInput {
  ref: FeedRef;
  key: string;
  format: FeedFormat;
  limit: number;
  cursor: string | undefined;
  beforeSk: string | undefined;
  state: FeedState | null;
  nowMs: number;
  etag: string;
}

/** Reads, renders and encodes one page (the cold path). */
async function renderPage(s: Services, input: RenderInput, slice: NonNullable<Awaited<ReturnType<typeof describeSlice>>>, compress: boolean): Promise<CachedFeedDocument> {
  const { config } = s;
  const vis = visibleFeedState(input.state, input.nowMs);
  const items = s.itemCache;
  const page = await listFeedPage(s.db, input.key, { limit: input.limit, nowMs: input.nowMs, ...(input.beforeSk ? { beforeSk: input.beforeSk } : {}), ...(items ? { records: items } : {}) });
  const names = await namesFor(s, page.articles);
  const path = `${config.baseUrl}${feedPathOf(input.ref, input.format)}`;
  const nextCursor = page.hasMore && page.lastSk ? await signCursor(config.cursorSecret, feedCursorPurpose(input.key), { s: page.lastSk }) : undefined;
  const urls = {
    selfUrl: path + feedPageQuery(input.limit, input.cursor),
    firstUrl: path + feedPageQuery(input.limit),
    ...(nextCursor ? { nextUrl: path + feedPageQuery(input.limit, nextCursor) } : {}),
  };
  const archived = input.cursor !== undefined && page.articles.length === input.limit;
  const doc = {
    ...buildFeedDocument(config, slice, urls, vis.lastModifiedMs, page.articles[0]),
    ...feedIcons(config.baseUrl, slice),
    // Never a ttl below the max-age the page is served with.
    freshness: freshnessHints(page.articles.map((r) => r.publishedMs), archived ? ARCHIVE_MAX_AGE_SECONDS : config.feedMaxAgeSeconds),
  };
  const entries = page.articles.map((r) => toFeedEntry(config, r, names));
  // An item's text depends on its version, the format, the feed's language and the registry names it shows.
  const itemText = items
    ? (i: number, make: () => string) => {
        const e = entries[i]!;
        return items.item(page.articles[i]!, `${input.format}|${doc.language}|${e.category.name}|${e.institutions.map((t) => t.name).join('|')}`, make);
      }
    : undefined;
  const text = renderFeed(doc, entries, input.format, itemText);
  const body = encoder.encode(text);
  const gzip = compress && body.byteLength >= GZIP_MIN_BYTES ? await gzipBytes(body) : undefined;
  const cacheControl = feedCacheControl(config, vis.nextEmbargoMs, input.nowMs, archived);
  const link = feedLinkHeader(hubUrls(config), urls.selfUrl, urls.firstUrl, urls.nextUrl);
  return feedDocument({
    format: input.format,
    body,
    ...(gzip ? { gzip } : {}),
    etag: input.etag,
    gzipEtag: feedGzipEtag(input.etag),
    link,
    cacheControl,
    ...(vis.nextEmbargoMs !== undefined ? { nextEmbargoMs: vis.nextEmbargoMs } : {}),
    lastModifiedMs: vis.lastModifiedMs,
    archived,
  });
}

/** Serves the feed page `match` names (GET and HEAD), honouring conditional requests. */
export async function serveFeed(c: Context<AppEnv>, match: FeedMatch): Promise<Response> {
  const s = c.get('services');
  const req = c.req.raw;
  const { ref, format, limit, cursor } = match;
  const key = feedKey(ref);
  const cached = cachedFeedState(s, key);
  const state = cached instanceof Promise ? await cached : cached;
  const nowMs = s.clock();
  const vis = visibleFeedState(state, nowMs);
  const docKey = documentKey(key, format, limit, cursor, vis.tag);
  const caches = s.feedDocuments;
  if (s.config.feedCache) {
    const hit = caches.docs.get(docKey);
    if (hit) return answer(hit, req, s.config, nowMs, c.get('requestId'));
  }

  const slice = await describeSlice(s, ref, state);
  if (!slice) throw new ProblemError('not-found', `there is no feed at ${c.req.path}`);
  let beforeSk: string | undefined;
  if (cursor !== undefined) {
    const payload = await verifyCursor(s.config.cursorSecret, feedCursorPurpose(key), cursor);
    if (!payload || typeof payload.s !== 'string' || !payload.s) throw cursorProblem();
    beforeSk = payload.s;
  }
  const etag = feedEtag(key, format, limit, cursor, vis.tag);
  const gzipEtag = feedGzipEtag(etag);
  // The same decision as a cached document's, before the page exists: a gzip coding is assumed (the client's Accept-Encoding decides).
  const variant = conditionalVariant({ etag, gzipEtag, lastModifiedMs: vis.lastModifiedMs, gzip: true }, clientAcceptEncoding(req), req.headers.get('if-none-match') ?? undefined, req.headers.get('if-modified-since') ?? undefined);
  if (isNotModifiedVariant(variant)) {
    // Answered from the state alone: no entries read, nothing rendered.
    const path = `${s.config.baseUrl}${feedPathOf(ref, format)}`;
    const link = feedLinkHeader(hubUrls(s.config), path + feedPageQuery(limit, cursor), path + feedPageQuery(limit), undefined);
    const cacheControl = feedCacheControl(s.config, vis.nextEmbargoMs, nowMs, false);
    return new Response(null, { status: 304, headers: notModifiedHeaders({ etag, gzipEtag, lastModifiedMs: vis.lastModifiedMs, link }, variant === 'notModifiedGzip', cacheControl) });
  }

  // The state was read before the page, and the page is read with strong consistency
  // (src/store/articles.ts): a page is never older than the tag it is cached under.
  const cacheable = s.config.feedCache;
  const edge = s.config.feedCache ? edgeCache() : undefined;
  const edgeUrl = edge ? edgeKey(s.config.baseUrl, docKey) : '';
  if (edge) {
    const stored = await edgeGet(edge, edgeUrl, format);
    if (stored) {
      caches.docs.set(docKey, stored);
      return answer(stored, req, s.config, nowMs, c.get('requestId'));
    }
  }
  // gzip once per cached document (on every runtime: the app, not the platform, compresses feeds), or per request when not caching.
  const compress = cacheable || acceptsGzip(clientAcceptEncoding(req));
  // One render per document for concurrent requests, a bounded number at a time (document-cache.ts).
  const doc = await renderOnce(caches, `${docKey}|${compress ? 'gz' : 'id'}`, () => renderPage(s, { ref, key, format, limit, cursor, beforeSk, state, nowMs, etag }, slice, compress));
  if (cacheable) {
    caches.docs.set(docKey, doc);
    if (edge) edgePut(edge, edgeUrl, doc, doc.archived ? ARCHIVE_MAX_AGE_SECONDS : 3_600, backgroundOf(c));
  }
  return answer(doc, req, s.config, nowMs, c.get('requestId'));
}
