/**
 * Every write route fed bodies that are not what it takes: malformed JSON,
 * wrong content types, oversized and deeply nested bodies, missing, extra
 * and wrongly typed fields, arbitrary JSON. Every answer is a 4xx problem
 * document naming the field at fault, and the table is left exactly as it was.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { rawRequest, type RawResponse } from './support/raw-http.js';
import { MALFORMED_JSON } from './support/hostile-corpus.js';
import { expectClientProblem, expectProblem } from './support/problems.js';
import { snapshotTable } from './support/store.js';

const MAX_BODY = 2_500_000;
const MAX_BATCH_BODY = 3_000_000;

/** A write route, a valid body for it, its body limit and the fields it requires. */
interface WriteRoute {
  name: string;
  method: 'POST' | 'PUT';
  path: string;
  valid: () => Record<string, unknown>;
  limit: number;
  required: string[];
}

const ROUTES: WriteRoute[] = [
  { name: 'POST /api/articles', method: 'POST', path: '/api/articles', valid: () => smallArticle(1), limit: MAX_BODY, required: ['title', 'contentHtml', 'author', 'category', 'institutions', 'publishedAt'] },
  { name: 'PUT /api/articles/:id', method: 'PUT', path: '/api/articles/hostile-put', valid: () => smallArticle(2), limit: MAX_BODY, required: ['title', 'contentHtml', 'author', 'category', 'institutions', 'publishedAt'] },
  { name: 'POST /api/articles/batch', method: 'POST', path: '/api/articles/batch', valid: () => ({ articles: [smallArticle(3)] }), limit: MAX_BATCH_BODY, required: ['articles'] },
  { name: 'PUT /api/categories/:slug', method: 'PUT', path: '/api/categories/hostile-cat', valid: () => ({ name: 'Kategori Uji', description: 'd' }), limit: 64 * 1024, required: ['name'] },
  { name: 'PUT /api/institutions/:slug', method: 'PUT', path: '/api/institutions/hostile-inst', valid: () => ({ name: 'Lembaga Uji', kind: 'Polres', region: 'Madiun' }), limit: 64 * 1024, required: ['name', 'kind', 'region'] },
  { name: 'POST /api/keys', method: 'POST', path: '/api/keys', valid: () => ({ role: 'reader', institutions: [], label: 'kunci uji' }), limit: 16 * 1024, required: ['role', 'label'] },
];

let w: TestWarta;
let baseline: string[];
beforeAll(async () => {
  w = await startTestWarta({ env: { WARTA_MAX_BODY_BYTES: String(MAX_BODY), WARTA_MAX_BATCH_BODY_BYTES: String(MAX_BATCH_BODY) } });
  await w.registerDemoRegistries();
  baseline = await snapshotTable(w.services.db);
});
afterAll(() => w.close());
// Nothing in this file may write: the table must be exactly as the registries left it.
afterEach(async () => {
  expect(await snapshotTable(w.services.db)).toEqual(baseline);
});

const send = (route: Pick<WriteRoute, 'method' | 'path'>, body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }, chunked = false): Promise<RawResponse> =>
  rawRequest(w.url, { method: route.method, path: route.path, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers }, ...(body !== undefined ? { body } : {}), chunked });

type BatchAnswer = { results: { index: number; status: number; problem: { errors: { field: string }[] } }[] };
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** The JSON of `body` with `field` replaced by raw JSON text (for values JSON.stringify cannot nest). */
const withRawField = (body: Record<string, unknown>, field: string, rawJson: string) =>
  JSON.stringify({ ...body, [field]: '\u0000RAW\u0000' }).replace('"\\u0000RAW\\u0000"', rawJson);

