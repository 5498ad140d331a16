/**
 * WebSub subscriptions in the single table (`WS#<feed>` / `<topicPath> <callback>`)
 * and the deliveries given up on them (`WSFAIL#<feed>` / same sort key).
 * Grouped per feed so that a write's delivery costs one Query per affected
 * feed, whatever the formats and `?limit=` variants subscribed; a topic's
 * subscribers are a `begins_with` on the same partition. No Scan anywhere.
 * Leases: `leaseExpiresMs` is checked at delivery time (expired ones are
 * skipped and deleted lazily); `expiresAt` (epoch seconds) lets AWS TTL
 * remove them too. Secrets are stored sealed (websub/secret-box.ts), never plain.
 * The per-process cache of subscribed feeds stays in websub/subscriptions.ts.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { countRange, queryPartition } from './query.js';
import { deliveryFailureKey, deliveryFailurePk, SUBSCRIBED_FEEDS_PK, subscribedFeedKey, subscriptionHostKey, subscriptionHostPk, subscriptionKey, subscriptionPk, subscriptionSk } from './keys.js';
import { TTL_ATTRIBUTE } from './table.js';
import { isConditionFailed } from './errors.js';

/** An active (verified) subscription. */
export interface Subscription {
  feed: string;
  /** Topic path and query relative to the base URL (`/institutions/x/feed.rss`). */
  topic: string;
  callback: string;
  leaseSeconds: number;
  leaseExpiresMs: number;
  verifiedMs: number;
  /** The hub.secret sealed with AES-GCM (secret-box.ts); absent when none was given. */
  sealedSecret?: string;
}

/** Deliveries to one subscription that were given up after their retries. */
export interface DeliveryFailures {
  feed: string;
  topic: string;
  callback: string;
  /** How many pending deliveries were dropped. */
  dropped: number;
  lastError: string;
  lastAttempts: number;
  lastFailedMs: number;
}

/** The identity of a subscription, bound into its sealed secret. */
export const subscriptionIdentity = (topic: string, callback: string) => subscriptionSk(topic, callback);

/** The PutItem that stores `sub` (replacing an earlier subscription of the same topic and callback). */
export function subscriptionPut(db: Db, sub: Subscription): PutCommand {
  return new PutCommand({
    TableName: db.table,
    Item: { ...subscriptionKey(sub.feed, sub.topic, sub.callback), ...sub, [TTL_ATTRIBUTE]: Math.ceil(sub.leaseExpiresMs / 1000) },
  });
}

/**
 * Stores a verified subscription (after a successful subscribe verification), and marks
 * its feed as subscribed first, so that a write never misses a stored subscription.
 */
export async function putSubscription(db: Db, sub: Subscription): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...subscribedFeedKey(sub.feed), feed: sub.feed } }));
  await db.doc.send(subscriptionPut(db, sub));
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: { ...subscriptionHostKey(hostOf(sub.callback), sub.feed, sub.topic, sub.callback), leaseExpiresMs: sub.leaseExpiresMs, [TTL_ATTRIBUTE]: Math.ceil(sub.leaseExpiresMs / 1000) },
    }),
  );
}

/** The host of a callback URL, lower-cased (what per-host limits count). */
export const hostOf = (callback: string): string => new URL(callback).hostname.toLowerCase();

/** Subscriptions with callbacks on `host` whose lease runs past `nowMs` (one Query on the host's index; cost in proportion to what it counts). */
export async function countHostSubscriptions(db: Db, host: string, nowMs: number): Promise<number> {
  return countRange(db, { pk: subscriptionHostPk(host), filter: { expression: 'leaseExpiresMs > :now', values: { ':now': nowMs } } });
}

/** The stored subscription of `topic` for `callback`; null when there is none (serves the durable queue's consumer). */
export async function getSubscription(db: Db, sub: Pick<Subscription, 'feed' | 'topic' | 'callback'>): Promise<Subscription | null> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: subscriptionKey(sub.feed, sub.topic, sub.callback), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : null;
}

