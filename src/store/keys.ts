/**
 * Every DynamoDB key Warta uses, built in one place. Single table, string
 * `pk` and `sk`; the prefixes below are the whole data model:
 *
 * | item              | pk                    | sk                        |
 * |-------------------|-----------------------|---------------------------|
 * | article record    | `A#<id>`              | `A`                       |
 * | content chunk     | `A#<id>`              | `C#<version>#<n>`         |
 * | feed entry        | `F#<feed>`            | `<publishedMs>#<id>`      |
 * | feed state        | `FS#<feed>`           | `S`                       |
 * | change entry      | `C#<log>`             | `<visibleMs>#<id>#<ver>`  |
 * | write intent      | `PENDING#<0..7>`      | `<ms>#<ulid>`             |
 * | registry entry    | `R#<kind>`            | `<slug>`                  |
 * | API key           | `KEYS`                | `<keyId>`                 |
 * | idempotency       | `I#<principal>#<key>` | `I`                       |
 * | WebSub subscriber | `WS#<feed>`           | `<topicPath> <callback>`  |
 * | WebSub failures   | `WSFAIL#<feed>`       | `<topicPath> <callback>`  |
 * | WebSub due push   | `WSDUE`               | `<dueMs>#<feed>`          |
 * | subscribed feed   | `WSFEEDS`             | `<feed>`                  |
 * | probe (never set) | `PROBE`               | `P`                       |
 * | subscriber host   | `WSHOST#<host>`       | `<feed> <topic> <callback>` |
 * | withdrawn entry   | `WD#<feed>`           | `<publishedMs>#<id>`      |
 * | console session   | `SESSION#<sha256(id)>`| `S`                       |
 * | ingest source     | `SRC`                 | `<sourceId>`              |
 * | source due        | `SRCDUE`              | `<dueMs>#<sourceId>`      |
 *
 * A feed key names a slice: `all`, `cat:<slug>`, `inst:<slug>`,
 * `instcat:<inst>:<cat>`, `author:<slug>`, `tag:<slug>` (src/model/feed-address.ts).
 */

/** A DynamoDB primary key. */
export interface Key {
  pk: string;
  sk: string;
}


const MS_WIDTH = 15;
/** Zero-padded milliseconds so that string order is time order (until year 33658). */
export function sortableMs(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(MS_WIDTH, '0');
}

export const articleKey = (id: string): Key => ({ pk: `A#${id}`, sk: 'A' });
export const contentChunkKey = (id: string, version: number, n: number): Key => ({
  pk: `A#${id}`,
  sk: `C#${String(version).padStart(10, '0')}#${String(n).padStart(4, '0')}`,
});
export const contentChunkPrefix = (version: number) => `C#${String(version).padStart(10, '0')}#`;

export const feedPk = (feed: string) => `F#${feed}`;
/** Sort key of an article inside a feed: newest-first order by publication instant. */
export const feedEntrySk = (publishedMs: number, id: string) => `${sortableMs(publishedMs)}#${id}`;
export const feedEntryKey = (feed: string, publishedMs: number, id: string): Key => ({
  pk: feedPk(feed),
  sk: feedEntrySk(publishedMs, id),
});
/** Upper bound of the sort keys of entries published at or before `ms`. */
export const feedEntryUpperBound = (ms: number) => `${sortableMs(ms)}#\uffff`;
/** Lowest feed-entry sort key at `ms` (every entry published at or after `ms` sorts after it). */
export const feedEntryLowerBound = (ms: number) => `${sortableMs(ms)}#`;

export const feedStateKey = (feed: string): Key => ({ pk: `FS#${feed}`, sk: 'S' });

/** Change logs exist for everything and per category and institution (the partner filters). */
export const changeLogPk = (log: string) => `C#${log}`;
export const changeEntryKey = (log: string, visibleMs: number, id: string, version: number): Key => ({
  pk: changeLogPk(log),
  sk: `${sortableMs(visibleMs)}#${id}#${String(version).padStart(10, '0')}`,
});
export const changeUpperBound = (ms: number) => `${sortableMs(ms)}#\uffff`;

/**
 * Write intents are spread over INTENT_SHARDS partitions (`PENDING#0`…`PENDING#7`):
 * every write in the country puts and deletes one, which on a single partition
 * would be hot at ~500 writes/s (docs/scaling.md). Readers (recovery,
 * /healthz, check:store) query every shard and the pre-sharding `PENDING`.
 */
