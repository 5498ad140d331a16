/**
 * The store's one range-query helper (src/store/query.ts) on dynalite: each sort-key
 * condition, a limit that spans pages, counting with and without a filter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { countRange, queryRange } from '../src/store/query.js';
import type { Db } from '../src/store/db.js';
import { createTestDb } from './support/store.js';

const PK = 'RANGETEST';
let db: Db;
const sks = ['a#1', 'a#2', 'a#3', 'b#1', 'b#2', 'c#1'];

beforeAll(async () => {
  db = await createTestDb();
  // Values large enough that a 1 MB page holds only some of the big partition.
  for (const [i, sk] of sks.entries()) await db.doc.send(new PutCommand({ TableName: db.table, Item: { pk: PK, sk, n: i } }));
  const big = 'x'.repeat(300_000);
  for (let i = 0; i < 8; i++) await db.doc.send(new PutCommand({ TableName: db.table, Item: { pk: `${PK}#BIG`, sk: String(i), big } }));
});

const sortKeys = (items: Record<string, unknown>[]) => items.map((i) => i.sk);

describe('queryRange', () => {
  it('selects by prefix, below and at most a bound, in sort-key order', async () => {
    expect(sortKeys(await queryRange(db, { pk: PK }))).toEqual(sks);
    expect(sortKeys(await queryRange(db, { pk: PK, prefix: 'b#' }))).toEqual(['b#1', 'b#2']);
    expect(sortKeys(await queryRange(db, { pk: PK, below: 'b#2' }))).toEqual(['a#1', 'a#2', 'a#3', 'b#1']);
    expect(sortKeys(await queryRange(db, { pk: PK, atMost: 'b#2' }))).toEqual(['a#1', 'a#2', 'a#3', 'b#1', 'b#2']);
    expect(sortKeys(await queryRange(db, { pk: PK, limit: 2 }))).toEqual(['a#1', 'a#2']);
    expect(await queryRange(db, { pk: `${PK}#NONE` })).toEqual([]);
  });

  it('reads every page of a partition larger than one answer, and stops at the limit across pages', async () => {
    const before = db.requests.count;
    expect(sortKeys(await queryRange(db, { pk: `${PK}#BIG` }))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    // 2.4 MB cannot come in one answer: dynalite cuts it in 3 pages, DynamoDB Local (which sizes items its own way) in 2.
    expect(db.requests.count - before).toBeGreaterThanOrEqual(2);
    expect(sortKeys(await queryRange(db, { pk: `${PK}#BIG`, limit: 5 }))).toEqual(['0', '1', '2', '3', '4']);
  });
});

describe('countRange', () => {
  it('counts what a condition and a filter select, and one page of at most `limit`', async () => {
    expect(await countRange(db, { pk: PK })).toBe(6);
    expect(await countRange(db, { pk: PK, prefix: 'a#' })).toBe(3);
    expect(await countRange(db, { pk: PK, filter: { expression: 'n >= :min', values: { ':min': 4 } } })).toBe(2);
    expect(await countRange(db, { pk: PK, limit: 4 })).toBe(4);
  });
});
