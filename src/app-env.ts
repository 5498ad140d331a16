/**
 * The Hono environment, typed once: bindings from the runtime, and the
 * per-request variables the middleware sets.
 */
import type { Bindings, Config } from './config.js';
import type { Db } from './store/db.js';
import type { Principal } from './model/principal.js';
import type { OutboundFetch } from './net/public-fetch.js';
import type { Context } from 'hono';
import type { HubState } from './websub/runtime.js';
import type { AuthState } from './auth/middleware.js';
import type { Health } from './routes/health.js';
import type { OpmlDocument } from './feeds/serve/feeds-opml.js';
import type { TtlCache } from './ttl-cache.js';
import type { DocumentCache } from './feeds/serve/document-cache.js';
import type { FeedStateCache } from './feeds/serve/state-cache.js';
import type { RegistryCache } from './feeds/serve/registry-cache.js';
import type { WarmTargets } from './feeds/serve/feed-targets.js';
import type { ItemCache } from './feeds/serve/item-cache.js';

/** Something that runs after a response, off the request path (WebSub pushes, cache work). */
export type Background = (task: Promise<unknown>) => void;

/** What changed, for listeners: the feeds whose content changed, and when. */
export interface FeedChange {
  feeds: string[];
  nowMs: number;
}

/** A listener of article writes (WebSub hub, feed caches). Must not throw; runs in the background. */
export type ChangeListener = (change: FeedChange, background: Background) => void | Promise<void>;

/** Everything the core needs, built by a runtime entry from its bindings. */
export interface Services {
  config: Config;
  db: Db;
  /** Milliseconds since the epoch; tests pin it. */
  clock: () => number;
  listeners: ChangeListener[];
  /** Every request sent to a URL somebody else chose (callbacks, sources) goes through this: address-checked, bounded. */
  outbound: OutboundFetch;
  /*
   * Per-process state lives in these typed fields (built by buildServices), never in
   * module globals.
   */
  /** The WebSub hub: queues, self-fetch, limits, sweep flag, subscribed-feeds cache, sealing key. */
  hub: HubState;
  /** Authentication: key cache and failure throttles. */
  auth: AuthState;
  /** The last /healthz probe, for one second. */
  health: TtlCache<'health', Promise<Health>>;
  /** The last OPML list rendered, with its gzip. */
  feedsOpml: { last?: OpmlDocument };
  /** The caller's address as the runtime sees it (Node: the socket's peer); absent: CF-Connecting-IP. */
  clientAddress?: (c: Context) => string;
  /** Feed states, trusted for feedStateTtlMs, dropped by a listener on local writes. */
  feedStates: FeedStateCache;
  /** Rendered feed pages (bounded LRU) and the renders in flight. */
  feedDocuments: DocumentCache;
  /** Registry entries and lists, trusted for REGISTRY_TTL_MS. */
  registryCache: RegistryCache;
  /** The warm path's request targets, parsed once per target string. */
  warmTargets: WarmTargets;
  /** Rendered items per article version; absent when WARTA_FEED_CACHE turns it off. */
  itemCache?: ItemCache;
}

/** The Hono env of every route. */
export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    services: Services;
    requestId: string;
    principal?: Principal;
  };
}
