/**
 * A rendered feed page as the caches hold it: bytes of each coding plus the
 * response headers made once. Built from Warta's own values only (body,
 * validators, Link, Cache-Control), by the renderer and again by the edge
 * cache tier when it reads a page back, so no header of a cache read
 * (Date, Age, CF-Cache-Status, …) ever reaches an answer.
 */
import { httpDate } from '../../model/time.js';
import type { CachedFeedDocument } from './document-cache.js';
import { CORS_HEADERS } from './feed-http.js';
import { FEED_CONTENT_TYPES } from '../render/render.js';
import type { FeedFormat } from '../render/types.js';

/** Everything a feed document is made of. */
export interface FeedDocumentParts {
  format: FeedFormat;
  body: Uint8Array<ArrayBuffer>;
  gzip?: Uint8Array<ArrayBuffer>;
  etag: string;
  gzipEtag: string;
  link: string;
  cacheControl: string;
  nextEmbargoMs?: number;
  lastModifiedMs: number;
  archived: boolean;
}

/** The cached document of these parts, with the 200 headers of each coding. */
export function feedDocument(p: FeedDocumentParts): CachedFeedDocument {
  const common: Record<string, string> = {
    'Content-Type': FEED_CONTENT_TYPES[p.format],
    'Cache-Control': p.cacheControl,
    Vary: 'Accept-Encoding',
    ...(p.lastModifiedMs > 0 ? { 'Last-Modified': httpDate(p.lastModifiedMs) } : {}),
    Link: p.link,
    'X-Content-Type-Options': 'nosniff',
    ...CORS_HEADERS,
  };
  return {
    body: p.body,
    etag: p.etag,
    gzipEtag: p.gzipEtag,
    headers: { ...common, ETag: p.etag, 'Content-Length': String(p.body.byteLength) },
    ...(p.gzip ? { gzip: p.gzip, gzipHeaders: { ...common, ETag: p.gzipEtag, 'Content-Encoding': 'gzip', 'Content-Length': String(p.gzip.byteLength) } } : {}),
    link: p.link,
    cacheControl: p.cacheControl,
    ...(p.nextEmbargoMs !== undefined ? { nextEmbargoMs: p.nextEmbargoMs } : {}),
    lastModifiedMs: p.lastModifiedMs,
    archived: p.archived,
  };
}
