/**
 * The ownership race of batch writes: institution A's batch reads an id as
 * free, institution B creates that id by PUT, then A's batch writes. The
 * store's condition on A's put (new, or owned by A) must refuse it: B keeps
 * its article and its 201 was true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { startDynamoProxy, type DynamoProxy } from './support/dynamo-proxy.js';
import { createTestDb, recordOf } from './support/store.js';
import { writeArticle, writeArticles } from '../src/store/article-writes.js';
import { getArticle } from '../src/store/articles.js';
import { ConflictError } from '../src/store/errors.js';

let proxy: DynamoProxy;
let w: TestWarta;
let lapas: string;
let ponorogo: string;
beforeAll(async () => {
  proxy = await startDynamoProxy(inject('dynamoEndpoint'));
  w = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint } });
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  ponorogo = (await w.createKey('publisher', ['polres-ponorogo'])).token;
});
afterAll(async () => {
  await w.close();
  await proxy.close();
});

describe('a batch write racing a PUT that creates the same id', () => {
  it('refuses the batch item (403) once B created the id after the batch read it; B keeps owner and content', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let readByBatch!: () => void;
    const batchHasRead = new Promise<void>((r) => (readByBatch = r));
    // Hold the batch's read of its article records until B's PUT has been answered.
    proxy.hold = (op, body) => {
      if (op !== 'BatchGetItem' || !body.includes('"A#raced-id"')) return null;
      readByBatch();
      return released;
    };
    const batch = w.request('/api/articles/batch', {
      token: lapas,
      json: { articles: [smallArticle(1, { id: 'raced-id', title: 'Versi Lapas', institutions: ['lapas-kelas-i-madiun'] }), smallArticle(2, { id: 'lapas-other', institutions: ['lapas-kelas-i-madiun'] })] },
    });
    await batchHasRead;
    const put = await w.request('/api/articles/raced-id', { method: 'PUT', token: ponorogo, json: smallArticle(3, { title: 'Versi Ponorogo', institutions: ['polres-ponorogo'] }) });
    expect(put.status).toBe(201);
    release();
    const results = ((await (await batch).json()) as { results: { status: number; problem?: { detail: string } }[] }).results;
    proxy.hold = () => null;
    expect(results.map((r) => r.status)).toEqual([403, 201]);
    expect(results[0]!.problem!.detail).toBe('this key may not write article "raced-id"');
    const stored = (await (await w.request('/api/articles/raced-id', { token: ADMIN_TOKEN })).json()) as { title: string; owner: string; version: number };
    expect([stored.title, stored.owner, stored.version]).toEqual(['Versi Ponorogo', 'polres-ponorogo', 1]);
    const feed = await (await w.request('/institutions/lapas-kelas-i-madiun/feed.json')).json() as { items: { title: string }[] };
    expect(feed.items.map((i) => i.title)).toEqual(['Berita uji 2']);
  });
});

describe('the owner in the store condition of every write', () => {
  const NOW = Date.parse('2024-06-01T00:00:00Z');
  it('refuses a replacement whose record is owned by an institution the writer does not hold, even at the version read', async () => {
    const db = await createTestDb();
    const b = recordOf('owned-by-b', 1, { institutions: ['polres-ponorogo'] }, null, NOW);
    await writeArticle(db, { next: b, prev: null }, { absent: true }, NOW);
    const byA = recordOf('owned-by-b', 2, { title: 'Versi Lapas', institutions: ['lapas-kelas-i-madiun'] }, b, NOW + 1);
    await expect(writeArticle(db, { next: byA, prev: b }, { version: 1 }, NOW + 1, ['lapas-kelas-i-madiun'])).rejects.toBeInstanceOf(ConflictError);
    const refused = await writeArticles(db, [{ next: byA, prev: null }], NOW + 2, ['lapas-kelas-i-madiun']);
    expect([...refused]).toEqual(['owned-by-b']);
    const stored = await getArticle(db, 'owned-by-b');
    expect([stored?.owner, stored?.title, stored?.version]).toEqual(['polres-ponorogo', 'Berita uji 1', 1]);
    // The admin (no owner condition) may still replace it.
    await writeArticle(db, { next: byA, prev: b }, { version: 1 }, NOW + 3, null);
    expect((await getArticle(db, 'owned-by-b'))?.owner).toBe('lapas-kelas-i-madiun');
    db.raw.destroy();
  });
});
