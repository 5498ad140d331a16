/**
 * With WARTA_SUBREQUEST_LIMIT (a Worker's subrequests per request: 50 on
 * Cloudflare's Free plan), a batch that would need more DynamoDB requests
 * is refused before anything is written, with a 413 problem naming how many
 * of its articles fit; a batch of that size goes through, and the store
 * requests the whole request made stay within the limit. Counted at a proxy
 * in front of the store.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDynamoProxy, type DynamoProxy } from './support/dynamo-proxy.js';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

const LIMIT = 50;
let proxy: DynamoProxy;
let w: TestWarta;
let publisher: string;

const INSTITUTIONS = ['polres-madiun-kota', 'lapas-kelas-i-madiun', 'polres-ponorogo'];
const CATEGORIES = ['binmas', 'lalu-lintas', 'pembinaan'];
/** Articles spread over institutions, categories, tags and authors: each touches its own feeds. */
const batch = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return smallArticle(n, {
      id: `anggaran-${n}`,
      institutions: [INSTITUTIONS[n % 3]!],
      category: CATEGORIES[Math.floor(n / 3) % 3]!,
      tags: [`topik-${n % 7}`],
      author: { name: `Penulis ${n % 5}` },
    });
  });
const totalRequests = () => [...proxy.attempts.values()].reduce((a, b) => a + b, 0);
const post = (articles: unknown[]) => w.request('/api/articles/batch', { token: publisher, json: { articles } });

beforeAll(async () => {
  proxy = await startDynamoProxy(inject('dynamoEndpoint'));
  w = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint, WARTA_SUBREQUEST_LIMIT: String(LIMIT) } });
  await w.registerDemoRegistries();
  publisher = (await w.createKey('publisher', INSTITUTIONS)).token;
});
afterAll(async () => {
  await w.close();
  await proxy.close();
});

describe('a batch on a plan of 50 subrequests', () => {
  let max: number;

  it('refuses 100 articles with 413 naming how many fit, and writes nothing', async () => {
    proxy.reset();
    const res = await post(batch(100));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { type: string; detail: string; errors: { field: string; reason: string }[] };
    expect(problem.type).toBe('tag:warta,2026:problem:payload-too-large');
    // 3 institutions × 3 categories × 7 tags × 5 authors: many feed states to update, and one conditional PutItem per record
    // (ownership is the condition of each record's write, which BatchWriteItem cannot carry).
    expect(problem.errors).toEqual([{ field: 'articles', reason: 'at most 7 of these articles fit in 50 subrequests per request (WARTA_SUBREQUEST_LIMIT); this batch needs about 188' }]);
    max = 7;
    expect(problem.detail).toBe(`this batch is too large for the platform's subrequest limit: send at most ${max} articles per batch, or raise WARTA_SUBREQUEST_LIMIT on a plan that allows more`);
    // Nothing was written: no write request reached the store, and no article exists.
    expect(['PutItem', 'BatchWriteItem', 'UpdateItem', 'DeleteItem'].map((op) => proxy.attempts.get(op) ?? 0)).toEqual([0, 0, 0, 0]);
    expect((await w.request('/api/articles/anggaran-0', { token: publisher })).status).toBe(404);
  });

  it('accepts a batch of the size it named, within the limit, and refuses one more', async () => {
    proxy.reset();
    const res = await post(batch(max));
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { status: number }[] };
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: max }, () => 201));
    // The writes are what the estimate counted (41 = 49 minus the 8 of overhead); reads and the hub's lookup came on top.
    expect(['PutItem', 'BatchWriteItem', 'UpdateItem', 'DeleteItem'].map((op) => proxy.attempts.get(op) ?? 0)).toEqual([8, 3, 28, 1]); // the intent and 7 conditional record puts
    expect(totalRequests()).toBeLessThanOrEqual(LIMIT);

    proxy.reset();
    const over = await post(batch(max + 1, 1000));
    expect(over.status).toBe(413);
    expect(((await over.json()) as { errors: { reason: string }[] }).errors[0]!.reason).toBe('at most 7 of these articles fit in 50 subrequests per request (WARTA_SUBREQUEST_LIMIT); this batch needs about 52');
    expect(proxy.attempts.get('BatchWriteItem') ?? 0).toBe(0);
  });

  it('lets single writes through as before', async () => {
    const res = await w.request('/api/articles', { token: publisher, json: smallArticle(5000, { id: 'anggaran-tunggal' }) });
    expect(res.status).toBe(201);
  });
});
