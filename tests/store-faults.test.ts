/**
 * The store failing under a running Warta: unreachable (its port closed),
 * throttling (DynamoDB's ProvisionedThroughputExceededException, from a
 * loopback proxy that counts attempts), or cutting connections. Answers are 503 problem documents
 * with Retry-After; the SDK retries within `maxAttempts`; a write cut off
 * after its commit point shows no article where it does not belong, and
 * recovery completes it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../src/store/db.js';
import { recoverPendingWrites } from '../src/store/recovery.js';
import { checkStore } from '../src/store/consistency.js';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { startDynamoProxy, type DynamoProxy } from './support/dynamo-proxy.js';
import { answerOf, expectProblem } from './support/problems.js';
import { snapshotTable } from './support/store.js';

/** The same table, reached directly (not through the proxy). */
const directDb = (table: string): Db =>
  createDb({ table, region: 'us-east-1', endpoint: inject('dynamoEndpoint'), credentials: inject('dynamoCredentials') });

async function expectUnavailable(res: Response): Promise<void> {
  const p = expectProblem(await answerOf(res), 503, 'unavailable');
  expect(res.headers.get('retry-after')).toBe('5');
  expect(p.detail).toBe('the article store is unavailable; retry later');
}

describe('a throttling store', () => {
  let proxy: DynamoProxy;
  let w: TestWarta;
  let db: Db;
  beforeAll(async () => {
    proxy = await startDynamoProxy(inject('dynamoEndpoint'));
    w = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint, WARTA_FEED_CACHE: '0' } });
    await w.registerDemoRegistries();
    db = directDb(w.services.db.table);
  });
  afterAll(async () => {
    await w.close();
    await proxy.close();
  });

  it('answers 503 with Retry-After after exactly maxAttempts (4) attempts, and writes nothing', async () => {
    const before = await snapshotTable(db);
    proxy.reset();
    proxy.throttle = () => true;
    await expectUnavailable(await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1) }));
    // The first request of a publish reads the registries: it was tried 4 times, and nothing followed.
    expect(Object.fromEntries(proxy.attempts)).toEqual({ BatchGetItem: 4 });
    proxy.throttle = () => false;
    expect(await snapshotTable(db)).toEqual(before);
  });

  it('succeeds when throttling stops within the SDK\'s attempts', async () => {
    proxy.reset();
    proxy.throttle = (op, n) => op === 'BatchWriteItem' && n === 1;
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(2, { id: 'retried' }) });
    proxy.throttle = () => false;
    expect(res.status).toBe(201);
    // Refused once, then retried by the SDK (the index is written by one BatchWriteItem).
    expect(proxy.attempts.get('BatchWriteItem')).toBe(2);
    const feed = (await (await w.request('/institutions/polres-madiun-kota/feed.json')).json()) as { items: { id: string }[] };
    expect(feed.items.some((i) => i.id.endsWith('retried'))).toBe(true);
    expect((await checkStore(db, { nowMs: Date.now() })).divergences).toEqual([]);
  });

  it('cut off after the commit point (index writes fail): 503, no feed shows the moved article where it left, recovery completes the move', async () => {
    const created = await w.request('/api/articles/moved', { method: 'PUT', token: ADMIN_TOKEN, json: smallArticle(3) });
    expect(created.status).toBe(201);
    const ids = async (path: string) => ((await (await w.request(path)).json()) as { items: { id: string }[] }).items.map((i) => i.id.split('/').pop());
    expect(await ids('/institutions/polres-madiun-kota/feed.json')).toContain('moved');

    proxy.reset();
    // The connection is cut on every index write (the SDK retries resets with a short backoff, then gives up).
    proxy.cut = (op) => op === 'BatchWriteItem';
    await expectUnavailable(await w.request('/api/articles/moved', { method: 'PUT', token: ADMIN_TOKEN, json: smallArticle(3, { institutions: ['polres-ponorogo'], category: 'lalu-lintas' }) }));
    expect(proxy.attempts.get('BatchWriteItem')).toBe(4);
    proxy.cut = () => false;

    // The record moved (the commit point passed); its old feeds no longer show it, its new ones do not yet.
    const record = (await (await w.request('/api/articles/moved', { token: ADMIN_TOKEN })).json()) as { version: number; institutions: string[] };
    expect([record.version, record.institutions]).toEqual([2, ['polres-ponorogo']]);
    expect(await ids('/institutions/polres-madiun-kota/feed.json')).not.toContain('moved');
    expect(await ids('/categories/binmas/feed.json')).not.toContain('moved');
    expect(await ids('/institutions/polres-ponorogo/feed.json')).not.toContain('moved');

    expect(await recoverPendingWrites(db, Date.now(), 0)).toBe(1);
    expect(await ids('/institutions/polres-ponorogo/feed.json')).toContain('moved');
    expect(await ids('/categories/lalu-lintas/feed.json')).toContain('moved');
    expect(await ids('/institutions/polres-madiun-kota/feed.json')).not.toContain('moved');
    const report = await checkStore(db, { nowMs: Date.now() });
    expect(report.divergences.filter((d) => d.kind !== 'count-mismatch')).toEqual([]);
  });
});

describe('an unreachable store', () => {
  it('answers 503 with Retry-After on every route that needs it, and nothing is written', async () => {
    const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
    const w = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint } });
    await w.registerDemoRegistries();
    const publisher = (await w.createKey('publisher', ['polres-madiun-kota'], 'humas')).token;
    const db = directDb(w.services.db.table);
    const before = await snapshotTable(db);
    await proxy.close(); // nothing listens on the store's port any more
    try {
      await expectUnavailable(await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1) }));
      await expectUnavailable(await w.request('/api/articles', { token: publisher, json: smallArticle(1) }));
      await expectUnavailable(await w.request('/api/articles/x', { method: 'PUT', token: ADMIN_TOKEN, json: smallArticle(1) }));
      await expectUnavailable(await w.request('/api/articles/batch', { token: ADMIN_TOKEN, json: { articles: [smallArticle(1)] } }));
      await expectUnavailable(await w.request('/api/categories/baru', { method: 'PUT', token: ADMIN_TOKEN, json: { name: 'Baru' } }));
      await expectUnavailable(await w.request('/api/keys', { token: ADMIN_TOKEN, json: { role: 'reader', institutions: [], label: 'x' } }));
      await expectUnavailable(await w.request('/api/changes', { token: publisher }));
      await expectUnavailable(await w.request('/feed.rss'));
      const page = await w.request('/');
      expect([page.status, page.headers.get('retry-after')]).toEqual([503, '5']);
    } finally {
      await w.close();
    }
    expect(await snapshotTable(db)).toEqual(before);
  });
});
