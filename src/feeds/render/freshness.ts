/**
 * Freshness hints of an RSS channel: `ttl` (minutes a reader may cache it) and the
 * syndication module's `sy:updatePeriod` / `sy:updateFrequency`, from the slice's real
 * publishing rate (the spacing of the articles on the page), never shorter than the
 * `Cache-Control` max-age the page is served with (a reader polling faster than caches
 * refresh only gets the same bytes). Pure.
 */

/** What a channel says about how often it changes. */
export interface FreshnessHints {
  /** RSS `ttl`, minutes. */
  ttlMinutes: number;
  /** `sy:updatePeriod`. */
  period: 'hourly' | 'daily' | 'weekly' | 'monthly';
  /** `sy:updateFrequency`: updates per period, at least 1. */
  frequency: number;
}

const HOUR = 3_600_000;
const PERIODS = [
  ['hourly', HOUR],
  ['daily', 24 * HOUR],
  ['weekly', 7 * 24 * HOUR],
  ['monthly', 30 * 24 * HOUR],
] as const;

/**
 * Hints for a page whose articles were published at `publishedMs` (newest first) and which
 * is served with `max-age=maxAgeSeconds`. With fewer than two articles the rate is unknown:
 * daily, once. `ttl` is half the mean spacing (a reader sees a new article within half an
 * interval on average), at least the max-age, at most one day.
 */
export function freshnessHints(publishedMs: readonly number[], maxAgeSeconds: number): FreshnessHints {
  const floor = Math.max(1, Math.ceil(maxAgeSeconds / 60));
  if (publishedMs.length < 2) return { ttlMinutes: Math.max(floor, 60), period: 'daily', frequency: 1 };
  const spanMs = Math.max(0, publishedMs[0]! - publishedMs[publishedMs.length - 1]!);
  const intervalMs = Math.max(60_000, spanMs / (publishedMs.length - 1));
  const [period, periodMs] = PERIODS.find(([, ms]) => intervalMs <= ms) ?? PERIODS[PERIODS.length - 1]!;
  const frequency = Math.max(1, Math.round(periodMs / intervalMs));
  const ttlMinutes = Math.max(floor, Math.min(24 * 60, Math.floor(intervalMs / 2 / 60_000)));
  return { ttlMinutes, period, frequency };
}
