/**
 * Hostile query strings and forms on the read side and the hub: cursors,
 * limits and filters of the partner API and the feeds (arbitrary, forged,
 * from another feed), and WebSub hub requests (arbitrary forms, callbacks
 * on loopback, private and metadata addresses, and forms that may name a
 * public callback). Every answer is a success or a 4xx problem document, never
 * a 5xx; refused hub requests store nothing; an accepted one (202) did exactly
 * what it says: one verification of that intent sent to that callback, and the
 * subscription stored or removed as the callback's answer decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { answerOf, expectClientProblem, expectProblem } from './support/problems.js';
import { snapshotTable } from './support/store.js';
import { forgeCursor } from './support/cursors.js';
import { hubIdle } from '../src/websub/runtime.js';
import { startSubscriber, type TestSubscriber } from './support/subscriber.js';
import { nodeConnector } from '../src/server/outbound-node.js';
import { nonPublicAddressReason } from '../src/net/address-policy.js';

let w: TestWarta;
let reader: string;
beforeAll(async () => {
  w = await startTestWarta({ env: { WARTA_WEBSUB_ALLOW_PRIVATE: '0' } });
  await w.registerDemoRegistries();
  reader = (await w.createKey('reader', [], 'partner')).token;
  for (let i = 0; i < 5; i++) expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(i) })).status).toBe(201);
});
afterAll(() => w.close());

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
const PATHS = ['/api/changes', '/api/articles', '/feed.atom', '/feed.json', '/categories/binmas/feed.rss'];
const PARAMS = ['since', 'cursor', 'limit', 'category', 'institution'];

/** A success (200) or a 4xx problem document. */
async function expectSuccessOrProblem(res: Response, context: string): Promise<void> {
  if (res.status === 200) return void (await res.arrayBuffer());
  expect(res.status, context).toBeGreaterThanOrEqual(400);
  expectClientProblem(await answerOf(res));
}

describe('query strings of the partner API and the feeds', () => {
  it('answers arbitrary values of since, cursor, limit, category and institution with 200 or a 4xx problem (property)', async () => {
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String), fc.constantFrom('', '0', '-1', '101', '1e3', '1.5', ' 5', '%00', '../x', 'binmas', 'BINMAS', 'tidak-ada', 'a'.repeat(2000)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.dictionary(fc.constantFrom(...PARAMS), value, { maxKeys: 3 }), async (path, params) => {
        const res = await w.request(`${path}?${qs(params)}`, { token: reader });
        await expectSuccessOrProblem(res, `${path}?${qs(params)}`);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses forged cursors, cursors of another feed and out-of-range limits with 400 naming the parameter', async () => {
    const first = (await (await w.request('/api/changes?limit=2', { token: reader })).json()) as { next: string };
    const forged = forgeCursor(first.next);
    expectProblem(await answerOf(await w.request(`/api/changes?since=${encodeURIComponent(forged)}`, { token: reader })), 400, 'bad-request', ['since']);
    const page = (await (await w.request('/feed.json?limit=2')).json()) as { next_url?: string };
    const cursor = new URL(page.next_url!).searchParams.get('cursor')!;
    expectProblem(await answerOf(await w.request(`/categories/lalu-lintas/feed.json?limit=2&cursor=${encodeURIComponent(cursor)}`)), 400, 'bad-request', ['cursor']);
    expectProblem(await answerOf(await w.request(`/api/changes?since=${encodeURIComponent(cursor)}`, { token: reader })), 400, 'bad-request', ['since']);
    for (const limit of ['0', '101', '-1', '1.5', 'x']) {
      expectProblem(await answerOf(await w.request(`/feed.atom?limit=${limit}`)), 400, 'bad-request', ['limit']);
    }
  });
});

describe('the WebSub hub', () => {
  const post = (body: string) => w.request('/websub', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const subscribe = (callback: string) => qs({ 'hub.mode': 'subscribe', 'hub.topic': `${w.url}/feed.atom`, 'hub.callback': callback });

  it('refuses callbacks on loopback, private, link-local (metadata) and other non-public addresses, and stores nothing', async () => {
    const before = await snapshotTable(w.services.db);
    const callbacks = [
      'http://127.0.0.1/cb', 'http://127.1/cb', 'http://2130706433/cb', 'http://0x7f.0.0.1/cb', 'http://localhost/cb', 'http://[::1]/cb',
      'http://[::ffff:127.0.0.1]/cb', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/cb', 'http://10.0.0.1/cb',
      'http://192.168.1.1/cb', 'http://172.16.0.1/cb', 'http://100.64.0.1/cb', 'http://0.0.0.0/cb', 'http://224.0.0.1/cb',
      'http://user:pass@203.0.113.9/cb', 'https://203.0.113.9/cb#fragment', 'javascript:alert(1)', 'file:///etc/passwd', 'gopher://203.0.113.9/', '/relative',
    ];
    for (const callback of callbacks) {
      expectProblem(await answerOf(await post(subscribe(callback))), 400, 'bad-request', ['hub.callback']);
    }
    expect(await snapshotTable(w.services.db)).toEqual(before);
  });

  it('answers arbitrary forms with a 4xx problem: none names a public callback, so none is accepted (202) and nothing is stored (property)', async () => {
    const field = fc.constantFrom('hub.mode', 'hub.topic', 'hub.callback', 'hub.lease_seconds', 'hub.secret', 'other');
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('subscribe', 'unsubscribe', `${'x'.repeat(300)}`, 'http://10.0.0.1/cb', '/feed.atom', 'http://127.0.0.1:1/feed.atom', '-5', '99999999999'));
    const before = await snapshotTable(w.services.db);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, value), { maxLength: 6 }), async (pairs) => {
        const body = new URLSearchParams(pairs).toString();
        // A 202 would queue a verification to a callback that is not a public URL: a refusal is the only right answer.
        expectClientProblem(await answerOf(await post(body)));
      }),
      { numRuns: 150 },
    );
    // Nor was anything queued that could store a subscription later.
    await hubIdle(w.services);
    expect(await snapshotTable(w.services.db)).toEqual(before);
  });
});

