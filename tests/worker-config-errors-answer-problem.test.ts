/**
 * The Workers entry (src/index.ts, run here in Node): a configuration error
 * is answered as a 500 problem document naming the setting, never with a
 * secret's value, and the isolate keeps serving; services are built once
 * per set of binding values.
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

describe('a Worker without its secrets', () => {
  it('answers 500 with a problem document naming the missing setting, then serves once it is set', async () => {
    const res = await get('/api/openapi.json', { WARTA_TABLE: 'warta', AWS_REGION: 'ap-southeast-3' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as Record<string, unknown>;
    expect(problem.type).toBe('tag:warta,2026:problem:internal');
    expect(problem.title).toBe('Internal error');
    expect(problem.detail).toBe('worker: Warta is misconfigured: config: WARTA_CURSOR_SECRET must be set to sign cursors (a secret of its own, not the admin token)');
    expect(problem.instance).toBe('/api/openapi.json');
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));

    const fixed = await get('/api/openapi.json', { WARTA_TABLE: 'warta', AWS_REGION: 'ap-southeast-3', WARTA_CURSOR_SECRET: 'now-set' });
    expect(fixed.status).toBe(200);
    expect(((await fixed.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('never shows a secret pasted into the wrong variable, in the response or the log', async () => {
    const secret = 'Zq8-secret-cursor-key';
    const res = await get('/api/openapi.json', { WARTA_CURSOR_SECRET: secret, WARTA_MAX_BODY_BYTES: secret });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).detail).toBe('worker: Warta is misconfigured: config: WARTA_MAX_BODY_BYTES must be a non-negative integer, got "[redacted]"');
    expect(text).not.toContain(secret);
    const logged = errors.mock.calls.flat().map(String).join('\n');
    expect(logged).toContain('WARTA_MAX_BODY_BYTES');
    expect(logged).not.toContain(secret);
  });
});

describe('services per isolate', () => {
  const env: Bindings = { WARTA_TABLE: 'memo-a', WARTA_CURSOR_SECRET: 'memo-secret', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' };

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
