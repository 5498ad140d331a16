/**
 * Starting the Warta server under test (bench/server-child.ts) against a
 * benchmark store, with the settings every harness uses: loopback only,
 * demo off, realistic absolute URLs, no auth rate limit in the way.
 */
import { join } from 'node:path';
import type { EmbeddedCredentials } from '../src/embedded/dynalite.js';
import { startChild, type BenchChild } from './processes.js';
import { START_NODE_FLAGS } from '../scripts/support/start-flags.js';

/** The Node flags `npm start` gives the server, so that the benchmark's server runs as the real one does. */
export { START_NODE_FLAGS };

/** What a server needs to know of its run. */
export interface WartaServerSettings {
  name: string;
  endpoint: string;
  credentials: EmbeddedCredentials;
  table: string;
  adminToken: string;
  cursorSecret: string;
  /** The run's temp dir (the server's data dir goes under it). */
  dir: string;
  /** false: no rendered documents (WARTA_FEED_CACHE=items, the cold server). */
  feedCache: boolean;
  /** More environment (e.g. BENCH_HEAP_SNAPSHOT_DIR). */
  env?: Record<string, string>;
  /** Node flags of the child besides START_NODE_FLAGS (e.g. --cpu-prof). */
  execArgv?: string[];
  /** Instead of START_NODE_FLAGS (to measure another setting). */
  nodeFlags?: string[];
}

/** Starts the server child and waits until it listens. */
export function startWartaServer(s: WartaServerSettings): Promise<BenchChild<{ url: string }>> {
  return startChild(s.name, './server-child.ts', {
    DYNAMODB_ENDPOINT: s.endpoint,
    AWS_ACCESS_KEY_ID: s.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s.credentials.secretAccessKey,
    WARTA_TABLE: s.table,
    WARTA_ADMIN_TOKEN: s.adminToken,
    WARTA_CURSOR_SECRET: s.cursorSecret,
    WARTA_FEED_CACHE: s.feedCache ? '1' : 'items',
    WARTA_DEMO: '0',
    WARTA_DATA_DIR: join(s.dir, 'server'),
    // Documents carry realistic absolute URLs; the harness re-targets their paths at 127.0.0.1.
    WARTA_BASE_URL: 'https://warta.example.id',
    WARTA_AUTH_FAILURES_PER_MINUTE: '1000000',
    HOST: '127.0.0.1',
    ...s.env,
  }, 120_000, [...(s.nodeFlags ?? START_NODE_FLAGS), ...(s.execArgv ?? [])]);
}
