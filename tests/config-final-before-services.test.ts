/**
 * The configuration is final before services are built from it: the Node server
 * binds its socket first, so on port 0 the base URL already names the port the
 * system chose (no one patches it afterwards), and the configuration is frozen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
