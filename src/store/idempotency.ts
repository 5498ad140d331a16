/**
 * Idempotency records for POST (`I#<principal>#<key>`): the first request
 * with a key reserves the article id; a retry finds the reservation and
 * returns the same article instead of creating a second one.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { isConditionFailed } from './errors.js';
import { idempotencyKey } from './keys.js';
import { TTL_ATTRIBUTE } from './table.js';

/** A reservation: which article the key stands for, and a hash of the request body. */
export interface IdempotencyRecord {
  articleId: string;
  requestHash: string;
}

/** How long a key is remembered (AWS TTL removes it later). */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

/** Reserves `key` for `record`, or returns the existing reservation (serves POST /api/articles). */
export async function reserveIdempotencyKey(
  db: Db,
  principal: string,
  key: string,
  record: IdempotencyRecord,
  nowMs: number,
): Promise<{ created: true } | { created: false; existing: IdempotencyRecord }> {
  const k = idempotencyKey(principal, key);
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...k, ...record, [TTL_ATTRIBUTE]: Math.floor(nowMs / 1000) + IDEMPOTENCY_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true };
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: k, ConsistentRead: true }));
  return { created: false, existing: { articleId: String(out.Item?.articleId), requestHash: String(out.Item?.requestHash) } };
}

/** Frees `key` after its first request was refused, so that a retry is judged afresh (serves POST /api/articles). */
export async function releaseIdempotencyKey(db: Db, principal: string, key: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: idempotencyKey(principal, key) }));
}
