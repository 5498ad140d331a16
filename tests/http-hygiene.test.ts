/**
 * HTTP hygiene: internal errors answer a generic problem with the request
 * id and nothing else (no stack, no message, no path); every response
 * carries X-Request-Id, equal to the problem's requestId; logs are JSON
 * lines and never contain a token or a key secret; the hub's form body is
 * size-limited like every JSON write route (tests/hostile-input-bodies.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.js';
import type { Services } from '../src/app-env.js';
import { readConfig } from '../src/config.js';
import { buildServices } from '../src/services.js';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { rawRequest } from './support/raw-http.js';
import { startDynamoProxy } from './support/dynamo-proxy.js';
import { inject } from 'vitest';

const INTERNAL = 'TypeError: Cannot read properties of undefined (reading "secretHash") at /srv/warta/src/store/api-keys.ts:42:7';

/** Services whose store "has a bug": every request throws an internal error. */
function brokenServices(): Services {
  const s = buildServices(readConfig({ WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_CURSOR_SECRET: 'c', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }));
  const fail = async () => {
    throw new TypeError(INTERNAL);
  };
  s.db.doc.send = fail as never;
  return s;
}

/** Console output captured while `body` runs. */
async function captureLogs(body: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const record = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(record));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  try {
    await body();
  } finally {
    for (const s of [...spies, out, err]) s.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('internal errors', () => {
  it('answer 500 with the generic detail and the request id only; the log has the cause and the id', async () => {
    const app = createApp(() => brokenServices());
    app.get('/boom', () => {
      throw new Error(`handler failed: ${INTERNAL}`);
    });
    for (const path of ['/api/categories', '/boom', '/feed.atom', '/']) {
      let res!: Response;
      const logs = await captureLogs(async () => {
        res = await app.request(path);
      });
      const text = await res.text();
      expect(res.status, path).toBe(500);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
      expect(body).toMatchObject({ type: 'tag:warta,2026:problem:internal', title: 'Internal error', status: 500, detail: 'an internal error occurred; quote the requestId when reporting it', instance: path });
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
      for (const leak of ['TypeError', 'secretHash', '/srv/', '.ts:', 'handler failed', ' at ']) expect(text, path).not.toContain(leak);
      const entry = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'unhandled error')!;
      expect(entry).toMatchObject({ level: 'error', requestId: body.requestId, path });
      expect(String(entry.error)).toContain('secretHash');
    }
  });
});

