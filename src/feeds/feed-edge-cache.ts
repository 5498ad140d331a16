/**
 * Second cache tier on Cloudflare Workers: the Cache API (`caches.default`),
 * shared by the isolates of a colo, behind the in-process LRU. Used only when
 * `globalThis.caches.default` exists (Workers); Node has no such object, so
 * there this module does nothing. Entries are keyed by a synthetic URL that
 * contains the feed's visible state tag, so a stored page is never stale:
 * a change to the feed changes the key. Only the identity body is stored;
 * on Workers the runtime compresses responses itself.
 */
import type { Background } from '../app-env.js';
import type { CachedFeedDocument } from './feed-cache.js';

/** The Workers default cache, or undefined on any other runtime. */
export function edgeCache(): Cache | undefined {
  const storage = (globalThis as { caches?: { default?: Cache } }).caches;
  return storage && typeof storage === 'object' && storage.default ? storage.default : undefined;
}

/** The synthetic cache key of a document (never routed: the Cache API only uses it as a key). */
export const edgeKey = (baseUrl: string, docKey: string) => `${baseUrl}/__warta-feed-cache/${encodeURIComponent(docKey)}`;

const META = 'x-warta-feed-meta';
type Meta = Pick<CachedFeedDocument, 'etag' | 'gzipEtag' | 'lastModifiedMs' | 'nextEmbargoMs' | 'archived' | 'link' | 'cacheControl'>;

/** Reads a document stored by edgePut; undefined on a miss or an entry it cannot read. */
export async function edgeGet(cache: Cache, key: string): Promise<CachedFeedDocument | undefined> {
  const res = await cache.match(key);
  const raw = res?.headers.get(META);
  if (!res || !raw) return undefined;
  let meta: Meta;
  try {
    meta = JSON.parse(raw) as Meta;
  } catch {
    return undefined;
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== META && k !== 'cache-control') headers[k] = v;
  });
  headers['cache-control'] = meta.cacheControl;
  return { ...meta, headers, body: new Uint8Array(await res.arrayBuffer()) };
}

/** Stores a document in the background for `ttlSeconds` (its key changes with the feed, so the TTL only bounds space). */
export function edgePut(cache: Cache, key: string, doc: CachedFeedDocument, ttlSeconds: number, background: Background): void {
  const meta: Meta = {
    etag: doc.etag,
    gzipEtag: doc.gzipEtag,
    lastModifiedMs: doc.lastModifiedMs,
    archived: doc.archived,
    link: doc.link,
    cacheControl: doc.cacheControl,
    ...(doc.nextEmbargoMs !== undefined ? { nextEmbargoMs: doc.nextEmbargoMs } : {}),
  };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.headers)) if (k.toLowerCase() !== 'cache-control') headers[k] = v;
  headers['Cache-Control'] = `public, max-age=${ttlSeconds}`;
  headers[META] = JSON.stringify(meta);
  background(cache.put(key, new Response(doc.body, { headers })));
}
