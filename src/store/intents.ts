/**
 * Write intents: DynamoDB Local's stand-in dynalite has no transactions, so
 * a multi-item write first records what it is about to change. If the
 * process dies part-way, replaying the intent brings the derived items
 * (feed entries, feed states, change entries) in line with the article
 * records. Intents are spread over INTENT_SHARDS partitions (`PENDING#<n>`,
 * docs/scaling.md); they hold only writes in flight, so listing them costs
 * what is pending plus one small Query per shard.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import type { Db } from './db.js';
import { INTENT_PKS, intentKey, sortableMs, type Key } from './keys.js';
import type { LogMembership } from './changes.js';
import { countRange, queryRange } from './query.js';

/** What the store knew of one article before the write. */
export interface IntentArticle {
  id: string;
  /** The version being replaced (null when the article did not exist). */
  prev: LogMembership | null;
}

/** A recorded write intent. */
export interface Intent {
  key: Key;
  createdMs: number;
  articles: IntentArticle[];
}

/** Records an intent before a write (serves every article write). */
export async function putIntent(db: Db, articles: IntentArticle[], nowMs: number): Promise<Intent> {
  const intent: Intent = { key: intentKey(nowMs, ulid()), createdMs: nowMs, articles };
  await db.doc.send(
    new PutCommand({ TableName: db.table, Item: { ...intent.key, createdMs: nowMs, articles: JSON.stringify(articles) } }),
  );
  return intent;
}

/** Removes an intent once its write is complete. */
export async function deleteIntent(db: Db, intent: Intent): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: intent.key }));
}

/** Intents older than `olderThanMs`, oldest first, at most `limit` (serves recovery at start-up, on a timer and in check:store). */
export async function listIntents(db: Db, olderThanMs: number, limit = 100): Promise<Intent[]> {
  const pages = await Promise.all(INTENT_PKS.map((pk) => queryRange(db, { pk, below: sortableMs(olderThanMs), limit, consistent: true })));
  return pages
    .flat()
    .map((i) => ({
      key: { pk: String(i.pk), sk: String(i.sk) },
      createdMs: Number(i.createdMs),
      articles: JSON.parse(String(i.articles)) as IntentArticle[],
    }))
    .sort((a, b) => (a.key.sk < b.key.sk ? -1 : a.key.sk > b.key.sk ? 1 : 0))
    .slice(0, limit);
}

/** How many intents are pending, counting at most `cap` per partition (serves /healthz). */
export async function countIntents(db: Db, cap = 1000): Promise<number> {
  const counts = await Promise.all(INTENT_PKS.map((pk) => countRange(db, { pk, limit: cap, consistent: true })));
  return counts.reduce((a, b) => a + b, 0);
}
