/** The per-process TTL cache (src/ttl-cache.ts) on a pinned clock: expiry, eviction of the oldest, forgetting. */
import { describe, expect, it } from 'vitest';
import { TtlCache } from '../src/ttl-cache.js';

describe('TtlCache', () => {
  it('answers an entry until ttlMs after it was set, then forgets it', () => {
    let now = 1_000;
    const c = new TtlCache<string, number>({ ttlMs: 100, max: 10, clock: () => now });
    c.set('a', 1);
    now = 1_099;
    expect(c.get('a')).toBe(1);
    now = 1_100;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('restarts the time of an entry set again, and evicts the oldest set past max', () => {
    let now = 0;
    const c = new TtlCache<string, number>({ ttlMs: 1_000, max: 2, clock: () => now });
    c.set('a', 1);
    c.set('b', 2);
    now = 500;
    c.set('a', 3); // now newer than b
    c.set('c', 4); // evicts b, the oldest set
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([3, undefined, 4, 2]);
    now = 1_499;
    expect(c.get('a')).toBe(3);
    c.delete('a');
    expect(c.get('a')).toBeUndefined();
  });
});
