/**
 * The Hono environment, typed once: bindings from the runtime, and the
 * per-request variables the middleware sets.
 */
import type { Bindings, Config } from './config.js';
import type { Db } from './store/db.js';
import type { Principal } from './model/principal.js';
import type { OutboundFetch } from './net/public-fetch.js';

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
  /** Per-process state (caches, rate limits) lives here, never in module globals. */
  local: Map<string, unknown>;
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
