/**
 * Indonesia's three time zones, and which one an institution is in, read
 * from its registered region (province name): WITA for Bali, Nusa Tenggara,
 * Kalimantan Selatan/Timur/Utara and Sulawesi/Gorontalo; WIT for Maluku and
 * Papua; WIB otherwise. Used for the default of "Waktu terbit".
 */

/** The zones, with their UTC offset in minutes. */
export const ZONES = [
  { name: 'WIB', offsetMinutes: 7 * 60 },
  { name: 'WITA', offsetMinutes: 8 * 60 },
  { name: 'WIT', offsetMinutes: 9 * 60 },
] as const;

const WITA = /\b(bali|nusa tenggara|ntb|ntt|kalimantan (selatan|timur|utara)|kalsel|kaltim|kaltara|sulawesi|gorontalo)\b/i;
const WIT = /\b(maluku|papua)\b/i;

/** The UTC offset (minutes) of an institution in `region`. */
export function offsetForRegion(region: string): number {
  if (WIT.test(region)) return 9 * 60;
  if (WITA.test(region)) return 8 * 60;
  return 7 * 60;
}
