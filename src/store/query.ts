/**
 * The store's range-query helper: a Query on one partition with an optional sort-key
 * condition (prefix, below or at most a bound), paging, limit, count and consistency
 * written once. (The paged listings with cursors and index queries — articles.ts,
 * changes.ts, console-articles.ts — still build their own QueryCommand.)
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';

/** One partition, or the part of it a sort-key condition selects. */
export interface RangeQuery {
  pk: string;
  /** Only sort keys starting with this. */
  prefix?: string;
  /** Only sort keys strictly below this. */
  below?: string;
  /** Only sort keys at or below this. */
  atMost?: string;
  /** At most this many items, in sort-key order (one or more pages); all of them when absent. */
  limit?: number;
  consistent?: boolean;
  /** A filter on other attributes (applied after the key condition, still paid for). */
  filter?: { expression: string; values: Record<string, unknown> };
}

function command(db: Db, q: RangeQuery, start: Record<string, unknown> | undefined, count: boolean): QueryCommand {
  const bound = q.prefix !== undefined ? ['begins_with(sk, :sk)', q.prefix] : q.below !== undefined ? ['sk < :sk', q.below] : q.atMost !== undefined ? ['sk <= :sk', q.atMost] : undefined;
  return new QueryCommand({
    TableName: db.table,
    KeyConditionExpression: bound ? `pk = :pk AND ${bound[0]}` : 'pk = :pk',
    ExpressionAttributeValues: { ':pk': q.pk, ...(bound ? { ':sk': bound[1] } : {}), ...(q.filter?.values ?? {}) },
    ...(q.filter ? { FilterExpression: q.filter.expression } : {}),
    ...(q.limit !== undefined ? { Limit: q.limit } : {}),
    ...(count ? { Select: 'COUNT' as const } : {}),
    ...(q.consistent ? { ConsistentRead: true } : {}),
    ExclusiveStartKey: start,
  });
}

/** The items a range query selects, in sort-key order, page after page (up to `limit` when given). */
export async function queryRange(db: Db, q: RangeQuery): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(command(db, q.limit === undefined ? q : { ...q, limit: q.limit - items.length }, start, false));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && (q.limit === undefined || items.length < q.limit));
  return items;
}

/**
 * How many items a range query selects (Select COUNT: nothing is read back). With
 * `limit`, one page of at most that many is counted (DynamoDB counts before the filter).
 */
export async function countRange(db: Db, q: RangeQuery): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(command(db, q, start, true));
    count += out.Count ?? 0;
    start = q.limit === undefined ? out.LastEvaluatedKey : undefined;
  } while (start);
  return count;
}

/**
 * Every item of partition `pk`, optionally only those whose sort key starts
 * with `prefix`. For partitions that hold what the caller needs in full
 * (a registry, the keys, an article's chunks, a feed's subscriptions).
 */
export async function queryPartition(db: Db, pk: string, options: { prefix?: string; consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  return queryRange(db, { pk, ...(options.prefix ? { prefix: options.prefix } : {}), ...(options.consistent ? { consistent: true } : {}) });
}
