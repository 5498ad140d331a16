/**
 * The one small per-process TTL cache (auth's key cache, the hub's list of subscribed
 * feeds, the /healthz memo). Hand-written rather than lru-cache because its clock is
 * injected: the key cache follows `services.clock`, which tests pin, and lru-cache's
 * `ttl` reads its own clock. Entries expire `ttlMs` after they were set; past `max`
 * entries the oldest set is evicted first. No timers: expiry is checked on read.
 */

/** A map whose entries expire `ttlMs` after they were set. */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; atMs: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #clock: () => number;

  constructor(options: { ttlMs: number; max: number; clock?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#max = Math.max(1, options.max);
    this.#clock = options.clock ?? Date.now;
  }

  /** The value of `key` when it was set less than `ttlMs` ago, else undefined (and the stale entry is dropped). */
  get(key: K): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (this.#clock() - hit.atMs < this.#ttlMs) return hit.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Stores `value` under `key` from now on, evicting the oldest entry when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, { value, atMs: this.#clock() });
  }

  /** Forgets `key`. */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Entries held, expired ones not yet read included. */
  get size(): number {
    return this.#entries.size;
  }
}
