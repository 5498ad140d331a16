/**
 * The rendered-document cache of one process (`services.feedDocuments`): a bounded
 * LRU of rendered feed pages, keyed by feed, format, limit, cursor and the visible
 * state tag, holding bytes (identity and gzip) and prebuilt headers; and the
 * renders in flight, so concurrent cold requests share one render and a bounded
 * number run at a time.
 */

/** Bounds of the rendered-document LRU. */
export const DOC_CACHE_MAX_ENTRIES = 512;
/** 32 MiB holds ~250 typical 20-item pages with their gzip; the server's memory target is 256 MiB in all. */
export const DOC_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Cold renders in flight at once per process. With the page content bound
 * (FEED_PAGE_CONTENT_CHARS) this bounds the memory of feed rendering, whatever
 * the number of concurrent requests: the others wait for a slot, and requests
 * for the same document share one render. Four, not one: a render spends most
 * of its time waiting for its Query, and one at a time held cold pages to
 * 1 / (Query latency + render) whatever the cores (about 150 pages/s against
 * dynalite); four cost `npm run memory`'s worst case about 35 MiB more
 * (BENCHMARKS.md).
 */
export const MAX_CONCURRENT_RENDERS = 4;

/** A rendered feed document as the warm path serves it. */
export interface CachedFeedDocument {
  body: Uint8Array<ArrayBuffer>;
  /** The gzip of `body`, when it was worth compressing. */
  gzip?: Uint8Array<ArrayBuffer>;
  etag: string;
  gzipEtag: string;
  /** Prebuilt 200 response headers of each coding. */
  headers: Record<string, string>;
  gzipHeaders?: Record<string, string>;
  /** Prebuilt 304 headers, made on first use. */
  notModified?: Record<string, string>;
  notModifiedGzip?: Record<string, string>;
  /** Each answer variant's headers as a flat `[name, value, …, 'X-Request-Id', '']` list (Node's warm path), made on first use. */
  flat?: Partial<Record<'ok' | 'okGzip' | 'notModified' | 'notModifiedGzip', string[]>>;
  /** The `Link` header (hub, self, first, next). */
  link: string;
  /** Cache-Control at render time (recomputed per request while an embargo is pending). */
  cacheControl: string;
  /** Pending embargo of the state this was rendered under: Cache-Control must be computed per request. */
  nextEmbargoMs?: number;
  lastModifiedMs: number;
  /** A full page behind a cursor: served with the archive lifetime (ARCHIVE_MAX_AGE_SECONDS). */
  archived: boolean;
}

/** The documents of one process and the renders in flight. */
export interface DocumentCache {
  docs: DocumentLru;
  /** Renders in flight by document key (concurrent cold requests share one). */
  renders: Map<string, Promise<CachedFeedDocument>>;
  /** Render slots taken, and the renders waiting for one. */
  slots: { active: number; waiting: (() => void)[] };
}

/** An empty document cache (buildServices makes one per Services). */
export const newDocumentCache = (): DocumentCache => ({ docs: new DocumentLru(), renders: new Map(), slots: { active: 0, waiting: [] } });

/**
 * Renders the document under `key` once for all concurrent requests, at most
 * MAX_CONCURRENT_RENDERS documents at a time in this process (serves the cold feed path).
 */
export async function renderOnce(caches: DocumentCache, key: string, render: () => Promise<CachedFeedDocument>): Promise<CachedFeedDocument> {
  const pending = caches.renders.get(key);
  if (pending) return pending;
  const run = (async () => {
    const { slots } = caches;
    if (slots.active >= MAX_CONCURRENT_RENDERS) await new Promise<void>((resolve) => slots.waiting.push(resolve));
    else slots.active++;
    try {
      return await render();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = slots.waiting.shift();
      if (next) next();
      else slots.active--;
    }
  })();
  caches.renders.set(key, run);
  try {
    return await run;
  } finally {
    if (caches.renders.get(key) === run) caches.renders.delete(key);
  }
}

/** A least-recently-used map of documents bounded by count and bytes. */
export class DocumentLru {
  private readonly map = new Map<string, { doc: CachedFeedDocument; stamp: number }>();
  private bytes = 0;
  /** Bumped by every insert: a hit is moved to the newest end only once per insert, not on every request. */
  private stamp = 0;
  constructor(
    private readonly maxEntries = DOC_CACHE_MAX_ENTRIES,
    private readonly maxBytes = DOC_CACHE_MAX_BYTES,
  ) {}

  /** The document under `key`, marked as recently used; undefined on a miss. */
  get(key: string): CachedFeedDocument | undefined {
    const hit = this.map.get(key);
    if (hit === undefined) return undefined;
    if (hit.stamp !== this.stamp) {
      // Eviction happens only on insert, so order among hits since the last insert does not matter.
      hit.stamp = this.stamp;
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit.doc;
  }

  /** Stores a document, evicting the least recently used ones past the bounds. */
  set(key: string, doc: CachedFeedDocument): void {
    const size = sizeOf(doc);
    // Pages are bounded (FEED_PAGE_CONTENT_CHARS, MAX_CONTENT_CHARS): every page fits in half the cache,
    // and is cached, so a large page is rendered once, not on every request.
    if (size > this.maxBytes / 2) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= sizeOf(old.doc);
      this.map.delete(key);
    }
    this.map.set(key, { doc, stamp: ++this.stamp });
    this.bytes += size;
    for (const [k, v] of this.map) {
      if (this.map.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= sizeOf(v.doc);
    }
  }

  /** Number of cached documents. */
  get size(): number {
    return this.map.size;
  }
}

const sizeOf = (d: CachedFeedDocument) => d.body.byteLength + (d.gzip?.byteLength ?? 0) + 512;
