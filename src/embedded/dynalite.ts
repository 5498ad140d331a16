/**
 * The embedded DynamoDB for `npm start`, tests and benchmarks: dynalite
 * (DynamoDB's API on LevelDB) on loopback. Node only.
 */
import dynalite from 'dynalite';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** A running embedded store. */
export interface EmbeddedStore {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1. With `path` it persists there (LevelDB) and
 * survives restarts; without, it lives in memory. Port 0 picks a free port.
 */
export async function startEmbeddedStore(options: { path?: string; port?: number } = {}): Promise<EmbeddedStore> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`embedded: dynalite could not listen on 127.0.0.1:${options.port ?? 0}`, { cause: err })));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
