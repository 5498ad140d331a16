/**
 * Time values with their offset. Warta keeps the publisher's wall time and
 * offset (e.g. WIB, +07:00) next to the instant, because feeds must show
 * `+0700`, not UTC.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** A parsed RFC 3339 timestamp: its instant and the offset it was written in. */
export interface OffsetTime {
  epochMs: number;
  offsetMinutes: number;
}

/** Parses an RFC 3339 date-time with an explicit offset; "not valid" is returned as null. */
export function parseRfc3339(text: string): OffsetTime | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, off] = m as unknown as string[];
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  let offsetMinutes = 0;
  if (off && off.toUpperCase() !== 'Z') {
    const oh = Number(off.slice(1, 3)), om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  // Date.UTC reads years 0–99 as 1900–1999: the year is set on its own.
  const wall = new Date(Date.UTC(2000, 0, 1, hour, minute, Math.min(second, 59), ms));
  wall.setUTCFullYear(year, month - 1, day);
  return { epochMs: wall.getTime() - offsetMinutes * 60_000, offsetMinutes };
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
