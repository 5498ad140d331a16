/**
 * The parts of a feed answer that answer-feed.ts puts together: the document
 * cache key, the headers and body of each answer variant of a rendered page,
 * and the cold render of one page (`listFeedPage`: one Query and one
 * BatchGetItem, then render, encode, gzip once).
 */
import type { Services } from '../../app-env.js';
import type { Config } from '../../config.js';
import { signCursor } from '../../http/cursor.js';
import { ProblemError } from '../../http/problem.js';
import { httpDate } from '../../model/time.js';
import { listFeedPage } from '../../store/articles.js';
import { visibleFeedState, type FeedState } from '../../store/feed-state.js';
import { feedPageQuery, feedPathOf, type FeedFormat, type FeedRef, type FeedRefusal } from '../../model/feed-address.js';
import type { CachedFeedDocument } from './document-cache.js';
import { buildFeedDocument, hubUrls, namesFor, toFeedEntry } from './feed-entries.js';
import { feedIcons } from './feed-icons.js';
import { freshnessHints } from '../render/freshness.js';
import { ARCHIVE_MAX_AGE_SECONDS, CORS_HEADERS, feedCacheControl, feedGzipEtag, feedLinkHeader, type AnswerVariant } from './feed-http.js';
import { describeSlice } from './feed-slices.js';
import { renderFeed } from '../render/render.js';
import { feedDocument } from './feed-document.js';

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

/** The 404 of a path that names no feed (not a feed URL, or a slice that does not exist). */
export const noFeedProblem = (path: string): ProblemError => new ProblemError('not-found', `there is no feed at ${path}`);

/** The problem of a URL that `matchFeedPath` refused: 404 when it names no feed, else 400 naming the parameter. */
export function feedRefusalProblem(refusal: FeedRefusal['refusal'], path: string): ProblemError {
  if (refusal.field === 'path') return noFeedProblem(path);
  return new ProblemError('bad-request', `${refusal.field} ${refusal.reason}`, { errors: [{ field: refusal.field, reason: refusal.reason }] });
}

/** The problem of a cursor this feed did not issue. */
export function cursorProblem(): ProblemError {
  return new ProblemError('bad-request', 'the cursor is not one this feed issued', { errors: [{ field: 'cursor', reason: 'is malformed, forged, or from another feed' }] });
}

/** The headers of a 304 for validators and a Link header, in the identity or gzip coding's ETag. */
export function notModifiedHeaders(doc: Pick<CachedFeedDocument, 'etag' | 'gzipEtag' | 'lastModifiedMs' | 'link'>, gz: boolean, cacheControl: string): Record<string, string> {
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

/** What one cold page is rendered from. */
export interface RenderInput {
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
export async function renderPage(s: Services, input: RenderInput, slice: NonNullable<Awaited<ReturnType<typeof describeSlice>>>, compress: boolean): Promise<CachedFeedDocument> {
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
