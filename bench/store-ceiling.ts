/**
 * The store-read ceiling of a cold feed request: `listFeedPage` (one Query
 * and one BatchGetItem) of the 20-item category page, called directly from
 * one Node process with as many in flight as the load has connections. No
 * HTTP, no rendering: what dynalite on this machine allows at most, to read
 * the cold cases against.
 */
import { listFeedPage } from '../src/store/articles.js';
import type { Db } from '../src/store/db.js';
import { feedKey } from '../src/store/keys.js';
import type { CaseResult } from './cases.js';
import { BENCH_CATEGORY } from './corpus.js';
import type { LoadSettings } from './load-test.js';

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);

async function hammer(db: Db, seconds: number, concurrency: number): Promise<{ ms: number[]; elapsed: number }> {
  const key = feedKey({ kind: 'cat', slug: BENCH_CATEGORY });
  const ms: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await listFeedPage(db, key, { limit: 20, nowMs: Date.now() });
        ms.push(performance.now() - t0);
      }
    }),
  );
  return { ms, elapsed: (performance.now() - started) / 1000 };
}

/** Measures pages/s of the 20-item category page read straight from the store. */
export async function runStoreCeiling(db: Db, settings: LoadSettings, selected: (id: string) => boolean, log: (line: string) => void): Promise<CaseResult[]> {
  const id = 'store-page-20';
  if (!selected(id)) return [];
  const out: CaseResult = { id, group: 'store', title: 'store read only (listFeedPage, 20 items, no HTTP)' };
  try {
    log(`case ${id}: listFeedPage from the harness, ${settings.connections} in flight`);
    if (settings.warmupSeconds > 0) await hammer(db, settings.warmupSeconds, settings.connections);
    const before = db.requests.count;
    const { ms, elapsed } = await hammer(db, settings.durationSeconds, settings.connections);
    ms.sort((a, b) => a - b);
    out.load = { rps: ms.length / elapsed, p50: Math.round(quantile(ms, 0.5)), p99: Math.round(quantile(ms, 0.99)), requests: ms.length, bytesPerSecond: 0, errors: 0, statuses: {}, unexpected: 0, generator: 'harness' };
    out.storeRequestsPerRequest = (db.requests.count - before) / Math.max(1, ms.length);
  } catch (err) {
    out.failed = String((err as Error).message);
  }
  return [out];
}
