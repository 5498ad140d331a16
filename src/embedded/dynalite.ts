/**
 * The embedded DynamoDB for `npm start`, tests and benchmarks: dynalite
 * (DynamoDB's API on LevelDB), reachable only by whoever holds its
 * credential. Node only.
 *
 * dynalite checks no credentials, so it listens on a Unix socket in a
 * directory only this user may enter (0700), and a small proxy on
 * 127.0.0.1 forwards to it the requests whose SigV4 `Authorization` names
 * the access key generated at start (32 random bytes, never written
 * anywhere). Any other local process gets DynamoDB's 400
 * `UnrecognizedClientException`. The data directory is 0700 and its files
 * 0600: LevelDB creates files for as long as it runs, so starting a store
 * also sets this process's umask to keep group and others out (077).
 */
import dynalite from 'dynalite';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The credential every client of an embedded store must sign with. */
export interface EmbeddedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A running embedded store. */
export interface EmbeddedStore {
  endpoint: string;
  port: number;
  /** Pass these to the DynamoDB client (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for a child process). */
  credentials: EmbeddedCredentials;
  close(): Promise<void>;
}

const REFUSED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#UnrecognizedClientException',
  message: 'The security token included in the request is invalid.',
});

/** Makes `dir` and everything in it private to this user: directories 0700, files 0600. */
export function makePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) makePrivate(path);
    else chmodSync(path, 0o600);
  }
}

/** The access key id a SigV4 `Authorization` header names, or null. */
export function signedAccessKey(authorization: string | undefined): string | null {
  const m = /\bCredential=([^/,\s]+)\//.exec(authorization ?? '');
  return m ? m[1]! : null;
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Starts dynalite behind the credential check. With `path` it persists there (LevelDB) and
 * survives restarts; without, it lives in memory. Port 0 picks a free port.
 */
export async function startEmbeddedStore(options: { path?: string; port?: number } = {}): Promise<EmbeddedStore> {
  // Files LevelDB creates later (logs, tables) are this user's only.
  process.umask(0o077);
  if (options.path) {
    mkdirSync(options.path, { recursive: true, mode: 0o700 });
    makePrivate(options.path);
  }
  const socketDir = mkdtempSync(join(tmpdir(), 'warta-store-'));
  chmodSync(socketDir, 0o700);
  const socketPath = join(socketDir, 'dynalite.sock');
  const credentials: EmbeddedCredentials = {
    accessKeyId: `WARTA${randomBytes(32).toString('hex')}`,
    secretAccessKey: randomBytes(32).toString('base64url'),
  };
  const store = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    store.once('error', (err) => reject(new Error(`embedded: dynalite could not listen on ${socketPath}`, { cause: err })));
    store.listen(socketPath, () => resolve());
  });
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    if (!sameSecret(signedAccessKey(req.headers.authorization) ?? '', credentials.accessKeyId)) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(Buffer.byteLength(REFUSED)) });
      res.end(REFUSED);
      return;
    }
    const upstream = request({ socketPath, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const proxy: Server = createServer(forward);
  proxy.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', (err) => reject(new Error(`embedded: could not listen on 127.0.0.1:${options.port ?? 0}`, { cause: err })));
    proxy.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  if (options.path) makePrivate(options.path);
  const port = (proxy.address() as AddressInfo).port;
  const closeServer = (server: Server) =>
    new Promise<void>((resolve) => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    credentials,
    close: async () => {
      await closeServer(proxy);
      await closeServer(store);
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
