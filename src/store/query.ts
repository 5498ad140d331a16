/** Reading a whole partition (or the part of it under a sort-key prefix), page after page. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';

/**
 * Every item of partition `pk`, optionally only those whose sort key starts
 * with `prefix`. For partitions that hold what the caller needs in full
 * (a registry, the keys, an article's chunks, a feed's subscriptions).
 */
export async function queryPartition(db: Db, pk: string, options: { prefix?: string; consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const { prefix, consistent } = options;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        ExclusiveStartKey: start,
        ...(consistent ? { ConsistentRead: true } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