describe.each(ROUTES)('$name', (route) => {
  it('answers malformed JSON with 400 malformed-json', async () => {
    for (const { name, body } of MALFORMED_JSON) {
      const res = await send(route, body);
      expect(res.status, name).toBe(400);
      expectProblem(res, 400, 'malformed-json', []);
    }
  });

  it('answers any content type but JSON with 415 before reading the body', async () => {
    const types = [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/json', 'application/xml', 'json'];
    for (const type of types) {
      const res = await send(route, JSON.stringify(route.valid()), type ? { 'content-type': type } : {});
      expectProblem(res, 415, 'unsupported-media-type');
    }
  });

  it('answers a body one byte over its limit with 413, with or without Content-Length', async () => {
    const valid = JSON.stringify(route.valid());
    const body = `${valid.slice(0, -1)},"pad":"${'x'.repeat(route.limit - valid.length - 8)}"}`;
    expect(Buffer.byteLength(body)).toBe(route.limit + 1);
    expectProblem(await send(route, body), 413, 'payload-too-large');
    expectProblem(await send(route, body, { 'content-type': 'application/json' }, true), 413, 'payload-too-large');
  });

  it('names every missing required field', async () => {
    expectProblem(await send(route, '{}'), 422, 'validation-failed', route.required);
  });

  it('names every unknown field, __proto__ and constructor included', async () => {
    const body = `${JSON.stringify(route.valid()).slice(0, -1)},"extra":1,"__proto__":{"role":"admin"},"constructor":{"prototype":{}}}`;
    expectProblem(await send(route, body), 422, 'validation-failed', ['extra', '__proto__', 'constructor']);
  });

  it('refuses 10,000 nested arrays as the body, as a field and as an extra field (413 where they exceed the limit)', async () => {
    const depth = 10_000;
    if (2 * depth + 200 > route.limit) {
      expectProblem(await send(route, deep(depth)), 413, 'payload-too-large');
      expectProblem(await send(route, deep(7_000)), 422, 'validation-failed', ['(body)']);
      return;
    }
    expectProblem(await send(route, deep(depth)), 422, 'validation-failed', ['(body)']);
    const field = route.required[0]!;
    const inField = await send(route, withRawField(route.valid(), field, deep(depth)));
    if (field === 'articles') {
      // A batch whose only item is not an article: 200 with that item's problem.
      expect(inField.status).toBe(200);
      expect((inField.json as BatchAnswer).results.map((r) => [r.status, r.problem.errors.map((e) => e.field)])).toEqual([[422, ['articles[0]']]]);
    } else expectProblem(inField, 422, 'validation-failed', [field]);
    expectProblem(await send(route, withRawField(route.valid(), 'nested', deep(depth))), 422, 'validation-failed', ['nested']);
  });
});

describe('every write route (properties over routes and values)', () => {
  it('refuses a wrongly typed value in any field with 422 naming that field', async () => {
    const wrong = fc.oneof(
      fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
    );
    const routeAndField = fc.constantFrom(...ROUTES).chain((route) => fc.tuple(fc.constant(route), fc.constantFrom(...Object.keys(route.valid()))));
    await fc.assert(
      fc.asyncProperty(routeAndField, wrong, async ([route, field], value) => {
        const valid = route.valid();
        const expectedType = Array.isArray(valid[field]) ? 'array' : typeof valid[field];
        const actualType = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
        fc.pre(expectedType !== actualType);
        const res = await send(route, JSON.stringify({ ...valid, [field]: value }));
        if (field === 'articles') {
          // The batch's list is checked item by item: a non-array is a 422 on `articles`.
          expectProblem(res, 422, 'validation-failed', ['articles']);
          return;
        }
        const p = expectProblem(res, 422, 'validation-failed');
        const named = (p.errors ?? []).map((e) => e.field);
        expect(named.length).toBeGreaterThan(0);
        for (const f of named) expect(f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`), `${route.name}: ${f} for ${field}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('answers arbitrary JSON with a 4xx problem document', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 4 }), async (route, value) => {
        const res = await send(route, JSON.stringify(value));
        if (route.path === '/api/articles/batch' && res.status === 200) {
          // A well-formed batch of invalid items: 200 with a problem per item.
          for (const r of (res.json as BatchAnswer).results) expect(r.status).toBeGreaterThanOrEqual(400);
          return;
        }
        expectClientProblem(res);
      }),
      { numRuns: 200 },
    );
  });

  it('answers a valid body with unknown fields added with a 4xx problem document', async () => {
    const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), extra, async (route, more) => {
        const valid = route.valid();
        fc.pre(Object.keys(more).some((k) => !(k in valid)));
        expectClientProblem(await send(route, JSON.stringify({ ...valid, ...more })));
      }),
      { numRuns: 200 },
    );
  });
});

