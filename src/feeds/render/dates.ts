/**
 * Date formatting for feeds. Warta stores every time as RFC 3339 with the publisher's
 * own offset (WIB is +07:00) and shows it that way everywhere: Atom and JSON Feed get
 * the stored string as it is, RSS and OPML get the same wall time and offset in RFC 822
 * form (`Mon, 04 Dec 2023 15:14:00 +0700`). Nothing here converts to UTC or reads a clock.
 */

import { parseRfc3339 } from '../../model/time.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The one RFC 3339 parser lives in model/time.ts; re-exported for the feed and page code. */
export { parseRfc3339 };

/** True when `s` is an RFC 3339 timestamp {@link parseRfc3339} accepts. */
export function isRfc3339(s: string): boolean {
  return parseRfc3339(s) !== null;
}

/**
 * The timestamp as feeds write it (Atom `updated`, JSON `date_published`): the stored
 * string itself, with a lower-case `t`/`z` raised to the upper case `xsd:dateTime` needs.
 * Throws a RangeError naming `what` when `s` is not RFC 3339.
 */
export function normalizeRfc3339(s: string, what = 'date'): string {
  if (parseRfc3339(s) === null) throw new RangeError(`${what} is not an RFC 3339 date-time: ${JSON.stringify(s)}`);
  return s.toUpperCase(); // the only letters a valid value can hold are T and Z
}

/** Date.UTC of a calendar day without its 0–99 → 1900–1999 year mapping. */
function utcMs(y: number, mo: number, d: number): number {
  const t = new Date(Date.UTC(2000, 0, 1));
  return t.setUTCFullYear(y, mo - 1, d);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * RFC 822 / RFC 1123 date at the publisher's offset: `2023-12-04T15:14:00+07:00` →
 * `Mon, 04 Dec 2023 15:14:00 +0700`; `Z` → `+0000`. Fractional seconds are dropped
 * (RFC 822 has none). Throws a RangeError on anything that is not RFC 3339.
 */
export function toRfc822(rfc3339: string): string {
  const p = parseRfc3339(rfc3339);
  if (!p) throw new RangeError(`not an RFC 3339 date-time: ${JSON.stringify(rfc3339)}`);
  // The weekday of the wall-clock date, which the offset does not change.
  const weekday = new Date(utcMs(p.year, p.month, p.day)).getUTCDay();
  const zone = p.offset === 'Z' ? '+0000' : p.offset.slice(0, 3) + p.offset.slice(4, 6);
  const year = String(p.year).padStart(4, '0');
  return `${DAYS[weekday]}, ${pad2(p.day)} ${MONTHS[p.month - 1]} ${year} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)} ${zone}`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp (for ordering), or NaN when it is not one. */
export function rfc3339ToEpochMs(rfc3339: string): number {
  return parseRfc3339(rfc3339)?.epochMs ?? Number.NaN;
}
