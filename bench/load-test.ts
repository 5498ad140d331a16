/**
 * One load measurement with autocannon (in this process; the servers run in
 * children): a warm-up run whose numbers are dropped, then the measured run.
 */
import { createRequire } from 'node:module';
import { assertLoopback } from './http.js';

interface Stat {
  average: number;
  p50: number;
  p97_5: number;
  p99: number;
  total?: number;
}
interface AutocannonResult {
  requests: Stat & { total: number };
  latency: Stat;
  throughput: Stat;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** How hard and how long to load. */
export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** What one measured run gave. */
export interface LoadResult {
  /** Mean requests per second over the measured run (autocannon's per-second samples). */
  rps: number;
  /** Latency percentiles, milliseconds. */
  p50: number;
  p99: number;
  requests: number;
  /** Mean response bytes per second. */
  bytesPerSecond: number;
  errors: number;
  /** Responses per status code. */
  statuses: Record<string, number>;
  /** Responses whose status was not the expected one. */
  unexpected: number;
}

/** Loads `url` (loopback only) with `headers`; `expectStatus` is what every response should be; `beforeMeasure` runs between warm-up and measurement. */
export async function loadTest(
  url: string,
  headers: Record<string, string>,
  settings: LoadSettings,
  expectStatus = 200,
  beforeMeasure?: () => Promise<void>,
): Promise<LoadResult> {
  assertLoopback(url);
  const base = { url, headers, connections: settings.connections, pipelining: 1, timeout: 30 };
  if (settings.warmupSeconds > 0) await autocannon({ ...base, duration: settings.warmupSeconds });
  await beforeMeasure?.();
  const r = await autocannon({ ...base, duration: settings.durationSeconds });
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
  const expected = statuses[String(expectStatus)] ?? 0;
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    bytesPerSecond: r.throughput.average,
    errors: r.errors,
    statuses,
    unexpected: answered - expected,
  };
}
