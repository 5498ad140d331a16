/**
 * Date formatting for feeds. Warta stores every time as RFC 3339 with the publisher's
 * own offset (WIB is +07:00) and shows it that way everywhere: Atom and JSON Feed get
 * the stored string as it is, RSS and OPML get the same wall time and offset in RFC 822
 * form (`Mon, 04 Dec 2023 15:14:00 +0700`). Nothing here converts to UTC or reads a clock.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * RFC 3339 `date-time` (`T`/`Z` in either case, as RFC 3339 allows). Linear: no nested or
 * overlapping quantifiers.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The fields of an RFC 3339 timestamp, as written (the wall time at `offset`). */
export interface Rfc3339Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fractional seconds including the dot (".250"), or "". */
  fraction: string;
  /** "Z" or "+07:00" / "-03:30" as written ("z" is returned as "Z"). */
  offset: string;
  /** The offset east of UTC in minutes (+07:00 is 420; "Z" and "-00:00" are 0). */
  offsetMinutes: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses an RFC 3339 timestamp, or returns `undefined` when it is not one (bad shape or out-of-range field). */
export function parseRfc3339(s: string): Rfc3339Parts | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const offset = m[8] === 'z' ? 'Z' : (m[8] as string);
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined; // 60: a leap second
  return { year, month, day, hour, minute, second, fraction: m[7] ?? '', offset, offsetMinutes };
}

/** True when `s` is an RFC 3339 timestamp {@link parseRfc3339} accepts. */
export function isRfc3339(s: string): boolean {
  return parseRfc3339(s) !== undefined;
}

/**
 * The timestamp as feeds write it (Atom `updated`, JSON `date_published`): the stored
 * string itself, with a lower-case `t`/`z` raised to the upper case `xsd:dateTime` needs.
 * Throws a RangeError naming `what` when `s` is not RFC 3339.
 */
export function normalizeRfc3339(s: string, what = 'date'): string {
  if (parseRfc3339(s) === undefined) throw new RangeError(`${what} is not an RFC 3339 date-time: ${JSON.stringify(s)}`);
  return s.toUpperCase(); // the only letters a valid value can hold are T and Z
}

/** Date.UTC without its 0–99 → 1900–1999 year mapping. */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  return t.setUTCFullYear(y);
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
  const p = parseRfc3339(rfc3339);
  if (!p) return Number.NaN;
  const frac = p.fraction ? Math.floor(Number(`0${p.fraction}`) * 1000) : 0;
  const wall = utcMs(p.year, p.month, p.day, p.hour, p.minute, Math.min(p.second, 59), frac);
  return wall - p.offsetMinutes * 60_000;
}
