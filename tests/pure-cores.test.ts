/**
 * The pure cores under feed serving and article writes, as they are today:
 * feedCacheControl (Cache-Control against the next embargo), the conditional-GET
 * decision (conditionalVariant / noneMatchHits / unmodifiedSince), indexChanges and
 * changeEntryWrites (which derived items a write puts and deletes). Exact values.
 */
import { describe, expect, it } from 'vitest';
import { ARCHIVE_MAX_AGE_SECONDS, conditionalVariant, feedCacheControl, noneMatchHits, unmodifiedSince } from '../src/feeds/serve/feed-http.js';
import { indexChanges } from '../src/store/article-writes.js';
import { changeEntryWrites, type LogMembership } from '../src/store/changes.js';
import type { Db } from '../src/store/db.js';
import { sortableMs } from '../src/store/keys.js';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
const config = { feedMaxAgeSeconds: 60 };
/** These two are pure: the handle is passed through, never used to send. */
const db = { table: 'unused' } as unknown as Db;
const ms = sortableMs;

describe('feedCacheControl', () => {
  it.each([
    ['no embargo', undefined, `public, max-age=60, stale-while-revalidate=60`],
    ['an embargo lifting in 2 h', NOW + 7_200_000, `public, max-age=60, stale-while-revalidate=60`],
    ['an embargo in 90 s: max-age 60, the rest stale', NOW + 90_000, `public, max-age=60, stale-while-revalidate=30`],
    ['an embargo in 120 s: exactly both', NOW + 120_000, `public, max-age=60, stale-while-revalidate=60`],
    ['an embargo in 30.9 s: whole seconds, nothing stale', NOW + 30_900, `public, max-age=30`],
    ['an embargo lifting now', NOW, `public, max-age=0`],
    ['an embargo already past', NOW - 5_000, `public, max-age=0`],
  ])('%s', (_, nextEmbargoMs, expected) => {
    expect(feedCacheControl(config, nextEmbargoMs, NOW, false)).toBe(expected);
  });

  it('an archived page lives ten minutes, never immutable (a deleted article leaves shared caches soon), whatever the embargo', () => {
    expect(ARCHIVE_MAX_AGE_SECONDS).toBe(600);
    expect(feedCacheControl(config, NOW + 1_000, NOW, true)).toBe('public, max-age=600');
  });
});