describe('sizes inside the limits', () => {
  const post = ROUTES[0]!;
  it('refuses strings and arrays past their field limits, naming each field', async () => {
    const body = { ...post.valid(), title: 'x'.repeat(501), summary: 's'.repeat(2001), tags: Array.from({ length: 21 }, (_, i) => `t${i}`), institutions: Array.from({ length: 21 }, (_, i) => `i${i}`) };
    expectProblem(await send(post, JSON.stringify(body)), 422, 'validation-failed', ['title', 'summary', 'tags', 'institutions']);
    const big = { ...post.valid(), contentHtml: 'x'.repeat(2_000_001) };
    expectProblem(await send(post, JSON.stringify(big)), 422, 'validation-failed', ['contentHtml']);
  });

  it('refuses 1,000,000 nested arrays (2 MB, inside the body limit) in a field', async () => {
    expectProblem(await send(post, withRawField(post.valid(), 'title', deep(1_000_000))), 422, 'validation-failed', ['title']);
  });

  it('takes a batch body past WARTA_MAX_BODY_BYTES but within WARTA_MAX_BATCH_BODY_BYTES (the batch limit applies)', async () => {
    const batch = ROUTES[2]!;
    const res = await send(batch, JSON.stringify({ articles: [{ ...smallArticle(1), title: 'x'.repeat(MAX_BODY + 1000) }] }));
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect((res.json as BatchAnswer).results.map((r) => [r.status, r.problem.errors.map((e) => e.field)])).toEqual([[422, ['articles[0].title']]]);
  });

  it('refuses a batch of 101 articles, and names the fields of each invalid item', async () => {
    const batch = ROUTES[2]!;
    expectProblem(await send(batch, JSON.stringify({ articles: Array.from({ length: 101 }, (_, i) => smallArticle(i)) })), 422, 'validation-failed', ['articles']);
    const res = await send(batch, JSON.stringify({ articles: [{ ...smallArticle(1), title: 5 }, 'x', { ...smallArticle(2), category: 'Tidak Ada' }] }));
    expect(res.status).toBe(200);
    const results = (res.json as BatchAnswer).results;
    expect(results.map((r) => [r.index, r.status, r.problem.errors.map((e) => e.field)])).toEqual([
      [0, 422, ['articles[0].title']],
      [1, 422, ['articles[1]']],
      [2, 422, ['articles[2].category']],
    ]);
  });

  it('caps the list of field errors of a body with thousands of unknown fields', async () => {
    const extra = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 0]));
    const res = await send(post, JSON.stringify({ ...post.valid(), ...extra }));
    const p = expectProblem(res, 422, 'validation-failed');
    expect(p.errors!.length).toBeLessThanOrEqual(100);
    expect(p.detail).toBe('20000 invalid fields');
    expect(res.text.length).toBeLessThan(20_000);
  });
});

describe('deletes with hostile paths', () => {
  it('answers invalid article and key ids with a 4xx problem and no write', async () => {
    const paths = ['/api/articles/..%2f..%2fkeys', '/api/articles/%2e%2e', '/api/articles/-x', '/api/articles/a%00b', `/api/articles/${'a'.repeat(129)}`, '/api/articles/%D0%B0', '/api/keys/..', '/api/keys/ABC', '/api/keys/%2e%2e', '/api/keys/0123456789abcdefghjkmnpqrs/x'];
    for (const path of paths) {
      const res = await rawRequest(w.url, { method: 'DELETE', path, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expectClientProblem(res);
    }
  });
});
