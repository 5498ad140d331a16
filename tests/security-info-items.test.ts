/**
 * The info items of issue 15 (item 12), each against a real server: a client
 * that aborts its body is not logged as a store outage; PUT /api/articles/batch
 * gets the ordinary body limit; problem documents carry nosniff; the cursor
 * secret must be its own; a flood of failing addresses does not reset the
 * throttle of the others.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../src/config.js';
import { createApp } from '../src/app.js';
const FLOOD = 50_001; // one more than the addresses the throttle counts (MAX_COUNTED_ADDRESSES); the old map was cleared past 50,000
import { startTestWarta, type TestWarta } from './support/warta.js';

let w: TestWarta;
let key: string;
beforeAll(async () => {
  w = await startTestWarta({ env: { WARTA_MAX_BODY_BYTES: '4096', WARTA_MAX_BATCH_BODY_BYTES: String(1024 * 1024) } });
  await w.registerDemoRegistries();
  key = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
});
afterAll(() => w.close());

describe('a client that closes the connection in the middle of its body', () => {
  it('is not logged as "store unavailable"', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { port } = new URL(w.url);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{"title": "sebagian sebagian se\r\n`);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
        socket.on('error', reject);
      });
      // The server notices the abort asynchronously; a later request on a new connection is served in order after it.
      await new Promise((r) => setTimeout(r, 300));
      expect((await w.request('/api/articles/none', { token: key })).status).toBe(404);
      const logged = errors.mock.calls.map((call) => String(call[0]));
      expect(logged.filter((l) => l.includes('store unavailable'))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('the body limit of PUT /api/articles/batch', () => {
  it('is the ordinary one (413 past WARTA_MAX_BODY_BYTES), not the batch one: that route is an article id', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(8000) });
    const res = await w.request('/api/articles/batch', { method: 'PUT', token: key, body: big, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    const post = await w.request('/api/articles/batch', { token: key, body: JSON.stringify({ articles: [{ title: 'x'.repeat(8000) }] }), headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(200);
  });
});

describe('problem documents', () => {
  it('carry X-Content-Type-Options: nosniff', async () => {
    for (const res of [await w.request('/no-such-route'), await w.request('/api/articles/none', { token: key }), await w.request('/api/keys', { token: 'wk_bad_bad' })]) {
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('the cursor secret', () => {
  it('is required and may not be the admin token', () => {
    expect(() => readConfig({ WARTA_ADMIN_TOKEN: 'admin-token-0123456789' })).toThrow('config: WARTA_CURSOR_SECRET must be set to sign cursors (a secret of its own, not the admin token)');
    expect(() => readConfig({ WARTA_ADMIN_TOKEN: 'admin-token-0123456789', WARTA_CURSOR_SECRET: 'admin-token-0123456789' })).toThrow('config: WARTA_CURSOR_SECRET must differ from WARTA_ADMIN_TOKEN');
    expect(readConfig({ WARTA_ADMIN_TOKEN: 'admin-token-0123456789', WARTA_CURSOR_SECRET: 'another' }).cursorSecret).toBe('another');
  });
});

describe('the failed-authentication throttle', () => {
  it('is not lifted by a flood of failures from 50,001 other addresses', { timeout: 180_000 }, async () => {
    const t = await startTestWarta({ env: { WARTA_AUTH_FAILURES_PER_MINUTE: '3' } });
    try {
      // The same hook the Node entry sets (the socket's peer), here read from a header to stand for many clients.
      t.services.clientAddress = (c) => c.req.header('x-test-address') ?? 'unknown';
      const app = createApp(() => t.services, { fetchWarmPath: false });
      const attempt = (address: string) => app.request('/api/keys', { headers: { authorization: 'Bearer not-a-token', 'x-test-address': address } });
      const first: number[] = [];
      for (let i = 0; i < 4; i++) first.push((await attempt('10.9.9.9')).status);
      expect(first).toEqual([401, 401, 401, 429]);
      for (let n = 0; n < FLOOD; n += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => attempt(`flood-${n + i}`)));
      }
      expect((await attempt('10.9.9.9')).status).toBe(429);
      expect((await attempt('10.9.9.10')).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
