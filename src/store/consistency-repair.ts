/**
 * Repair for `npm run check:store -- --repair`: replays interrupted writes,
 * then applies the fixes the check computed — stale entries and orphan
 * chunks deleted, missing entries and change entries put, feed states set
 * to the counts and embargo sets the records imply (with a version bump, so
 * that caches and conditional requests see the change).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { feedStateKey } from './keys.js';
import { batchWriteAll, type WriteRequest } from './batch.js';
import { recoverPendingWrites } from './recovery.js';
import { findDivergences, type CheckOptions, type FeedStateFix, type StoreReport } from './consistency.js';

/** What a repair did. */
export interface RepairResult {
  before: StoreReport;
  /** Intents replayed. */
  replayed: number;
  /** Items written or deleted, and feed states set, after the replay. */
  fixed: number;
  after: StoreReport;
}

/** Sets a feed's state to what its records imply. */
function stateUpdate(db: Db, s: FeedStateFix, nowMs: number): UpdateCommand {
  const names: Record<string, string> = { '#feed': 'feed', '#count': 'count', '#changedMs': 'changedMs', '#version': 'version', '#embargo': 'embargo' };
  const values: Record<string, unknown> = { ':feed': s.feed, ':count': s.count, ':now': nowMs, ':one': 1 };
  const set = ['#feed = :feed', '#count = :count', '#changedMs = :now'];
  if (s.embargo.length) {
    values[':embargo'] = new Set(s.embargo);
    set.push('#embargo = :embargo');
  }
  if (s.name !== undefined) {
    names['#name'] = 'name';
    values[':name'] = s.name;
    set.push('#name = :name');
  }
  return new UpdateCommand({
    TableName: db.table,
    Key: feedStateKey(s.feed),
    UpdateExpression: `SET ${set.join(', ')}${s.embargo.length ? '' : ' REMOVE #embargo'} ADD #version :one`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
}

/** Checks, replays interrupted writes, fixes what remains, and checks again. */
export async function repairStore(db: Db, options: CheckOptions): Promise<RepairResult> {
  const graceMs = options.graceMs ?? 10_000;
  const { report: before } = await findDivergences(db, options);
  const replayed = await recoverPendingWrites(db, options.nowMs, graceMs);
  const { findings, states: derived } = await findDivergences(db, options);
  const writes: WriteRequest[] = [];
  const states = new Map<string, FeedStateFix>();
  for (const f of findings) {
    if (f.fix === 'write') writes.push(f.write);
    else if (f.fix === 'state') states.set(f.state.feed, f.state);
  }
  // Every feed whose entries change gets its state re-derived too (its version moves on).
  for (const f of findings) {
    const feed = f.key.pk.slice(2);
    if (f.fix === 'write' && f.key.pk.startsWith('F#') && !states.has(feed) && derived.has(feed)) states.set(feed, derived.get(feed)!);
  }
  // Deletes first: a feed never gains an entry before it loses the stale ones.
  writes.sort((a, b) => Number('PutRequest' in a) - Number('PutRequest' in b));
  await batchWriteAll(db, writes);
  for (const s of states.values()) await db.doc.send(stateUpdate(db, s, options.nowMs));
  const { report: after } = await findDivergences(db, options);
  return { before, replayed, fixed: writes.length + states.size, after };
}
