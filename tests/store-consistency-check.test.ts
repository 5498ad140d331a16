import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../src/store/db.js';
import { writeArticle } from '../src/store/article-writes.js';
import { listFeedPage } from '../src/store/articles.js';
import { putIntent } from '../src/store/intents.js';
import { checkStore } from '../src/store/consistency.js';
import { repairStore } from '../src/store/consistency-repair.js';
import { changeEntryKey, contentChunkKey, feedEntryKey, feedEntrySk, feedStateKey, sortableMs } from '../src/store/keys.js';
import type { ArticleRecord } from '../src/store/article-record.js';
import { createTestDb, recordOf, tombstoneOf } from './support/store.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
let db: Db;
let a1: ArticleRecord, a2: ArticleRecord, a3: ArticleRecord, a4: ArticleRecord;

beforeAll(async () => {
  db = await createTestDb();
  a1 = recordOf('a1', 1, {}, null, NOW - 5000);
  a2 = recordOf('a2', 2, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan' }, null, NOW - 5000);
  const a3live = recordOf('a3', 3, {}, null, NOW - 5000);
  const a4old = recordOf('a4', 4, {}, null, NOW - 5000);
  for (const r of [a1, a2, a3live, a4old]) await writeArticle(db, { next: r, prev: null }, { absent: true }, r.updatedMs);
  a3 = tombstoneOf(a3live, NOW - 4000);
  await writeArticle(db, { next: a3, prev: a3live }, { version: 1 }, NOW - 4000);
  a4 = recordOf('a4', 4, { institutions: ['polres-ponorogo'], category: 'lalu-lintas' }, a4old, NOW - 3000);
  await writeArticle(db, { next: a4, prev: a4old }, { version: 1 }, NOW - 3000);
});

const put = (item: Record<string, unknown>) => db.doc.send(new PutCommand({ TableName: db.table, Item: item }));

describe('npm run check:store (store/consistency.ts)', () => {
  it('finds nothing in a store written only by the write protocol', async () => {
    const report = await checkStore(db, { nowMs: NOW });
    expect(report.divergences).toEqual([]);
    expect({ articles: report.articles, tombstones: report.tombstones, inFlight: report.inFlight }).toEqual({ articles: 3, tombstones: 1, inFlight: 0 });
  });

  it('reports each divergence created directly in the store, exactly, and the repair removes them all', async () => {
    const intent = await putIntent(db, [{ id: 'a2', prev: null }], NOW - 60_000);
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key: feedEntryKey('inst:lapas-kelas-i-madiun', a2.publishedMs, 'a2') }));
    await put({ ...feedEntryKey('inst:polres-madiun-kota', a4.publishedMs, 'a4'), id: 'a4' });
    await put({ ...feedEntryKey('all', a3.publishedMs, 'a3'), id: 'a3' });
    await put({ ...feedEntryKey('all', a1.publishedMs - 60_000, 'a1'), id: 'a1' });
    await put({ ...feedEntryKey('cat:binmas', 1000, 'ghost'), id: 'ghost' });
    await db.doc.send(new UpdateCommand({ TableName: db.table, Key: feedStateKey('cat:pembinaan'), UpdateExpression: 'SET #c = :c', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':c': 7 } }));
    await db.doc.send(new UpdateCommand({ TableName: db.table, Key: feedStateKey('inst:polres-ponorogo'), UpdateExpression: 'ADD #e :e', ExpressionAttributeNames: { '#e': 'embargo' }, ExpressionAttributeValues: { ':e': new Set([`${sortableMs(NOW + 1)}#zz`]) } }));
    await put({ ...contentChunkKey('a1', 1, 0), text: 'orphan' });
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key: changeEntryKey('all', a1.updatedMs, 'a1', 1) }));

    const report = await checkStore(db, { nowMs: NOW });
    const sk = (r: ArticleRecord) => feedEntrySk(r.publishedMs, r.id);
    expect(report.divergences).toEqual([
      { kind: 'count-mismatch', key: { pk: 'FS#cat:pembinaan', sk: 'S' }, detail: 'cat:pembinaan counts 7, has 1' },
      { kind: 'embargo-mismatch', key: { pk: 'FS#inst:polres-ponorogo', sk: 'S' }, detail: `inst:polres-ponorogo embargo set [${sortableMs(NOW + 1)}#zz], expected []` },
      { kind: 'missing-change', key: changeEntryKey('all', a1.updatedMs, 'a1', 1), detail: 'version 1 of a1 (created) is not in C#all' },
      { kind: 'missing-entry', key: { pk: 'F#inst:lapas-kelas-i-madiun', sk: sk(a2) }, detail: 'article a2 belongs to inst:lapas-kelas-i-madiun but has no entry' },
      { kind: 'orphan-chunk', key: { pk: 'A#a1', sk: 'C#0000000001#0000' }, detail: 'chunk C#0000000001#0000 of a1: beyond the record\'s chunk count' },
      { kind: 'pending-intent', key: intent.key, detail: 'write of a2 interrupted 60000 ms ago' },
      { kind: 'stale-entry', key: { pk: 'F#all', sk: feedEntrySk(a1.publishedMs - 60_000, 'a1') }, detail: `entry in all: article a1 is now at ${sk(a1)}` },
      { kind: 'stale-entry', key: { pk: 'F#all', sk: sk(a3) }, detail: 'entry in all: article a3 was deleted' },
      { kind: 'stale-entry', key: { pk: 'F#cat:binmas', sk: `${sortableMs(1000)}#ghost` }, detail: 'entry in cat:binmas: article ghost does not exist' },
      { kind: 'stale-entry', key: { pk: 'F#inst:polres-madiun-kota', sk: sk(a4) }, detail: 'entry in inst:polres-madiun-kota: article a4 left the feed' },
    ]);

    const repair = await repairStore(db, { nowMs: NOW });
    expect(repair.before.divergences).toEqual(report.divergences);
    expect(repair.replayed).toBe(1);
    expect(repair.after.divergences).toEqual([]);
    expect((await checkStore(db, { nowMs: NOW })).divergences).toEqual([]);
    const all = await listFeedPage(db, 'all', { limit: 10, nowMs: NOW });
    expect(all.articles.map((r) => r.id)).toEqual(['a4', 'a2', 'a1']);
    const lapas = await listFeedPage(db, 'inst:lapas-kelas-i-madiun', { limit: 10, nowMs: NOW });
    expect(lapas.articles.map((r) => r.id)).toEqual(['a2']);
  });

  it('leaves the articles of a write in flight (an intent younger than the grace period) alone', async () => {
    await putIntent(db, [{ id: 'a1', prev: null }], NOW - 1000);
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key: feedEntryKey('all', a1.publishedMs, 'a1') }));
    const report = await checkStore(db, { nowMs: NOW, graceMs: 10_000 });
    expect(report.inFlight).toBe(1);
    expect(report.divergences).toEqual([]);
    const later = await checkStore(db, { nowMs: NOW + 20_000, graceMs: 10_000 });
    expect(later.divergences.map((d) => d.kind)).toEqual(['missing-entry', 'pending-intent']);
  });
});
