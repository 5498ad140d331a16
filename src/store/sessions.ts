/**
 * Console sessions (`SESSION#<sha256(id)>` / `S`). The browser holds the
 * session id in an HttpOnly cookie; the store keeps only its hash, the
 * principal it stands for (a key id, or the admin by the hash of the admin
 * token), a CSRF token and the expiry. `expiresAt` (epoch seconds) is the
 * attribute DynamoDB's TTL deletes old sessions by; reads check the expiry
 * themselves, so an expired session is refused even before TTL runs.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { sessionKey } from './keys.js';
import { TTL_ATTRIBUTE } from './table.js';

/** Who a session stands for. */
export type SessionSubject = { kind: 'key'; keyId: string } | { kind: 'admin'; adminTokenHash: string };

/** A stored session. */
export interface StoredSession {
  subject: SessionSubject;
  csrf: string;
  createdMs: number;
  expiresMs: number;
}

/** Stores a new session under the hash of its id (serves sign-in). */
export async function putSession(db: Db, idHash: string, session: StoredSession): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: { ...sessionKey(idHash), ...session, [TTL_ATTRIBUTE]: Math.ceil(session.expiresMs / 1000) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** The session with this id hash, or null when there is none or it has expired at `nowMs` (serves every console request). */
export async function getSession(db: Db, idHash: string, nowMs: number): Promise<StoredSession | null> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: sessionKey(idHash), ConsistentRead: true }));
  if (!out.Item) return null;
  const session: StoredSession = {
    subject: out.Item.subject as SessionSubject,
    csrf: String(out.Item.csrf),
    createdMs: Number(out.Item.createdMs),
    expiresMs: Number(out.Item.expiresMs),
  };
  return session.expiresMs > nowMs ? session : null;
}

/** Deletes a session (serves sign-out, and any use of an expired or revoked one). */
export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: sessionKey(idHash) }));
}
