/**
 * Per-process caches of the feed layer, kept in `services.feedCaches` (built by
 * buildServices, never in module globals, so each Services, i.e. each test server
 * or Worker isolate, has its own):
 *
 * - feed states (`FS#<feed>`), trusted for `config.feedStateTtlMs`, dropped at
 *   once by a ChangeListener when an article is written through this process,
 *   so a warm request does no store request at all. Past the TTL one refresh
 *   runs (single-flight) while every other request is still answered from the
 *   cached state, up to 2 × the TTL (`feedStateStaleBoundMs`); past that,
 *   requests wait for the read;
 * - rendered feed documents in a bounded LRU, keyed by feed, format, limit,
 *   cursor and the visible state tag, holding bytes (identity and gzip) and
 *   prebuilt headers;
 * - registry entries (names, descriptions) for REGISTRY_TTL_MS.
 *
 * Ages are measured with Date.now(), not `services.clock`: the clock is the
 * business time (tests pin it), freshness is real time.
 */
import type { ChangeListener, Services } from '../app-env.js';
import type { Category, Institution } from '../model/schemas.js';
import { getFeedState, getFeedStates, visibleFeedState, type FeedState, type VisibleFeedState } from '../store/feed-state.js';
import { getRegistryEntries, listRegistry } from '../store/registries.js';
import type { RegistryKind } from '../store/keys.js';

/** How long registry names and lists are trusted (registry writes do not notify listeners). */
export const REGISTRY_TTL_MS = 5_000;
/** Bounds of the rendered-document LRU. */
export const DOC_CACHE_MAX_ENTRIES = 512;
/** 32 MiB holds ~250 typical 20-item pages with their gzip; the server's memory target is 256 MiB in all. */
export const DOC_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Cold renders in flight at once per process. With the page content bound
 * (FEED_PAGE_CONTENT_CHARS) this bounds the memory of feed rendering, whatever
 * the number of concurrent requests: the others wait for a slot, and requests
 * for the same document share one render.
 */
export const MAX_CONCURRENT_RENDERS = 1;

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

/** A cached feed state and when it was read (real time). */
export interface StateEntry {
  state: FeedState | null;
  atMs: number;
  /** The visible state, made once when it cannot change with the clock (no pending embargo). */
  vis?: VisibleFeedState;
}

/** A state entry, with its visible state precomputed when the state has no embargo. */
function stateEntry(state: FeedState | null, atMs: number): StateEntry {
  return !state || state.embargo.length === 0 ? { state, atMs, vis: visibleFeedState(state, 0) } : { state, atMs };
}

/** The visible state of a cached entry at `nowMs` (business time). */
export const entryVisibleState = (entry: StateEntry, nowMs: number): VisibleFeedState => entry.vis ?? visibleFeedState(entry.state, nowMs);

/** How long a cached state may be used at all: one TTL fresh, then one more while a single refresh runs. */
export const feedStateStaleBoundMs = (ttlMs: number) => 2 * ttlMs;

interface Timed<T> {
  value: T;
  atMs: number;
}

/** Everything the feed layer caches in one process. */
export interface FeedCaches {
  states: Map<string, StateEntry>;
  inflight: Map<string, Promise<FeedState | null>>;
  /** Bumped by every local write: a read begun before it must not be cached. */
  epoch: number;
  docs: DocumentLru;
  registry: Map<string, Timed<Category | Institution | null>>;
  /** Registry keys (`kind:slug`) being read ahead of their expiry. */
  registryInflight: Set<string>;
  lists: Map<RegistryKind, Timed<(Category | Institution)[]>>;
  /** Renders in flight by document key (concurrent cold requests share one). */
  renders: Map<string, Promise<CachedFeedDocument>>;
  /** Render slots taken, and the renders waiting for one. */
  slots: { active: number; waiting: (() => void)[] };
}

/**
 * Renders the document under `key` once for all concurrent requests, at most
 * MAX_CONCURRENT_RENDERS documents at a time in this process (serves the cold feed path).
 */
