/**
 * Writing articles without transactions (dynalite has none, and the design
 * must hold on it). The record `A#<id>` is the source of truth; feed
 * entries, feed states and change entries are derived from it. A write:
 *
 *   1. records an intent (`PENDING`) naming the articles and their previous versions;
 *   2. writes content chunks of the new version (if any), then the record
 *      (conditional on the version read, for single writes): the commit point;
 *   3. brings the derived items in line: deletes entries of feeds the
 *      article left (or at its old date), puts entries of its feeds,
 *      bumps those feeds' states, appends change entries;
 *   4. deletes old chunks and the intent, and only then acknowledges.
 *
 * A crash before 2 leaves nothing visible. A crash after 2 leaves entries
 * that may point at feeds the article no longer belongs to: readers check
 * every entry against its record (articles.ts), so no feed shows an article
 * that was deleted or moved out of it. The intent is replayed at start-up,
 * on a timer, and by `npm run check:store`, which re-derives the items from
 * the records. Every step of the replay is idempotent, except the feed
 * counts (advisory; check:store recomputes them).
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { articleKey, contentChunkKey, feedEntryKey, withdrawnEntryKey } from './keys.js';
import type { ArticleRecord } from './article-record.js';
import { batchWriteAll, dedupeWrites, type WriteRequest } from './batch.js';
import { changeEntryWrites, type LogMembership } from './changes.js';
import { applyFeedStateChanges, embargoElement, feedStateUpdates, type FeedStateChange } from './feed-state.js';
import { deleteIntent, putIntent, type Intent } from './intents.js';
import { CHUNK_CHARS, getArticles } from './articles.js';
import { ConflictError, isConditionFailed } from './errors.js';

export { CHUNK_CHARS };

/** One article write: the new version and the version it replaces. */
export interface ArticleWrite {
  next: ArticleRecord;
  prev: ArticleRecord | null;
}

/** The condition of a single write: the article must not exist, or must still be at this version. */
export type WriteCondition = { absent: true } | { version: number } | { absentOrVersion: number | null };

/**
 * The institutions whose articles the writer may overwrite, checked by the
 * store on the write itself (a read-then-write check races with other
 * writers); null for the admin, who may overwrite any.
 */
export type WritableOwners = readonly string[] | null;

/** `#owner IN (...)` for `owners`, or null when any owner will do. */
function ownerCondition(owners: WritableOwners) {
  if (owners === null) return null;
  // An empty list matches nothing: such a writer may only create.
  const values = Object.fromEntries((owners.length ? owners : ['\u0000']).map((o, i) => [`:owner${i}`, o]));
  return { expression: `#owner IN (${Object.keys(values).join(', ')})`, names: { '#owner': 'owner' }, values };
}

const membership = (r: ArticleRecord): LogMembership => ({
  id: r.id,
  version: r.version,
  feeds: r.deleted ? [] : r.feeds,
  publishedMs: r.publishedMs,
  ...(r.publishedMs > r.updatedMs ? { embargoed: true } : {}),
  ...(r.deleted ? { deleted: true } : {}),
});

function recordItem(r: ArticleRecord): Record<string, unknown> {
  const chunks = r.contentHtml.length > CHUNK_CHARS ? Math.ceil(r.contentHtml.length / CHUNK_CHARS) : 0;
  const { contentChunks: _old, ...rest } = r;
  return chunks
    ? { ...articleKey(r.id), ...rest, contentHtml: '', contentChunks: chunks }
    : { ...articleKey(r.id), ...rest };
}

