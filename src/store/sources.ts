/**
 * Registered ingest sources (`SRC/<id>`) and when each is next due
 * (`SRCDUE/<dueMs>#<id>`). The due item is written before the record
 * points at it and deleted after, so a crash leaves at worst a stale due
 * item, which the scheduler recognizes (its time differs from the record's)
 * and removes.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { SOURCE_DUE_PK, SOURCES_PK, sourceDueKey, sourceDueUpperBound, sourceKey } from './keys.js';
import { queryPartition } from './query.js';

/** How a source is read. */
export type SourceKindSetting = 'auto' | 'wordpress' | 'feed';

/** What an admin registers. */
export interface SourceSettings {
  url: string;
  kind: SourceKindSetting;
  institution: string;
  categoryMap: Record<string, string>;
  defaultCategory: string;
  intervalMinutes: number;
}

/** The scheduler's knowledge of a source. */
export interface SourceState {
  lastFetchAt?: string;
  status: 'new' | 'ok' | 'not-modified' | 'error';
  lastError?: string;
  /** Counts of the last fetch that found something, and totals since registration. */
  lastCounts?: { imported: number; updated: number; unchanged: number; skipped: number; failed: number };
  totals: { imported: number; updated: number; failed: number };
  consecutiveFailures: number;
  etag?: string;
  lastModified?: string;
  /** The URL actually polled (a feed found from the portal), once known. */
  resolvedUrl?: string;
  resolvedKind?: 'wordpress' | 'feed';
  wpRoot?: string;
  identity?: string;
  nextDueMs: number;
  /** WebSub subscription as a subscriber; the HMAC secret is derived from `nonce`, never stored. */
  hub?: { url: string; topic: string; nonce: string; state: 'pending' | 'verified'; leaseUntilMs?: number; requestedMs: number };
}

/** A stored source. */
export interface SourceRecord extends SourceSettings {
  id: string;
  createdAt: string;
  updatedAt: string;
  state: SourceState;
}

const strip = (item: Record<string, unknown>): SourceRecord => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as SourceRecord;
};

/** One source; null when there is none. */
export async function getSource(db: Db, id: string): Promise<SourceRecord | null> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: sourceKey(id), ConsistentRead: true }));
  return out.Item ? strip(out.Item) : null;
}

/** Every source, by id (GET /api/sources: one Query of one partition). */
export async function listSources(db: Db): Promise<SourceRecord[]> {
  return (await queryPartition(db, SOURCES_PK)).map(strip);
}

/** Writes a source and moves its due item to `state.nextDueMs`. */
export async function putSource(db: Db, record: SourceRecord, previousDueMs?: number): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...sourceDueKey(record.state.nextDueMs, record.id), id: record.id } }));
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...sourceKey(record.id), ...record } }));
  if (previousDueMs !== undefined && previousDueMs !== record.state.nextDueMs) {
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key: sourceDueKey(previousDueMs, record.id) }));
  }
}

/** Removes a source and its due item. */
export async function deleteSource(db: Db, record: SourceRecord): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: sourceKey(record.id) }));
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: sourceDueKey(record.state.nextDueMs, record.id) }));
}

/** Due items up to `nowMs` (at most `limit`), oldest first: `{id, dueMs}`. */
export async function dueSources(db: Db, nowMs: number, limit = 50): Promise<{ id: string; dueMs: number }[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND sk <= :upper',
      ExpressionAttributeValues: { ':pk': SOURCE_DUE_PK, ':upper': sourceDueUpperBound(nowMs) },
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ id: String(i.id), dueMs: Number(String(i.sk).split('#')[0]) }));
}

/** Removes a stale due item (its source is gone or due at another time). */
export async function dropDueItem(db: Db, dueMs: number, id: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: sourceDueKey(dueMs, id) }));
}
