/**
 * Write intents are spread over 8 partitions (docs/scaling.md: one
 * partition would be hot at ~500 writes/s), and recovery still finds every
 * one of them, including intents left in the pre-sharding `PENDING`
 * partition, oldest first.
 */
import { describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { writeArticle } from '../src/store/article-writes.js';
import { checkStore } from '../src/store/consistency.js';
import { countIntents, listIntents, putIntent } from '../src/store/intents.js';
import { INTENT_PKS, intentPk, PENDING_PK } from '../src/store/keys.js';
import { recoverPendingWrites } from '../src/store/recovery.js';
import { createTestDb, crashingDb, recordOf, SimulatedCrash } from './support/store.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('write intents', () => {
  it('are spread over the 8 PENDING#<n> partitions, none in the old single partition', async () => {
    const db = await createTestDb();
    for (let i = 0; i < 200; i++) await putIntent(db, [{ id: `spread-${i}`, prev: null }], NOW + i);
    const perPk = new Map<string, number>();
    for (const pk of INTENT_PKS) {
      const out = await db.doc.send(new QueryCommand({ TableName: db.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Select: 'COUNT', ConsistentRead: true }));
      perPk.set(pk, out.Count ?? 0);
    }
    expect(INTENT_PKS).toEqual(['PENDING#0', 'PENDING#1', 'PENDING#2', 'PENDING#3', 'PENDING#4', 'PENDING#5', 'PENDING#6', 'PENDING#7', 'PENDING']);
    expect(perPk.get(PENDING_PK)).toBe(0);
    const shards = Array.from({ length: 8 }, (_, n) => perPk.get(intentPk(n))!);
    expect(shards.reduce((a, b) => a + b, 0)).toBe(200);
    // 25 expected per shard; more than 50 or none at all has odds below one in a million.
    for (const count of shards) expect(count).toBeGreaterThan(0);
    for (const count of shards) expect(count).toBeLessThanOrEqual(50);
    expect(await countIntents(db)).toBe(200);
    const listed = await listIntents(db, NOW + 1000, 300);
    expect(listed.map((i) => i.articles[0]!.id)).toEqual(Array.from({ length: 200 }, (_, i) => `spread-${i}`));
    expect((await listIntents(db, NOW + 1000, 5)).map((i) => i.articles[0]!.id)).toEqual(['spread-0', 'spread-1', 'spread-2', 'spread-3', 'spread-4']);
  });

  it('left by crashed writes in any shard, and in the pre-sharding PENDING partition, are all replayed by recovery', async () => {
    const db = await createTestDb();
    const ids = Array.from({ length: 12 }, (_, i) => `crashed-${i}`);
    // Request 1 puts the intent, 2 the record (the commit point); the crash at 3 leaves the index undone.
    for (const [n, id] of ids.entries()) {
      await expect(writeArticle(crashingDb(db, 3), { next: recordOf(id, n, {}, null, NOW), prev: null }, { absent: true }, NOW)).rejects.toBeInstanceOf(SimulatedCrash);
    }
    const intents = await listIntents(db, NOW + 1, 100);
    expect(intents).toHaveLength(12);
    expect(new Set(intents.map((i) => i.key.pk)).size).toBeGreaterThan(1);
    // Move one intent to where a build before the sharding kept them.
    const old = intents[0]!;
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key: old.key }));
    await db.doc.send(new PutCommand({ TableName: db.table, Item: { pk: PENDING_PK, sk: old.key.sk, createdMs: old.createdMs, articles: JSON.stringify(old.articles) } }));

    const before = await checkStore(db, { nowMs: NOW + 60_000, graceMs: 0 });
    const pending = before.divergences.filter((d) => d.kind === 'pending-intent');
    expect(pending).toHaveLength(12);
    expect(pending.filter((d) => d.key.pk === PENDING_PK).map((d) => d.key.sk)).toEqual([old.key.sk]);
    expect(await recoverPendingWrites(db, NOW + 60_000)).toBe(12);
    expect(await countIntents(db)).toBe(0);
    const after = await checkStore(db, { nowMs: NOW + 60_000, graceMs: 0 });
    expect([after.inFlight, after.articles, after.divergences]).toEqual([0, 12, []]);
  });
});
