/**
 * Article ids of a feed by publication time, straight from the feed entries
 * (no article is read): what sitemaps list. One Query per 1000 entries of the
 * range; an entry outlives its article only for the instant of a crashed write
 * (check:store repairs it), and a sitemap URL that answers 404 is harmless.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { feedEntryLowerBound, feedEntryUpperBound, feedPk } from './keys.js';

/** One entry: the article's id and publication instant. */
export interface EntryRef {
  id: string;
  publishedMs: number;
}

/** The entries of `feed` published in [fromMs, toMs], oldest first, at most `limit`. */
export async function listEntriesBetween(db: Db, feed: string, fromMs: number, toMs: number, limit: number): Promise<EntryRef[]> {
  const out: EntryRef[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': feedPk(feed), ':lo': feedEntryLowerBound(fromMs), ':hi': feedEntryUpperBound(toMs) },
        ProjectionExpression: 'sk, id',
        Limit: Math.min(1000, limit - out.length),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) out.push({ id: String(item.id), publishedMs: Number(String(item.sk).split('#')[0]) });
    start = page.LastEvaluatedKey;
  } while (start && out.length < limit);
  return out;
}

/** The publication instant of the oldest entry of `feed`, or null when it has none. */
export async function oldestEntryMs(db: Db, feed: string): Promise<number | null> {
  const page = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': feedPk(feed) },
      ProjectionExpression: 'sk',
      Limit: 1,
    }),
  );
  const sk = page.Items?.[0]?.sk;
  return sk === undefined ? null : Number(String(sk).split('#')[0]);
}
