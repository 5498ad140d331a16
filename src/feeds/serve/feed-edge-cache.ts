/**
 * Second cache tier on Cloudflare Workers: the Cache API (`caches.default`),
 * shared by the isolates of a colo, behind the in-process LRU. Used only when
 * `globalThis.caches.default` exists (Workers); Node has no such object, so
 * there this module does nothing. Entries are keyed by a synthetic URL that
 * contains the feed's visible state tag, so a stored page is never stale:
 * a change to the feed changes the key.
 *
 * An entry holds the page's bytes (identity, then its gzip) and, in one
 * header, Warta's own values (validators, Link, Cache-Control, dates of the
 * state). A read rebuilds the document from those alone (feed-document.ts):
 * the headers the Cache API adds or keeps (Date, Age, CF-Cache-Status,
 * Content-Length, …) are never copied into an answer or into the LRU.
 */
import type { Background } from '../../app-env.js';
import type { CachedFeedDocument } from './document-cache.js';
import { feedDocument } from './feed-document.js';
import type { FeedFormat } from '../render/types.js';

/** The Workers default cache, or undefined on any other runtime. */
export function edgeCache(): Cache | undefined {
  const storage = (globalThis as { caches?: { default?: Cache } }).caches;
  return storage && typeof storage === 'object' && storage.default ? storage.default : undefined;
}

/** The synthetic cache key of a document (never routed: the Cache API only uses it as a key). */
export const edgeKey = (baseUrl: string, docKey: string) => `${baseUrl}/__warta-feed-cache/${encodeURIComponent(docKey)}`;

const META = 'x-warta-feed-meta';
/** What an entry stores besides the bytes; `bodyBytes` splits identity from gzip. */
interface Meta {
  v: 2;
  etag: string;
  gzipEtag: string;
  link: string;
  cacheControl: string;
  lastModifiedMs: number;
  nextEmbargoMs?: number;
  archived: boolean;
  bodyBytes: number;
}

const isMeta = (m: unknown): m is Meta => {
  const o = m as Partial<Meta> | null;
  return !!o && o.v === 2 && typeof o.etag === 'string' && typeof o.gzipEtag === 'string' && typeof o.link === 'string' && typeof o.cacheControl === 'string'
    && typeof o.lastModifiedMs === 'number' && typeof o.archived === 'boolean' && typeof o.bodyBytes === 'number' && (o.nextEmbargoMs === undefined || typeof o.nextEmbargoMs === 'number');
};

/** Reads a document stored by edgePut; undefined on a miss or an entry it cannot read (an older layout, a damaged one). */
export async function edgeGet(cache: Cache, key: string, format: FeedFormat): Promise<CachedFeedDocument | undefined> {
  const res = await cache.match(key);
  if (!res) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(res.headers.get(META) ?? '');
  } catch {
    meta = undefined;
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!isMeta(meta) || meta.bodyBytes > bytes.byteLength) return undefined;
  const gzip = bytes.byteLength > meta.bodyBytes ? bytes.slice(meta.bodyBytes) : undefined;
  return feedDocument({
    format,
    body: bytes.slice(0, meta.bodyBytes),
    ...(gzip ? { gzip } : {}),
    etag: meta.etag,
    gzipEtag: meta.gzipEtag,
    link: meta.link,
    cacheControl: meta.cacheControl,
    ...(meta.nextEmbargoMs !== undefined ? { nextEmbargoMs: meta.nextEmbargoMs } : {}),
    lastModifiedMs: meta.lastModifiedMs,
    archived: meta.archived,
  });
}

/** Stores a document in the background for `ttlSeconds` (its key changes with the feed, so the TTL only bounds space). */
export function edgePut(cache: Cache, key: string, doc: CachedFeedDocument, ttlSeconds: number, background: Background): void {
  const meta: Meta = {
    v: 2,
    etag: doc.etag,
    gzipEtag: doc.gzipEtag,
    link: doc.link,
    cacheControl: doc.cacheControl,
    lastModifiedMs: doc.lastModifiedMs,
    ...(doc.nextEmbargoMs !== undefined ? { nextEmbargoMs: doc.nextEmbargoMs } : {}),
    archived: doc.archived,
    bodyBytes: doc.body.byteLength,
  };
  const bytes = new Uint8Array(doc.body.byteLength + (doc.gzip?.byteLength ?? 0));
  bytes.set(doc.body, 0);
  if (doc.gzip) bytes.set(doc.gzip, doc.body.byteLength);
  const headers = { 'Content-Type': 'application/octet-stream', 'Cache-Control': `public, max-age=${ttlSeconds}`, [META]: JSON.stringify(meta) };
  background(cache.put(key, new Response(bytes, { headers })));
}
