/**
 * Batch publishing: POST /api/articles/batch of 100 new articles, from a few
 * connections for a while (articles/s), against a raw baseline: the same
 * DynamoDB items the store produces for 100 such articles, written with
 * plain BatchWriteItem (25 per call, the same parallelism) to the same
 * dynalite. "The same items" are captured by running the store's own
 * `writeArticles` against a recording client: every Put of a BatchWrite
 * (records, feed entries, change entries), the intent's Put and Delete,
 * and each feed-state UpdateItem turned into a Put of the item it yields.
 */
import { BatchWriteCommand, DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeArticles } from '../src/store/article-writes.js';
import type { WriteRequest } from '../src/store/batch.js';
import type { Db } from '../src/store/db.js';
import type { ArticleRecord } from '../src/store/article-record.js';
import { buildRecord } from '../src/publishing/article-service.js';
import { corpusSlice, INSTITUTIONS, withoutId } from './corpus.js';
import { send, sendJson } from './http.js';
import { serverStats, type CaseResult } from './cases.js';
import type { BenchChild } from './processes.js';

/** Articles per POST. */
export const PUBLISH_BATCH = 100;
/** Corpus indices of published articles start here, far from the loaded ones. */
export const PUBLISH_FIRST_INDEX = 1_000_000_000;

/** How to run the publishing case. */
export interface PublishEnv {
  server: BenchChild<{ url: string }>;
  db: Db;
  adminToken: string;
  seconds: number;
  connections: number;
  /** Distinct batches prepared (bodies are reused round-robin past this; the server mints new ids anyway). */
  poolBatches: number;
  log: (line: string) => void;
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);

/** The writes the store makes for the corpus batch `batch`, captured without a store. */
function capturedWrites(table: string, batch: number): Promise<WriteRequest[]> {
  const nowMs = Date.now();
  return capturedRecordWrites(table, corpusSlice(PUBLISH_FIRST_INDEX + batch * PUBLISH_BATCH, PUBLISH_BATCH).map((a) => buildRecord(a, a.id, null, nowMs)), nowMs);
}

/**
 * The DynamoDB items the store's writeArticles produces for new `records`, captured with a
 * recording client (no store): as BatchWriteItem requests a raw baseline can replay.
 */
export async function capturedRecordWrites(table: string, records: ArticleRecord[], nowMs: number): Promise<WriteRequest[]> {
  const commands: unknown[] = [];
  const db = { doc: { send: async (cmd: unknown) => (commands.push(cmd), {}) }, raw: undefined, table, requests: { count: 0 } } as unknown as Db;
  await writeArticles(db, records.map((next) => ({ next, prev: null })), nowMs);
  const out: WriteRequest[] = [];
  for (const cmd of commands) {
    if (cmd instanceof PutCommand) out.push({ PutRequest: { Item: cmd.input.Item! } });
    else if (cmd instanceof DeleteCommand) out.push({ DeleteRequest: { Key: cmd.input.Key as { pk: string; sk: string } } });
    else if (cmd instanceof BatchWriteCommand) out.push(...(cmd.input.RequestItems![table] as WriteRequest[]));
    else if (cmd instanceof UpdateCommand && !cmd.input.UpdateExpression!.startsWith('DELETE')) {
      const v = cmd.input.ExpressionAttributeValues!;
      out.push({
        PutRequest: {
          Item: { ...cmd.input.Key, feed: v[':feed'], changedMs: v[':now'], version: 1, count: v[':delta'], ...(v[':name'] ? { name: v[':name'] } : {}), ...(v[':emb'] ? { embargo: v[':emb'] } : {}) },
        },
      });
    }
  }
  return out;
}

/** Writes requests 25 per BatchWriteItem, 4 calls in flight (as batchWriteAll does), retrying unprocessed ones; returns the calls made. */
export async function rawWrite(db: Db, requests: WriteRequest[]): Promise<number> {
  const groups: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) groups.push(requests.slice(i, i + 25));
  let calls = 0;
  for (let w = 0; w < groups.length; w += 4) {
    await Promise.all(
      groups.slice(w, w + 4).map(async (group) => {
        let pending = group;
        while (pending.length) {
          calls++;
          const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending } }));
          pending = (out.UnprocessedItems?.[db.table] as WriteRequest[] | undefined) ?? [];
        }
      }),
    );
  }
  return calls;
}

