/**
 * Reading articles: by id, by ids, and a feed's page newest-first. Feed
 * entries are pointers; every page is checked against the article records
 * it points to, so an entry left behind by an interrupted write (article
 * deleted, moved, or re-dated) is never shown.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { articleKey, contentChunkPrefix, feedEntrySk, feedEntryUpperBound, feedPk } from './keys.js';
import type { ArticleRecord } from './article-record.js';
import { batchGetAll } from './batch.js';
import { queryPartition } from './query.js';

/** Content longer than this (in UTF-16 units) is split into chunk items (DynamoDB items are capped at 400 KB). */
export const CHUNK_CHARS = 90_000;

function fromItem(item: Record<string, unknown>): ArticleRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as ArticleRecord;
}

async function loadChunks(db: Db, r: ArticleRecord): Promise<ArticleRecord> {
  if (!r.contentChunks) return r;
  const parts = (await queryPartition(db, articleKey(r.id).pk, { prefix: contentChunkPrefix(r.version), consistent: true })).map((item) => String(item.text));
  return { ...r, contentHtml: parts.join('') };
}

/** One article record, tombstones included; null when there never was one (serves GET /api/articles/:id and every write). */
export async function getArticle(db: Db, id: string): Promise<ArticleRecord | null> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: articleKey(id), ConsistentRead: true }));
  return out.Item ? loadChunks(db, fromItem(out.Item)) : null;
}

/** Several article records by id (serves feed pages, change pages and batch writes). */
export async function getArticles(db: Db, ids: string[], consistent = false): Promise<Map<string, ArticleRecord>> {
  if (!ids.length) return new Map();
  const items = await batchGetAll(db, ids.map(articleKey), consistent);
  const records = await Promise.all(items.map((i) => loadChunks(db, fromItem(i))));
  return new Map(records.map((r) => [r.id, r]));
}

/**
 * The content a feed page carries at most, in characters of stored HTML: items are
 * added newest first while they fit, and the first always (an article is at most
 * MAX_CONTENT_CHARS). It bounds the memory and bytes of rendering any page, whatever
 * `limit` asks; the page's `next` link goes on from the last item it holds.
 */
export const FEED_PAGE_CONTENT_CHARS = 1_000_000;

/** Stored content size of a record read without its chunks. */
const contentSize = (r: ArticleRecord) => (r.contentChunks ? r.contentChunks * CHUNK_CHARS : r.contentHtml.length);

/** Records this process already holds, by id and version (a version is immutable): feed pages read only the others. */
export interface RecordSource {
  get(id: string, version: number): ArticleRecord | undefined;
  put(record: ArticleRecord): void;
}

/** A page of a feed. `lastSk` is where the next page starts. */
export interface FeedPage {
  articles: ArticleRecord[];
  /** Sort key of the last article returned; the next page starts after it. */
  lastSk?: string;
  hasMore: boolean;
}

/**
 * The newest public articles of a feed, `limit` at most, older than `beforeSk`
 * when given (serves every feed URL and the HTML pages). Two requests in the
 * normal case: one Query of `limit + 1` entries and one BatchGetItem, which
 * only asks for the records `records` does not hold at the entry's version
 * (none: one request).
 */
export async function listFeedPage(
  db: Db,
  feed: string,
  options: { limit: number; beforeSk?: string; nowMs: number; records?: RecordSource },
): Promise<FeedPage> {
  const known = options.records;
  /** Records already complete (held by this process): their chunks are not read again. */
  const loaded = new Set<ArticleRecord>();
  const want = options.limit + 1;
  const valid: { sk: string; record: ArticleRecord }[] = [];
  let upper = options.beforeSk;
  let exhausted = false;
  while (valid.length < want && !exhausted) {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: upper ? 'pk = :pk AND sk < :upper' : 'pk = :pk AND sk <= :upper',
        ExpressionAttributeValues: { ':pk': feedPk(feed), ':upper': upper ?? feedEntryUpperBound(options.nowMs) },
        ScanIndexForward: false,
        Limit: want - valid.length,
        // Strongly consistent, like the state read: a page rendered under a new state tag must show that state.
        ConsistentRead: true,
      }),
    );
    const entries = (out.Items ?? []).map((i) => ({ sk: String(i.sk), id: String(i.id), version: typeof i.version === 'number' ? i.version : undefined }));
    exhausted = !out.LastEvaluatedKey || entries.length === 0;
    if (!entries.length) break;
    upper = entries[entries.length - 1]!.sk;
    // Entries name the version they were written for; a record held at that version (with its content) is not read
    // again. The others are read without their chunks: only the articles the page keeps have their content read.
    const records = new Map<string, ArticleRecord>();
    const missing: string[] = [];
    for (const e of entries) {
      const held = known && e.version !== undefined ? known.get(e.id, e.version) : undefined;
      if (held) {
        records.set(e.id, held);
        loaded.add(held);
      } else missing.push(e.id);
    }
    if (missing.length) {
      for (const item of await batchGetAll(db, missing.map((id) => articleKey(id)), true)) {
        const r = fromItem(item);
        records.set(r.id, r);
        // A record without chunks is complete as read; a chunked one is held once its content is read.
        if (!r.contentChunks) {
          known?.put(r);
          loaded.add(r);
        }
      }
    }
    for (const e of entries) {
      const r = records.get(e.id);
      if (r && !r.deleted && r.publishedMs <= options.nowMs && r.feeds.includes(feed) && feedEntrySk(r.publishedMs, r.id) === e.sk) {
        valid.push({ sk: e.sk, record: r });
      }
    }
  }
  let page = valid.slice(0, options.limit);
  let chars = 0;
  const fits = page.findIndex((v, i) => (chars += contentSize(v.record)) > FEED_PAGE_CONTENT_CHARS && i > 0);
  if (fits > 0) page = page.slice(0, fits);
  const articles = await Promise.all(
    page.map(async (v) => {
      if (loaded.has(v.record)) return v.record;
      const full = await loadChunks(db, v.record);
      known?.put(full);
      return full;
    }),
  );
  return {
    articles,
    ...(page.length ? { lastSk: page[page.length - 1]!.sk } : {}),
    hasMore: valid.length > page.length,
  };
}
