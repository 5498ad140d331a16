/**
 * The Worker build serves the publishing API inside workerd: src/index.ts
 * bundled by `wrangler deploy --dry-run` (with wrangler dev's body-draining
 * wrapper, tests/support/worker-dev-entry.ts) and served by
 * `wrangler dev --no-bundle`, talking to the shared test dynalite through
 * the AWS SDK's fetch handler. The deploy bundle itself stays small.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ulid } from 'ulidx';
import { readConfig } from '../src/config.js';
import { buildServices } from '../src/services.js';
import { ensureTable } from '../src/store/table.js';
import { getArticle } from '../src/store/articles.js';
import { listIntents, putIntent } from '../src/store/intents.js';
import { DEMO_CATEGORIES, DEMO_INSTITUTIONS } from '../src/demo/demo-data.js';
import { buildWorker, startWranglerDev, type WranglerDev } from '../src/server/wrangler-dev.js';
import type { Services } from '../src/app-env.js';
import { seedArticle } from './support/articles.js';

// `$` and `#` prove the bindings reach the Worker verbatim (the env file is neither expanded nor cut at comments).
const ADMIN_TOKEN = 'worker-test-$HOME-admin-#token-0123456789';
const table = `w-${ulid().toLowerCase()}`;
const vars = {
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId,
  AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey,
  WARTA_TABLE: table,
  WARTA_ADMIN_TOKEN: ADMIN_TOKEN,
  WARTA_CURSOR_SECRET: 'worker-test-cursor-secret',
  WARTA_BASE_URL: 'http://127.0.0.1:8787',
  WARTA_AUTH_FAILURES_PER_MINUTE: '1000',
};

let dir: string;
let deployBundle: string;
let worker: WranglerDev;
let node: Services;
let lapas: string;
let ponorogo: string;

async function call(path: string, init: { method?: string; token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body = init.body;
  if (init.json !== undefined) body = JSON.stringify(init.json);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  return fetch(`${worker.url}${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
}

async function createKey(institutions: string[]): Promise<string> {
  const res = await call('/api/keys', { token: ADMIN_TOKEN, json: { role: 'publisher', institutions, label: `publisher of ${institutions.join(', ')}` } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warta-worker-test-'));
  // The Node side sees the same table: it creates it, and checks what the Worker wrote.
  node = buildServices(readConfig(vars));
  await ensureTable(node.db);
  // wrangler's debug logs and dev registry stay in the test's directory.
  const env = { WRANGLER_LOG_PATH: join(dir, 'logs'), WRANGLER_REGISTRY_PATH: join(dir, 'registry') };
  deployBundle = await buildWorker({ outdir: join(dir, 'deploy'), env });
  const script = await buildWorker({ outdir: join(dir, 'dev'), entry: 'tests/support/worker-dev-entry.ts', env });
  worker = await startWranglerDev({ vars, port: 0, script, args: ['--persist-to', join(dir, 'state')], env, readyTimeoutMs: 90_000 });
  for (const { slug, ...rest } of DEMO_CATEGORIES) expect((await call(`/api/categories/${slug}`, { method: 'PUT', token: ADMIN_TOKEN, json: rest })).status).toBe(200);
  for (const { slug, ...rest } of DEMO_INSTITUTIONS) expect((await call(`/api/institutions/${slug}`, { method: 'PUT', token: ADMIN_TOKEN, json: rest })).status).toBe(200);
  lapas = await createKey(['lapas-kelas-i-madiun']);
  ponorogo = await createKey(['polres-ponorogo']);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  node?.db.raw.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('the Worker in workerd', () => {
  let id: string;

  it('creates the seed article for a Lapas Kelas I Madiun publisher and reads it back with its offset and both institutions', async () => {
    const res = await call('/api/articles', { token: lapas, json: seedArticle() });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    id = created.id;
    expect(res.headers.get('location')).toBe(`/api/articles/${id}`);
    expect(res.headers.get('etag')).toBe('"v1"');

    const read = await call(`/api/articles/${id}`, { token: lapas });
    expect(read.status).toBe(200);
    const body = (await read.json()) as Record<string, unknown>;
    expect(body.publishedAt).toBe('2023-12-04T15:14:00+07:00');
    expect(body.institutions).toEqual(['lapas-kelas-i-madiun', 'polres-madiun-kota']);
    expect(body.owner).toBe('lapas-kelas-i-madiun');
    expect(body.version).toBe(1);

    // The Worker wrote to the shared dynalite: the Node side reads the same record.
    const record = await getArticle(node.db, id);
    expect(record?.title).toBe(seedArticle().title);
    expect(record?.version).toBe(1);
  });

  it('refuses a publisher of another institution with 403', async () => {
    const res = await call('/api/articles', { token: ponorogo, json: seedArticle({ id: 'seed-by-ponorogo' }) });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { type: string }).type).toBe('tag:warta,2026:problem:forbidden');
    expect(await getArticle(node.db, 'seed-by-ponorogo')).toBeNull();
  });

  it('answers 401 without a token', async () => {
    const res = await call('/api/articles', { json: seedArticle({ id: 'seed-anonymous' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { type: string }).type).toBe('tag:warta,2026:problem:unauthorized');
  });

  it('answers a malformed body with a 400 problem document', async () => {
    const res = await call('/api/articles', { token: lapas, body: '{"title": "Berita", ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as Record<string, unknown>;
    expect(problem.type).toBe('tag:warta,2026:problem:malformed-json');
    expect(problem.title).toBe('Malformed JSON');
    expect(problem.status).toBe(400);
    expect(problem.instance).toBe('/api/articles');
  });

  it('serves the OpenAPI document', async () => {
    const res = await call('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const doc = (await res.json()) as { openapi: string; info: { title: string; version: string }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Warta publishing API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/articles', '/api/articles/{id}', '/api/keys']));
  });

  it('serves the newsroom console: the page with its CSP, the bundled script, a session and a publish through it', async () => {
    const page = await call('/console/', { headers: { 'accept-language': 'id' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self' 'sha256-/);
    const script = /<script type="module" src="([^"]+)">/.exec(await page.text())![1]!;
    const js = await call(script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const signIn = await call('/console/api/session', { token: lapas, json: {} });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf } = (await signIn.json()) as { csrf: string };
    const created = await call('/console/api/articles', { headers: { cookie, 'x-warta-csrf': csrf }, json: seedArticle({ id: 'from-the-console' }) });
    expect(created.status).toBe(201);
    expect((await getArticle(node.db, 'from-the-console'))?.owner).toBe('lapas-kelas-i-madiun');
  });

  it('was served by the wrangler process, and its cron handler replays an interrupted write', async () => {
    // wrangler logs every request workerd answered (its line may follow the answer by a moment on a loaded machine).
    await expect.poll(() => worker.output(), { timeout: 10_000 }).toContain('POST /api/articles 201 Created');
    await expect.poll(() => worker.output(), { timeout: 10_000 }).toContain('POST /api/articles 403 Forbidden');

    // An intent left by a write that died before its commit point, older than the grace period.
    await putIntent(node.db, [{ id: 'never-written', prev: null }], Date.now() - 60_000);
    expect(await listIntents(node.db, Date.now())).toHaveLength(1);
    // wrangler dev's /cdn-cgi/handler/scheduled runs the Worker's `scheduled` export: the Node app has none.
    const res = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    await expect.poll(() => worker.output(), { timeout: 10_000 }).toContain('"msg":"worker: recovery ran","cron":"*/5 * * * *","replayed":1');
    expect(await listIntents(node.db, Date.now())).toEqual([]);
  });
});

