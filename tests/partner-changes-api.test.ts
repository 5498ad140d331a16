/**
 * The partner API's contract at its edges: who may read, which cursors and
 * limits are refused (400 naming the parameter), unknown filters (404
 * naming it), paging oldest first with a cost of two DynamoDB requests per
 * page whatever the log's length, the settle window (a burst newer than
 * `changesSettleMs` ends the loop at once and is delivered in full later),
 * and GET /api/articles living beside POST /api/articles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

const T0 = Date.parse('2025-03-01T03:00:00Z');
let now = T0;
let w: TestWarta;
let reader: string;
let publisher: string;

type Page = { changes: { id: string; deleted?: boolean }[]; next: string; hasMore: boolean };
const get = async (path: string, token?: string) => {
  const res = await w.request(path, token ? { token } : {});
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
};
const fieldsOf = (body: Record<string, unknown>) => (body.errors as { field: string }[]).map((e) => e.field);

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now, env: { WARTA_CHANGES_SETTLE_MS: '5000' } });
  await w.registerDemoRegistries();
  reader = (await w.createKey('reader', [])).token;
  publisher = (await w.createKey('publisher', ['polres-ponorogo'])).token;
  for (let n = 1; n <= 5; n++) {
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n, { id: `p${n}` }) });
    expect(res.status).toBe(201);
    now += 1_000;
  }
  now += 10_000;
});
afterAll(() => w.close());

describe('who may read', () => {
  it('answers 401 without a token, and 200 to a reader key, a publisher key and the admin', async () => {
    for (const path of ['/api/changes', '/api/articles']) {
      const anonymous = await get(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.type).toBe('application/problem+json');
      for (const token of [reader, publisher, ADMIN_TOKEN]) expect((await get(path, token)).status).toBe(200);
    }
  });

  it('keeps POST /api/articles working beside GET /api/articles', async () => {
    const anonymous = await w.request('/api/articles', { json: smallArticle(90, { id: 'p90' }) });
    expect(anonymous.status).toBe(401);
    const res = await w.request('/api/articles', { token: publisher, json: smallArticle(90, { id: 'p90', institutions: ['polres-ponorogo'] }) });
    expect(res.status).toBe(201);
    const listed = await get('/api/articles?institution=polres-ponorogo', reader);
    expect((listed.body.articles as { id: string }[]).map((a) => a.id)).toEqual(['p90']);
    expect((await w.request('/api/articles/p90', { method: 'DELETE', token: publisher })).status).toBe(204);
  });
});

describe('refusals', () => {
  it('refuses forged, garbled and foreign cursors with 400 naming since', async () => {
    const first = (await get('/api/changes?limit=1', reader)).body as Page;
    const [payload, mac] = first.next.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...decoded, s: '0' })).toString('base64url')}.${mac}`;
    const otherLog = ((await get('/api/changes?category=binmas', reader)).body as Page).next;
    const listCursor = (await get('/api/articles?limit=1', reader)).body.next as string;
    for (const since of [forged, 'abc', `${first.next}x`, otherLog, listCursor]) {
      const res = await get(`/api/changes?since=${encodeURIComponent(since)}`, reader);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(fieldsOf(res.body)).toEqual(['since']);
    }
    const listRes = await get(`/api/articles?cursor=${encodeURIComponent(first.next)}`, reader);
    expect(listRes.status).toBe(400);
    expect(fieldsOf(listRes.body)).toEqual(['cursor']);
  });

  it('refuses limits outside 1–500 (changes) and 1–100 (articles) with 400 naming limit', async () => {
    for (const limit of ['0', '501', 'abc', '1.5', '-1', '']) {
      const res = await get(`/api/changes?limit=${limit}`, reader);
      expect([res.status, fieldsOf(res.body)]).toEqual([400, ['limit']]);
    }
    expect((await get('/api/changes?limit=500', reader)).status).toBe(200);
    expect((await get('/api/articles?limit=100', reader)).status).toBe(200);
    const res = await get('/api/articles?limit=101', reader);
    expect([res.status, fieldsOf(res.body)]).toEqual([400, ['limit']]);
  });

  it('answers 404 naming an unknown category or institution, and 400 for a malformed slug', async () => {
    const cat = await get('/api/changes?category=olahraga', reader);
    expect([cat.status, fieldsOf(cat.body)]).toEqual([404, ['category']]);
    const both = await get('/api/articles?category=olahraga&institution=polres-atlantis', reader);
    expect([both.status, fieldsOf(both.body)]).toEqual([404, ['category', 'institution']]);
    const bad = await get('/api/changes?institution=Polres%20Madiun', reader);
    expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['institution']]);
  });
});

describe('paging', () => {
  it('pages the log oldest first and costs one Query and one BatchGetItem per page', async () => {
    const seen: string[] = [];
    const costs: number[] = [];
    const hasMore: boolean[] = [];
    let since = '';
    for (;;) {
      const before = w.services.db.requests.count;
      const page = (await get(`/api/changes?limit=2${since ? `&since=${encodeURIComponent(since)}` : ''}`, ADMIN_TOKEN)).body as Page;
      costs.push(w.services.db.requests.count - before);
      seen.push(...page.changes.map((c) => c.id));
      hasMore.push(page.hasMore);
      since = page.next;
      if (!page.hasMore) break;
    }
    // p90 (created and deleted just now, inside the settle window) comes as a tombstone, and the loop ends there.
    expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p90']);
    expect(hasMore).toEqual([true, true, false]);
    expect(costs).toEqual([2, 2, 2]);
  });

  it('lists live articles newest first, page by page, without deleted ones', async () => {
    const ids: string[] = [];
    let cursor = '';
    for (;;) {
      const page = (await get(`/api/articles?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, reader)).body as { articles: { id: string }[]; next?: string; hasMore: boolean; changesCursor?: string };
      expect(page.changesCursor !== undefined).toBe(cursor === '');
      ids.push(...page.articles.map((a) => a.id));
      if (!page.hasMore) break;
      cursor = page.next!;
    }
    expect(ids).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
  });

  it('ends the loop at once on a burst newer than the settle window, and delivers it in full once settled', async () => {
    now += 10_000; // everything so far is settled
    const start = (await get('/api/changes?limit=500', reader)).body as Page;
    for (let n = 11; n <= 15; n++) {
      const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n, { id: `p${n}` }) });
      expect(res.status).toBe(201);
    }
    const burst = (await get(`/api/changes?limit=2&since=${encodeURIComponent(start.next)}`, reader)).body as Page;
    expect(burst.changes.map((c) => c.id)).toEqual(['p11', 'p12']);
    expect(burst.hasMore).toBe(false);
    expect(burst.next).toBe(start.next);
    now += 5_001;
    const ids: string[] = [];
    let since = start.next;
    for (let page = 0; page < 10; page++) {
      const body = (await get(`/api/changes?limit=2&since=${encodeURIComponent(since)}`, reader)).body as Page;
      ids.push(...body.changes.map((c) => c.id));
      since = body.next;
      if (!body.hasMore) break;
    }
    expect(ids).toEqual(['p11', 'p12', 'p13', 'p14', 'p15']);
  });
});
