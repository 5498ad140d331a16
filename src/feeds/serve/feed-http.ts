/**
 * HTTP semantics of feed documents: validators, conditional requests,
 * Cache-Control, content coding and the headers every feed response
 * carries. Pure functions of their inputs (the clock is passed in).
 *
 * Validators are derived from stored values only, so every process serving
 * the same table answers the same ETag for the same request:
 * `W/"<hash of VALIDATOR_VERSION|feedKey|format|limit|cursor|state tag>"`,
 * with `-gz` appended for the gzip coding. They are weak because the bytes
 * may differ without the feed changing (a registry name edited, another
 * base URL), while the content, which is what a weak validator promises,
 * does not. Last-Modified is the visible state's lastModifiedMs.
 */
import type { Config } from '../../config.js';
import type { VisibleFeedState } from '../../store/feed-state.js';
import type { FeedFormat } from '../render/types.js';
import { hash64 } from '../../model/hash64.js';

/** Bump when the rendering changes in a way every cached copy must see. */
export const VALIDATOR_VERSION = '3';
/**
 * max-age of an archived page (a full page behind a cursor). Longer than a first page's,
 * but short and not `immutable`: an article deleted from an archive page must leave shared
 * caches within minutes, not a day.
 */
export const ARCHIVE_MAX_AGE_SECONDS = 600;
/** Headers every cross-origin script may read. */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Link',
});

/** The identity ETag of a feed page; the gzip one is `feedGzipEtag(etag)`. */
export function feedEtag(feed: string, format: FeedFormat, limit: number, cursor: string | undefined, tag: string): string {
  return `W/"${hash64(`${VALIDATOR_VERSION}|${feed}|${format}|${limit}|${cursor ?? ''}|${tag}`)}"`;
}

/** The ETag of the gzip coding of the page whose identity ETag is `etag`. */
export const feedGzipEtag = (etag: string) => `${etag.slice(0, -1)}-gz"`;

/** Does `If-None-Match` name one of `etags` (weak comparison, `*` matches anything)? */
export function noneMatchHits(ifNoneMatch: string, etags: readonly string[]): boolean {
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim();
    if (tag === '*') return true;
    const opaque = tag.startsWith('W/') ? tag.slice(2) : tag;
    for (const e of etags) if ((e.startsWith('W/') ? e.slice(2) : e) === opaque) return true;
  }
  return false;
}

/** Is a page last modified at `lastModifiedMs` unchanged since `ifModifiedSince` (an HTTP-date)? */
export function unmodifiedSince(ifModifiedSince: string, lastModifiedMs: number): boolean {
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since) || lastModifiedMs <= 0) return false;
  return Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}

/** Which answer a representation gives: 200 identity, 200 gzip, 304 of the identity ETag, 304 of the gzip one. */
export type AnswerVariant = 'ok' | 'okGzip' | 'notModified' | 'notModifiedGzip';

/** The validators of a representation (a cached document, a feed state, the OPML list); `gzip` defined when a gzip coding exists. */
export interface Validators {
  etag: string;
  gzipEtag: string;
  /** 0 when unknown: If-Modified-Since then never matches. */
  lastModifiedMs: number;
  gzip?: unknown;
}

/** Which coding's validator `If-None-Match` names: the identity one, the gzip one, or neither (null). Exact matches first: no split on the warm path. */
function matchedCoding(ifNoneMatch: string, v: Validators): 'identity' | 'gzip' | null {
  if (ifNoneMatch === v.etag) return 'identity';
  if (ifNoneMatch === v.gzipEtag) return 'gzip';
  if (noneMatchHits(ifNoneMatch, [v.etag])) return 'identity';
  if (noneMatchHits(ifNoneMatch, [v.gzipEtag])) return 'gzip';
  return null;
}

/**
 * The one conditional-GET decision of every feed answer (a cached document, the state-only 304,
 * the OPML list): If-None-Match when present (RFC 9110 §13.2.2; weak comparison, `*`, lists; the
 * 304 carries the ETag of the coding it names), otherwise If-Modified-Since (the 304 then in the
 * coding the client accepts); else 200 in the accepted coding. Pure.
 */
export function conditionalVariant(v: Validators, acceptEncoding: string | undefined, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): AnswerVariant {
  const gz = v.gzip !== undefined && acceptsGzip(acceptEncoding);
  if (ifNoneMatch !== undefined) {
    const coding = matchedCoding(ifNoneMatch, v);
    if (coding === 'gzip') return 'notModifiedGzip';
    if (coding === 'identity') return 'notModified';
  } else if (ifModifiedSince !== undefined && unmodifiedSince(ifModifiedSince, v.lastModifiedMs)) {
    return gz ? 'notModifiedGzip' : 'notModified';
  }
  return gz ? 'okGzip' : 'ok';
}

/** Is a variant a 304? */
export const isNotModifiedVariant = (variant: AnswerVariant): boolean => variant === 'notModified' || variant === 'notModifiedGzip';

/**
 * Cache-Control of a feed page: `feedMaxAgeSeconds` and as much
 * stale-while-revalidate, both cut so that no cache keeps the page past the
 * next embargo lift; an archived page lives ARCHIVE_MAX_AGE_SECONDS.
 */
export function feedCacheControl(config: Pick<Config, 'feedMaxAgeSeconds'>, nextEmbargoMs: number | undefined, nowMs: number, archived: boolean): string {
  if (archived) return `public, max-age=${ARCHIVE_MAX_AGE_SECONDS}`;
  const base = config.feedMaxAgeSeconds;
  let maxAge = base;
  let swr = base;
  if (nextEmbargoMs !== undefined) {
    const budget = Math.max(0, Math.floor((nextEmbargoMs - nowMs) / 1000));
    maxAge = Math.min(base, budget);
    swr = Math.min(base, budget - maxAge);
  }
  return swr > 0 ? `public, max-age=${maxAge}, stale-while-revalidate=${swr}` : `public, max-age=${maxAge}`;
}

/** Does `Accept-Encoding` accept gzip (a plain `gzip` token, or with q > 0, or `*`)? No regex: this is on the warm path. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  const lower = acceptEncoding.toLowerCase();
  let at = lower.indexOf('gzip');
  if (at < 0) {
    at = lower.indexOf('*');
    if (at < 0) return false;
  }
  const end = lower.indexOf(',', at);
  const params = lower.slice(at, end < 0 ? undefined : end);
  const q = params.indexOf('q=');
  return q < 0 || Number(params.slice(q + 2).trim()) > 0;
}

/** The `Link` header of a feed page: WebSub discovery (hub, self) and RFC 5005 paging. */
export function feedLinkHeader(hubs: readonly string[], selfUrl: string, firstUrl: string, nextUrl: string | undefined): string {
  const parts = hubs.map((h) => `<${h}>; rel="hub"`);
  parts.push(`<${selfUrl}>; rel="self"`, `<${firstUrl}>; rel="first"`);
  if (nextUrl) parts.push(`<${nextUrl}>; rel="next"`);
  return parts.join(', ');
}
