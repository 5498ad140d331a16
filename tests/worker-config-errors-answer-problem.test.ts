/**
 * The Workers entry (src/index.ts, run here in Node): a missing binding or a
 * malformed setting is answered as a 503 problem document naming it, never
 * with a secret's value, logged once per set of bindings with how to set it;
 * the isolate serves once it is set; services are built once per set of
 * binding values.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import worker, { servicesFor } from '../src/index.js';
import type { Bindings } from '../src/config.js';

type Ctx = Parameters<typeof worker.fetch>[2];
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as Ctx;
const get = (path: string, env: Bindings) => worker.fetch(new Request(`https://warta.example.workers.dev${path}`), env, ctx);

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => errors.mockRestore());

/** Everything a deployed Worker needs (src/worker-bindings.ts), with fake values. */
const COMPLETE: Bindings = {
  WARTA_TABLE: 'warta',
  AWS_REGION: 'ap-southeast-3',
  WARTA_BASE_URL: 'https://warta.example.workers.dev',
  WARTA_ADMIN_TOKEN: 'admin-token-value-1',
  WARTA_CURSOR_SECRET: 'cursor-secret-value-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID0001',
  AWS_SECRET_ACCESS_KEY: 'secret-access-key-value-1',
};
const without = (...names: (keyof Bindings)[]): Bindings => Object.fromEntries(Object.entries(COMPLETE).filter(([k]) => !names.includes(k as keyof Bindings)));

describe('a Worker without its secrets', () => {
  it('answers 503 with a problem document naming each missing binding and how to set it, then serves once they are set', async () => {
    const env = without('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY');
    const res = await get('/api/openapi.json', env);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const problem = (await res.json()) as Record<string, unknown>;
    expect(problem).toEqual({
      type: 'tag:warta,2026:problem:misconfigured',
      title: 'Service not configured',
      status: 503,
      detail: 'worker: Warta is not configured: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are not set',
      instance: '/api/openapi.json',
      requestId: res.headers.get('x-request-id'),
      errors: [
        { field: 'AWS_ACCESS_KEY_ID', reason: 'secret not set (npx wrangler secret put AWS_ACCESS_KEY_ID)' },
        { field: 'AWS_SECRET_ACCESS_KEY', reason: 'secret not set (npx wrangler secret put AWS_SECRET_ACCESS_KEY)' },
      ],
    });
    // A feed, a page and a write get the same answer: the warm path does not hide it.
    for (const [path, init] of [['/feed.rss', {}], ['/', {}], ['/api/articles', { method: 'POST', body: '{}' }]] as const) {
      const other = await worker.fetch(new Request(`https://warta.example.workers.dev${path}`, init), env, ctx);
      expect([path, other.status, ((await other.json()) as { type: string }).type]).toEqual([path, 503, 'tag:warta,2026:problem:misconfigured']);
    }
    // Checked once for these bindings: one log line, saying how to set them.
    const lines = errors.mock.calls.map((call) => String(call[0])).filter((l) => l.includes('configuration incomplete'));
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        level: 'error',
        msg: 'worker: configuration incomplete, every request answers 503',
        missing: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
        fix: ['npx wrangler secret put AWS_ACCESS_KEY_ID', 'npx wrangler secret put AWS_SECRET_ACCESS_KEY'],
      },
    ]);

    const fixed = await get('/api/openapi.json', COMPLETE);
    expect(fixed.status).toBe(200);
    expect(((await fixed.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('names a missing region, table, origin or secret, and needs no AWS keys when DYNAMODB_ENDPOINT points elsewhere', async () => {
    const res = await get('/feeds.opml', { ...without('AWS_REGION', 'WARTA_TABLE', 'WARTA_BASE_URL', 'WARTA_CURSOR_SECRET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'), DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' });
    expect(res.status).toBe(503);
    const problem = (await res.json()) as { detail: string; errors: { field: string; reason: string }[] };
    expect(problem.detail).toBe('worker: Warta is not configured: WARTA_CURSOR_SECRET, AWS_REGION, WARTA_TABLE, WARTA_BASE_URL are not set');
    expect(problem.errors).toEqual([
      { field: 'WARTA_CURSOR_SECRET', reason: 'secret not set (npx wrangler secret put WARTA_CURSOR_SECRET)' },
      { field: 'AWS_REGION', reason: 'not set (set AWS_REGION under [vars] in wrangler.toml, then npx wrangler deploy)' },
      { field: 'WARTA_TABLE', reason: 'not set (set WARTA_TABLE under [vars] in wrangler.toml, then npx wrangler deploy)' },
      { field: 'WARTA_BASE_URL', reason: 'not set (set WARTA_BASE_URL under [vars] in wrangler.toml, then npx wrangler deploy)' },
    ]);
  });

  it('never shows a secret pasted into the wrong variable, in the response or the log', async () => {
    const secret = 'Zq8-secret-cursor-key';
    const res = await get('/api/openapi.json', { ...COMPLETE, WARTA_CURSOR_SECRET: secret, WARTA_MAX_BODY_BYTES: secret });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text).type).toBe('tag:warta,2026:problem:misconfigured');
    expect(JSON.parse(text).detail).toBe('worker: Warta is misconfigured: config: WARTA_MAX_BODY_BYTES must be a non-negative integer, got "[redacted]"');
    expect(text).not.toContain(secret);
    const logged = errors.mock.calls.flat().map(String).join('\n');
    expect(logged).toContain('WARTA_MAX_BODY_BYTES');
    expect(logged).not.toContain(secret);
  });

  it('never shows a secret in the answer or the log when others are missing', async () => {
    const res = await get('/api/openapi.json', without('WARTA_TABLE'));
    expect(res.status).toBe(503);
    const text = await res.text() + errors.mock.calls.flat().map(String).join('\n');
    for (const name of ['WARTA_ADMIN_TOKEN', 'WARTA_CURSOR_SECRET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const) expect(text).not.toContain(COMPLETE[name]);
  });
});

describe('services per isolate', () => {
  const env: Bindings = { ...COMPLETE, WARTA_TABLE: 'memo-a', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' };

  it('are built once for the same binding values, even in a new env object', () => {
    const first = servicesFor(env);
    expect(servicesFor({ ...env })).toBe(first);
    expect(first.config.table).toBe('memo-a');
  });

  it('are rebuilt when a binding value changes', () => {
    const first = servicesFor(env);
    const other = servicesFor({ ...env, WARTA_TABLE: 'memo-b' });
    expect(other).not.toBe(first);
    expect(other.config.table).toBe('memo-b');
  });
});
