/**
 * The console's article list: one institution's articles, newest first,
 * by status, optionally within one category. Every status is a keyed
 * Query (no Scan): published and scheduled are the two halves of the
 * institution's feed partition (`F#inst:<slug>` or `F#instcat:<slug>:<cat>`)
 * split at now; withdrawn is `WD#<same feed>`, written when an article is
 * deleted. Entries are checked against their records, as feeds do.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import type { ArticleRecord } from './article-record.js';
import { getArticles } from './articles.js';
import { feedKey } from '../model/feed-address.js';
import { feedEntrySk, feedEntryUpperBound, feedPk, withdrawnPk } from './keys.js';

/** The three lists of the console. */
export type ConsoleStatus = 'published' | 'scheduled' | 'withdrawn';

/** A page of the console's list; `nextSk` is where the next (older) page starts. */
export interface ConsolePage {
  articles: ArticleRecord[];
  nextSk?: string;
}

/** Lists `limit` articles of `institution` (and `category`) with `status` at `nowMs`, older than `beforeSk` when given. */
export async function listConsoleArticles(
  db: Db,
  q: { institution: string; category?: string; status: ConsoleStatus; limit: number; beforeSk?: string; nowMs: number },
): Promise<ConsolePage> {
  const feed = feedKey(q.category ? { kind: 'instcat', slug: q.institution, category: q.category } : { kind: 'inst', slug: q.institution });
  const pk = q.status === 'withdrawn' ? withdrawnPk(feed) : feedPk(feed);
  const nowBound = feedEntryUpperBound(q.nowMs);
  const keep = (r: ArticleRecord | undefined, sk: string): r is ArticleRecord => {
    // BETWEEN includes its upper end: the cursor's own entry is not shown again.
    if (!r || sk === q.beforeSk || feedEntrySk(r.publishedMs, r.id) !== sk) return false;
    if (q.status === 'withdrawn') return Boolean(r.deleted) && r.institutions.includes(q.institution) && (!q.category || r.category === q.category);
    if (r.deleted || !r.feeds.includes(feed)) return false;
    return q.status === 'published' ? r.publishedMs <= q.nowMs : r.publishedMs > q.nowMs;
  };
  const found: { sk: string; record: ArticleRecord }[] = [];
  const upper = q.beforeSk;
  let start: Record<string, unknown> | undefined;
  do {
    const values: Record<string, unknown> = { ':pk': pk };
    let condition = 'pk = :pk';
    if (upper) {
      condition += ' AND sk < :upper';
      values[':upper'] = upper;
      if (q.status === 'scheduled') {
        condition = 'pk = :pk AND sk BETWEEN :lower AND :upper';
        values[':lower'] = nowBound;
      }
    } else if (q.status === 'published') {
      condition += ' AND sk <= :upper';
      values[':upper'] = nowBound;
    } else if (q.status === 'scheduled') {
      condition += ' AND sk > :lower';
      values[':lower'] = nowBound;
    }
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: q.limit + 1 - found.length,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const entries = (out.Items ?? []).map((i) => ({ sk: String(i.sk), id: String(i.id) }));
    start = out.LastEvaluatedKey;
    if (!entries.length) break;
    const records = await getArticles(db, [...new Set(entries.map((e) => e.id))], true);
    for (const e of entries) {
      const r = records.get(e.id);
      if (keep(r, e.sk)) found.push({ sk: e.sk, record: r });
    }
  } while (start && found.length < q.limit + 1);
  const page = found.slice(0, q.limit);
  return {
    articles: page.map((f) => f.record),
    ...(found.length > q.limit ? { nextSk: page[page.length - 1]!.sk } : {}),
  };
}
