/**
 * Per-feed state (`FS#<feed>` / `S`): a version bumped by every change to
 * the feed, the time of the newest change, the item count, and the pending
 * embargoes. Conditional requests are answered from it alone, and rendered
 * documents are cached under it.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { feedStateKey, sortableMs } from './keys.js';
import { batchGetAll } from './batch.js';

/** The state of one feed, as stored. */
export interface FeedState {
  feed: string;
  version: number;
  changedMs: number;
  count: number;
  /** `<publishedMs>#<id>` of articles that were in the future when written (embargoed). */
  embargo: string[];
  /** Display name for feeds without a registry (authors). */
  name?: string;
}

/** What one write does to one feed's state. */
export interface FeedStateChange {
  feed: string;
  countDelta: number;
  embargoAdd: string[];
  embargoRemove: string[];
  name?: string;
}

function fromItem(item: Record<string, unknown>): FeedState {
  const embargo = item.embargo as Set<string> | string[] | undefined;
  return {
    feed: String(item.feed),
    version: Number(item.version ?? 0),
    changedMs: Number(item.changedMs ?? 0),
    count: Number(item.count ?? 0),
    embargo: embargo ? [...embargo].sort() : [],
    ...(item.name ? { name: String(item.name) } : {}),
  };
}

/** Reads one feed's state; null when the feed has never had an article (serves conditional feed requests). */
export async function getFeedState(db: Db, feed: string): Promise<FeedState | null> {
  // Consistent: documents are cached under the state's tag, so the tag must never run ahead of what the page read sees.
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: feedStateKey(feed), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : null;
}

/** Reads several feeds' states at once (serves the index page's counts). */
export async function getFeedStates(db: Db, feeds: string[]): Promise<Map<string, FeedState>> {
  const items = await batchGetAll(db, feeds.map(feedStateKey));
  return new Map(items.map((i) => [String(i.feed), fromItem(i)]));
}

/** The embargo element of an article published at `publishedMs`. */
export const embargoElement = (publishedMs: number, id: string) => `${sortableMs(publishedMs)}#${id}`;

/** Builds the UpdateItem requests that record `change` at `nowMs` (one, or two when the embargo set gains and loses elements). */
export function feedStateUpdates(db: Db, change: FeedStateChange, nowMs: number): UpdateCommand[] {
  const names: Record<string, string> = { '#feed': 'feed', '#version': 'version', '#changedMs': 'changedMs', '#count': 'count' };
  const values: Record<string, unknown> = { ':feed': change.feed, ':one': 1, ':now': nowMs, ':delta': change.countDelta };
  const set = ['#feed = :feed', '#changedMs = :now'];
  const add = ['#version :one', '#count :delta'];
  if (change.name) {
    names['#name'] = 'name';
    values[':name'] = change.name;
    set.push('#name = :name');
  }
  if (change.embargoAdd.length) {
    names['#embargo'] = 'embargo';
    values[':emb'] = new Set(change.embargoAdd);
    add.push('#embargo :emb');
  }
  const first = new UpdateCommand({
    TableName: db.table,
    Key: feedStateKey(change.feed),
    UpdateExpression: `SET ${set.join(', ')} ADD ${add.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  const removals = change.embargoRemove.filter((e) => !change.embargoAdd.includes(e));
  if (!removals.length) return [first];
  const second = new UpdateCommand({
    TableName: db.table,
    Key: feedStateKey(change.feed),
    UpdateExpression: 'DELETE #embargo :gone',
    ExpressionAttributeNames: { '#embargo': 'embargo' },
    ExpressionAttributeValues: { ':gone': new Set(removals) },
  });
  return [first, second];
}

/** Applies state changes, `parallel` requests at a time (serves every article write). */
export async function applyFeedStateChanges(db: Db, changes: FeedStateChange[], nowMs: number, parallel = 16): Promise<void> {
  const commands = changes.flatMap((c) => feedStateUpdates(db, c, nowMs));
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const cmd = commands[next++]!;
      await db.doc.send(cmd);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, commands.length) }, worker));
}

/** What a reader sees of a feed at `nowMs`: validators that change when an embargo lifts, without any write. */
export interface VisibleFeedState {
  /** Changes whenever the visible content of the feed changes. */
  tag: string;
  /** The newest change visible at nowMs (Last-Modified, `updated`). */
  lastModifiedMs: number;
  /** When the next embargoed article becomes public, if any (caches must expire by then). */
  nextEmbargoMs?: number;
  count: number;
}

/** Derives the visible state from a stored state and the clock (pure). */
export function visibleFeedState(state: FeedState | null, nowMs: number): VisibleFeedState {
  if (!state) return { tag: '0.0', lastModifiedMs: 0, count: 0 };
  let passed = 0;
  let lastModifiedMs = state.changedMs;
  let nextEmbargoMs: number | undefined;
  let pending = 0;
  for (const element of state.embargo) {
    const ms = Number(element.slice(0, element.indexOf('#')));
    if (ms <= nowMs) {
      passed++;
      if (ms > lastModifiedMs) lastModifiedMs = ms;
    } else {
      pending++;
      if (nextEmbargoMs === undefined || ms < nextEmbargoMs) nextEmbargoMs = ms;
    }
  }
  return {
    tag: `${state.version}.${passed}`,
    lastModifiedMs,
    ...(nextEmbargoMs !== undefined ? { nextEmbargoMs } : {}),
    count: Math.max(0, state.count - pending),
  };
}
