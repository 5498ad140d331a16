/**
 * The per-version record and item cache holds what its byte bound allows,
 * counting Latin-1 text at one byte a character and other text at two (as
 * V8 stores them), and lets the least recently used go first.
 */
import { describe, expect, it } from 'vitest';
import { ItemCache } from '../src/feeds/serve/item-cache.js';
import type { ArticleRecord } from '../src/store/article-record.js';

/** A record with `chars` characters of content (`ch` repeated), empty summary and a one-character title. */
const record = (id: string, chars: number, ch = 'a', version = 1) => ({ id, version, title: 't', summary: '', contentHtml: ch.repeat(chars) }) as unknown as ArticleRecord;

describe('the item cache', () => {
  it('counts Latin-1 text at one byte a character and other text at two', () => {
    // Each record costs chars + 1 (title) + 1,024 bytes of overhead.
    const latin = new ItemCache(100, 3 * (10_000 + 1 + 1_024));
    for (const id of ['a', 'b', 'c']) latin.put(record(id, 10_000, 'é'));
    expect(latin.size).toBe(3);
    const wide = new ItemCache(100, 3 * (10_000 + 1 + 1_024));
    for (const id of ['a', 'b', 'c']) wide.put(record(id, 10_000, '—'));
    // Two-byte text: 20,000 + 1 + 1,024 each, so only one fits.
    expect(wide.size).toBe(1);
    expect(wide.get('c', 1)?.id).toBe('c');
    expect(wide.get('a', 1)).toBeUndefined();
  });

  it('lets the least recently used version go first, and counts the items rendered from it', () => {
    const cache = new ItemCache(100, 2 * (1_000 + 1 + 1_024) + 500);
    cache.put(record('a', 1_000));
    cache.put(record('b', 1_000));
    expect(cache.get('a', 1)?.id).toBe('a'); // a is now the most recently used
    expect(cache.item(record('b', 1_000), 'rss', () => 'x'.repeat(600))).toBe('x'.repeat(600)); // b, touched last, grows past the bound: a, the least recent, goes
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)?.id).toBe('b');
    expect(cache.get('b', 2)).toBeUndefined();
    // A held item is not made again.
    expect(cache.item(record('b', 1_000), 'rss', () => 'made again')).toBe('x'.repeat(600));
  });
});
