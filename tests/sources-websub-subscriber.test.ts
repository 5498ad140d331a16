/**
 * Warta as a WebSub subscriber: a source whose feed advertises a hub is
 * subscribed to it (callback under Warta's origin, a secret), the hub's
 * verification is answered for that topic only, and a push signed with
 * the secret reaches Warta's feeds at once; a push with a bad signature is
 * acknowledged and ignored. The hub is a fixture on loopback.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { startFeedFixture, type FeedFixture } from './support/feed-source-fixture.js';
import { runDueSources } from '../src/ingest/scheduler.js';

let warta: TestWarta;
let feeds: FeedFixture;
let hub: Server;
let hubUrl: string;
const subscriptions: URLSearchParams[] = [];

const atom = (entries: { n: number; title: string }[]) =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Rutan</title><id>tag:rutan.example,2024:feed</id><updated>2024-03-01T00:00:00Z</updated><link rel="alternate" href="https://rutan.example/"/><link rel="self" href="${feeds.url}/rutan.atom"/><link rel="hub" href="${hubUrl}"/>${entries
    .map((e) => `<entry><id>tag:rutan.example,2024:${e.n}</id><title>${e.title}</title><link href="https://rutan.example/${e.n}"/><published>2024-03-01T0${e.n}:00:00+07:00</published><updated>2024-03-01T0${e.n}:00:00+07:00</updated><author><name>Humas Rutan</name></author><category term="pembinaan"/><content type="html">&lt;p&gt;${e.title}&lt;/p&gt;</content></entry>`)
    .join('')}</feed>`;

beforeAll(async () => {
  hub = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      subscriptions.push(new URLSearchParams(body));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
  warta = await startTestWarta({ env: { WARTA_SOURCES_ALLOW_PRIVATE: '1', WARTA_SOURCES_TICK_MS: '0' } });
  await warta.registerDemoRegistries();
  feeds = await startFeedFixture();
  feeds.docs.set('/rutan.atom', (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(atom([{ n: 1, title: 'Rutan Gelar Senam Pagi' }])));
});
afterAll(async () => {
  await feeds.close();
  await warta.close();
  await new Promise<void>((r) => hub.close(() => r()));
});

describe('a source with a WebSub hub', () => {
  it('is subscribed, verified for its topic only, and a signed push reaches the feeds at once', async () => {
    expect((await warta.request('/api/sources/rutan', { method: 'PUT', token: ADMIN_TOKEN, json: { url: `${feeds.url}/rutan.atom`, kind: 'feed', institution: 'polres-ponorogo', intervalMinutes: 60 } })).status).toBe(201);
    expect(await runDueSources(warta.services, () => {})).toEqual([{ id: 'rutan', status: 'ok' }]);
    expect(subscriptions).toHaveLength(1);
    const sub = subscriptions[0]!;
    const callback = `${warta.url}/websub/sources/rutan`;
    expect(sub.get('hub.mode')).toBe('subscribe');
    expect(sub.get('hub.topic')).toBe(`${feeds.url}/rutan.atom`);
    expect(sub.get('hub.callback')).toBe(callback);
    expect(sub.get('hub.lease_seconds')).toBe('864000');
    const secret = sub.get('hub.secret')!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // The secret is derived, never stored: it appears nowhere in the source's view.
    expect(JSON.stringify(await (await warta.request('/api/sources/rutan', { token: ADMIN_TOKEN })).json())).not.toContain(secret);

    const wrongTopic = await fetch(`${callback}?hub.mode=subscribe&hub.topic=${encodeURIComponent('https://evil.example/feed')}&hub.challenge=abc&hub.lease_seconds=864000`);
    expect(wrongTopic.status).toBe(404);
    const verify = await fetch(`${callback}?hub.mode=subscribe&hub.topic=${encodeURIComponent(`${feeds.url}/rutan.atom`)}&hub.challenge=c-12345&hub.lease_seconds=864000`);
    expect(verify.status).toBe(200);
    expect(await verify.text()).toBe('c-12345');
    const view = (await (await warta.request('/api/sources/rutan', { token: ADMIN_TOKEN })).json()) as { websub: Record<string, string> };
    expect(view.websub).toMatchObject({ hub: hubUrl, topic: `${feeds.url}/rutan.atom`, state: 'verified' });

    const pushed = atom([{ n: 2, title: 'Rutan Terima Kunjungan Kanwil' }, { n: 1, title: 'Rutan Gelar Senam Pagi' }]);
    const forged = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/atom+xml', 'x-hub-signature': `sha256=${createHmac('sha256', 'not-the-secret').update(pushed).digest('hex')}` }, body: pushed });
    expect(forged.status).toBe(202);
    expect(await (await warta.request('/institutions/polres-ponorogo/feed.atom')).text()).not.toContain('Rutan Terima Kunjungan Kanwil');
    const huge = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/atom+xml' }, body: 'x'.repeat(5 * 1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    const unsigned = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/atom+xml' }, body: pushed });
    expect(unsigned.status).toBe(202);
    expect(await (await warta.request('/institutions/polres-ponorogo/feed.atom')).text()).not.toContain('Rutan Terima Kunjungan Kanwil');

    const signed = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/atom+xml', 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(pushed).digest('hex')}` }, body: pushed });
    expect(signed.status).toBe(202);
    const feed = await (await warta.request('/institutions/polres-ponorogo/feed.atom')).text();
    expect(feed).toContain('<title type="text">Rutan Terima Kunjungan Kanwil</title>');
    expect(feed).toContain('<published>2024-03-01T02:00:00+07:00</published>');
    const after = (await (await warta.request('/api/sources/rutan', { token: ADMIN_TOKEN })).json()) as { lastCounts: Record<string, number> };
    expect(after.lastCounts).toEqual({ imported: 1, updated: 0, unchanged: 1, skipped: 0, failed: 0 });

    // Deleting the source unsubscribes; the hub's confirmation is then answered.
    expect((await warta.request('/api/sources/rutan', { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    await expect.poll(() => subscriptions.length).toBe(2);
    expect(subscriptions[1]!.get('hub.mode')).toBe('unsubscribe');
    const confirm = await fetch(`${callback}?hub.mode=unsubscribe&hub.topic=${encodeURIComponent(`${feeds.url}/rutan.atom`)}&hub.challenge=bye`);
    expect(await confirm.text()).toBe('bye');
  });
});
