/**
 * Test harness: a real Warta on a real HTTP server on loopback, backed by
 * the shared dynalite with a table of its own. No fakes.
 */
import { inject } from 'vitest';
import { ulid } from 'ulidx';
import { startNodeServer, type NodeServerOptions, type RunningWarta } from '../../src/server/node-server.js';
import { DEMO_CATEGORIES, DEMO_INSTITUTIONS } from '../../src/demo/demo-data.js';

/** The admin token every test server is started with. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A running test server with request helpers. */
export interface TestWarta extends RunningWarta {
  /** fetch relative to the server, with optional bearer token and JSON body. */
  request(path: string, init?: { method?: string; token?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Creates a key through the API; returns its token and id. */
  createKey(role: 'publisher' | 'reader', institutions: string[], label?: string): Promise<{ token: string; id: string }>;
  /** Registers the demo categories and institutions through the API. */
  registerDemoRegistries(): Promise<void>;
}

/** Starts Warta against the test dynalite with a fresh table. */
export async function startTestWarta(options: Partial<NodeServerOptions> & { env?: NodeServerOptions['env'] } = {}): Promise<TestWarta> {
  const running = await startNodeServer({
    quiet: true,
    port: 0,
    inMemoryStore: true,
    ...options,
    env: {
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId,
      AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey,
      WARTA_TABLE: `t-${ulid().toLowerCase()}`,
      WARTA_ADMIN_TOKEN: ADMIN_TOKEN,
      WARTA_CURSOR_SECRET: 'test-cursor-secret',
      WARTA_WEBSUB_ALLOW_PRIVATE: '1',
      WARTA_AUTH_FAILURES_PER_MINUTE: '1000',
      // Every test client is 127.0.0.1 with callbacks on 127.0.0.1: the hub's limits are tested on their own.
      WARTA_WEBSUB_ANON_PER_HOUR: '10000',
      WARTA_WEBSUB_HOST_PER_HOUR: '10000',
      WARTA_WEBSUB_PENDING_PER_CLIENT: '1000',
      WARTA_WEBSUB_PENDING_PER_HOST: '1000',
      WARTA_WEBSUB_HOST_SUBSCRIPTIONS: '10000',
      ...options.env,
    },
  });
  const request: TestWarta['request'] = (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] ??= 'application/json';
    }
    return fetch(`${running.url}${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
  };
  const createKey: TestWarta['createKey'] = async (role, institutions, label = `${role} key`) => {
    const res = await request('/api/keys', { token: ADMIN_TOKEN, json: { role, institutions, label } });
    if (res.status !== 201) throw new Error(`createKey: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string; id: string };
    return { token: body.token, id: body.id };
  };
  const registerDemoRegistries = async () => {
    for (const c of DEMO_CATEGORIES) {
      const { slug, ...rest } = c;
      const res = await request(`/api/categories/${slug}`, { method: 'PUT', token: ADMIN_TOKEN, json: rest });
      if (res.status !== 200) throw new Error(`register category: ${res.status}`);
    }
    for (const i of DEMO_INSTITUTIONS) {
      const { slug, ...rest } = i;
      const res = await request(`/api/institutions/${slug}`, { method: 'PUT', token: ADMIN_TOKEN, json: rest });
      if (res.status !== 200) throw new Error(`register institution: ${res.status}`);
    }
  };
  return { ...running, request, createKey, registerDemoRegistries };
}