function chunkWrites(r: ArticleRecord): WriteRequest[] {
  if (r.contentHtml.length <= CHUNK_CHARS) return [];
  const out: WriteRequest[] = [];
  for (let n = 0, at = 0; at < r.contentHtml.length; n++, at += CHUNK_CHARS) {
    let end = Math.min(at + CHUNK_CHARS, r.contentHtml.length);
    // Never split a surrogate pair across chunks.
    if (end < r.contentHtml.length && /[\uD800-\uDBFF]/.test(r.contentHtml[end - 1]!)) end--;
    out.push({ PutRequest: { Item: { ...contentChunkKey(r.id, r.version, n), text: r.contentHtml.slice(at, end) } } });
    at = end - CHUNK_CHARS;
  }
  return out;
}

const chunkDeletes = (r: ArticleRecord | null): WriteRequest[] =>
  r?.contentChunks
    ? Array.from({ length: r.contentChunks }, (_, n) => ({ DeleteRequest: { Key: contentChunkKey(r.id, r.version, n) } }))
    : [];

/** The derived-item writes and feed-state changes that take the index from `prev` to the current `next`. */
export function indexChanges(prev: LogMembership | null, next: LogMembership, nowMs: number, db: Db) {
  const writes: WriteRequest[] = [];
  const states = new Map<string, FeedStateChange>();
  const state = (feed: string) => {
    let s = states.get(feed);
    if (!s) states.set(feed, (s = { feed, countDelta: 0, embargoAdd: [], embargoRemove: [] }));
    return s;
  };
  const prevFeeds = new Set(prev && !prev.deleted ? prev.feeds : []);
  const nextFeeds = new Set(next.deleted ? [] : next.feeds);
  const moved = prev !== null && prev.publishedMs !== next.publishedMs;
  for (const feed of prevFeeds) {
    if (!nextFeeds.has(feed) || moved) writes.push({ DeleteRequest: { Key: feedEntryKey(feed, prev!.publishedMs, prev!.id) } });
    if (!nextFeeds.has(feed)) state(feed).countDelta--;
    if (prev!.embargoed) state(feed).embargoRemove.push(embargoElement(prev!.publishedMs, prev!.id));
  }
  for (const feed of nextFeeds) {
    // The version lets a reader that holds this version of the record (or its rendered item) skip reading it.
    writes.push({ PutRequest: { Item: { ...feedEntryKey(feed, next.publishedMs, next.id), id: next.id, version: next.version } } });
    const s = state(feed);
    if (!prevFeeds.has(feed)) s.countDelta++;
    if (next.publishedMs > nowMs) s.embargoAdd.push(embargoElement(next.publishedMs, next.id));
  }
  // A withdrawal is listed per institution feed (the console's "withdrawn" filter); readers check each entry against its record.
  if (next.deleted && prev && !prev.deleted) {
    for (const feed of prevFeeds) {
      if (feed.startsWith('inst:') || feed.startsWith('instcat:')) writes.push({ PutRequest: { Item: { ...withdrawnEntryKey(feed, prev.publishedMs, prev.id), id: prev.id } } });
    }
  }
  writes.push(...changeEntryWrites(db, prev, next, nowMs));
  return { writes, states: [...states.values()] };
}

/** The derived-item writes (stale deletes first) and the per-feed state changes of many article writes, coalesced per feed. */
export function planIndex(db: Db, pairs: { prev: LogMembership | null; next: LogMembership }[], nowMs: number, names: Map<string, string>) {
  const writes: WriteRequest[] = [];
  const states = new Map<string, FeedStateChange>();
  for (const { prev, next } of pairs) {
    const changes = indexChanges(prev, next, nowMs, db);
    writes.push(...changes.writes);
    for (const s of changes.states) {
      const merged = states.get(s.feed);
      if (!merged) states.set(s.feed, { ...s, ...(names.has(s.feed) ? { name: names.get(s.feed)! } : {}) });
      else {
        merged.countDelta += s.countDelta;
        merged.embargoAdd.push(...s.embargoAdd);
        merged.embargoRemove.push(...s.embargoRemove);
      }
    }
  }
  // Deletes of stale entries go first (in the same batches as puts): a feed never shows an article it lost.
  writes.sort((a, b) => Number('PutRequest' in a) - Number('PutRequest' in b));
  return { writes, states: [...states.values()] };
}

