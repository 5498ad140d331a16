/**
 * Who may do what: every route × {no token, bad token, revoked key, reader,
 * publisher of institution A, publisher of B, admin}, with the exact status
 * of each cell. A refused write changes nothing. Then ownership (owner
 * changes, moves, deletes across institutions), keys at rest (only a
 * SHA-256 of the secret), and throttling of failed authentications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { apiKeyKey } from '../src/store/keys.js';

const A = 'polres-madiun-kota';
const B = 'polres-ponorogo';
const WHO = ['none', 'bad', 'revoked', 'reader', 'pubA', 'pubB', 'admin'] as const;
type Who = (typeof WHO)[number];

let w: TestWarta;
const tokens = {} as Record<Who, string | undefined>;
let n = 0;

beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  tokens.none = undefined;
  tokens.bad = `wk_${'0'.repeat(26)}_${'A'.repeat(43)}`;
  const revoked = await w.createKey('publisher', [A], 'revoked');
  expect((await w.request(`/api/keys/${revoked.id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
  tokens.revoked = revoked.token;
  tokens.reader = (await w.createKey('reader', [], 'partner')).token;
  tokens.pubA = (await w.createKey('publisher', [A], 'humas A')).token;
  tokens.pubB = (await w.createKey('publisher', [B], 'humas B')).token;
  tokens.admin = ADMIN_TOKEN;
  await article(); // so that the tag and author slices exist
});
afterAll(() => w.close());

/** An article created by the admin for the test, owned by `owner`. */
async function article(owner = A, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n++, { institutions: [owner], ...overrides }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The admin's view of an article: its version, or 404. */
async function adminView(id: string): Promise<number | 'gone'> {
  const res = await w.request(`/api/articles/${id}`, { token: ADMIN_TOKEN });
  return res.status === 200 ? ((await res.json()) as { version: number }).version : 'gone';
}

/** One route: how to prepare a cell, send the request, and check what a refusal or an acceptance left behind. */
interface RouteCase {
  name: string;
  cells: Record<Who, number | string>;
  prepare?: () => Promise<string>;
  send: (token: string | undefined, ctx: string) => Promise<Response>;
  /** Checks the state after the request: `allowed` tells whether the cell expects a success. */
  verify?: (ctx: string, allowed: boolean) => Promise<void>;
}

const row = (none: number | string, bad: number | string, revoked: number | string, reader: number | string, pubA: number | string, pubB: number | string, admin: number | string) =>
  ({ none, bad, revoked, reader, pubA, pubB, admin });
const PUBLIC_200 = row(200, 200, 200, 200, 200, 200, 200);
const READ = row(401, 401, 401, 200, 200, 200, 200);
const ADMIN_ONLY = (ok: number) => row(401, 401, 401, 403, 403, 403, ok);

const get = (path: string) => (token: string | undefined) => w.request(path, token ? { token } : {});

const ROUTES: RouteCase[] = [
  { name: 'GET / (index page)', cells: PUBLIC_200, send: get('/') },
  { name: 'GET /categories/binmas (page)', cells: PUBLIC_200, send: get('/categories/binmas') },
  { name: 'GET /articles/:id (page)', cells: PUBLIC_200, prepare: () => article(), send: (t, id) => get(`/articles/${id}`)(t) },
  { name: 'GET /feed.rss', cells: PUBLIC_200, send: get('/feed.rss') },
  { name: 'GET /feed.atom', cells: PUBLIC_200, send: get('/feed.atom') },
  { name: 'GET /feed.json', cells: PUBLIC_200, send: get('/feed.json') },
  { name: 'GET /institutions/:slug/categories/:cat/feed.atom', cells: PUBLIC_200, send: get(`/institutions/${A}/categories/binmas/feed.atom`) },
  { name: 'GET /feeds.opml', cells: PUBLIC_200, send: get('/feeds.opml') },
  { name: 'GET /tags/:slug/feed.json', cells: PUBLIC_200, send: get('/tags/uji/feed.json') },
  { name: 'GET /authors/:slug (page)', cells: PUBLIC_200, send: get('/authors/penulis-uji-01e282c2') },
  { name: 'GET /api/categories', cells: PUBLIC_200, send: get('/api/categories') },
  { name: 'GET /api/institutions', cells: PUBLIC_200, send: get('/api/institutions') },
  { name: 'GET /api/openapi.json', cells: PUBLIC_200, send: get('/api/openapi.json') },
  {
    // A key is optional at the hub (it raises the hub's limits); a bad or revoked one is refused, not taken as anonymous.
    name: 'POST /websub (no hub.mode)',
    cells: row(400, 401, 401, 400, 400, 400, 400),
    send: (token) => w.request('/websub', { method: 'POST', ...(token ? { token } : {}), body: 'hub.topic=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  },
  { name: 'GET /api/changes', cells: READ, send: get('/api/changes') },
  { name: 'GET /api/articles (listing)', cells: READ, send: get('/api/articles') },
  { name: 'GET /api/articles/:id', cells: READ, prepare: () => article(), send: (t, id) => get(`/api/articles/${id}`)(t) },
  {
    name: 'GET /api/articles/:id of an embargoed article of A',
    cells: row(401, 401, 401, 404, 200, 404, 200),
    prepare: () => article(A, { publishedAt: '2099-01-01T00:00:00+07:00' }),
    send: (t, id) => get(`/api/articles/${id}`)(t),
  },
  {
    name: 'POST /api/articles (owner A)',
    cells: row(401, 401, 401, 403, 201, 403, 201),
    prepare: async () => `matrix-post-${n++}`,
    send: (token, id) => w.request('/api/articles', { ...(token ? { token } : {}), json: smallArticle(n++, { id }) }),
    verify: async (id, allowed) => expect(await adminView(id)).toBe(allowed ? 1 : 'gone'),
  },
  {
    name: 'PUT /api/articles/:id (new id, owner A)',
    cells: row(401, 401, 401, 403, 201, 403, 201),
    prepare: async () => `matrix-put-${n++}`,
    send: (token, id) => w.request(`/api/articles/${id}`, { method: 'PUT', ...(token ? { token } : {}), json: smallArticle(n++) }),
    verify: async (id, allowed) => expect(await adminView(id)).toBe(allowed ? 1 : 'gone'),
  },
  {
    name: 'PUT /api/articles/:id (article of A)',
    cells: row(401, 401, 401, 403, 200, 403, 200),
    prepare: () => article(),
    send: (token, id) => w.request(`/api/articles/${id}`, { method: 'PUT', ...(token ? { token } : {}), json: smallArticle(n++, { title: 'Diubah' }) }),
    verify: async (id, allowed) => expect(await adminView(id)).toBe(allowed ? 2 : 1),
  },
  {
    name: 'PUT /api/articles/:id (article of A moved to B, owner B)',
    cells: row(401, 401, 401, 403, 403, 403, 200),
    prepare: () => article(),
    send: (token, id) => w.request(`/api/articles/${id}`, { method: 'PUT', ...(token ? { token } : {}), json: smallArticle(n++, { institutions: [B] }) }),
    verify: async (id, allowed) => expect(await adminView(id)).toBe(allowed ? 2 : 1),
  },
  {
    name: 'DELETE /api/articles/:id (article of A)',
    cells: row(401, 401, 401, 403, 204, 403, 204),
    prepare: () => article(),
    send: (token, id) => w.request(`/api/articles/${id}`, { method: 'DELETE', ...(token ? { token } : {}) }),
    verify: async (id, allowed) => expect(await adminView(id)).toBe(allowed ? 'gone' : 1),
  },
  {
    name: 'POST /api/articles/batch (one article of A) → outer/item',
    cells: row(401, 401, 401, '200/403', '200/201', '200/403', '200/201'),
    prepare: async () => `matrix-batch-${n++}`,
    send: (token, id) => w.request('/api/articles/batch', { ...(token ? { token } : {}), json: { articles: [smallArticle(n++, { id })] } }),
    verify: async (id, allowed) => expect(await adminView(id)).toBe(allowed ? 1 : 'gone'),
  },
  {
    name: 'PUT /api/categories/:slug',
    cells: ADMIN_ONLY(200),
    prepare: async () => `kategori-${n++}`,
    send: (token, slug) => w.request(`/api/categories/${slug}`, { method: 'PUT', ...(token ? { token } : {}), json: { name: 'Kategori' } }),
    verify: async (slug, allowed) => {
      const cats = ((await (await w.request('/api/categories')).json()) as { categories: { slug: string }[] }).categories;
      expect(cats.some((c) => c.slug === slug)).toBe(allowed);
    },
  },
  {
    name: 'PUT /api/institutions/:slug',
    cells: ADMIN_ONLY(200),
    prepare: async () => `lembaga-${n++}`,
    send: (token, slug) => w.request(`/api/institutions/${slug}`, { method: 'PUT', ...(token ? { token } : {}), json: { name: 'Lembaga', kind: 'Polres', region: 'Jawa Timur' } }),
    verify: async (slug, allowed) => {
      const list = ((await (await w.request('/api/institutions')).json()) as { institutions: { slug: string }[] }).institutions;
      expect(list.some((i) => i.slug === slug)).toBe(allowed);
    },
  },
  {
    name: 'POST /api/keys',
    cells: ADMIN_ONLY(201),
    prepare: async () => `kunci-${n++}`,
    send: (token, label) => w.request('/api/keys', { ...(token ? { token } : {}), json: { role: 'reader', institutions: [], label } }),
    verify: async (label, allowed) => {
      const keys = ((await (await w.request('/api/keys', { token: ADMIN_TOKEN })).json()) as { keys: { label: string }[] }).keys;
      expect(keys.some((k) => k.label === label)).toBe(allowed);
    },
  },
  { name: 'GET /api/keys', cells: ADMIN_ONLY(200), send: get('/api/keys') },
  {
    name: 'DELETE /api/keys/:id',
    cells: ADMIN_ONLY(204),
    prepare: async () => (await w.createKey('reader', [], `korban-${n++}`)).id,
    send: (token, id) => w.request(`/api/keys/${id}`, { method: 'DELETE', ...(token ? { token } : {}) }),
    verify: async (id, allowed) => {
      const keys = ((await (await w.request('/api/keys', { token: ADMIN_TOKEN })).json()) as { keys: { id: string; revokedAt?: string }[] }).keys;
      expect(keys.find((k) => k.id === id)?.revokedAt !== undefined).toBe(allowed);
    },
  },
  { name: 'GET /api/websub/subscriptions', cells: ADMIN_ONLY(200), send: (t) => get(`/api/websub/subscriptions?topic=${encodeURIComponent(`${w.url}/feed.atom`)}`)(t) },
];

async function statusOf(res: Response): Promise<number | string> {
  const text = await res.text();
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const p = JSON.parse(text) as { status: number; requestId: string };
    expect(p.status).toBe(res.status);
    expect(p.requestId).toBe(res.headers.get('x-request-id'));
    if (res.status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer realm="warta"');
  }
  if (res.status === 200 && res.url.endsWith('/api/articles/batch')) return `200/${(JSON.parse(text) as { results: { status: number }[] }).results[0]!.status}`;
  return res.status;
}

describe('authorization matrix', () => {
  it.each(ROUTES)('$name', async (route) => {
    const actual = {} as Record<Who, number | string>;
    for (const who of WHO) {
      const ctx = route.prepare ? await route.prepare() : '';
      actual[who] = await statusOf(await route.send(tokens[who], ctx));
      const expected = route.cells[who];
      await route.verify?.(ctx, typeof expected === 'number' ? expected < 300 : expected.endsWith('/201'));
    }
    expect(actual).toEqual(route.cells);
  });

  it('HTML pages carry the security headers, 404 pages included', async () => {
    const id = await article();
    for (const path of ['/', '/categories/binmas', `/institutions/${A}`, `/articles/${id}`, '/articles/tidak-ada', '/categories/tidak-ada']) {
      const res = await w.request(path);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html; charset=utf-8$/i);
      expect(res.headers.get('content-security-policy'), path).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
  });
});

describe('ownership', () => {
  it('a publisher cannot hand its article to an institution it does not hold, nor take or delete another institution\'s', async () => {
    const id = await article(A);
    const put = (token: string, body: Record<string, unknown>) => w.request(`/api/articles/${id}`, { method: 'PUT', token, json: smallArticle(n++, body) });
    expect((await put(tokens.pubA!, { institutions: [A, B], owner: B })).status).toBe(403);
    expect((await put(tokens.pubA!, { institutions: [B] })).status).toBe(403);
    expect((await put(tokens.pubB!, { institutions: [A, B], owner: B })).status).toBe(403);
    expect((await put(tokens.pubB!, { institutions: [B] })).status).toBe(403);
    expect((await w.request(`/api/articles/${id}`, { method: 'DELETE', token: tokens.pubB! })).status).toBe(403);
    const batch = await w.request('/api/articles/batch', { token: tokens.pubB!, json: { articles: [smallArticle(n++, { id, institutions: [B] })] } });
    expect(((await batch.json()) as { results: { status: number }[] }).results.map((r) => r.status)).toEqual([403]);
    expect(await adminView(id)).toBe(1);
    // Naming B next to its own A as owner is allowed: the article then appears in B's feeds, still A's to change.
    expect((await put(tokens.pubA!, { institutions: [A, B] })).status).toBe(200);
    expect((await put(tokens.pubB!, { institutions: [A, B] })).status).toBe(403);
  });

  it('a publisher cannot re-create another institution\'s deleted article, and a publisher of both may move one', async () => {
    const gone = await article(A);
    expect((await w.request(`/api/articles/${gone}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    expect((await w.request('/api/articles', { token: tokens.pubB!, json: smallArticle(n++, { id: gone, institutions: [B] }) })).status).toBe(403);
    expect((await w.request(`/api/articles/${gone}`, { method: 'PUT', token: tokens.pubB!, json: smallArticle(n++, { institutions: [B] }) })).status).toBe(403);
    expect(await adminView(gone)).toBe('gone');
    const both = (await w.createKey('publisher', [A, B], 'humas gabungan')).token;
    const id = await article(A);
    expect((await w.request(`/api/articles/${id}`, { method: 'PUT', token: both, json: smallArticle(n++, { institutions: [B] }) })).status).toBe(200);
    expect((await w.request(`/api/articles/${id}`, { method: 'PUT', token: tokens.pubA!, json: smallArticle(n++) })).status).toBe(403);
  });
});

describe('keys at rest', () => {
  it('stores only the SHA-256 of the secret: neither the token nor the secret is in the item', async () => {
    const res = await w.request('/api/keys', { token: ADMIN_TOKEN, json: { role: 'publisher', institutions: [A], label: 'rahasia' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { id, token } = (await res.json()) as { id: string; token: string };
    const [, keyId, secret] = /^wk_([0-9a-z]{26})_([A-Za-z0-9_-]{43})$/.exec(token)!;
    expect(keyId).toBe(id);
    const item = (await w.services.db.doc.send(new GetCommand({ TableName: w.services.db.table, Key: apiKeyKey(id), ConsistentRead: true }))).Item!;
    const raw = JSON.stringify(item);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(secret!);
    expect(item.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(item.secretHash).toBe(createHash('sha256').update(secret!).digest('hex'));
    expect(Object.keys(item).sort()).toEqual(['createdAt', 'id', 'institutions', 'label', 'pk', 'role', 'secretHash', 'sk']);
    const listed = await (await w.request('/api/keys', { token: ADMIN_TOKEN })).text();
    expect(listed).not.toContain(secret!);
    expect(listed).not.toContain(item.secretHash as string);
  });

  it('refuses a token whose secret differs in one character, and a revoked key at once', async () => {
    const { id, token } = await w.createKey('reader', [], 'satu huruf');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect((await w.request('/api/changes', { token: `${token.slice(0, -1)}${last}` })).status).toBe(401);
    expect((await w.request('/api/changes', { token })).status).toBe(200);
    expect((await w.request(`/api/keys/${id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    expect((await w.request('/api/changes', { token })).status).toBe(401);
  });
});

describe('failed authentications are throttled per address', () => {
  let t: TestWarta;
  let now = Date.UTC(2025, 0, 1);
  beforeAll(async () => {
    t = await startTestWarta({ clock: () => now, env: { WARTA_AUTH_FAILURES_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After after the limit, even a good token, until the window has passed', async () => {
    for (let i = 0; i < 3; i++) expect((await t.request('/api/keys', { token: `wrong-${i}` })).status).toBe(401);
    const limited = await t.request('/api/keys', { token: ADMIN_TOKEN });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    const body = (await limited.json()) as { type: string; requestId: string };
    expect(body.type).toBe('tag:warta,2026:problem:too-many-requests');
    expect(body.requestId).toBe(limited.headers.get('x-request-id'));
    expect((await t.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1) })).status).toBe(429);
    now += 59_000;
    const still = await t.request('/api/changes', { token: 'wrong' });
    expect([still.status, still.headers.get('retry-after')]).toEqual([429, '1']);
    now += 1_000;
    expect((await t.request('/api/keys', { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await t.request('/api/keys', { token: 'wrong-again' })).status).toBe(401);
  });

  it('cannot be escaped with a forged CF-Connecting-IP header on Node', async () => {
    now += 120_000;
    for (let i = 0; i < 3; i++) expect((await t.request('/api/keys', { token: `forged-${i}`, headers: { 'cf-connecting-ip': `203.0.113.${i}` } })).status).toBe(401);
    const res = await t.request('/api/keys', { token: 'forged-3', headers: { 'cf-connecting-ip': '198.51.100.7' } });
    expect(res.status).toBe(429);
  });
});