export async function renderOnce(caches: FeedCaches, key: string, render: () => Promise<CachedFeedDocument>): Promise<CachedFeedDocument> {
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

/** Empty feed caches for one Services (buildServices makes them, with `feedCacheListener`). */
export function newFeedCaches(): FeedCaches {
  return { states: new Map(), inflight: new Map(), epoch: 0, docs: new DocumentLru(), registry: new Map(), registryInflight: new Set(), lists: new Map(), renders: new Map(), slots: { active: 0, waiting: [] } };
}

/** The ChangeListener that drops the states of changed feeds (a read begun before the write is not cached: epoch). */
export function feedCacheListener(caches: FeedCaches): ChangeListener {
  return (change) => {
    caches.epoch++;
    for (const feed of change.feeds) {
      caches.states.delete(feed);
      caches.inflight.delete(feed);
    }
  };
}

/**
 * Reads a feed's state into the cache, once at a time per feed (single-flight): a read already
 * running is shared. A read that a local write overtook (epoch changed) is not cached.
 */
export function refreshFeedState(s: Services, feed: string): Promise<FeedState | null> {
  const caches = s.feedCaches;
  let pending = caches.inflight.get(feed);
  if (pending) return pending;
  const epoch = caches.epoch;
  pending = getFeedState(s.db, feed).finally(() => {
    if (caches.inflight.get(feed) === current) caches.inflight.delete(feed);
  });
  const current = pending;
  caches.inflight.set(feed, current);
  void current.then(
    (state) => {
      if (caches.epoch === epoch) caches.states.set(feed, stateEntry(state, Date.now()));
    },
    () => undefined,
  );
  return current;
}

/**
 * A feed's cached state entry when it may still be used at real time `atMs`, starting the
 * single refresh when it is past its TTL; undefined when there is none or it is too old.
 */
export function usableStateEntry(s: Services, caches: FeedCaches, feed: string, atMs: number): StateEntry | undefined {
  const hit = caches.states.get(feed);
  if (hit === undefined) return undefined;
  const age = atMs - hit.atMs;
  const ttl = s.config.feedStateTtlMs;
  if (age < ttl) return hit;
  if (age >= feedStateStaleBoundMs(ttl)) return undefined;
  if (!caches.inflight.has(feed)) void refreshFeedState(s, feed).catch(() => undefined);
  return hit;
}

/** A feed's state, from this process's cache when fresh enough (serves every feed request). */
export function cachedFeedState(s: Services, feed: string): Promise<FeedState | null> | FeedState | null {
  const caches = s.feedCaches;
  const hit = usableStateEntry(s, caches, feed, Date.now());
  return hit ? hit.state : refreshFeedState(s, feed);
}

/** Several feeds' states, reading only those not cached (serves the index page and OPML). */
export async function cachedFeedStates(s: Services, feeds: string[]): Promise<Map<string, FeedState>> {
  const caches = s.feedCaches;
  const out = new Map<string, FeedState>();
  const missing: string[] = [];
  const now = Date.now();
  for (const feed of feeds) {
    const hit = caches.states.get(feed);
    if (hit && now - hit.atMs < s.config.feedStateTtlMs) {
      if (hit.state) out.set(feed, hit.state);
    } else missing.push(feed);
  }
  if (missing.length) {
    const epoch = caches.epoch;
    const read = await getFeedStates(s.db, missing);
    const at = Date.now();
    for (const feed of missing) {
      const state = read.get(feed) ?? null;
      if (state) out.set(feed, state);
      if (caches.epoch === epoch) caches.states.set(feed, stateEntry(state, at));
    }
  }
  return out;
}

/** Registry entries older than this are refreshed ahead (one read, in the background) while still served, up to REGISTRY_TTL_MS. */
export const REGISTRY_REFRESH_AHEAD_MS = REGISTRY_TTL_MS - 1_000;

function storeRegistryEntries(caches: FeedCaches, kind: RegistryKind, slugs: string[], read: Map<string, Category | Institution>): void {
  if (caches.registry.size > 10_000) caches.registry.clear();
  const at = Date.now();
  for (const slug of slugs) caches.registry.set(`${kind}:${slug}`, { value: read.get(slug) ?? null, atMs: at });
}

/**
 * Registry entries by slug, from the cache when younger than REGISTRY_TTL_MS (unknown slugs are
 * cached too). Entries past REGISTRY_REFRESH_AHEAD_MS are still served while one background read
 * per slug renews them, so that concurrent requests do not all read the registry when it expires.
 */
export async function cachedRegistryEntries<K extends RegistryKind>(
  s: Services,
  kind: K,
  slugs: Iterable<string>,
): Promise<Map<string, K extends 'category' ? Category : Institution>> {
  type Entry = K extends 'category' ? Category : Institution;
  const caches = s.feedCaches;
  const out = new Map<string, Entry>();
  const missing: string[] = [];
  const ahead: string[] = [];
  const now = Date.now();
  for (const slug of new Set(slugs)) {
    const key = `${kind}:${slug}`;
    const hit = caches.registry.get(key);
    if (hit && now - hit.atMs < REGISTRY_TTL_MS) {
      if (hit.value) out.set(slug, hit.value as Entry);
      if (now - hit.atMs >= REGISTRY_REFRESH_AHEAD_MS && !caches.registryInflight.has(key)) ahead.push(slug);
    } else missing.push(slug);
  }
  if (ahead.length) {
    for (const slug of ahead) caches.registryInflight.add(`${kind}:${slug}`);
    void getRegistryEntries(s.db, kind, ahead)
      .then((read) => storeRegistryEntries(caches, kind, ahead, read), () => undefined)
      .finally(() => {
        for (const slug of ahead) caches.registryInflight.delete(`${kind}:${slug}`);
      });
  }
  if (missing.length) {
    const read = await getRegistryEntries(s.db, kind, missing);
    for (const slug of missing) {
      const entry = read.get(slug);
      if (entry) out.set(slug, entry as Entry);
    }
    storeRegistryEntries(caches, kind, missing, read);
  }
  return out;
}

/** Every entry of a registry, cached for REGISTRY_TTL_MS (serves the index page and OPML). */
export async function cachedRegistryList<K extends RegistryKind>(s: Services, kind: K): Promise<(K extends 'category' ? Category : Institution)[]> {
  type Entry = K extends 'category' ? Category : Institution;
  const caches = s.feedCaches;
  const hit = caches.lists.get(kind);
  if (hit && Date.now() - hit.atMs < REGISTRY_TTL_MS) return hit.value as Entry[];
  const list = (await listRegistry(s.db, kind)) as Entry[];
  caches.lists.set(kind, { value: list, atMs: Date.now() });
  return list;
}
