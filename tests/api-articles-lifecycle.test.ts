import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { getArticle } from '../src/store/articles.js';

let w: TestWarta;
let lapas: string;
let polres: string;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  polres = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
});
afterAll(() => w.close());

const json = async (res: Response) => (await res.json()) as Record<string, any>;

describe('PUT /api/articles/:id', () => {
  it('creates with 201 and Location, then replaces with 200 and a new ETag', async () => {
    const first = await w.request('/api/articles/put-1', { method: 'PUT', token: lapas, json: seedArticle() });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe('/api/articles/put-1');
    expect(first.headers.get('etag')).toBe('"v1"');
    const second = await w.request('/api/articles/put-1', { method: 'PUT', token: lapas, json: seedArticle({ title: 'Judul baru' }) });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe('"v2"');
    expect((await json(second)).title).toBe('Judul baru');
  });

  it('answers 412 to a stale If-Match and leaves the article unchanged', async () => {
    await w.request('/api/articles/put-2', { method: 'PUT', token: lapas, json: seedArticle() });
    await w.request('/api/articles/put-2', { method: 'PUT', token: lapas, json: seedArticle({ title: 'v2' }) });
    const stale = await w.request('/api/articles/put-2', { method: 'PUT', token: lapas, headers: { 'if-match': '"v1"' }, json: seedArticle({ title: 'stale' }) });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const read = await json(await w.request('/api/articles/put-2', { token: lapas }));
    expect(read.title).toBe('v2');
    expect(read.version).toBe(2);
  });

  it('lets exactly one of two concurrent updates with the same ETag win', async () => {
    await w.request('/api/articles/race', { method: 'PUT', token: lapas, json: seedArticle() });
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((t) => w.request('/api/articles/race', { method: 'PUT', token: lapas, headers: { 'if-match': '"v1"' }, json: seedArticle({ title: `racer ${t}` }) })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const winnerTitle = (await json(winner)).title;
    const read = await json(await w.request('/api/articles/race', { token: lapas }));
    expect(read.version).toBe(2);
    expect(read.title).toBe(winnerTitle);
  });

  it('refuses a body id that differs from the URL with 422 naming id', async () => {
    const res = await w.request('/api/articles/put-3', { method: 'PUT', token: lapas, json: seedArticle({ id: 'other' }) });
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([{ field: 'id', reason: 'must equal "put-3" or be omitted' }]);
  });
});

describe('DELETE /api/articles/:id', () => {
  it('answers 204, then the article is 404 and a second delete is 404', async () => {
    await w.request('/api/articles/del-1', { method: 'PUT', token: lapas, json: seedArticle() });
    const del = await w.request('/api/articles/del-1', { method: 'DELETE', token: lapas });
    expect(del.status).toBe(204);
    expect((await w.request('/api/articles/del-1', { token: lapas })).status).toBe(404);
    expect((await w.request('/api/articles/del-1', { method: 'DELETE', token: lapas })).status).toBe(404);
    const tombstone = await getArticle(w.services.db, 'del-1');
    expect(tombstone?.deleted).toBe(true);
    expect(tombstone?.feeds).toEqual([]);
  });

  it('is refused to a publisher of another institution with 403', async () => {
    await w.request('/api/articles/del-2', { method: 'PUT', token: lapas, json: seedArticle() });
    expect((await w.request('/api/articles/del-2', { method: 'DELETE', token: polres })).status).toBe(403);
    expect((await w.request('/api/articles/del-2', { token: lapas })).status).toBe(200);
  });
});

describe('Idempotency-Key on POST', () => {
  it('returns the same article to a retry and creates only one', async () => {
    const body = seedArticle({ title: 'Idempoten' });
    const a = await w.request('/api/articles', { token: lapas, headers: { 'idempotency-key': 'retry-1' }, json: body });
    const b = await w.request('/api/articles', { token: lapas, headers: { 'idempotency-key': 'retry-1' }, json: body });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    const [ja, jb] = [await json(a), await json(b)];
    expect(jb.id).toBe(ja.id);
    expect(jb.version).toBe(1);
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
  });

  it('gives concurrent duplicates one article', async () => {
    const body = seedArticle({ title: 'Bersamaan' });
    const res = await Promise.all([1, 2, 3].map(() => w.request('/api/articles', { token: lapas, headers: { 'idempotency-key': 'retry-2' }, json: body })));
    const ids = new Set(await Promise.all(res.map(async (r) => (await json(r)).id)));
    expect(ids.size).toBe(1);
    expect(res.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
  });

  it('refuses the same key with another body with 422', async () => {
    await w.request('/api/articles', { token: lapas, headers: { 'idempotency-key': 'retry-3' }, json: seedArticle({ title: 'satu' }) });
    const res = await w.request('/api/articles', { token: lapas, headers: { 'idempotency-key': 'retry-3' }, json: seedArticle({ title: 'dua' }) });
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([{ field: 'Idempotency-Key', reason: 'was already used with another body' }]);
  });
});

describe('POST /api/articles/batch', () => {
  it('writes the valid items and reports a result per item', async () => {
    const res = await w.request('/api/articles/batch', {
      token: lapas,
      json: {
        articles: [
          smallArticle(1, { id: 'batch-1', institutions: ['lapas-kelas-i-madiun'] }),
          smallArticle(2, { id: 'batch-2', institutions: ['polres-madiun-kota'] }),
          smallArticle(3, { id: 'batch-3', institutions: ['lapas-kelas-i-madiun'], category: 'nope' }),
          { title: '' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const { results } = await json(res);
    expect(results.map((r: any) => r.status)).toEqual([201, 403, 422, 422]);
    expect(results[0]).toEqual({ index: 0, status: 201, id: 'batch-1', version: 1, etag: '"v1"' });
    expect(results[2].problem.errors).toEqual([{ field: 'articles[2].category', reason: 'unknown category "nope"' }]);
    expect(results[3].problem.errors.map((e: any) => e.field)).toEqual(['articles[3].title', 'articles[3].contentHtml', 'articles[3].author', 'articles[3].category', 'articles[3].institutions', 'articles[3].publishedAt']);
    expect((await w.request('/api/articles/batch-1', { token: lapas })).status).toBe(200);
    for (const id of ['batch-2', 'batch-3']) expect((await w.request(`/api/articles/${id}`, { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('refuses more than 100 articles with 422', async () => {
    const res = await w.request('/api/articles/batch', { token: lapas, json: { articles: Array.from({ length: 101 }, (_, i) => smallArticle(i)) } });
    expect(res.status).toBe(422);
    expect((await json(res)).errors[0].field).toBe('articles');
  });
});

describe('registries', () => {
  it('lists categories and institutions with their fields', async () => {
    const cats = await json(await w.request('/api/categories'));
    expect(cats.categories.map((c: any) => c.slug).sort()).toEqual(['binmas', 'lalu-lintas', 'pembinaan']);
    const insts = await json(await w.request('/api/institutions'));
    const lapasEntry = insts.institutions.find((i: any) => i.slug === 'lapas-kelas-i-madiun');
    expect(lapasEntry).toEqual({ slug: 'lapas-kelas-i-madiun', name: 'Lapas Kelas I Madiun', description: 'Lembaga Pemasyarakatan Kelas I Madiun.', kind: 'Lapas', region: 'Kota Madiun, Jawa Timur' });
  });

  it('refuses registry writes by publishers with 403', async () => {
    const res = await w.request('/api/categories/kriminal', { method: 'PUT', token: lapas, json: { name: 'Kriminal' } });
    expect(res.status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('describes every API route from the validating schemas', async () => {
    const doc = await json(await w.request('/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/articles', '/api/articles/{id}', '/api/articles/batch', '/api/categories/{slug}', '/api/institutions/{slug}', '/api/keys', '/api/keys/{id}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.ArticleInput.required).toEqual(['title', 'contentHtml', 'author', 'category', 'institutions', 'publishedAt']);
  });
});
