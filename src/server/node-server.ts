/**
 * Running Warta on Node: the embedded store (unless DYNAMODB_ENDPOINT points
 * elsewhere), the table, secrets kept under the data directory, the demo
 * set, recovery of interrupted writes, and @hono/node-server on loopback.
 * Used by `npm start`, the tests and the benchmark.
 */
import { getRequestListener, type ServerType } from '@hono/node-server';
import { createServer, type IncomingMessage } from 'node:http';
import { warmFeedAnswer } from '../feeds/feed-fast-path.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Context } from 'hono';
import type { ChangeListener, Services } from '../app-env.js';
import { createApp } from '../app.js';
import { readConfig, type Bindings } from '../config.js';
import { buildServices } from '../services.js';
import { startEmbeddedStore, type EmbeddedStore } from '../embedded/dynalite.js';
import { ensureTable } from '../store/table.js';
import { loadDemoIfEmpty } from '../demo/demo-data.js';
import { recoverPendingWrites } from '../store/recovery.js';
import type { Connector } from '../net/public-fetch.js';
import { nodeConnector } from './outbound-node.js';
import { installNodeWebSub, startNodeWebSub } from './websub-node.js';
import { secretFile } from './secret-file.js';

/** What to start. */
export interface NodeServerOptions {
  env: Bindings & { PORT?: string; WARTA_DATA_DIR?: string; WARTA_DEMO?: string; HOST?: string };
  /** Port to listen on (0 = any free port); default PORT or 8787. */
  port?: number;
  /** Start dynalite in memory (tests) instead of under WARTA_DATA_DIR. */
  inMemoryStore?: boolean;
  clock?: () => number;
  listeners?: ChangeListener[];
  /** Called with the services before the app is built (WebSub hub, caches). */
  extend?: (s: Services) => void;
  quiet?: boolean;
  /** How outbound requests connect (tests inject a resolver); default: Node's pinned, address-checked connector. */
  connector?: Connector;
}

/** A running Warta. */
export interface RunningWarta {
  url: string;
  services: Services;
  store?: EmbeddedStore;
  close(): Promise<void>;
}

/** Starts Warta on Node and resolves once it accepts connections. */
export async function startNodeServer(options: NodeServerOptions): Promise<RunningWarta> {
  const env = { ...options.env };
  const log = (msg: string, extra: Record<string, unknown> = {}) => {
    if (!options.quiet) console.log(JSON.stringify({ level: 'info', msg, ...extra }));
  };
  const dataDir = env.WARTA_DATA_DIR || './.warta';
  let store: EmbeddedStore | undefined;
  if (!env.DYNAMODB_ENDPOINT && !options.inMemoryStore) {
    // The data directory holds the store and the secrets: this user's only.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  }
  if (!env.DYNAMODB_ENDPOINT) {
    store = await startEmbeddedStore(options.inMemoryStore ? {} : { path: join(dataDir, 'dynalite') });
    env.DYNAMODB_ENDPOINT = store.endpoint;
    // The embedded store answers only requests signed with its own random credential.
    env.AWS_ACCESS_KEY_ID = store.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = store.credentials.secretAccessKey;
    delete env.AWS_SESSION_TOKEN;
    log('embedded store started', { endpoint: store.endpoint, ...(options.inMemoryStore ? { inMemory: true } : { path: join(dataDir, 'dynalite') }) });
  }
  if (!env.WARTA_ADMIN_TOKEN && !options.inMemoryStore) {
    env.WARTA_ADMIN_TOKEN = secretFile(dataDir, 'admin-token');
    log('admin token read from file (set WARTA_ADMIN_TOKEN to choose one)', { file: join(dataDir, 'admin-token') });
  }
  if (!env.WARTA_CURSOR_SECRET && !options.inMemoryStore) env.WARTA_CURSOR_SECRET = secretFile(dataDir, 'cursor-secret');

  const port = options.port ?? Number(env.PORT || 8787);
  const host = env.HOST || '127.0.0.1';
  const config = readConfig(env, { baseUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` });
  const services = buildServices(config, { connector: options.connector ?? nodeConnector(), ...(options.clock ? { clock: options.clock } : {}), ...(options.listeners ? { listeners: options.listeners } : {}) });
  services.local.set('clientAddress', (c: Context) => getConnInfo(c).remote.address ?? 'unknown');
  installNodeWebSub(services);
  options.extend?.(services);

  await ensureTable(services.db);
  const recovered = await recoverPendingWrites(services.db, services.clock(), 0);
  if (recovered) log('replayed interrupted writes', { count: recovered });
  if (env.WARTA_DEMO !== '0' && !env.DYNAMODB_ENDPOINT?.startsWith('https://') && store) {
    if (await loadDemoIfEmpty(services)) log('demo data loaded (WARTA_DEMO=0 turns this off)');
  }

  // The socket-level warm path below replaces the app's own (it would only miss again).
  const app = createApp(() => services, { fetchWarmPath: false });
  const stopWebSub = startNodeWebSub(services, async (request) => app.fetch(request, {}));
  // Warm feed requests are answered on the socket itself, without building a Fetch Request or
  // Response (src/feeds/feed-fast-path.ts); everything else goes through the Hono app.
  const routed = getRequestListener(app.fetch);
  const nodeHeader = (req: IncomingMessage) => (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const server: ServerType = createServer((req, res) => {
    const warm = req.method === 'GET' ? warmFeedAnswer(services, { method: 'GET', target: req.url ?? '/', header: nodeHeader(req) }) : null;
    if (!warm) return void routed(req, res);
    res.writeHead(warm.status, warm.headers);
    res.end(warm.body ?? undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, host, () => resolve()));
  const actualPort = (server.address() as AddressInfo).port;
  // With port 0 the base URL is only known now.
  if (port === 0 && !env.WARTA_BASE_URL) {
    services.config.baseUrl = `http://127.0.0.1:${actualPort}`;
    services.config.tagAuthority = '127.0.0.1';
  }
  const recovery = setInterval(() => {
    recoverPendingWrites(services.db, services.clock()).catch((err: unknown) =>
      console.error(JSON.stringify({ level: 'error', msg: 'recovery failed', error: String((err as Error).message) })),
    );
  }, 30_000);
  recovery.unref();
  log('warta listening', { url: `http://${host}:${actualPort}` });
  return {
    url: `http://127.0.0.1:${actualPort}`,
    services,
    ...(store ? { store } : {}),
    close: async () => {
      clearInterval(recovery);
      stopWebSub();
      await new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      services.db.raw.destroy();
      await store?.close();
    },
  };
}
