/**
 * Operability on Node: GET /healthz reports the store, the pending write
 * intents and the version (503 when the store does not answer), and every
 * request writes exactly one JSON access line — warm feed answers included —
 * with the path but never the query or a token; WARTA_LOG_LEVEL=warn turns
 * the lines off.
 */
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { putIntent } from '../src/store/intents.js';
import { pathOf } from '../src/http/access-log.js';
import { readConfig } from '../src/config.js';
import { startDynamoProxy } from './support/dynamo-proxy.js';
import { startTestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';

afterEach(() => vi.restoreAllMocks());

/** Console lines written while `body` runs (still written through to nothing). */
async function captureLog<T>(body: () => Promise<T>): Promise<{ lines: Record<string, unknown>[]; result: T }> {
  const raw: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void raw.push(args.map(String).join(' ')));
  try {
    const result = await body();
    // The line of the last response is written when its 'finish' fires, just after the client has it.
    await new Promise((r) => setTimeout(r, 50));
    return { lines: raw.map((l) => JSON.parse(l) as Record<string, unknown>), result };
  } finally {
    spy.mockRestore();
  }
}

describe('GET /healthz', () => {
  it('answers 200 with the store kind, the pending write intents and the version, not cached', async () => {
    const w = await startTestWarta();
    try {
      for (let i = 0; i < 3; i++) await putIntent(w.services.db, [{ id: `pending-${i}`, prev: null }], Date.now());
      const res = await w.request('/healthz');
      expect(res.status).toBe(200);
      expect([res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual(['application/json', 'no-store']);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', store: { kind: 'endpoint', reachable: true }, pendingWrites: 3 });
    } finally {
      await w.close();
    }
  });

  it('answers 503 with Retry-After when the store does not answer', async () => {
    const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
    const w = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint }, quiet: true });
    try {
      await proxy.close();
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const res = await w.request('/healthz');
      expect([res.status, res.headers.get('retry-after'), res.headers.get('cache-control')]).toEqual([503, '5', 'no-store']);
      expect(await res.json()).toEqual({ status: 'unavailable', version: '0.1.0', store: { kind: 'endpoint', reachable: false }, pendingWrites: null });
    } finally {
      await w.close();
    }
  });
});

describe('the access log', () => {
  it('writes one line per request (cold, warm, 304, problem, write) with path, status, bytes and request id, and no query or token', async () => {
    const w = await startTestWarta({ quiet: false, env: { WARTA_LOG_LEVEL: 'info' } });
    try {
      await w.registerDemoRegistries();
      const lapas = await w.createKey('publisher', ['lapas-kelas-i-madiun']);
      const { lines, result } = await captureLog(async () => {
        const answers: { path: string; method: string; status: number; bytes: number; requestId: string | null }[] = [];
        const call = async (method: string, target: string, init: { token?: string; json?: unknown; headers?: Record<string, string> } = {}) => {
          const res = await w.request(target, { method, ...init, headers: { 'accept-encoding': 'identity', ...init.headers } });
          const body = new Uint8Array(await res.arrayBuffer());
          answers.push({ path: target.split('?')[0]!, method, status: res.status, bytes: body.byteLength, requestId: res.headers.get('x-request-id') });
          return res;
        };
        await call('POST', '/api/articles', { token: lapas.token, json: seedArticle() });
        await call('GET', '/institutions/lapas-kelas-i-madiun/feed.rss?limit=5');
        const warm = await call('GET', '/institutions/lapas-kelas-i-madiun/feed.rss?limit=5');
        await call('GET', '/institutions/lapas-kelas-i-madiun/feed.rss?limit=5', { headers: { 'if-none-match': warm.headers.get('etag')! } });
        await call('GET', '/feed.json?cursor=hub.secret-looking-value');
        await call('GET', '/healthz?token=query-secret');
        return answers;
      });
      const access = lines.filter((l) => l.msg === 'request');
      expect(access.map(({ durationMs: _d, ...rest }) => rest)).toEqual(
        result.map((a) => ({ level: 'info', msg: 'request', method: a.method, path: a.path, status: a.status, bytes: a.bytes, requestId: a.requestId })),
      );
      expect(result.map((a) => a.status)).toEqual([201, 200, 200, 304, 400, 200]);
      expect(result[2]!.bytes).toBeGreaterThan(1000);
      for (const line of access) expect(typeof line.durationMs === 'number' && line.durationMs >= 0).toBe(true);
      const text = JSON.stringify(lines);
      for (const secret of [lapas.token, 'hub.secret-looking-value', 'query-secret', 'limit=5']) expect(text).not.toContain(secret);
    } finally {
      await w.close();
    }
  });

  it('is off at WARTA_LOG_LEVEL=warn, and the setting refuses unknown levels', async () => {
    const w = await startTestWarta({ quiet: false, env: { WARTA_LOG_LEVEL: 'warn' } });
    try {
      const { lines } = await captureLog(async () => {
        expect((await w.request('/healthz')).status).toBe(200);
      });
      expect(lines.filter((l) => l.msg === 'request')).toEqual([]);
    } finally {
      await w.close();
    }
    expect(() => readConfig({ WARTA_CURSOR_SECRET: 's', WARTA_LOG_LEVEL: 'verbose' })).toThrow('config: WARTA_LOG_LEVEL must be debug, info, warn or error, got "verbose"');
  });

  it('logs the path of a target or URL without query, fragment or credentials of the query', () => {
    expect(pathOf('/feed.rss?limit=5&cursor=x')).toBe('/feed.rss');
    expect(pathOf('https://warta.example/api/keys/abc?x=1#f')).toBe('/api/keys/abc');
    expect(pathOf('http://127.0.0.1:8787')).toBe('/');
    expect(pathOf(`/${'a'.repeat(2000)}`)).toBe(`/${'a'.repeat(1023)}…`);
  });
});
