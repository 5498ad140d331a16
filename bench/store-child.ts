/**
 * Child process: the embedded dynalite of one benchmark run, persisting
 * under BENCH_STORE_DIR, on 127.0.0.1 (a process of its own, so neither the
 * loader nor the server shares its event loop). When it stops, also because
 * the parent died, it removes BENCH_TEMP_DIR (the run's temp dir).
 */
import { rmSync } from 'node:fs';
import { startEmbeddedStore, type EmbeddedStore } from '../src/embedded/dynalite.js';
import { announceReady, failStart, memoryNow, serveParent } from './child-ipc.js';

let store: EmbeddedStore | undefined;
try {
  const dir = process.env.BENCH_STORE_DIR;
  if (!dir) throw new Error('BENCH_STORE_DIR is not set');
  store = await startEmbeddedStore({ path: dir });
  serveParent({ stats: () => memoryNow() }, async () => {
    await store?.close();
    if (process.env.BENCH_TEMP_DIR) rmSync(process.env.BENCH_TEMP_DIR, { recursive: true, force: true });
  });
  announceReady({ endpoint: store.endpoint, credentials: store.credentials });
} catch (err) {
  failStart(err);
}