describe('request ids and logs on a running Warta', () => {
  let w: TestWarta;
  let key: { token: string; id: string };
  beforeAll(async () => {
    w = await startTestWarta({ env: { WARTA_MAX_BODY_BYTES: '4096' } });
    await w.registerDemoRegistries();
    key = await w.createKey('publisher', ['polres-madiun-kota'], 'humas');
  });
  afterAll(() => w.close());

  it('puts X-Request-Id on every response, equal to requestId in problem documents', async () => {
    const id = ((await (await w.request('/api/articles', { token: key.token, json: smallArticle(1) })).json()) as { id: string }).id;
    const etag = (await w.request('/feed.atom')).headers.get('etag')!;
    const cases: [string, () => Promise<Response>, number][] = [
      ['GET /', () => w.request('/'), 200],
      ['GET /feed.atom', () => w.request('/feed.atom'), 200],
      ['GET /feed.atom 304', () => w.request('/feed.atom', { headers: { 'if-none-match': etag } }), 304],
      ['HEAD /feed.rss', () => w.request('/feed.rss', { method: 'HEAD' }), 200],
      ['OPTIONS /feed.json', () => w.request('/feed.json', { method: 'OPTIONS' }), 204],
      ['GET /feeds.opml', () => w.request('/feeds.opml'), 200],
      ['GET /articles/:id (page)', () => w.request(`/articles/${id}`), 200],
      ['GET /articles/none (page 404)', () => w.request('/articles/none'), 404],
      ['GET /api/articles/:id', () => w.request(`/api/articles/${id}`, { token: key.token }), 200],
      ['PUT /api/articles/:id', () => w.request(`/api/articles/${id}`, { method: 'PUT', token: key.token, json: smallArticle(1) }), 200],
      ['DELETE /api/articles/:id', () => w.request(`/api/articles/${id}`, { method: 'DELETE', token: key.token }), 204],
      ['GET /api/changes', () => w.request('/api/changes', { token: key.token }), 200],
      ['404 no route', () => w.request('/nowhere'), 404],
      ['405 GET /websub', () => w.request('/websub'), 405],
      ['401', () => w.request('/api/keys'), 401],
      ['403', () => w.request('/api/keys', { token: key.token }), 403],
      ['415', () => w.request('/api/articles', { token: key.token, body: 'x', headers: { 'content-type': 'text/plain' } }), 415],
      ['413', () => w.request('/api/articles', { token: key.token, json: smallArticle(2, { contentHtml: 'x'.repeat(5000) }) }), 413],
      ['422', () => w.request('/api/articles', { token: key.token, json: {} }), 422],
      ['400 feed limit', () => w.request('/feed.atom?limit=0'), 400],
    ];
    for (const [name, send, status] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
      const rid = res.headers.get('x-request-id');
      expect(rid, name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      if (res.headers.get('content-type') === 'application/problem+json') expect(((await res.json()) as { requestId: string }).requestId, name).toBe(rid);
    }
  });

  it('keeps a well-formed client request id and replaces a hostile one', async () => {
    const kept = await w.request('/nowhere', { headers: { 'x-request-id': 'partner-req-42' } });
    expect(kept.headers.get('x-request-id')).toBe('partner-req-42');
    expect(((await kept.json()) as { requestId: string }).requestId).toBe('partner-req-42');
    for (const hostile of ['{"level":"admin"}', '<script>alert(1)</script>', 'a b', 'x'.repeat(256)]) {
      const res = await rawRequest(w.url, { method: 'GET', path: '/nowhere', headers: { 'x-request-id': hostile } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.text).not.toContain(hostile);
    }
  });

  it('413 on the WebSub hub\'s form body too', async () => {
    const res = await rawRequest(w.url, { method: 'POST', path: '/websub', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `hub.mode=subscribe&x=${'a'.repeat(17 * 1024)}` });
    expect([res.status, (res.json as { type: string }).type]).toEqual([413, 'tag:warta,2026:problem:payload-too-large']);
  });

  it('logs JSON lines without any token or key secret: failed and successful authentications, and a store outage', async () => {
    // The secret is the 43 characters after `wk_<id>_` (base64url, so it may itself hold `_`).
    const secret = key.token.slice(-43);
    const wrongSecret = `wk_${key.id}_${'Z'.repeat(43)}`;
    const adminLike = `${ADMIN_TOKEN}-x`;
    let other!: { token: string; id: string };
    const lines = await captureLogs(async () => {
      expect((await w.request('/api/keys', { token: wrongSecret })).status).toBe(401);
      expect((await w.request('/api/keys', { token: adminLike })).status).toBe(401);
      expect((await w.request('/api/keys', { token: ADMIN_TOKEN })).status).toBe(200);
      expect((await w.request('/api/articles', { token: key.token, json: smallArticle(3) })).status).toBe(201);
      expect((await w.request('/api/keys', { token: ADMIN_TOKEN, json: { role: 'reader', institutions: [], label: 'baru' } })).status).toBe(201);
      // A store outage while a key token is presented: logged, with neither the token nor its secret.
      const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
      const down = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint } });
      other = await down.createKey('reader', [], 'x');
      await proxy.close();
      const res = await down.request('/api/changes', { token: other.token, headers: { 'x-request-id': 'outage-1' } });
      expect(res.status).toBe(503);
      await down.close();
    });
    const all = lines.join('\n');
    for (const s of [ADMIN_TOKEN, key.token, secret, wrongSecret, adminLike, 'Z'.repeat(43), other.token, other.token.slice(-43)]) expect(all).not.toContain(s);
    const appLines = lines.filter((l) => l.trimStart().startsWith('{'));
    for (const l of appLines) expect(() => JSON.parse(l)).not.toThrow();
    expect(appLines.map((l) => JSON.parse(l) as { msg: string; requestId?: string }).find((l) => l.msg === 'store unavailable')?.requestId).toBe('outage-1');
  });
});