/** Headers of a batch POST by a publisher key for every corpus institution (the admin token if the key cannot be made). */
export async function publisherHeaders(base: string, adminToken: string): Promise<Record<string, string>> {
  const key = await sendJson(base, '/api/keys', adminToken, { role: 'publisher', institutions: INSTITUTIONS.map((i) => i.slug), label: 'bench publisher' });
  const token = key.status === 201 ? (key.body as { token: string }).token : adminToken;
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** `count` distinct batch bodies of PUBLISH_BATCH new corpus articles (no ids: the server mints them). */
export const batchBodies = (count: number): string[] =>
  Array.from({ length: count }, (_, b) => JSON.stringify({ articles: corpusSlice(PUBLISH_FIRST_INDEX + b * PUBLISH_BATCH, PUBLISH_BATCH).map(withoutId) }));

/** Runs the HTTP publishing case and then its raw baseline. */
export async function runPublishCase(env: PublishEnv): Promise<CaseResult> {
  const out: CaseResult = { id: 'publish-batch-100', group: 'publish', title: 'batch publishing, 100 per POST (articles/s)', path: '/api/articles/batch' };
  const base = env.server.ready.url;
  const headers = await publisherHeaders(base, env.adminToken);
  const bodies = batchBodies(env.poolBatches);
  let next = 0;
  const post = async () => {
    const b = next++;
    const t0 = performance.now();
    const res = await send(base, '/api/articles/batch', { headers, body: bodies[b % bodies.length]! });
    const ms = performance.now() - t0;
    if (res.status === 404) throw Object.assign(new Error('not available yet (404)'), { skip: true });
    if (res.status !== 200) throw new Error(`POST /api/articles/batch: ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    const results = (JSON.parse(res.body.toString('utf8')) as { results: { status: number }[] }).results;
    return { batch: b, ms, created: results.filter((r) => r.status === 201).length, failed: results.filter((r) => r.status !== 201).length };
  };
  try {
    env.log(`case ${out.id}: ${env.connections} connections, ${env.seconds} s`);
    await Promise.all(Array.from({ length: env.connections }, post)); // warm-up: one batch per connection
    const before = await serverStats(env.server);
    const latencies: number[] = [];
    const used: number[] = [];
    let created = 0;
    let failed = 0;
    const started = performance.now();
    const deadline = started + env.seconds * 1000;
    await Promise.all(
      Array.from({ length: env.connections }, async () => {
        while (performance.now() < deadline) {
          const r = await post();
          latencies.push(r.ms);
          used.push(r.batch);
          created += r.created;
          failed += r.failed;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const after = await serverStats(env.server);
    latencies.sort((a, b) => a - b);
    const rate = created / seconds;
    out.storeRequestsPerRequest = (after.dbRequests - before.dbRequests) / Math.max(1, latencies.length);
    out.extra = { articles: created, failedItems: failed, seconds: round(seconds), articlesPerSecond: round(rate), batchP50Ms: round(quantile(latencies, 0.5)), batchP99Ms: round(quantile(latencies, 0.99)) };
    if (failed) out.failed = `${failed} items were not created`;

    // Raw baseline: the same items for as many distinct batches (at least one per connection).
    const distinct = [...new Set(used.map((b) => b % env.poolBatches))];
    const rawBatches = distinct.length >= env.connections ? distinct : Array.from({ length: Math.min(env.poolBatches, env.connections) }, (_, i) => i);
    env.log(`case ${out.id}: raw BatchWriteItem baseline, ${rawBatches.length} batches`);
    const writes = await Promise.all(rawBatches.map((b) => capturedWrites(env.db.table, b)));
    let calls = 0;
    let cursor = 0;
    const rawStarted = performance.now();
    await Promise.all(
      Array.from({ length: env.connections }, async () => {
        for (let i = cursor++; i < writes.length; i = cursor++) calls += await rawWrite(env.db, writes[i]!);
      }),
    );
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    const rawArticles = writes.length * PUBLISH_BATCH;
    const rawRate = rawArticles / rawSeconds;
    out.extra = { ...out.extra, rawArticles, rawItems: writes.reduce((s, w) => s + w.length, 0), rawCalls: calls, rawSeconds: round(rawSeconds), rawArticlesPerSecond: round(rawRate) };
    out.ratio = rawRate > 0 ? rate / rawRate : 0;
    return out;
  } catch (err) {
    if ((err as { skip?: boolean }).skip) return { ...out, skipped: (err as Error).message };
    return { ...out, failed: String((err as Error).message) };
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
