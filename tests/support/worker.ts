/**
 * A Worker under `wrangler dev` for tests: src/index.ts bundled as the
 * deploy would bundle it (with wrangler dev's body-draining wrapper,
 * worker-dev-entry.ts), served with `--no-bundle` against the shared test
 * dynalite; the Node side sees the same table. Registries are loaded and
 * keys made through the Worker's own API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { ulid } from 'ulidx';
import { readConfig } from '../../src/config.js';
import { buildServices } from '../../src/services.js';
import { ensureTable } from '../../src/store/table.js';
import { DEMO_CATEGORIES, DEMO_INSTITUTIONS } from '../../src/demo/demo-data.js';
import { buildWorker, startWranglerDev, type WranglerDev } from '../../src/server/wrangler-dev.js';
import type { Services } from '../../src/app-env.js';

/** The admin token of test Workers. */
export const WORKER_ADMIN_TOKEN = 'worker-test-admin-token-0123456789';

/** A running test Worker. */
export interface TestWorker {
  url: string;
  /** The base URL the Worker believes it has (feeds and topics use it). */
  baseUrl: string;
  dev: WranglerDev;
  /** Services on the same table, from Node. */
  node: Services;
  call(path: string, init?: { method?: string; token?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<Response>;
  createKey(institutions: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** wrangler.toml without its Queue bindings (WebSub deliveries then run in the request's waitUntil). */
function configWithoutQueues(dir: string): string {
  const toml = readFileSync('wrangler.toml', 'utf8')
    .replace(/^\[\[queues\.[a-z]+\]\][^[]*/gm, '')
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(process.cwd(), 'src/index.ts'))}`);
  if (/queues/.test(toml.replace(/^#.*$/gm, ''))) throw new Error('worker: could not take the queues out of wrangler.toml');
  const file = join(dir, 'wrangler-no-queues.toml');
  writeFileSync(file, toml);
  return file;
}

/**
 * Builds and starts a Worker with `vars` added to the test bindings; loads
 * the demo registries. `queues: false` leaves wrangler.toml's Queue bindings out.
 */
export async function startTestWorker(vars: Record<string, string> = {}, options: { queues?: boolean } = {}): Promise<TestWorker> {
  const baseUrl = 'http://127.0.0.1:8787';
  const bindings = {
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    // The test store answers only requests signed with its credential.
    AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId,
    AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey,
    WARTA_TABLE: `w-${ulid().toLowerCase()}`,
    WARTA_ADMIN_TOKEN: WORKER_ADMIN_TOKEN,
    WARTA_CURSOR_SECRET: 'worker-test-cursor-secret',
    WARTA_BASE_URL: baseUrl,
    WARTA_AUTH_FAILURES_PER_MINUTE: '1000',
    WARTA_WEBSUB_ANON_PER_HOUR: '10000',
    WARTA_WEBSUB_HOST_PER_HOUR: '10000',
    ...vars,
  };
  const dir = mkdtempSync(join(tmpdir(), 'warta-worker-test-'));
  const node = buildServices(readConfig(bindings));
  await ensureTable(node.db);
  const env = { WRANGLER_LOG_PATH: join(dir, 'logs'), WRANGLER_REGISTRY_PATH: join(dir, 'registry') };
  const script = await buildWorker({ outdir: join(dir, 'dev'), entry: 'tests/support/worker-dev-entry.ts', env });
  const config = options.queues === false ? { config: configWithoutQueues(dir) } : {};
  const dev = await startWranglerDev({ vars: bindings, port: 0, script, ...config, args: ['--persist-to', join(dir, 'state')], env, readyTimeoutMs: 90_000 });
  const call: TestWorker['call'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body = init.body;
    if (init.json !== undefined) body = JSON.stringify(init.json);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return fetch(`${dev.url}${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
  };
  const worker: TestWorker = {
    url: dev.url,
    baseUrl,
    dev,
    node,
    call,
    async createKey(institutions) {
      const res = await call('/api/keys', { token: WORKER_ADMIN_TOKEN, json: { role: 'publisher', institutions, label: `publisher of ${institutions.join(', ')}` } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { token: string }).token;
    },
    async stop() {
      await dev.stop();
      node.db.raw.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const { slug, ...rest } of DEMO_CATEGORIES) expect((await call(`/api/categories/${slug}`, { method: 'PUT', token: WORKER_ADMIN_TOKEN, json: rest })).status).toBe(200);
    for (const { slug, ...rest } of DEMO_INSTITUTIONS) expect((await call(`/api/institutions/${slug}`, { method: 'PUT', token: WORKER_ADMIN_TOKEN, json: rest })).status).toBe(200);
  } catch (err) {
    await worker.stop();
    throw err;
  }
  return worker;
}
