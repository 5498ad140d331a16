/**
 * Child process: the Warta server under test, started with startNodeServer
 * against the benchmark's store (DYNAMODB_ENDPOINT, WARTA_TABLE from the
 * environment). Answers `stats` with its RSS and the number of DynamoDB
 * requests it has sent (db.requests.count). With BENCH_HEAP_SNAPSHOT_DIR
 * set (bench/memory-probe.ts), also answers `heapSnapshot` by writing a V8
 * heap snapshot there and returning its path (nothing is added to the app).
 */
import { startNodeServer, type RunningWarta } from '../src/server/node-server.js';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { announceReady, failStart, memoryNow, serveParent } from './child-ipc.js';

let running: RunningWarta | undefined;
try {
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error(`DYNAMODB_ENDPOINT must be a loopback dynalite, got "${endpoint}"`);
  running = await startNodeServer({ env: { ...process.env, HOST: '127.0.0.1' }, port: 0, quiet: true });
  const services = running.services;
  serveParent(
    {
      stats: () => ({ ...memoryNow(), dbRequests: services.db.requests.count }),
      ...(process.env.BENCH_HEAP_SNAPSHOT_DIR
        ? { heapSnapshot: (name: unknown) => writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOT_DIR!, `${String(name)}.heapsnapshot`)) }
        : {}),
    },
    async () => running?.close(),
  );
  announceReady({ url: running.url, feedCache: services.config.feedCache });
} catch (err) {
  failStart(err);
}