describe('the WebSub hub, with forms that may name a public callback', () => {
  let hub: TestWarta;
  let sub: TestSubscriber;
  beforeAll(async () => {
    sub = await startSubscriber();
    // `subscriber.example` is a public name whose address is the test subscriber's, the only non-public address let through.
    hub = await startTestWarta({
      env: { WARTA_WEBSUB_ALLOW_PRIVATE: '0' },
      connector: nodeConnector({ resolve: async (host) => (host === 'subscriber.example' ? [{ address: '127.0.0.1', family: 4 }] : []), reasonOf: (a) => (a === '127.0.0.1' ? null : nonPublicAddressReason(a)) }),
    });
    await hub.registerDemoRegistries();
    sub.behave('liar', { verify: 'wrong' });
  });
  afterAll(async () => {
    await hub.close();
    await sub.close();
  });

  const callbackOf = (name: string) => `http://subscriber.example:${new URL(sub.base).port}/cb/${name}`;
  async function callbacksOf(topic: string): Promise<string[]> {
    const res = await hub.request(`/api/websub/subscriptions?topic=${encodeURIComponent(topic)}`, { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    return ((await res.json()) as { subscriptions: { callback: string }[] }).subscriptions.map((x) => x.callback).sort();
  }

  it('answers 202 only for an intent it then verifies with that callback, storing or removing the subscription as the answer decides (property)', async () => {
    const topics = [`${hub.url}/feed.atom`, `${hub.url}/categories/binmas/feed.rss`, `${hub.url}/feed.json?limit=5`];
    const names = ['echo-a', 'echo-b', 'liar'];
    // Mostly well-formed fields, so that many forms are accepted and what they did can be checked.
    const mostly = <T,>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
    const form = fc.record(
      {
        'hub.mode': mostly(fc.constantFrom('subscribe', 'unsubscribe'), fc.constantFrom('Subscribe', 'publish', '')),
        'hub.topic': mostly(fc.constantFrom(...topics), fc.oneof(fc.constantFrom('/feed.atom', 'http://127.0.0.1:1/feed.atom', `${hub.url}/tidak-ada/feed.atom`, `${hub.url}/feed.atom?limit=0`), fc.string({ maxLength: 20 }))),
        'hub.callback': mostly(fc.constantFrom(...names.map(callbackOf)), fc.oneof(fc.constantFrom('http://10.0.0.1/cb', 'http://127.0.0.1/cb', 'ftp://subscriber.example/cb'), fc.string({ maxLength: 20 }))),
        'hub.lease_seconds': mostly(fc.constantFrom('60', '864000'), fc.constantFrom('-5', '99999999999', 'abc')),
        'hub.secret': mostly(fc.constantFrom('rahasia-mitra'), fc.constantFrom('x'.repeat(300), '')),
      },
      { requiredKeys: ['hub.mode', 'hub.topic', 'hub.callback'] },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(form, async (fields) => {
        const sent = sub.verifications.length;
        const res = await hub.request('/websub', { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        if (res.status !== 202) {
          expectClientProblem(await answerOf(res));
          await hubIdle(hub.services);
          expect(sub.verifications.slice(sent)).toEqual([]);
          return;
        }
        accepted++;
        await res.arrayBuffer();
        await hubIdle(hub.services);
        const name = names.find((x) => callbackOf(x) === fields['hub.callback']);
        const mode = fields['hub.mode'];
        // Only a known public callback, an existing topic and a real mode can have been accepted.
        expect([name !== undefined, topics.includes(fields['hub.topic']), mode === 'subscribe' || mode === 'unsubscribe']).toEqual([true, true, true]);
        expect(sub.verifications.slice(sent).map((v) => [v.name, v.mode, v.topic])).toEqual([[name, mode, fields['hub.topic']]]);
        const stored = (await callbacksOf(fields['hub.topic'])).includes(fields['hub.callback']);
        // A subscription exists after a verified subscribe, never after an unsubscribe; a liar's intent changes nothing it had (it never had one).
        expect(stored).toBe(mode === 'subscribe' && name !== 'liar');
      }),
      { numRuns: 120 },
    );
    // The property saw many accepted forms (about 40 of 120): it checked what they did, not only refusals.
    expect(accepted).toBeGreaterThan(10);
  });
});
