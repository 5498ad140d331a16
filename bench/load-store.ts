/**
 * Loading the corpus into a fresh store through the store's own batch path:
 * registries first, then `writeArticles` with records from `buildRecord`,
 * 100 articles per call, a few calls in flight, with a progress line on
 * stderr (count, articles/s, ETA).
 */
import { createDb, type Db } from '../src/store/db.js';
import { ensureTable } from '../src/store/table.js';
import { putRegistryEntry } from '../src/store/registries.js';
import { writeArticles } from '../src/store/article-writes.js';
import { isChangeLog } from '../src/model/feed-membership.js';
import { buildRecord } from '../src/publishing/article-service.js';
import { CATEGORIES, INSTITUTIONS, corpusSlice } from './corpus.js';
import { assertLoopback } from './http.js';

/** Articles per writeArticles call (the size of an API batch). */
export const LOAD_BATCH = 100;

/** What loading took. */
export interface LoadStats {
  articles: number;
  seconds: number;
  articlesPerSecond: number;
  /** Items written (records, feed entries, change entries, feed-state updates, intents put and deleted). */
  items: number;
  itemsPerSecond: number;
  /** DynamoDB requests sent by the loader. */
  dbRequests: number;
}

/** A Db on the benchmark's loopback dynalite. */
export function benchDb(endpoint: string, table: string, credentials: { accessKeyId: string; secretAccessKey: string }): Db {
  assertLoopback(endpoint);
  return createDb({ table, region: 'us-east-1', endpoint, credentials });
}

/** Creates the table and registers the corpus's categories and institutions. */
export async function prepareStore(db: Db): Promise<void> {
  await ensureTable(db);
  for (const c of CATEGORIES) await putRegistryEntry(db, 'category', c);
  for (const { offset: _o, dateline: _d, ...institution } of INSTITUTIONS) await putRegistryEntry(db, 'institution', institution);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Writes corpus articles 0 … n-1 with `parallel` writeArticles calls in flight. */
export async function loadArticles(db: Db, n: number, parallel: number): Promise<LoadStats> {
  const started = performance.now();
  const requestsBefore = db.requests.count;
  let nextBatch = 0;
  let done = 0;
  let items = 0;
  const batches = Math.ceil(n / LOAD_BATCH);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const progress = (final = false) => {
    const now = performance.now();
    if (!final && now - lastLine < (tty ? 1000 : 10_000)) return;
    lastLine = now;
    const seconds = (now - started) / 1000;
    const rate = done / seconds;
    const line = `loading N=${fmt(n)}: ${fmt(done)} articles (${((done / n) * 100).toFixed(1)}%)  ${fmt(rate)} articles/s  ${fmt(items / seconds)} items/s  elapsed ${duration(seconds)}  ETA ${duration((n - done) / rate)}`;
    process.stderr.write(tty ? `\r${line.padEnd(118)}${final ? '\n' : ''}` : `${line}\n`);
  };
  const worker = async () => {
    for (let b = nextBatch++; b < batches; b = nextBatch++) {
      const from = b * LOAD_BATCH;
      const inputs = corpusSlice(from, Math.min(LOAD_BATCH, n - from));
      const nowMs = Date.now();
      const records = inputs.map((input) => buildRecord(input, input.id, null, nowMs));
      await writeArticles(db, records.map((next) => ({ next, prev: null })), nowMs);
      const feeds = new Set(records.flatMap((r) => r.feeds));
      items += records.reduce((sum, r) => sum + 1 + r.feeds.length + r.feeds.filter(isChangeLog).length, 0) + feeds.size + 2;
      done += records.length;
      progress();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  progress(true);
  const seconds = (performance.now() - started) / 1000;
  return { articles: n, seconds, articlesPerSecond: n / seconds, items, itemsPerSecond: items / seconds, dbRequests: db.requests.count - requestsBefore };
}