async function applyIndex(db: Db, pairs: { prev: LogMembership | null; next: LogMembership }[], nowMs: number, names: Map<string, string>) {
  const { writes, states } = planIndex(db, pairs, nowMs, names);
  await batchWriteAll(db, writes);
  await applyFeedStateChanges(db, states, nowMs);
}

/**
 * How many DynamoDB requests writeArticles sends for `writes` when none is retried: the
 * intent, chunk batches, one conditional put per record, derived-item batches, one update per feed-state
 * command, stale-chunk batches and the intent's delete. Serves the Workers subrequest budget.
 */
export function writeArticlesRequests(db: Db, writes: ArticleWrite[], nowMs: number): number {
  if (!writes.length) return 0;
  const batches = (n: number) => Math.ceil(n / 25);
  const index = planIndex(db, writes.map((w) => ({ prev: w.prev ? membership(w.prev) : null, next: membership(w.next) })), nowMs, authorNames(writes.map((w) => w.next)));
  return 2
    + batches(writes.reduce((n, w) => n + chunkWrites(w.next).length, 0))
    + writes.length // each record is its own conditional PutItem (ownership is the write's condition)
    + batches(dedupeWrites(index.writes).length)
    + index.states.reduce((n, c) => n + feedStateUpdates(db, c, nowMs).length, 0)
    + batches(writes.reduce((n, w) => n + chunkDeletes(w.prev).length, 0));
}

const authorNames = (records: ArticleRecord[]) =>
  new Map(records.filter((r) => !r.deleted).map((r) => [`author:${r.authorSlug}`, r.author.name]));

function conditionOf(cond: WriteCondition, owners: WritableOwners) {
  if ('absent' in cond) return { ConditionExpression: 'attribute_not_exists(pk)' };
  const version = 'version' in cond ? cond.version : cond.absentOrVersion;
  if (version === null) return { ConditionExpression: 'attribute_not_exists(pk)' };
  const owner = ownerCondition(owners);
  return {
    ConditionExpression: owner ? `#version = :expected AND ${owner.expression}` : '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version', ...owner?.names },
    ExpressionAttributeValues: { ':expected': version, ...owner?.values },
  };
}

/** A batch item's condition: the article is new, or its owner is one the writer may overwrite. */
function batchConditionOf(owners: WritableOwners) {
  const owner = ownerCondition(owners);
  if (!owner) return {};
  return { ConditionExpression: `attribute_not_exists(pk) OR ${owner.expression}`, ExpressionAttributeNames: owner.names, ExpressionAttributeValues: owner.values };
}

/**
 * Writes one article, conditionally (serves POST, PUT and DELETE of /api/articles):
 * on the version read and, for a replacement, on an owner in `owners`.
 * Throws ConflictError when the condition does not hold; nothing is then changed.
 */
export async function writeArticle(db: Db, write: ArticleWrite, condition: WriteCondition, nowMs: number, owners: WritableOwners = null): Promise<void> {
  const { next, prev } = write;
  const intent = await putIntent(db, [{ id: next.id, prev: prev ? membership(prev) : null }], nowMs);
  const chunks = chunkWrites(next);
  if (chunks.length) await batchWriteAll(db, chunks);
  try {
    await db.doc.send(new PutCommand({ TableName: db.table, Item: recordItem(next), ...conditionOf(condition, owners) }));
  } catch (err) {
    if (chunks.length) await batchWriteAll(db, chunks.map((c) => ({ DeleteRequest: { Key: keyOf(c) } })));
    await deleteIntent(db, intent);
    if (isConditionFailed(err)) throw new ConflictError(`store: article ${next.id} changed since it was read`, { cause: err });
    throw err;
  }
  await applyIndex(db, [{ prev: prev ? membership(prev) : null, next: membership(next) }], nowMs, authorNames([next]));
  const stale = chunkDeletes(prev);
  if (stale.length) await batchWriteAll(db, stale);
  await deleteIntent(db, intent);
}

