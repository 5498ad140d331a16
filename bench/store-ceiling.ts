/**
 * The store-read ceilings of a cold feed request, called directly from one
 * Node process with as many in flight as the load has connections; no HTTP,
 * no rendering: what dynalite on this machine allows at most, to read the
 * cold cases against. `store-page-20`: `listFeedPage` of the 20-item category
 * page with nothing held (one Query and one BatchGetItem). `store-query-20`:
 * the same with the records held at their version, as Warta's cold path
 * holds them (one Query): the ceiling of a cold page served in one request.
 */
import { listFeedPage, type RecordSource } from '../src/store/articles.js';
import type { ArticleRecord } from '../src/store/article-record.js';
import type { Db } from '../src/store/db.js';
import { feedKey } from '../src/model/feed-address.js';
import type { CaseResult } from './cases.js';
import { BENCH_CATEGORY } from './corpus.js';
import type { LoadSettings } from './load-test.js';

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);

/** Records held by id and version, unbounded (the bench's page set is small). */
function heldRecords(): RecordSource {
  const held = new Map<string, ArticleRecord>();
  return {
    get: (id, version) => {
      const r = held.get(id);
      return r && r.version === version ? r : undefined;
    },
    put: (r) => void held.set(r.id, r),
  };
}

async function hammer(db: Db, seconds: number, concurrency: number, records?: RecordSource): Promise<{ ms: number[]; elapsed: number }> {
  const key = feedKey({ kind: 'cat', slug: BENCH_CATEGORY });
  const ms: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await listFeedPage(db, key, { limit: 20, nowMs: Date.now(), ...(records ? { records } : {}) });
        ms.push(performance.now() - t0);
      }
    }),
  );
  return { ms, elapsed: (performance.now() - started) / 1000 };
}

/** Measures pages/s of the 20-item category page read straight from the store, with nothing held and with the records held. */
export async function runStoreCeiling(db: Db, settings: LoadSettings, selected: (id: string) => boolean, log: (line: string) => void): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const variants = [
    { id: 'store-page-20', title: 'store read only (listFeedPage, 20 items, no HTTP)', records: undefined },
    { id: 'store-query-20', title: 'store read only, records held (listFeedPage, 20 items, no HTTP)', records: heldRecords() },
  ];
  for (const { id, title, records } of variants) {
    if (!selected(id)) continue;
    const out: CaseResult = { id, group: 'store', title };
    try {
      log(`case ${id}: listFeedPage from the harness, ${settings.connections} in flight${records ? ', records held' : ''}`);
      if (records) await listFeedPage(db, feedKey({ kind: 'cat', slug: BENCH_CATEGORY }), { limit: 20, nowMs: Date.now(), records });
      if (settings.warmupSeconds > 0) await hammer(db, settings.warmupSeconds, settings.connections, records);
      const before = db.requests.count;
      const { ms, elapsed } = await hammer(db, settings.durationSeconds, settings.connections, records);
      ms.sort((a, b) => a - b);
      out.load = { rps: ms.length / elapsed, p50: Math.round(quantile(ms, 0.5)), p99: Math.round(quantile(ms, 0.99)), requests: ms.length, bytesPerSecond: 0, errors: 0, statuses: {}, unexpected: 0, generator: 'harness' };
      out.storeRequestsPerRequest = (db.requests.count - before) / Math.max(1, ms.length);
    } catch (err) {
      out.failed = String((err as Error).message);
    }
    results.push(out);
  }
  return results;
}
