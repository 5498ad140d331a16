/**
 * The targets of the "Performance" issue, checked on a finished run:
 *
 * - warm feeds and 304s at ≥ 0.9 of the static baseline's requests/s (identity and gzip);
 * - cold render of a 20-item feed ≥ 10 × 42 = 420 requests/s (WordPress: ~42 for a 10-item RSS);
 * - batch publishing ≥ 0.5 of the raw BatchWriteItem rate of the same items;
 * - server RSS < 256 MiB at the largest N;
 * - every figure at the largest N within 1.2× of the smallest N.
 */
import type { CaseResult } from './cases.js';
import type { LoadStats } from './load-store.js';
import type { RenderTime } from './render-times.js';

export const WARM_RATIO_TARGET = 0.9;
export const WORDPRESS_RPS = 42;
export const COLD_RPS_TARGET = 10 * WORDPRESS_RPS;
export const PUBLISH_RATIO_TARGET = 0.5;
export const RSS_LIMIT_BYTES = 256 * 1024 * 1024;
export const SCALE_FACTOR = 1.2;
/** Store requests per cold page, on average over the cold cases (one Query; a BatchGetItem only for records not held). */
export const COLD_STORE_REQUESTS_TARGET = 1.1;

/** process.memoryUsage() of the server at its highest sampled RSS, in bytes. */
export interface MemoryAtPeak {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Everything measured at one N. */
export interface SizeResult {
  n: number;
  load: LoadStats;
  render: RenderTime[];
  cases: CaseResult[];
  /** RSS of the server children, bytes: just started, the cache-on server after the read cases and after publishing, the no-cache one at its end, the highest sampled (every 250 ms), with the heap breakdown at that sample. */
  rss: { idle?: number; warmAfterReads?: number; warmAfterPublish?: number; cold?: number; peak: number; peakHeapUsed?: number; atPeak?: MemoryAtPeak };
  /** RSS of the dynalite child at the end (for information: in production the store is DynamoDB). */
  storeRss?: number;
}

/** One target at one N. `pass` is null when the figure could not be measured. */
export interface TargetCheck {
  target: string;
  n: number;
  subject: string;
  value: number | null;
  threshold: string;
  pass: boolean | null;
  note?: string;
}

/** A figure at the smallest and the largest N. */
export interface ScaleCheck {
  figure: string;
  small: number;
  large: number;
  /** large / small. */
  ratio: number;
  /** How much worse the large N is (≥ 1 means worse), in the figure's own direction. */
  worseBy: number;
  pass: boolean;
}

/** Checks every target on every N. */
export function checkTargets(sizes: SizeResult[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const size of sizes) {
    for (const c of size.cases) {
      if (c.group === 'warm' || c.group === 'not-modified') {
        out.push({
          target: `≥ ${WARM_RATIO_TARGET} × static baseline`,
          n: size.n,
          subject: c.title,
          value: c.ratio ?? null,
          threshold: `≥ ${WARM_RATIO_TARGET}`,
          pass: c.ratio === undefined || c.failed ? null : c.ratio >= WARM_RATIO_TARGET,
          ...(c.skipped || c.failed ? { note: c.skipped ?? c.failed } : {}),
        });
      } else if (c.group === 'cold') {
        const format = c.id.split('-')[1];
        const render = size.render.find((r) => r.format === format && r.items === 20);
        // The one-Query store ceiling (records held): a cold page cannot be served faster than its Query.
        const ceiling = size.cases.find((k) => k.id === 'store-query-20' && k.load && !k.failed)?.load?.rps;
        const ofCeiling = ceiling && c.load ? `${(c.load.rps / ceiling).toFixed(2)} of the one-Query store ceiling (${Math.round(ceiling)} pages/s)` : '';
        out.push({
          target: `cold render ≥ ${COLD_RPS_TARGET} req/s`,
          n: size.n,
          subject: c.title,
          value: c.load?.rps ?? null,
          threshold: `≥ ${COLD_RPS_TARGET}`,
          pass: c.load && !c.failed ? c.load.rps >= COLD_RPS_TARGET : null,
          note: [render ? `pure render ${render.medianMs.toFixed(3)} ms` : '', ofCeiling, c.skipped ?? c.failed ?? ''].filter(Boolean).join('; '),
        });
      } else if (c.group === 'publish') {
        out.push({
          target: `publishing ≥ ${PUBLISH_RATIO_TARGET} × raw BatchWriteItem`,
          n: size.n,
          subject: c.title,
          value: c.ratio ?? null,
          threshold: `≥ ${PUBLISH_RATIO_TARGET}`,
          pass: c.ratio === undefined ? null : c.ratio >= PUBLISH_RATIO_TARGET,
          ...(c.skipped || c.failed ? { note: c.skipped ?? c.failed } : {}),
        });
      }
    }
  }
  for (const size of sizes) {
    const cold = size.cases.filter((c) => (c.group === 'cold' || c.id.startsWith('deep-cold')) && c.load && !c.failed);
    if (!cold.length) continue;
    const requests = cold.reduce((a, c) => a + c.load!.requests, 0);
    const store = cold.reduce((a, c) => a + (c.storeRequestsPerRequest ?? 0) * c.load!.requests, 0);
    const value = requests ? store / requests : null;
    out.push({
      target: `≤ ${COLD_STORE_REQUESTS_TARGET} store requests per cold page`,
      n: size.n,
      subject: `cold cases (${cold.map((c) => c.id).join(', ')})`,
      value,
      threshold: `≤ ${COLD_STORE_REQUESTS_TARGET}`,
      pass: value === null ? null : value <= COLD_STORE_REQUESTS_TARGET,
    });
  }
  const largest = sizes[sizes.length - 1];
  if (largest) {
    out.push({
      target: 'server RSS < 256 MiB at the largest N',
      n: largest.n,
      subject: 'peak RSS of the server',
      value: largest.rss.peak / 1024 / 1024,
      threshold: '< 256 MiB',
      pass: largest.rss.peak > 0 ? largest.rss.peak < RSS_LIMIT_BYTES : null,
    });
  }
  return out;
}

interface Figure {
  name: string;
  value: number;
  higherIsBetter: boolean;
  /** Differences up to this (absolute) are not counted as worse: the resolution of the figure. */
  tolerance: number;
}

function figuresOf(size: SizeResult): Figure[] {
  const f: Figure[] = [
    { name: 'loading, articles/s', value: size.load.articlesPerSecond, higherIsBetter: true, tolerance: 0 },
    { name: 'server peak RSS, MiB', value: size.rss.peak / 1024 / 1024, higherIsBetter: false, tolerance: 0 },
  ];
  for (const r of size.render) f.push({ name: `pure render ${r.format} ${r.items} items, ms`, value: r.medianMs, higherIsBetter: false, tolerance: 0.01 });
  for (const c of size.cases) {
    if (!c.load || c.failed) {
      if (c.group === 'publish' && c.extra && !c.failed) {
        f.push({ name: `${c.id} articles/s`, value: Number(c.extra.articlesPerSecond), higherIsBetter: true, tolerance: 0 });
        f.push({ name: `${c.id} raw baseline articles/s`, value: Number(c.extra.rawArticlesPerSecond), higherIsBetter: true, tolerance: 0 });
        f.push({ name: `${c.id} store requests/batch`, value: c.storeRequestsPerRequest ?? 0, higherIsBetter: false, tolerance: 1 });
      }
      continue;
    }
    f.push({ name: `${c.id} req/s`, value: c.load.rps, higherIsBetter: true, tolerance: 0 });
    // autocannon records latency in whole milliseconds: 1 ms is its resolution.
    f.push({ name: `${c.id} p50 ms`, value: c.load.p50, higherIsBetter: false, tolerance: 1 });
    f.push({ name: `${c.id} p99 ms`, value: c.load.p99, higherIsBetter: false, tolerance: 1 });
    f.push({ name: `${c.id} store requests/request`, value: c.storeRequestsPerRequest ?? 0, higherIsBetter: false, tolerance: 0.05 });
  }
  return f;
}

/** Compares every figure of the largest N with the smallest N (pass: not worse by more than 1.2×, beyond the figure's resolution). */
export function checkScale(sizes: SizeResult[]): ScaleCheck[] {
  if (sizes.length < 2) return [];
  const small = new Map(figuresOf(sizes[0]!).map((f) => [f.name, f]));
  const out: ScaleCheck[] = [];
  for (const large of figuresOf(sizes[sizes.length - 1]!)) {
    const s = small.get(large.name);
    if (!s || !(s.value > 0) || !(large.value >= 0)) continue;
    const ratio = large.value / s.value;
    const worseBy = large.higherIsBetter ? s.value / Math.max(large.value, Number.MIN_VALUE) : ratio;
    const worseAbs = large.higherIsBetter ? s.value - large.value : large.value - s.value;
    out.push({ figure: large.name, small: s.value, large: large.value, ratio, worseBy, pass: worseBy <= SCALE_FACTOR || worseAbs <= large.tolerance });
  }
  return out;
}
