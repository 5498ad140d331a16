/**
 * Due WebSub pushes in the single table (`WSDUE` / `<dueMs>#<feed>`): the feeds to push
 * again when an embargo lifts (websub/embargo-pushes.ts records and sweeps them).
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { DUE_PUSH_PK, duePushKey, duePushUpperBound } from './keys.js';
import { queryRange } from './query.js';
import { TTL_ATTRIBUTE } from './table.js';

/** How many due feeds one read returns by default (one sweep's batch; the next sweep takes the rest). */
export const DUE_PUSH_BATCH = 100;

/** Records that `feed` must be pushed again at `dueMs` (idempotent). */
export async function putDuePush(db: Db, feed: string, dueMs: number): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      // Kept a week past due at most: a hub that was down that long pushes on the next write instead.
      Item: { ...duePushKey(dueMs, feed), feed, dueMs, [TTL_ATTRIBUTE]: Math.ceil(dueMs / 1000) + 7 * 86_400 },
    }),
  );
}

/** The due pushes at or before `nowMs`, oldest first (serves the sweep). */
export async function listDuePushes(db: Db, nowMs: number, limit = DUE_PUSH_BATCH): Promise<{ feed: string; dueMs: number }[]> {
  const items = await queryRange(db, { pk: DUE_PUSH_PK, atMost: duePushUpperBound(nowMs), limit });
  return items.map((i) => ({ feed: String(i.feed), dueMs: Number(i.dueMs) }));
}

/** Forgets a due push once delivered. */
export async function deleteDuePush(db: Db, feed: string, dueMs: number): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: duePushKey(dueMs, feed) }));
}
