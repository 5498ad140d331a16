/**
 * Running Warta on Node: the store WARTA_STORE chooses (the embedded one by
 * default, any endpoint, or AWS by region), the table, secrets kept under
 * the data directory (only those not given), the demo
 * set, recovery of interrupted writes, and @hono/node-server on loopback.
 * Used by `npm start`, the tests and the benchmark.
 */
import { getRequestListener, type ServerType } from '@hono/node-server';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { accessLine, logsAccess } from '../http/access-log.js';
import { answerFeed, CACHED_ONLY, flatFeedAnswer, requestIdOf } from '../feeds/serve/answer-feed.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Context } from 'hono';
import type { ChangeListener, Services } from '../app-env.js';
import { createApp } from '../app.js';
import { readConfig, readStoreKind, type Bindings, type Config } from '../config.js';
import { buildServices } from '../services.js';
import { startEmbeddedStore, type EmbeddedStore } from '../embedded/dynalite.js';
import { prepareTable } from '../store/table.js';
import { loadDemoIfEmpty } from '../demo/demo-data.js';
import { recoverPendingWrites } from '../store/recovery.js';
import type { Connector } from '../net/public-fetch.js';
import { nodeConnector } from './outbound-node.js';
import { startNodeWebSub } from './websub-node.js';
import { secretFile } from './secret-file.js';
import { startNodeSources } from './sources-node.js';
import { problemBody } from '../http/problem.js';
import { nextRequestId } from '../http/request-id.js';
import { errorText, log as logger } from '../log.js';

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

const headerOf = (headers: unknown, name: string): string | undefined => {
  if (Array.isArray(headers)) {
    // writeHead's flat [name, value, name, value...] or [[name, value]...] forms.
    const flat = headers.flat() as unknown[];
    for (let i = 0; i + 1 < flat.length; i += 2) if (String(flat[i]).toLowerCase() === name) return String(flat[i + 1]);
    return undefined;
  }
  if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? String(v[0]) : String(v);
  }
  return undefined;
};

/**
 * Writes one access line when the response has been sent: body bytes
 * counted as written (after compression), the request id taken from the
 * response headers (writeHead does not keep headers given to it, so they are
 * read as they pass).
 */
function logAccess(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  let bytes = 0;
  let requestId: string | undefined;
  const count = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : (chunk as Uint8Array).byteLength;
  };
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    requestId = headerOf(args.find((a) => typeof a === 'object' && a !== null), 'x-request-id');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  const write = res.write;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    count(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  const end = res.end;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    count(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as typeof res.end;
  const done = () => {
    const id = requestId ?? (res.getHeader('x-request-id') as string | undefined);
    console.log(accessLine({ method: req.method ?? '', target: req.url ?? '/', status: res.statusCode, durationMs: performance.now() - started, bytes: req.method === 'HEAD' ? 0 : bytes, requestId: id }));
  };
  res.once('finish', done);
  res.once('close', () => {
    if (!res.writableFinished) done();
  });
}

/** Starts Warta on Node and resolves once it accepts connections. */
export async function startNodeServer(options: NodeServerOptions): Promise<RunningWarta> {
  const env = { ...options.env };
  const log = (msg: string, extra: Record<string, unknown> = {}) => {
    if (!options.quiet) logger.info(msg, extra);
  };
  const dataDir = env.WARTA_DATA_DIR || './.warta';
  let store: EmbeddedStore | undefined;
  const storeKind = readStoreKind(env, 'embedded');
  if (storeKind === 'embedded' && !options.inMemoryStore) {
    // The data directory holds the store and the secrets: this user's only.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  }
  if (storeKind === 'embedded') {
    store = await startEmbeddedStore(options.inMemoryStore ? {} : { path: join(dataDir, 'dynalite') });
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
  // The socket is bound before anything is built, so that the configuration is final (with port 0 the
  // base URL names the port the system chose) when services are built from it; requests arriving
  // before start-up ends are answered 503.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: ServerType = createServer((req, res) => {
    if (handle) return handle(req, res);
    const body = problemBody({ type: 'starting', detail: 'Warta is starting (store check, recovery); retry in a second' }, req.url ?? '/', nextRequestId());
    res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '1', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(JSON.stringify(body));
  });
  const closeServer = () =>
    new Promise<void>((resolve) => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    await store?.close();
    throw err;
  }
  const actualPort = (server.address() as AddressInfo).port;
  const baseHost = port === 0 || host === '0.0.0.0' ? '127.0.0.1' : host;
  let config: Config;
  try {
    config = readConfig(env, { baseUrl: `http://${baseHost}:${actualPort}`, ...(store ? { embeddedEndpoint: store.endpoint } : {}) });
  } catch (err) {
    await closeServer();
    await store?.close();
    throw err;
  }
  log('store', { store: config.store, table: config.table, ...(config.endpoint && !store ? { endpoint: new URL(config.endpoint).origin } : {}), ...(config.store === 'aws' ? { region: config.region } : {}), createTable: config.createTable });
  const services = buildServices(config, { connector: options.connector ?? nodeConnector(), ...(options.clock ? { clock: options.clock } : {}), ...(options.listeners ? { listeners: options.listeners } : {}) });
  services.clientAddress = (c: Context) => getConnInfo(c).remote.address ?? 'unknown';
  options.extend?.(services);

  // Any failure of the start-up work releases the port, the client and the embedded store.
  try {
    await prepareTable(services.db, config.createTable);
    const recovered = await recoverPendingWrites(services.db, services.clock(), 0);
    if (recovered) log('replayed interrupted writes', { count: recovered });
    if (env.WARTA_DEMO !== '0' && store) {
      if (await loadDemoIfEmpty(services)) log('demo data loaded (WARTA_DEMO=0 turns this off)');
    }
  } catch (err) {
    await closeServer();
    services.db.raw.destroy();
    await store?.close();
    throw err;
  }

  // The socket-level warm path below replaces the app's own (it would only miss again).
  const app = createApp(() => services, { fetchWarmPath: false, compressText: true });
  const stopWebSub = startNodeWebSub(services, async (request) => app.fetch(request, {}));
  const stopSources = startNodeSources(services);
  // Warm feed requests are answered on the socket itself, without building a Fetch Request or
  // Response (answerFeed, CACHED_ONLY); everything else goes through the Hono app.
  const routed = getRequestListener(app.fetch);
  const accessLog = !options.quiet && logsAccess(config.logLevel);
  handle = (req, res) => {
    if (accessLog) logAccess(req, res);
    const warm = req.method === 'GET' ? answerFeed(services, req.url ?? '/', req.headers, CACHED_ONLY) : null;
    if (!warm) return void routed(req, res);
    const id = req.headers['x-request-id'];
    const flat = flatFeedAnswer(services.config, warm, requestIdOf(typeof id === 'string' ? id : undefined));
    res.writeHead(flat.status, flat.headers);
    res.end(flat.body ?? undefined);
  };
  const recovery = setInterval(() => {
    recoverPendingWrites(services.db, services.clock()).catch((err: unknown) =>
      logger.error('store: recovery failed', { error: errorText(err) }),
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
      stopSources();
      await closeServer();
      services.db.raw.destroy();
      await store?.close();
    },
  };
}
