/**
 * Time values with their offset. Warta keeps the publisher's wall time and
 * offset (e.g. WIB, +07:00) next to the instant, because feeds must show
 * `+0700`, not UTC.
 */

/**
 * RFC 3339 `date-time` with an offset (`T`/`Z` in either case, as RFC 3339 allows; a
 * fraction of 1–9 digits, nanoseconds at most). Linear: no nested or overlapping quantifiers.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** An instant and the offset it was written in. */
export interface OffsetTime {
  epochMs: number;
  /** The offset east of UTC in minutes (+07:00 is 420; "Z" and "-00:00" are 0). */
  offsetMinutes: number;
}

/** A parsed RFC 3339 timestamp: its fields as written (the wall time at `offset`), and its instant. */
export interface Rfc3339Time extends OffsetTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0–60 (60: a leap second, counted as :59 in `epochMs`). */
  second: number;
  /** Fractional seconds including the dot (".250"), or "". */
  fraction: string;
  /** "Z" or "+07:00" / "-03:30" as written ("z" is returned as "Z"). */
  offset: string;
}

/**
 * The one RFC 3339 parser (feeds/render/dates.ts re-exports it). Rules: proleptic Gregorian
 * dates from year 0000, hour 00–23, minute 00–59, second 00–60, offset hours 00–23 and
 * minutes 00–59. Stricter limits (no year 0000, offsets within ±14:00) belong to the
 * caller (model/schemas.ts). "Not valid" is returned as null.
 */
export function parseRfc3339(text: string): Rfc3339Time | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  const hour = Number(m[4]), minute = Number(m[5]), second = Number(m[6]);
  const fraction = m[7] ?? '';
  const offset = m[8] === 'z' ? 'Z' : (m[8] as string);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const oh = Number(offset.slice(1, 3)), om = Number(offset.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = oh * 60 + om === 0 ? 0 : (offset[0] === '-' ? -1 : 1) * (oh * 60 + om); // -00:00 is 0, not -0
  }
  const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  // Date.UTC reads years 0–99 as 1900–1999: the year is set on its own.
  const wall = new Date(Date.UTC(2000, 0, 1, hour, minute, Math.min(second, 59), ms));
  wall.setUTCFullYear(year, month - 1, day);
  const epochMs = wall.getTime() - offsetMinutes * 60_000;
  return { year, month, day, hour, minute, second, fraction, offset, offsetMinutes, epochMs };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Formats an offset in minutes as `+07:00` (or `Z`-free `+00:00` for UTC). */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Formats an instant as RFC 3339 in the given offset, to the second: `2023-12-04T15:14:00+07:00`. */
export function formatRfc3339(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    formatOffset(offsetMinutes)
  );
}

/**
 * Formats an instant as RFC 3339 in the given offset with its sub-second part:
 * milliseconds when there are any, microseconds when `extraMicros` (0–999, an
 * order within one millisecond, e.g. an article's place in a batch) is not 0;
 * whole seconds are written without a fraction, as {@link formatRfc3339} does.
 */
export function formatRfc3339Precise(epochMs: number, offsetMinutes: number, extraMicros = 0): string {
  const whole = formatRfc3339(epochMs, offsetMinutes);
  const ms = ((epochMs % 1000) + 1000) % 1000;
  const micros = Math.min(999, Math.max(0, Math.floor(extraMicros)));
  if (ms === 0 && micros === 0) return whole;
  const fraction = micros === 0 ? pad(ms, 3) : `${pad(ms, 3)}${pad(micros, 3)}`;
  return `${whole.slice(0, 19)}.${fraction}${whole.slice(19)}`;
}

/** The HTTP-date (RFC 9110) of an instant, for Last-Modified and Retry-After. */
export function httpDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toUTCString();
}
