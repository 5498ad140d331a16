/**
 * Publication times of foreign sources, turned into RFC 3339 with the
 * portal's own offset: WordPress's local/GMT pairs, RSS's RFC 822 dates,
 * Atom and JSON Feed's RFC 3339.
 */
import { formatRfc3339, parseRfc3339 } from '../model/time.js';

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/;

function naiveMs(text: string): number | null {
  const m = NAIVE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
}

/**
 * WordPress's `date` (local wall time) and `date_gmt` (UTC): their difference is the site's offset
 * at that instant, rounded to 15 minutes (`+07:00` WIB). A missing or zero GMT time
 * (`0000-00-00 00:00:00`) falls back to `fallbackOffsetMinutes`. Null when `local` is not a time.
 */
export function fromLocalAndGmt(local: string, gmt: string | undefined, fallbackOffsetMinutes: number): string | null {
  const l = naiveMs(local);
  if (l === null) return null;
  const g = gmt ? naiveMs(gmt) : null;
  const offset = g === null ? fallbackOffsetMinutes : Math.round((l - g) / 60_000 / 15) * 15;
  if (Math.abs(offset) > 14 * 60) return null;
  return formatRfc3339(l - offset * 60_000, offset);
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const ZONES: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, Z: 0, WIB: 420, WITA: 480, WIT: 540, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
const RFC822 = /^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,4})?\s*$/i;

/** An RFC 822 / RFC 1123 date as RSS writes it (`Mon, 04 Dec 2023 15:14:00 +0700`), kept at its offset; null when unreadable. */
export function fromRfc822(text: string): string | null {
  const m = RFC822.exec(text.trim());
  if (!m) return null;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return null;
  let year = Number(m[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  const zone = m[7] ?? 'GMT';
  let offset: number | undefined;
  if (/^[+-]\d{4}$/.test(zone)) offset = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  else offset = ZONES[zone.toUpperCase()];
  if (offset === undefined || Math.abs(offset) > 14 * 60) return null;
  const wall = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(wall)) return null;
  return formatRfc3339(wall - offset * 60_000, offset);
}

/** Any date a feed may carry (RFC 3339, or RFC 822), as RFC 3339 at its own offset; null when unreadable. */
export function fromFeedDate(text: string | undefined): string | null {
  if (!text) return null;
  const t = text.trim();
  const rfc3339 = parseRfc3339(t);
  if (rfc3339) return formatRfc3339(rfc3339.epochMs, rfc3339.offsetMinutes);
  return fromRfc822(t);
}
