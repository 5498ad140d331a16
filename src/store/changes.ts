/**
 * The partners' change log: one entry per write per log (everything, each
 * category, each institution, each institution within a category), keyed by
 * the time the change becomes visible, so an embargoed article enters the
 * log when its embargo lifts. Entries point at the article; the current
 * record is what partners receive, so replaying the log in order converges
 * on the live set.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { changeEntryKey, changeLogPk, changeUpperBound } from './keys.js';
import type { WriteRequest } from './batch.js';
import { isChangeLog } from '../model/feed-membership.js';

/** What happened to an article within one log. */
export type ChangeType = 'created' | 'updated' | 'deleted';

/** A stored change entry. */
export interface ChangeEntry {
  sk: string;
  id: string;
  type: ChangeType;
  version: number;
  atMs: number;
}

/** The parts of an article version that decide which logs it is in. */
export interface LogMembership {
  id: string;
  version: number;
  feeds: string[];
  publishedMs: number;
  /** Written before its publication time: it has an element in its feeds' embargo sets. */
  embargoed?: boolean;
  deleted?: boolean;
}

/** The change entries of one write (prev → next) at `nowMs`, as BatchWrite puts. Deterministic: replaying a write rewrites the same keys. */
export function changeEntryWrites(db: Db, prev: LogMembership | null, next: LogMembership, nowMs: number): WriteRequest[] {
  const prevLogs = new Set(prev && !prev.deleted ? prev.feeds.filter(isChangeLog) : []);
  const nextLogs = new Set(next.deleted ? [] : next.feeds.filter(isChangeLog));
  const out: WriteRequest[] = [];
  const put = (log: string, type: ChangeType, visibleMs: number) =>
    out.push({
      PutRequest: {
        Item: { ...changeEntryKey(log, visibleMs, next.id, next.version), id: next.id, type, version: next.version, atMs: nowMs },
      },
    });
  for (const log of nextLogs) {
    put(log, prevLogs.has(log) ? 'updated' : 'created', Math.max(nowMs, next.publishedMs));
    // A public article moved into the future leaves the public slice now (a tombstone for partners) and comes back when the embargo lifts.
    if (prevLogs.has(log) && prev!.publishedMs <= nowMs && next.publishedMs > nowMs) put(log, 'deleted', nowMs);
  }
  for (const log of prevLogs) if (!nextLogs.has(log)) put(log, 'deleted', nowMs);
  return out;
}

/** One page of a change log after `afterSk`, oldest first, up to `nowMs` (serves GET /api/changes). */
export async function listChangeEntries(
  db: Db,
  log: string,
  afterSk: string | undefined,
  limit: number,
  nowMs: number,
): Promise<{ entries: ChangeEntry[]; hasMore: boolean }> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: afterSk ? 'pk = :pk AND sk BETWEEN :after AND :upper' : 'pk = :pk AND sk <= :upper',
      ExpressionAttributeValues: {
        ':pk': changeLogPk(log),
        ':upper': changeUpperBound(nowMs),
        ...(afterSk ? { ':after': `${afterSk}\u0000` } : {}),
      },
      Limit: limit + 1,
      ScanIndexForward: true,
    }),
  );
  const items = (out.Items ?? []).map((i) => ({
    sk: String(i.sk),
    id: String(i.id),
    type: i.type as ChangeType,
    version: Number(i.version),
    atMs: Number(i.atMs),
  }));
  return { entries: items.slice(0, limit), hasMore: items.length > limit };
}