export const INTENT_SHARDS = 8;
/** The single intent partition used before intents were sharded; still read, never written. */
export const PENDING_PK = 'PENDING';
export const intentPk = (shard: number) => `${PENDING_PK}#${shard}`;
/** Every partition that may hold intents: the shards, then the pre-sharding one. */
export const INTENT_PKS: readonly string[] = [...Array.from({ length: INTENT_SHARDS }, (_, n) => intentPk(n)), PENDING_PK];
/** Whether `pk` is an intent partition. */
export const isIntentPk = (pk: string) => INTENT_PKS.includes(pk);
/** The shard of an intent: FNV-1a (32-bit) of its unique id, modulo INTENT_SHARDS. Deterministic, so a key can be rebuilt. */
export function intentShard(unique: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < unique.length; i++) h = Math.imul(h ^ unique.charCodeAt(i), 0x01000193);
  return (h >>> 0) % INTENT_SHARDS;
}
export const intentKey = (ms: number, unique: string): Key => ({ pk: intentPk(intentShard(unique)), sk: `${sortableMs(ms)}#${unique}` });

export type RegistryKind = 'category' | 'institution';
export const registryPk = (kind: RegistryKind) => `R#${kind}`;
export const registryKey = (kind: RegistryKind, slug: string): Key => ({ pk: registryPk(kind), sk: slug });

export const KEYS_PK = 'KEYS';
export const apiKeyKey = (keyId: string): Key => ({ pk: KEYS_PK, sk: keyId });

export const idempotencyKey = (principal: string, key: string): Key => ({ pk: `I#${principal}#${key}`, sk: 'I' });

/** WebSub subscriptions are grouped per feed: one Query finds every topic (format, `?limit=`) of a feed with its subscribers. */
export const subscriptionPk = (feed: string) => `WS#${feed}`;
/** Sort key of a subscription: its topic path (`/feed.rss?limit=5`), a space (never in a URL), its callback. */
export const subscriptionSk = (topicPath: string, callback: string) => `${topicPath} ${callback}`;
export const subscriptionKey = (feed: string, topicPath: string, callback: string): Key => ({
  pk: subscriptionPk(feed),
  sk: subscriptionSk(topicPath, callback),
});
/** Deliveries given up after their retries, counted per subscription (kept when the subscription ends). */
export const deliveryFailurePk = (feed: string) => `WSFAIL#${feed}`;
export const deliveryFailureKey = (feed: string, topicPath: string, callback: string): Key => ({
  pk: deliveryFailurePk(feed),
  sk: subscriptionSk(topicPath, callback),
});
/** The same subscriptions indexed by callback host (`<feed> <topicPath> <callback>`), so the hub can cap them per host with one Query. */
export const subscriptionHostPk = (host: string) => `WSHOST#${host.toLowerCase()}`;
export const subscriptionHostKey = (host: string, feed: string, topicPath: string, callback: string): Key => ({
  pk: subscriptionHostPk(host),
  sk: `${feed} ${subscriptionSk(topicPath, callback)}`,
});
/** Feeds that have (or had) WebSub subscribers: a write looks up subscribers only for these. */
export const SUBSCRIBED_FEEDS_PK = 'WSFEEDS';
export const subscribedFeedKey = (feed: string): Key => ({ pk: SUBSCRIBED_FEEDS_PK, sk: feed });
/** Pushes owed when an embargo lifts (no write happens then): due time first, so one Query finds those due. */
export const DUE_PUSH_PK = 'WSDUE';
export const duePushKey = (dueMs: number, feed: string): Key => ({ pk: DUE_PUSH_PK, sk: `${sortableMs(dueMs)}#${feed}` });
export const duePushUpperBound = (ms: number) => `${sortableMs(ms)}#\uffff`;

/** A key no item ever has: start-up and /healthz read it to prove the table answers (a GetItem, no extra IAM action). */
export const PROBE_KEY: Key = { pk: 'PROBE', sk: 'P' };
/** Withdrawn (deleted) articles of an institution feed (`inst:` / `instcat:`), newest publication first: the console's "withdrawn" list. */
export const withdrawnPk = (feed: string) => `WD#${feed}`;
export const withdrawnEntryKey = (feed: string, publishedMs: number, id: string): Key => ({
  pk: withdrawnPk(feed),
  sk: feedEntrySk(publishedMs, id),
});
/** A console session, by the SHA-256 of its id (the id itself is only in the browser's cookie). */
export const sessionKey = (idHash: string): Key => ({ pk: `SESSION#${idHash}`, sk: 'S' });
/** Registered ingest sources, one partition: `GET /api/sources` is one Query. */
export const SOURCES_PK = 'SRC';
export const sourceKey = (id: string): Key => ({ pk: SOURCES_PK, sk: id });
/** When each source is next due: the scheduler Queries only those due (sort key up to now). */
export const SOURCE_DUE_PK = 'SRCDUE';
export const sourceDueKey = (dueMs: number, id: string): Key => ({ pk: SOURCE_DUE_PK, sk: `${sortableMs(dueMs)}#${id}` });
export const sourceDueUpperBound = (ms: number) => `${sortableMs(ms)}#\uffff`;