const keyOf = (w: WriteRequest) => {
  const item = 'PutRequest' in w ? w.PutRequest.Item : w.DeleteRequest.Key;
  return { pk: String(item.pk), sk: String(item.sk) };
};

/** Conditional record puts of a batch in flight at once. */
const BATCH_PUTS_IN_FLIGHT = 8;

/**
 * Writes many articles at once, last writer wins among those allowed (serves
 * POST /api/articles/batch): one intent, each record put on the condition that
 * it is new or owned by one of `owners` (BatchWriteItem takes no condition, so
 * records are single puts, 8 in flight), then the derived items of the records
 * written, coalesced per feed so that a batch costs one state update per feed.
 * Returns the ids whose condition failed (another institution owns them now); nothing of theirs is changed.
 */
export async function writeArticles(db: Db, writes: ArticleWrite[], nowMs: number, owners: WritableOwners = null): Promise<Set<string>> {
  const refused = new Set<string>();
  if (!writes.length) return refused;
  const intent = await putIntent(db, writes.map((w) => ({ id: w.next.id, prev: w.prev ? membership(w.prev) : null })), nowMs);
  await batchWriteAll(db, writes.flatMap((w) => chunkWrites(w.next)));
  const condition = batchConditionOf(owners);
  for (let at = 0; at < writes.length; at += BATCH_PUTS_IN_FLIGHT) {
    await Promise.all(
      writes.slice(at, at + BATCH_PUTS_IN_FLIGHT).map(async (w) => {
        try {
          await db.doc.send(new PutCommand({ TableName: db.table, Item: recordItem(w.next), ...condition }));
        } catch (err) {
          if (!isConditionFailed(err)) throw err;
          refused.add(w.next.id);
        }
      }),
    );
  }
  const written = writes.filter((w) => !refused.has(w.next.id));
  const orphans = writes.filter((w) => refused.has(w.next.id)).flatMap((w) => chunkWrites(w.next).map((c) => ({ DeleteRequest: { Key: keyOf(c) } })));
  if (orphans.length) await batchWriteAll(db, orphans);
  await applyIndex(db, written.map((w) => ({ prev: w.prev ? membership(w.prev) : null, next: membership(w.next) })), nowMs, authorNames(written.map((w) => w.next)));
  const stale = written.flatMap((w) => chunkDeletes(w.prev));
  if (stale.length) await batchWriteAll(db, stale);
  await deleteIntent(db, intent);
  return refused;
}

/**
 * Replays an interrupted write: re-derives feed entries, feed states and
 * change entries from the records as they are now (serves recovery).
 * Idempotent: the same keys are written again.
 */
export async function replayIntent(db: Db, intent: Intent, nowMs: number): Promise<void> {
  const records = await getArticles(db, intent.articles.map((a) => a.id), true);
  const pairs: { prev: LogMembership | null; next: LogMembership }[] = [];
  for (const a of intent.articles) {
    const current = records.get(a.id);
    if (!current) {
      // The record was never written: remove nothing that it might have added (there is nothing).
      continue;
    }
    const next = membership(current);
    if (a.prev && a.prev.version === current.version) {
      // The write never reached its commit point; make sure the old version's entries are complete.
      pairs.push({ prev: null, next });
    } else {
      pairs.push({ prev: a.prev, next });
    }
  }
  await applyIndex(db, pairs.map((p) => ({ ...p })), intent.createdMs, authorNames([...records.values()]));
  // Re-applying "created" counts would drift; counts are advisory and recomputed by check:store.
  await deleteIntent(db, intent);
}

/** Removes a record outright (used only by tests and check:store on orphans). */
export async function deleteRecord(db: Db, id: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: articleKey(id) }));
}
