/**
 * A Worker deployed without its AWS access key, in workerd: every request is
 * answered 503 with a problem document naming the missing bindings (never a
 * bare 500 from the AWS SDK's "Credential is missing"), and wrangler's log
 * says how to set them. The region, table and origin come from
 * wrangler.toml's [vars], as in a deployment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorker, startWranglerDev, type WranglerDev } from '../src/server/wrangler-dev.js';

const ADMIN_TOKEN = 'worker-503-admin-token-0123456789';
let dir: string;
let worker: WranglerDev;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warta-worker-503-'));
  const env = { WRANGLER_LOG_PATH: join(dir, 'logs'), WRANGLER_REGISTRY_PATH: join(dir, 'registry') };
  const script = await buildWorker({ outdir: join(dir, 'dev'), entry: 'tests/support/worker-dev-entry.ts', env });
  // No DYNAMODB_ENDPOINT and no AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: production, without the key pair.
  worker = await startWranglerDev({ vars: { WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_CURSOR_SECRET: 'worker-503-cursor-secret' }, port: 0, script, args: ['--persist-to', join(dir, 'state')], env, readyTimeoutMs: 90_000 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('a Worker without AWS credentials', () => {
  it('answers 503 naming AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY on feeds, pages and the API', async () => {
    for (const [path, init] of [
      ['/feed.atom', {}],
      ['/', {}],
      ['/api/articles', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' }],
    ] as const) {
      const res = await fetch(`${worker.url}${path}`, init);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 503, 'application/problem+json']);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem.type).toBe('tag:warta,2026:problem:misconfigured');
      expect(problem.detail).toBe('worker: Warta is not configured: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are not set');
      expect(problem.errors).toEqual([
        { field: 'AWS_ACCESS_KEY_ID', reason: 'secret not set (npx wrangler secret put AWS_ACCESS_KEY_ID)' },
        { field: 'AWS_SECRET_ACCESS_KEY', reason: 'secret not set (npx wrangler secret put AWS_SECRET_ACCESS_KEY)' },
      ]);
      expect(problem.requestId).toBe(res.headers.get('x-request-id'));
    }
  });

  it('logs how to set them, and never the secrets it has', async () => {
    await expect.poll(() => worker.output(), { timeout: 10_000 }).toContain('"fix":["npx wrangler secret put AWS_ACCESS_KEY_ID","npx wrangler secret put AWS_SECRET_ACCESS_KEY"]');
    expect(worker.output()).not.toContain(ADMIN_TOKEN);
    expect(worker.output()).not.toContain('worker-503-cursor-secret');
    expect(worker.output()).not.toContain('Credential is missing');
  });
});
