/**
 * Dates as Indonesian readers expect them, at the publisher's own offset:
 * `Senin, 4 Desember 2023 pukul 15.14 WIB`. The wall time is taken from the
 * stored RFC 3339 string as written; nothing is converted to another zone.
 */
import { parseRfc3339 } from '../feeds/render/dates.js';

const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const ZONES: Record<string, string> = { '+07:00': 'WIB', '+08:00': 'WITA', '+09:00': 'WIT' };

/** `Senin, 4 Desember 2023 pukul 15.14 WIB` (or `UTC+05:30` for offsets outside Indonesia); the input itself when not RFC 3339. */
export function formatIndonesianDate(rfc3339: string): string {
  const p = parseRfc3339(rfc3339);
  if (!p) return rfc3339;
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  const zone = ZONES[p.offset] ?? (p.offset === 'Z' ? 'UTC' : `UTC${p.offset}`);
  const hh = String(p.hour).padStart(2, '0');
  const mm = String(p.minute).padStart(2, '0');
  return `${DAYS[weekday]}, ${p.day} ${MONTHS[p.month - 1]} ${p.year} pukul ${hh}.${mm} ${zone}`;
}

/** `1 berita` / `12 berita` (Indonesian nouns do not inflect for number). */
export const articleCount = (n: number) => `${n} berita`;
