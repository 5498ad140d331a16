/**
 * The configuration is final before services are built from it: the Node server
 * binds its socket first, so on port 0 the base URL already names the port the
 * system chose (no one patches it afterwards), and the configuration is frozen.
 */
import { createServer as createTcpServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../src/server/node-server.js';
import { startTestWarta, type TestWarta } from './support/warta.js';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

describe('a server started on port 0', () => {
  it('names the port it listens on in a feed\'s links', async () => {
    const port = new URL(w.url).port;
    expect(port).not.toBe('0');
    const res = await w.request('/institutions/polres-madiun-kota/feed.atom');
    expect(res.status).toBe(200);
    const xml = await res.text();
    const self = /<link rel="self"[^>]* href="([^"]+)"/.exec(xml)?.[1] ?? /<link href="([^"]+)" rel="self"/.exec(xml)?.[1];
    expect(self).toBe(`http://127.0.0.1:${port}/institutions/polres-madiun-kota/feed.atom`);
    expect(w.services.config.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(w.services.config.tagAuthority).toBe('127.0.0.1');
  });

  it('holds a frozen configuration: nothing can change it once services are built', () => {
    expect(Object.isFrozen(w.services.config)).toBe(true);
    expect(() => {
      (w.services.config as { baseUrl: string }).baseUrl = 'http://elsewhere.example';
    }).toThrow(TypeError);
    expect(w.services.config.baseUrl).toBe(w.url);
  });
});

/** A free loopback port (bound, then released). */
async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('a server still starting', () => {
  it('answers 503 with a problem document and Retry-After while its store check runs, and frees the port when start-up fails', async () => {
    // A "DynamoDB" that accepts connections and never answers: start-up waits at the table check.
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const dataDir = mkdtempSync(join(tmpdir(), 'warta-starting-'));
    const port = await freePort();
    const starting = startNodeServer({
      port,
      quiet: true,
      env: {
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
        AWS_ACCESS_KEY_ID: 'starting', AWS_SECRET_ACCESS_KEY: 'starting', WARTA_TABLE: 'starting',
        WARTA_DATA_DIR: dataDir, WARTA_ADMIN_TOKEN: 'starting-admin-token-0123456789', WARTA_CURSOR_SECRET: 'starting-cursor-secret',
      },
    });
    const outcome = starting.then(() => 'started', (err: Error) => `failed: ${err.message}`);
    try {
      while (!sockets.length) await new Promise((r) => setTimeout(r, 10));
      const res = await fetch(`http://127.0.0.1:${port}/feed.rss`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('retry-after')).toBe('1');
      const problem = (await res.json()) as Record<string, unknown>;
      expect({ type: problem.type, title: problem.title, status: problem.status, instance: problem.instance }).toEqual({ type: 'tag:warta,2026:problem:starting', title: 'Starting', status: 503, instance: '/feed.rss' });
    } finally {
      // The store goes away: start-up fails, and the port is released.
      silent.close();
      for (const socket of sockets) socket.destroy();
      const sink = setInterval(() => sockets.splice(0).forEach((sk) => sk.destroy()), 20);
      expect(await outcome).toMatch(/^failed: /);
      clearInterval(sink);
      rmSync(dataDir, { recursive: true, force: true });
    }
    await expect(fetch(`http://127.0.0.1:${port}/feed.rss`)).rejects.toThrow();
  }, 60_000);
});
