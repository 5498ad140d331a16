/**
 * Pushes owed when an embargo lifts. No write happens at that moment, so
 * the write listener cannot see it: after each delivery, the hub reads the
 * state of the subscribed feeds it just pushed and, when one holds an
 * embargoed article, records a due push (`WSDUE` / `<dueMs>#<feed>`). A
 * sweep (Node: a timer; Workers: the cron trigger) delivers the feeds whose
 * time has come, which records their next embargo in turn.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Services } from '../app-env.js';
import type { Db } from '../store/db.js';
import { getFeedStates, visibleFeedState } from '../store/feed-state.js';
import { DUE_PUSH_PK, duePushKey, duePushUpperBound } from '../store/keys.js';
import { TTL_ATTRIBUTE } from '../store/table.js';

/** How many due feeds one sweep handles (the next sweep takes the rest). */
export const SWEEP_BATCH = 100;
const SWEEPING = 'websub.sweeping';

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
export async function listDuePushes(db: Db, nowMs: number, limit = SWEEP_BATCH): Promise<{ feed: string; dueMs: number }[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND sk <= :upper',
      ExpressionAttributeValues: { ':pk': DUE_PUSH_PK, ':upper': duePushUpperBound(nowMs) },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => ({ feed: String(i.feed), dueMs: Number(i.dueMs) }));
}

/** Forgets a due push once delivered. */
export async function deleteDuePush(db: Db, feed: string, dueMs: number): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: duePushKey(dueMs, feed) }));
}

/** Records the next embargo lift of each of `feeds` (feeds that have subscribers) as a due push. */
export async function scheduleEmbargoPushes(s: Services, feeds: string[], nowMs: number): Promise<void> {
  if (!feeds.length) return;
  const states = await getFeedStates(s.db, feeds);
  await Promise.all(
    [...states.values()].map((state) => {
      const next = visibleFeedState(state, nowMs).nextEmbargoMs;
      return next === undefined ? undefined : putDuePush(s.db, state.feed, next);
    }),
  );
}

/**
 * Delivers every feed whose embargo has lifted (the sweep); returns how many
 * feeds were pushed. Due items are removed before delivering (at most once:
 * a crash in between loses that push, and the feed's next write pushes it).
 * Overlapping sweeps in one process are skipped. `deliver` is the hub's deliverChange.
 */
export async function pushDueEmbargoes(s: Services, deliver: (s: Services, feeds: string[]) => Promise<void>): Promise<number> {
  if (s.local.get(SWEEPING)) return 0;
  s.local.set(SWEEPING, true);
  try {
    const due = await listDuePushes(s.db, s.clock());
    if (!due.length) return 0;
    await Promise.all(due.map((d) => deleteDuePush(s.db, d.feed, d.dueMs)));
    const feeds = [...new Set(due.map((d) => d.feed))];
    await deliver(s, feeds);
    return feeds.length;
  } finally {
    s.local.delete(SWEEPING);
  }
}
