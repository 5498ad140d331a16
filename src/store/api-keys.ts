/** API keys (`KEYS` / `<keyId>`): role, institutions and the SHA-256 of the secret, never the secret. */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from './query.js';
import type { Db } from './db.js';
import { isConditionFailed } from './errors.js';
import { apiKeyKey, KEYS_PK } from './keys.js';
import type { ApiKey } from '../model/schemas.js';

/** A stored key: the API view plus the secret's hash. */
export interface StoredKey extends ApiKey {
  secretHash: string;
}

/** Stores a new key (serves POST /api/keys). */
export async function putKey(db: Db, key: StoredKey): Promise<void> {
  await db.doc.send(
    new PutCommand({ TableName: db.table, Item: { ...apiKeyKey(key.id), ...key }, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

/** One key by id, or null (serves authentication of every request with a key token). */
export async function getKey(db: Db, id: string): Promise<StoredKey | null> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: apiKeyKey(id), ConsistentRead: true }));
  if (!out.Item) return null;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as StoredKey;
}

/** Marks a key revoked; false when there is no such key (serves DELETE /api/keys/:id). */
export async function revokeKey(db: Db, id: string, revokedAt: string): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: apiKeyKey(id),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': revokedAt },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}

/** Every key, without hashes (serves GET /api/keys). */
export async function listKeys(db: Db): Promise<ApiKey[]> {
  return (await queryPartition(db, KEYS_PK)).map((item) => {
    const { pk: _pk, sk: _sk, secretHash: _h, ...rest } = item;
    return rest as ApiKey;
  });
}
