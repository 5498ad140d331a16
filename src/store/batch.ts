/**
 * BatchWriteItem / BatchGetItem in their size limits (25 writes, 100 keys),
 * with unprocessed items retried with backoff until done or out of attempts.
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import type { Key } from './keys.js';
import { StoreError } from './errors.js';

/** One write inside a BatchWriteItem. */
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Splits an array into chunks of `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Writes every request, 25 per call, `parallel` calls at a time, retrying unprocessed items. */
export async function batchWriteAll(db: Db, requests: WriteRequest[], parallel = 4): Promise<void> {
  const groups = chunk(dedupeWrites(requests), 25);
  for (const wave of chunk(groups, parallel)) {
    await Promise.all(wave.map((group) => writeGroup(db, group)));
  }
}

/** DynamoDB refuses two writes to one key in a batch; the later one wins, as it would sequentially. */
export function dedupeWrites(requests: WriteRequest[]): WriteRequest[] {
  const byKey = new Map<string, WriteRequest>();
  for (const r of requests) {
    const k = 'PutRequest' in r ? r.PutRequest.Item : r.DeleteRequest.Key;
    const id = `${String(k.pk)}\u0000${String(k.sk)}`;
    byKey.delete(id);
    byKey.set(id, r);
  }
  return [...byKey.values()];
}

async function writeGroup(db: Db, group: WriteRequest[]): Promise<void> {
  let pending = group;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new StoreError('store: batch write left unprocessed items', { retryable: true });
    if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
    const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending } }));
    pending = (out.UnprocessedItems?.[db.table] as WriteRequest[] | undefined) ?? [];
  }
}

/** Reads every key, 100 per call, in parallel; returns the items found (any order). */
export async function batchGetAll(db: Db, keys: Key[], consistent = false): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const groups = chunk(unique, 100);
  const results = await Promise.all(groups.map((group) => getGroup(db, group, consistent)));
  return results.flat();
}

async function getGroup(db: Db, group: Key[], consistent: boolean): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let pending: Key[] = group;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new StoreError('store: batch get left unprocessed keys', { retryable: true });
    if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
    const out = await db.doc.send(
      new BatchGetCommand({ RequestItems: { [db.table]: { Keys: pending, ConsistentRead: consistent } } }),
    );
    found.push(...((out.Responses?.[db.table] as Record<string, unknown>[] | undefined) ?? []));
    pending = (out.UnprocessedKeys?.[db.table]?.Keys as Key[] | undefined) ?? [];
  }
  return found;
}
