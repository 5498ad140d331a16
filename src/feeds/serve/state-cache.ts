/**
 * The feed-state cache of one process (`services.feedStates`): feed states
 * (`FS#<feed>`), trusted for `config.feedStateTtlMs`, dropped at once by a
 * ChangeListener when an article is written through this process, so a warm
 * request does no store request at all. Past the TTL one refresh runs
 * (single-flight) while every other request is still answered from the cached
 * state, up to 2 × the TTL (`feedStateStaleBoundMs`); past that, requests wait
 * for the read.
 *
 * Ages are measured with Date.now(), not `services.clock`: the clock is the
 * business time (tests pin it), freshness is real time.
 */
import type { ChangeListener, Services } from '../../app-env.js';
import { getFeedState, getFeedStates, visibleFeedState, type FeedState, type VisibleFeedState } from '../../store/feed-state.js';

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

/** The states of one process. */
export interface FeedStateCache {
  states: Map<string, StateEntry>;
  inflight: Map<string, Promise<FeedState | null>>;
  /** Bumped by every local write: a read begun before it must not be cached. */
  epoch: number;
}

/** An empty state cache (buildServices makes one per Services, with `feedStateListener`). */
export const newFeedStateCache = (): FeedStateCache => ({ states: new Map(), inflight: new Map(), epoch: 0 });

/** The ChangeListener that drops the states of changed feeds (a read begun before the write is not cached: epoch). */
export function feedStateListener(cache: FeedStateCache): ChangeListener {
  return (change) => {
    cache.epoch++;
    for (const feed of change.feeds) {
      cache.states.delete(feed);
      cache.inflight.delete(feed);
    }
  };
}

/**
 * Reads a feed's state into the cache, once at a time per feed (single-flight): a read already
 * running is shared. A read that a local write overtook (epoch changed) is not cached.
 */
export function refreshFeedState(s: Services, feed: string): Promise<FeedState | null> {
  const caches = s.feedStates;
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
export function usableStateEntry(s: Services, caches: FeedStateCache, feed: string, atMs: number): StateEntry | undefined {
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
  const caches = s.feedStates;
  const hit = usableStateEntry(s, caches, feed, Date.now());
  return hit ? hit.state : refreshFeedState(s, feed);
}

/** Several feeds' states, reading only those not cached (serves the index page and OPML). */
export async function cachedFeedStates(s: Services, feeds: string[]): Promise<Map<string, FeedState>> {
  const caches = s.feedStates;
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
