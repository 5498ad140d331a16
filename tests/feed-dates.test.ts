/**
 * Feed dates keep the publisher's wall time and offset: RFC 3339 in, RFC 822 out for RSS
 * and OPML, never converted to UTC.
 */
import { describe, expect, it } from 'vitest';
import { isRfc3339, normalizeRfc3339, parseRfc3339, rfc3339ToEpochMs, toRfc822 } from '../src/feeds/render/dates.js';

describe('toRfc822', () => {
  it.each([
    ['2023-12-04T15:14:00+07:00', 'Mon, 04 Dec 2023 15:14:00 +0700'], // WIB, the seed article
    ['2023-12-04T15:14:00-03:30', 'Mon, 04 Dec 2023 15:14:00 -0330'], // Newfoundland
    ['2023-12-04T15:14:00Z', 'Mon, 04 Dec 2023 15:14:00 +0000'],
    ['2023-12-04t15:14:00z', 'Mon, 04 Dec 2023 15:14:00 +0000'], // RFC 3339 allows lower case
    ['2023-12-04T23:59:59+09:00', 'Mon, 04 Dec 2023 23:59:59 +0900'], // Tuesday in UTC: the wall date counts
    ['2023-12-04T00:30:00-05:00', 'Mon, 04 Dec 2023 00:30:00 -0500'], // Monday 05:30 UTC, Monday here too
    ['2023-01-01T00:00:00+14:00', 'Sun, 01 Jan 2023 00:00:00 +1400'], // still 2022 in UTC
    ['2024-02-29T12:00:00.250+05:45', 'Thu, 29 Feb 2024 12:00:00 +0545'], // leap day, fraction dropped
    ['2016-12-31T23:59:60+00:00', 'Sat, 31 Dec 2016 23:59:60 +0000'], // leap second
    ['0099-06-15T08:00:00+07:00', 'Mon, 15 Jun 0099 08:00:00 +0700'], // no 19xx mapping of small years
  ])('%s → %s', (input, expected) => {
    expect(toRfc822(input)).toBe(expected);
  });

  it.each([
    '2023-12-04T15:14:00', // no offset
    '2023-12-04 15:14:00+07:00',
    '2023-02-29T00:00:00+07:00', // not a leap year
    '2023-13-01T00:00:00+07:00',
    '2023-12-04T24:00:00+07:00',
    '2023-12-04T15:14:00+24:00',
    '2023-12-04T15:14:00+0700',
    'Mon, 04 Dec 2023 15:14:00 +0700',
    '',
  ])('throws a RangeError on %j', (input) => {
    expect(() => toRfc822(input)).toThrow(RangeError);
    expect(isRfc3339(input)).toBe(false);
  });
});

describe('parseRfc3339 / normalizeRfc3339 / rfc3339ToEpochMs', () => {
  it('gives the fields as written and the offset in minutes', () => {
    expect(parseRfc3339('2023-12-04T15:14:00.5-03:30')).toEqual({
      year: 2023, month: 12, day: 4, hour: 15, minute: 14, second: 0, fraction: '.5', offset: '-03:30', offsetMinutes: -210,
      epochMs: Date.parse('2023-12-04T18:44:00.500Z'),
    });
    expect(parseRfc3339('nope')).toBeNull();
  });

  it('writes the stored string unchanged except for a lower-case t/z', () => {
    expect(normalizeRfc3339('2023-12-04T15:14:00+07:00')).toBe('2023-12-04T15:14:00+07:00');
    expect(normalizeRfc3339('2023-12-04t15:14:00.123z')).toBe('2023-12-04T15:14:00.123Z');
    expect(() => normalizeRfc3339('yesterday', 'publishedAt')).toThrow(/publishedAt/);
  });

  it('orders instants across offsets', () => {
    expect(rfc3339ToEpochMs('2023-12-04T15:14:00+07:00')).toBe(Date.parse('2023-12-04T08:14:00Z'));
    expect(rfc3339ToEpochMs('2023-12-04T15:14:00-03:30')).toBe(Date.parse('2023-12-04T18:44:00Z'));
    expect(rfc3339ToEpochMs('2023-12-04T15:14:00.250Z')).toBe(Date.parse('2023-12-04T15:14:00.250Z'));
    expect(rfc3339ToEpochMs('x')).toBeNaN();
  });
});
