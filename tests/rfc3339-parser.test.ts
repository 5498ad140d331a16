/**
 * One RFC 3339 parser serves the API's input check and the feeds: the rules it keeps at
 * the edges, and the same answer from both modules that expose it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../src/model/time.js';
import { isRfc3339, parseRfc3339 as parseFromFeeds, rfc3339ToEpochMs } from '../src/feeds/render/dates.js';
import { WARTA_VERSION } from '../src/version.js';

describe('parseRfc3339 edge cases', () => {
  it.each([
    ['2023-12-04t15:14:00z', 'Z', 0, Date.parse('2023-12-04T15:14:00Z')], // lower case t and z
    ['2016-12-31T23:59:60+00:00', '+00:00', 0, Date.parse('2016-12-31T23:59:59Z')], // leap second counted as :59
    ['2024-02-29T00:00:00+07:00', '+07:00', 420, Date.parse('2024-02-28T17:00:00Z')], // leap day
    ['2000-02-29T00:00:00Z', 'Z', 0, Date.parse('2000-02-29T00:00:00Z')], // divisible by 400: leap
    ['2023-12-04T15:14:00.123456789+07:00', '+07:00', 420, Date.parse('2023-12-04T08:14:00.123Z')], // nine digits, floored to ms
    ['2023-12-04T15:14:00-00:00', '-00:00', 0, Date.parse('2023-12-04T15:14:00Z')], // "unknown local offset"
    ['2023-12-04T15:14:00+23:59', '+23:59', 1439, Date.parse('2023-12-03T15:15:00Z')], // widest offset the grammar allows
    ['0000-01-01T00:00:00Z', 'Z', 0, new Date('0000-01-01T00:00:00Z').getTime()], // year 0000 (schemas refuse it, the parser does not)
    ['0099-06-15T08:00:00+07:00', '+07:00', 420, new Date('0099-06-15T01:00:00Z').getTime()], // no 19xx mapping
  ])('accepts %s', (text, offset, offsetMinutes, epochMs) => {
    const t = parseRfc3339(text);
    expect(t).not.toBeNull();
    expect(t!.offset).toBe(offset);
    expect(t!.offsetMinutes).toBe(offsetMinutes);
    expect(t!.epochMs).toBe(epochMs);
    expect(rfc3339ToEpochMs(text)).toBe(epochMs);
  });

  it.each([
    '2023-12-04T15:14:00.1234567890+07:00', // ten fraction digits: more than nanoseconds
    '2023-12-04T15:14:00.+07:00', // a dot without digits
    '1900-02-29T00:00:00Z', // divisible by 100, not by 400: not leap
    '2023-04-31T00:00:00Z',
    '2023-12-04T15:14:61Z',
    '2023-12-04T15:60:00Z',
    '2023-12-04T15:14:00+24:00',
    '2023-12-04T15:14:00+07:60',
    '2023-12-04T15:14:00', // no offset
    '2023-12-04T15:14:00+0700',
    '2023-12-04 15:14:00+07:00',
    ' 2023-12-04T15:14:00+07:00',
  ])('refuses %j, in both modules', (text) => {
    expect(parseRfc3339(text)).toBeNull();
    expect(isRfc3339(text)).toBe(false);
    expect(rfc3339ToEpochMs(text)).toBeNaN();
  });

  it('is the same function in model/time.ts and feeds/dates.ts', () => {
    expect(parseFromFeeds).toBe(parseRfc3339);
  });
});

describe('WARTA_VERSION', () => {
  it('is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(WARTA_VERSION).toBe(pkg.version);
  });
});