describe('the conditional-GET decision', () => {
  const etags = ['W/"aaaa"', 'W/"aaaa-gz"'];
  const lastModified = Date.UTC(2026, 11, 7, 9, 30, 15, 500);

  it('If-None-Match: weak comparison, lists, *, and no match', () => {
    expect(noneMatchHits('W/"aaaa"', etags)).toBe(true);
    expect(noneMatchHits('"aaaa-gz"', etags)).toBe(true); // a strong form of the same opaque tag
    expect(noneMatchHits('W/"zzzz", W/"aaaa-gz"', etags)).toBe(true);
    expect(noneMatchHits('*', etags)).toBe(true);
    expect(noneMatchHits('W/"aaa"', etags)).toBe(false);
    expect(noneMatchHits('', etags)).toBe(false);
  });

  it('If-Modified-Since: to the second, and never for a bad date or an unknown time', () => {
    expect(unmodifiedSince('Mon, 07 Dec 2026 09:30:15 GMT', lastModified)).toBe(true);
    expect(unmodifiedSince('Mon, 07 Dec 2026 09:30:14 GMT', lastModified)).toBe(false);
    expect(unmodifiedSince('yesterday', lastModified)).toBe(false);
    expect(unmodifiedSince('Mon, 07 Dec 2026 09:30:15 GMT', 0)).toBe(false);
  });

  it('If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); neither: not a 304', () => {
    const fresh = 'Mon, 07 Dec 2026 09:30:15 GMT';
    const doc = { etag: etags[0]!, gzipEtag: etags[1]!, lastModifiedMs: lastModified, gzip: true };
    expect(conditionalVariant(doc, undefined, 'W/"other"', fresh)).toBe('ok');
    expect(conditionalVariant(doc, undefined, 'W/"aaaa"', 'Thu, 01 Jan 1970 00:00:00 GMT')).toBe('notModified');
    expect(conditionalVariant(doc, undefined, undefined, fresh)).toBe('notModified');
    expect(conditionalVariant(doc, undefined, undefined, undefined)).toBe('ok');
  });

  it('answers a 304 in the coding the matching ETag names, whatever Accept-Encoding says', () => {
    const doc = { etag: etags[0]!, gzipEtag: etags[1]!, lastModifiedMs: lastModified, gzip: true };
    expect(conditionalVariant(doc, 'gzip', 'W/"aaaa"', undefined)).toBe('notModified');
    expect(conditionalVariant(doc, undefined, 'W/"aaaa-gz"', undefined)).toBe('notModifiedGzip');
    expect(conditionalVariant(doc, 'gzip', '"aaaa-gz"', undefined)).toBe('notModifiedGzip'); // strong form, weak comparison
    expect(conditionalVariant(doc, 'gzip', 'W/"zzzz", W/"aaaa-gz"', undefined)).toBe('notModifiedGzip'); // a list
    expect(conditionalVariant(doc, 'gzip', 'W/"aaaa", W/"aaaa-gz"', undefined)).toBe('notModified'); // both: identity first
    expect(conditionalVariant(doc, 'gzip', '*', undefined)).toBe('notModified');
    expect(conditionalVariant(doc, 'gzip', 'W/"zzzz"', undefined)).toBe('okGzip');
  });

  it('answers If-Modified-Since and 200s in the accepted coding, identity when there is no gzip copy', () => {
    const fresh = 'Mon, 07 Dec 2026 09:30:15 GMT';
    const doc = { etag: etags[0]!, gzipEtag: etags[1]!, lastModifiedMs: lastModified, gzip: true };
    const small = { etag: etags[0]!, gzipEtag: etags[1]!, lastModifiedMs: lastModified };
    expect(conditionalVariant(doc, 'gzip, br', undefined, fresh)).toBe('notModifiedGzip');
    expect(conditionalVariant(small, 'gzip, br', undefined, fresh)).toBe('notModified');
    expect(conditionalVariant(doc, 'gzip;q=0', undefined, 'Mon, 07 Dec 2026 09:30:14 GMT')).toBe('ok');
    expect(conditionalVariant(doc, 'gzip', undefined, 'Mon, 07 Dec 2026 09:30:14 GMT')).toBe('okGzip');
    expect(conditionalVariant(small, 'gzip', undefined, undefined)).toBe('ok');
    expect(conditionalVariant({ ...doc, lastModifiedMs: 0 }, 'gzip', undefined, fresh)).toBe('okGzip'); // unknown Last-Modified never matches
  });
});

const v = (over: Partial<LogMembership> & Pick<LogMembership, 'version'>): LogMembership => ({ id: 'a1', feeds: ['all', 'cat:pembinaan', 'inst:lapas', 'tag:pramuka'], publishedMs: NOW - 60_000, ...over });
const change = (log: string, visibleMs: number, version: number, type: string) => ({
  PutRequest: { Item: { pk: `C#${log}`, sk: `${ms(visibleMs)}#a1#${String(version).padStart(10, '0')}`, id: 'a1', type, version, atMs: NOW } },
});

describe('changeEntryWrites', () => {
  it('a new public article: one "created" per change log, none for tags', () => {
    expect(changeEntryWrites(db, null, v({ version: 1 }), NOW)).toEqual(['all', 'cat:pembinaan', 'inst:lapas'].map((l) => change(l, NOW, 1, 'created')));
  });

  it('an embargoed article enters the logs when its embargo lifts', () => {
    const lift = NOW + 3_600_000;
    expect(changeEntryWrites(db, null, v({ version: 1, publishedMs: lift, embargoed: true }), NOW)).toEqual(['all', 'cat:pembinaan', 'inst:lapas'].map((l) => change(l, lift, 1, 'created')));
  });

  it('a move to another category: "updated" where it stays, "deleted" where it left, "created" where it arrived', () => {
    const next = v({ version: 2, feeds: ['all', 'cat:kunjungan', 'inst:lapas'] });
    expect(changeEntryWrites(db, v({ version: 1 }), next, NOW)).toEqual([change('all', NOW, 2, 'updated'), change('cat:kunjungan', NOW, 2, 'created'), change('inst:lapas', NOW, 2, 'updated'), change('cat:pembinaan', NOW, 2, 'deleted')]);
  });

  it('a public article moved into the future: a tombstone now and "updated" at the new time', () => {
    const later = NOW + 600_000;
    const next = v({ version: 2, feeds: ['all'], publishedMs: later, embargoed: true });
    expect(changeEntryWrites(db, v({ version: 1, feeds: ['all'] }), next, NOW)).toEqual([change('all', later, 2, 'updated'), change('all', NOW, 2, 'deleted')]);
  });

  it('a withdrawal: "deleted" in every log it was in', () => {
    expect(changeEntryWrites(db, v({ version: 1 }), v({ version: 2, deleted: true }), NOW)).toEqual(['all', 'cat:pembinaan', 'inst:lapas'].map((l) => change(l, NOW, 2, 'deleted')));
  });
});