/** Is there a stored subscription of `topic` for `callback` (a renewal, which a cap does not refuse)? */
export async function hasSubscription(db: Db, sub: Pick<Subscription, 'feed' | 'topic' | 'callback'>): Promise<boolean> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: subscriptionKey(sub.feed, sub.topic, sub.callback), ProjectionExpression: 'pk' }));
  return Boolean(out.Item);
}

/**
 * Every feed that has, or once had, subscribers (serves each write's delivery:
 * only these feeds' subscriptions are queried). Markers are never removed, so
 * a marker can never be missing for a stored subscription.
 */
export async function listSubscribedFeeds(db: Db): Promise<Set<string>> {
  return new Set((await queryPartition(db, SUBSCRIBED_FEEDS_PK)).map((item) => String(item.sk)));
}

/**
 * Deletes a subscription (after a verified unsubscribe, a 410 from the
 * callback, or a lapsed lease). With `leaseExpiresMs`, only if the lease is
 * still that one: a renewal that raced the deletion survives. Returns whether it was deleted.
 */
export async function deleteSubscription(db: Db, sub: Pick<Subscription, 'feed' | 'topic' | 'callback'>, leaseExpiresMs?: number): Promise<boolean> {
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: subscriptionKey(sub.feed, sub.topic, sub.callback),
        ...(leaseExpiresMs !== undefined
          ? { ConditionExpression: 'leaseExpiresMs = :lease', ExpressionAttributeValues: { ':lease': leaseExpiresMs } }
          : {}),
      }),
    );
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: subscriptionHostKey(hostOf(sub.callback), sub.feed, sub.topic, sub.callback) }));
  return true;
}

function fromItem(item: Record<string, unknown>): Subscription {
  return {
    feed: String(item.feed),
    topic: String(item.topic),
    callback: String(item.callback),
    leaseSeconds: Number(item.leaseSeconds),
    leaseExpiresMs: Number(item.leaseExpiresMs),
    verifiedMs: Number(item.verifiedMs),
    ...(item.sealedSecret ? { sealedSecret: String(item.sealedSecret) } : {}),
  };
}

/** Every subscription to any topic of `feed`, expired ones included (serves delivery after a write). */
export async function listFeedSubscriptions(db: Db, feed: string): Promise<Subscription[]> {
  return (await queryPartition(db, subscriptionPk(feed))).map(fromItem);
}

/** The subscriptions of one topic (serves the admin listing). */
export async function listTopicSubscriptions(db: Db, feed: string, topic: string): Promise<Subscription[]> {
  return (await queryPartition(db, subscriptionPk(feed), { prefix: `${topic} ` })).map(fromItem);
}

/** Counts a dropped delivery against a subscription, with the last error (serves the delivery queue's give-up). */
export async function recordDeliveryFailure(
  db: Db,
  sub: Pick<Subscription, 'feed' | 'topic' | 'callback'>,
  failure: { error: string; attempts: number; nowMs: number },
): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: deliveryFailureKey(sub.feed, sub.topic, sub.callback),
      UpdateExpression: 'SET feed = :feed, topic = :topic, callback = :callback, lastError = :error, lastAttempts = :attempts, lastFailedMs = :now ADD dropped :one',
      ExpressionAttributeValues: {
        ':feed': sub.feed,
        ':topic': sub.topic,
        ':callback': sub.callback,
        ':error': failure.error.slice(0, 500),
        ':attempts': failure.attempts,
        ':now': failure.nowMs,
        ':one': 1,
      },
    }),
  );
}

/** The failure records of one topic's subscriptions (serves the admin listing). */
export async function listDeliveryFailures(db: Db, feed: string, topic: string): Promise<DeliveryFailures[]> {
  return (await queryPartition(db, deliveryFailurePk(feed), { prefix: `${topic} ` })).map((i) => ({
    feed: String(i.feed),
    topic: String(i.topic),
    callback: String(i.callback),
    dropped: Number(i.dropped),
    lastError: String(i.lastError),
    lastAttempts: Number(i.lastAttempts),
    lastFailedMs: Number(i.lastFailedMs),
  }));
}
