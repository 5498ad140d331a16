/**
 * `npm run dev:worker`: the Worker in workerd (`wrangler dev`) against the
 * embedded dynalite persisted under $WARTA_DATA_DIR (default ./.warta), the
 * same store, admin token and cursor secret `npm start` uses. Loads the demo
 * set into an empty store. Ctrl-C stops wrangler and then dynalite.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, readStoreKind, type Bindings } from '../src/config.js';
import { buildServices } from '../src/services.js';
import { startEmbeddedStore, type EmbeddedStore } from '../src/embedded/dynalite.js';
import { prepareTable } from '../src/store/table.js';
import { recoverPendingWrites } from '../src/store/recovery.js';
import { loadDemoIfEmpty } from '../src/demo/demo-data.js';
import { secretFile } from '../src/server/secret-file.js';
import { startWranglerDev, type WranglerDev } from '../src/server/wrangler-dev.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const log = (msg: string, extra: Record<string, unknown> = {}) => console.log(JSON.stringify({ level: 'info', msg, ...extra }));

const env = process.env;
const dataDir = env.WARTA_DATA_DIR || './.warta';
const port = Number(env.PORT || 8787);

// The bindings Warta reads (src/config.ts) that are set in this shell go to the Worker, overriding wrangler.toml's [vars].
const AWS_BINDINGS = ['DYNAMODB_ENDPOINT', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'WEBSUB_HUB_URL'];
const vars: Record<string, string> = {};
for (const [k, v] of Object.entries(env)) {
  const isBinding = (k.startsWith('WARTA_') && k !== 'WARTA_DATA_DIR' && k !== 'WARTA_DEMO') || AWS_BINDINGS.includes(k);
  if (v !== undefined && v !== '' && isBinding) vars[k] = v;
}

let store: EmbeddedStore | undefined;
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
if (readStoreKind(vars as Bindings, 'embedded') === 'embedded') {
  store = await startEmbeddedStore({ path: join(dataDir, 'dynalite') });
  // The Worker reaches the embedded store as any endpoint.
  delete vars.WARTA_STORE;
  vars.DYNAMODB_ENDPOINT = store.endpoint;
  vars.AWS_ACCESS_KEY_ID = store.credentials.accessKeyId;
  vars.AWS_SECRET_ACCESS_KEY = store.credentials.secretAccessKey;
  log('embedded store started', { endpoint: store.endpoint, path: join(dataDir, 'dynalite') });
}
if (!vars.WARTA_ADMIN_TOKEN) {
  vars.WARTA_ADMIN_TOKEN = secretFile(dataDir, 'admin-token');
  log('admin token read from file (set WARTA_ADMIN_TOKEN to choose one)', { file: join(dataDir, 'admin-token') });
}
vars.WARTA_CURSOR_SECRET ||= secretFile(dataDir, 'cursor-secret');
vars.WARTA_BASE_URL ||= `http://127.0.0.1:${port}`;

const config = readConfig(vars as Bindings);
vars.WARTA_TABLE = config.table;
vars.AWS_REGION = config.region;
const services = buildServices(config);
try {
  await prepareTable(services.db, config.createTable);
  const recovered = await recoverPendingWrites(services.db, services.clock(), 0);
  if (recovered) log('replayed interrupted writes', { count: recovered });
  if (env.WARTA_DEMO !== '0' && store && (await loadDemoIfEmpty(services))) log('demo data loaded (WARTA_DEMO=0 turns this off)');
} catch (err) {
  await store?.close();
  throw new Error(`dev-worker: could not prepare the table "${config.table}" at ${vars.DYNAMODB_ENDPOINT ?? `AWS ${config.region}`}`, { cause: err });
} finally {
  services.db.raw.destroy();
}

let worker: WranglerDev;
try {
  worker = await startWranglerDev({ vars, port, echo: true, readyTimeoutMs: 120_000 });
} catch (err) {
  await store?.close();
  throw err;
}
log('worker ready (GET /cdn-cgi/handler/scheduled runs the cron handler)', { url: worker.url });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    void worker.stop();
  });
}
const code = await worker.exited;
await store?.close();
process.exit(stopping ? 0 : (code ?? 1));