describe('indexChanges', () => {
  it('a new article: an entry in each feed, counts +1, embargo elements only when in the future', () => {
    const lift = NOW + 3_600_000;
    const { writes, states } = indexChanges(null, v({ version: 1, feeds: ['all', 'tag:pramuka'], publishedMs: lift, embargoed: true }), NOW, db);
    expect(writes.slice(0, 2)).toEqual([
      { PutRequest: { Item: { pk: 'F#all', sk: `${ms(lift)}#a1`, id: 'a1', version: 1 } } }, // entries name the version (cold pages look records up by it)
      { PutRequest: { Item: { pk: 'F#tag:pramuka', sk: `${ms(lift)}#a1`, id: 'a1', version: 1 } } },
    ]);
    expect(writes.slice(2)).toEqual(changeEntryWrites(db, null, v({ version: 1, feeds: ['all', 'tag:pramuka'], publishedMs: lift, embargoed: true }), NOW));
    expect(states).toEqual([
      { feed: 'all', countDelta: 1, embargoAdd: [`${ms(lift)}#a1`], embargoRemove: [] },
      { feed: 'tag:pramuka', countDelta: 1, embargoAdd: [`${ms(lift)}#a1`], embargoRemove: [] },
    ]);
  });

  it('a new publication time: the old entries are deleted and rewritten, counts unchanged, the old embargo element removed', () => {
    const prev = v({ version: 1, feeds: ['tag:pramuka'], publishedMs: NOW + 60_000, embargoed: true });
    const next = v({ version: 2, feeds: ['tag:pramuka'], publishedMs: NOW - 1_000 });
    const { writes, states } = indexChanges(prev, next, NOW, db);
    expect(writes).toEqual([
      { DeleteRequest: { Key: { pk: 'F#tag:pramuka', sk: `${ms(NOW + 60_000)}#a1` } } },
      { PutRequest: { Item: { pk: 'F#tag:pramuka', sk: `${ms(NOW - 1_000)}#a1`, id: 'a1', version: 2 } } },
    ]);
    expect(states).toEqual([{ feed: 'tag:pramuka', countDelta: 0, embargoAdd: [], embargoRemove: [`${ms(NOW + 60_000)}#a1`] }]);
  });

  it('a withdrawal: entries deleted, counts -1, a withdrawn entry per institution feed', () => {
    const prev = v({ version: 1, feeds: ['all', 'inst:lapas'] });
    const next = v({ version: 2, feeds: ['all', 'inst:lapas'], deleted: true });
    const { writes, states } = indexChanges(prev, next, NOW, db);
    expect(writes.slice(0, 3)).toEqual([
      { DeleteRequest: { Key: { pk: 'F#all', sk: `${ms(NOW - 60_000)}#a1` } } },
      { DeleteRequest: { Key: { pk: 'F#inst:lapas', sk: `${ms(NOW - 60_000)}#a1` } } },
      { PutRequest: { Item: { pk: 'WD#inst:lapas', sk: `${ms(NOW - 60_000)}#a1`, id: 'a1' } } },
    ]);
    // Then the change log's "deleted" entries, exactly those changeEntryWrites makes.
    expect(writes.slice(3)).toEqual(changeEntryWrites(db, prev, next, NOW));
    expect(states).toEqual([
      { feed: 'all', countDelta: -1, embargoAdd: [], embargoRemove: [] },
      { feed: 'inst:lapas', countDelta: -1, embargoAdd: [], embargoRemove: [] },
    ]);
  });
});
