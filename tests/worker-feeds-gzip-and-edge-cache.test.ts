/**
 * Feeds and OPML on the Worker, in workerd, against the same table as a
 * Node server with the same base URL: the app gzips every feed format and
 * the OPML list itself, with an ETag of its own and a Content-Length (the
 * platform does not compress them again), and the bytes are Node's. A page
 * read back from the Cache API tier after a restart is rebuilt from Warta's
 * own values: Date is the time of the answer, and no Age or CF-Cache-Status
 * is copied into it or frozen into the in-process cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ulid } from 'ulidx';
import { buildWorker, startWranglerDev, type WranglerDev } from '../src/server/wrangler-dev.js';
import { DEMO_CATEGORIES, DEMO_INSTITUTIONS } from '../src/demo/demo-data.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { startDynamoProxy, type DynamoProxy } from './support/dynamo-proxy.js';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { rawBytes, type RawBytes } from './support/raw-bytes.js';

const ADMIN_TOKEN = 'worker-gzip-admin-token-0123456789';
const BASE_URL = 'https://warta.example';
const table = `wg-${ulid().toLowerCase()}`;
let dir: string;
let script: string;
let proxy: DynamoProxy;
let worker: WranglerDev;
let node: TestWarta;
const wranglerEnv = () => ({ WRANGLER_LOG_PATH: join(dir, 'logs'), WRANGLER_REGISTRY_PATH: join(dir, 'registry') });

const startWorker = () =>
  startWranglerDev({
    vars: { DYNAMODB_ENDPOINT: proxy.endpoint, AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: table, WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_CURSOR_SECRET: 'worker-gzip-cursor-secret', WARTA_BASE_URL: BASE_URL },
    port: 0,
    script,
    // The Cache API's entries persist here, across the restart below.
    args: ['--persist-to', join(dir, 'state')],
    env: wranglerEnv(),
    readyTimeoutMs: 90_000,
  });

async function api(path: string, method: string, json: unknown): Promise<Response> {
  return fetch(`${worker.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warta-worker-gzip-'));
  proxy = await startDynamoProxy(inject('dynamoEndpoint'));
  // The Node server creates the table; both serve it under the same base URL, so their feeds are the same documents.
  node = await startTestWarta({ env: { DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: table, WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_CURSOR_SECRET: 'worker-gzip-cursor-secret', WARTA_BASE_URL: BASE_URL } });
  script = await buildWorker({ outdir: join(dir, 'dev'), entry: 'tests/support/worker-dev-entry.ts', env: wranglerEnv() });
  worker = await startWorker();
  for (const { slug, ...rest } of DEMO_CATEGORIES) expect((await api(`/api/categories/${slug}`, 'PUT', rest)).status).toBe(200);
  for (const { slug, ...rest } of DEMO_INSTITUTIONS) expect((await api(`/api/institutions/${slug}`, 'PUT', rest)).status).toBe(200);
  expect((await api('/api/articles', 'POST', seedArticle())).status).toBe(201);
  for (let n = 1; n <= 3; n++) expect((await api('/api/articles', 'POST', smallArticle(n, { institutions: ['lapas-kelas-i-madiun'] }))).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await node?.close();
  await proxy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

const GZIP = { 'accept-encoding': 'gzip, deflate, br' };
const IDENTITY = { 'accept-encoding': 'identity' };
const ETAG = /^W\/"[0-9a-f]{16}"$/;

function expectGzipOf(gz: RawBytes, plain: RawBytes) {
  expect([plain.status, gz.status]).toEqual([200, 200]);
  expect(String(plain.headers.etag)).toMatch(ETAG);
  expect(gz.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gz"`);
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.headers['content-length']).toBe(String(plain.body.length));
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers['content-length']).toBe(String(gz.body.length));
  expect(gz.headers['transfer-encoding']).toBeUndefined();
  expect(gz.headers.vary).toBe('Accept-Encoding');
  // Compressed once: one gunzip gives the identity bytes.
  expect(gunzipSync(gz.body).toString('utf8')).toBe(plain.body.toString('utf8'));
}

describe('the Worker compresses feeds and OPML itself', () => {
  for (const path of ['/institutions/lapas-kelas-i-madiun/feed.atom', '/institutions/lapas-kelas-i-madiun/feed.json', '/institutions/lapas-kelas-i-madiun/feed.rss', '/feeds.opml']) {
    it(`answers ${path} gzipped with its own ETag and Content-Length, the same document as Node`, async () => {
      const plain = await rawBytes(`${worker.url}${path}`, IDENTITY);
      const gz = await rawBytes(`${worker.url}${path}`, GZIP);
      expectGzipOf(gz, plain);
      // Served again (from the isolate's cache): the same answer.
      const again = await rawBytes(`${worker.url}${path}`, GZIP);
      expect([again.headers.etag, again.headers['content-encoding'], again.body.equals(gz.body)]).toEqual([gz.headers.etag, 'gzip', true]);
      // Node serves the same table under the same base URL: same validators, same document.
      const onNode = await rawBytes(`${node.url}${path}`, IDENTITY);
      expect([onNode.headers.etag, onNode.headers['content-type']]).toEqual([plain.headers.etag, plain.headers['content-type']]);
      expect(onNode.body.toString('utf8')).toBe(plain.body.toString('utf8'));
      // Either ETag revalidates.
      for (const tag of [String(plain.headers.etag), String(gz.headers.etag)]) {
        const revalidated = await rawBytes(`${worker.url}${path}`, { ...GZIP, 'if-none-match': tag });
        expect([revalidated.status, revalidated.headers.etag]).toEqual([304, tag]);
      }
    });
  }
});

describe('a page read back from the Cache API after a restart', () => {
  it('has the Date of the answer, no Age or CF-Cache-Status, and comes from the edge tier, not the store', async () => {
    const path = '/institutions/lapas-kelas-i-madiun/feed.atom?limit=2';
    const first = await rawBytes(`${worker.url}${path}`, GZIP);
    expect(first.status).toBe(200);
    // Let the Cache API store it (background), then start a new isolate: its in-process cache is empty.
    await new Promise((r) => setTimeout(r, 500));
    await worker.stop();
    worker = await startWorker();
    proxy.reset();
    // Into a new second, so that a replayed Date would show.
    await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
    const asked = Math.floor(Date.now() / 1000) * 1000;
    const fromEdge = await rawBytes(`${worker.url}${path}`, GZIP);
    expect(fromEdge.status).toBe(200);
    expect(proxy.attempts.get('Query')).toBeUndefined(); // the page was not read from the store
    expect(fromEdge.headers.etag).toBe(first.headers.etag);
    expect(fromEdge.body.equals(first.body)).toBe(true);
    expect(fromEdge.headers['content-length']).toBe(String(first.body.length));
    expect(fromEdge.headers.age).toBeUndefined();
    expect(fromEdge.headers['cf-cache-status']).toBeUndefined();
    expect(Date.parse(String(fromEdge.headers.date))).toBeGreaterThanOrEqual(asked);
    expect(Object.keys(fromEdge.headers).filter((h) => h.startsWith('x-warta'))).toEqual([]);

    // The in-process cache now holds it: still the time of each answer, never a frozen one.
    await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
    const later = Math.floor(Date.now() / 1000) * 1000;
    const fromIsolate = await rawBytes(`${worker.url}${path}`, GZIP);
    expect(Date.parse(String(fromIsolate.headers.date))).toBeGreaterThanOrEqual(later);
    expect([fromIsolate.headers.age, fromIsolate.headers['cf-cache-status'], fromIsolate.headers.etag]).toEqual([undefined, undefined, first.headers.etag]);
    expect(gunzipSync(fromIsolate.body).toString('utf8')).toBe(gunzipSync(first.body).toString('utf8'));
  }, 120_000);
});