describe('operability in workerd', () => {
  it('answers GET /healthz and writes one access line per request, with its request id and no query or token', async () => {
    const res = await call('/healthz?token=worker-query-secret', { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', store: { kind: 'endpoint', reachable: true }, pendingWrites: 0 });
    const requestId = res.headers.get('x-request-id')!;
    const feed = await call('/feed.atom', { headers: { 'accept-encoding': 'identity' } });
    const feedBytes = (await feed.arrayBuffer()).byteLength;
    const feedId = feed.headers.get('x-request-id')!;
    const lineOf = (id: string) => worker.output().split('\n').find((l) => l.includes(`"requestId":"${id}"`) && l.includes('"msg":"request"'));
    await expect.poll(() => lineOf(feedId), { timeout: 10_000 }).toBeDefined();
    const access = (id: string) => {
      const { durationMs, ...rest } = JSON.parse(lineOf(id)!.slice(lineOf(id)!.indexOf('{'))) as Record<string, unknown>;
      expect(typeof durationMs).toBe('number');
      return rest;
    };
    expect(access(requestId)).toEqual({ level: 'info', msg: 'request', method: 'GET', path: '/healthz', status: 200, bytes: expect.any(Number), requestId });
    expect(access(feedId)).toEqual({ level: 'info', msg: 'request', method: 'GET', path: '/feed.atom', status: 200, bytes: feedBytes, requestId: feedId });
    expect(worker.output()).not.toContain('worker-query-secret');
    expect(worker.output()).not.toContain(ADMIN_TOKEN);
  });
});

describe('the deploy bundle', () => {
  it('needs no Node built-ins and stays under 1 MiB gzipped', () => {
    const code = readFileSync(deployBundle);
    // Without nodejs_compat, an import of node:* would fail the build or the start above; make it explicit.
    expect(code.toString('utf8')).not.toMatch(/from\s*["']node:/);
    expect(gzipSync(code, { level: 9 }).length).toBeLessThan(1024 * 1024);
  });
});
