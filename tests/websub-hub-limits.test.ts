/**
 * The hub's limits (issue 15, item 4), each refused with 429 before any
 * request leaves the hub (the subscriber sees no verification for it):
 * hub requests per anonymous client per hour (a reader key gets its own,
 * larger quota), per callback host per hour whoever asks, verifications
 * pending per callback host, and stored subscriptions per callback host
 * (a renewal passes). The delivery queue is bounded (a delivery beyond it
 * is dropped and recorded), and verifications have slots of their own: a
 * hanging push does not hold up a verification. The clock is pinned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { hubRequest, startSubscriber, type TestSubscriber } from './support/subscriber.js';
import { hubIdle } from '../src/websub/runtime.js';
import { clientName, WindowCounter } from '../src/websub/limits.js';

const T0 = Date.parse('2025-06-01T03:00:00Z');
let now = T0;
let rates: TestWarta;
let sub: TestSubscriber;

const topic = (w: TestWarta) => `${w.url}/institutions/lapas-kelas-i-madiun/feed.rss`;
const subscribe = (w: TestWarta, name: string, token?: string) => hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic(w), 'hub.callback': sub.callback(name) }, token);
const verificationsOf = (name: string) => sub.verifications.filter((v) => v.name === name).length;
async function problem(res: Response) {
  const body = (await res.json()) as { detail: string; errors?: { field: string; reason: string }[] };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), detail: body.detail, errors: body.errors };
}
/** A Warta with one slot of each kind, of one test's own: its pending verifications, subscriptions and queue are that test's only. */
async function startSlots(): Promise<TestWarta> {
  const w = await startTestWarta({
    env: {
      WARTA_WEBSUB_CONCURRENCY: '1',
      WARTA_WEBSUB_VERIFY_CONCURRENCY: '1',
      WARTA_WEBSUB_QUEUE_MAX: '1',
      WARTA_WEBSUB_PENDING_PER_HOST: '1',
      WARTA_WEBSUB_HOST_SUBSCRIPTIONS: '3',
      WARTA_WEBSUB_RETRY_BASE_MS: '0',
    },
  });
  await w.registerDemoRegistries();
  return w;
}

async function listing(w: TestWarta) {
  const res = await w.request(`/api/websub/subscriptions?topic=${encodeURIComponent(topic(w))}`, { token: ADMIN_TOKEN });
  return (await res.json()) as { subscriptions: { callback: string }[]; failures: { callback: string; dropped: number; lastError: string; lastAttempts: number }[] };
}

beforeAll(async () => {
  sub = await startSubscriber();
  rates = await startTestWarta({
    clock: () => now,
    env: { WARTA_WEBSUB_ANON_PER_HOUR: '3', WARTA_WEBSUB_KEY_PER_HOUR: '100', WARTA_WEBSUB_HOST_PER_HOUR: '5' },
  });
  await rates.registerDemoRegistries();
});
afterAll(async () => {
  sub.releaseHanging();
  await rates.close();
  await sub.close();
});

describe('the counters', () => {
  it('stay bounded: when full, a new name is refused until windows expire, and nobody else is forgotten', () => {
    const c = new WindowCounter(60_000, 2);
    for (const name of ['a', 'b']) {
      expect(c.retryAfter(name, 1, 0)).toBe(0);
      c.take(name, 0);
    }
    expect([c.retryAfter('a', 1, 10_000), c.retryAfter('c', 1, 10_000)]).toEqual([50, 60]);
    expect([c.retryAfter('c', 1, 60_000), c.retryAfter('a', 1, 60_000)]).toEqual([0, 0]);
  });

  it('count an IPv6 client by its /64 and an IPv4-mapped one as its IPv4 address', () => {
    expect(clientName({ kind: 'address', address: '2001:db8:1:2:aaaa::1' })).toBe(clientName({ kind: 'address', address: '2001:db8:1:2:ffff::9' }));
    expect(clientName({ kind: 'address', address: '::ffff:203.0.113.9' })).toBe(clientName({ kind: 'address', address: '203.0.113.9' }));
    expect(clientName({ kind: 'key', id: 'k1' })).toBe('key k1');
  });
});

describe('hub request rates', () => {
  // Each test counts in an hour of its own (it moves the clock 10 hours on first): none relies on another's requests.
  it('takes 3 anonymous requests an hour from one address, then refuses with 429 pointing to a reader key, sending nothing', async () => {
    now += 10 * 3_600_000;
    for (const name of ['anon-1', 'anon-2', 'anon-3']) expect((await subscribe(rates, name)).status).toBe(202);
    await hubIdle(rates.services);
    const refused = await subscribe(rates, 'anon-4');
    expect(await problem(refused)).toEqual({
      status: 429,
      retryAfter: '3600',
      detail: 'websub: at most 3 hub requests an hour from one client; a reader key (Authorization: Bearer) raises the limit',
      errors: undefined,
    });
    // An unsubscribe makes the hub send a GET too: it is counted and refused the same way.
    expect((await hubRequest(rates.url, { 'hub.mode': 'unsubscribe', 'hub.topic': topic(rates), 'hub.callback': sub.callback('anon-1') })).status).toBe(429);
    await hubIdle(rates.services);
    expect([verificationsOf('anon-1'), verificationsOf('anon-2'), verificationsOf('anon-3'), verificationsOf('anon-4')]).toEqual([1, 1, 1, 0]);
  });

  it('gives a reader key its own quota, and refuses the 6th request an hour for callbacks on one host whoever sends it', async () => {
    now += 10 * 3_600_000;
    // Three anonymous requests use this address's quota and three of the host's five.
    for (const name of ['host-anon-1', 'host-anon-2', 'host-anon-3']) expect((await subscribe(rates, name)).status).toBe(202);
    const reader = (await rates.createKey('reader', [])).token;
    for (const name of ['keyed-1', 'keyed-2']) expect((await subscribe(rates, name, reader)).status).toBe(202);
    const refused = await subscribe(rates, 'keyed-3', reader);
    expect(await problem(refused)).toEqual({
      status: 429,
      retryAfter: '3600',
      detail: 'websub: at most 5 hub requests an hour for callbacks on one host',
      errors: [{ field: 'hub.callback', reason: 'host 127.0.0.1 has had 5 hub requests this hour' }],
    });
    await hubIdle(rates.services);
    expect([verificationsOf('keyed-1'), verificationsOf('keyed-2'), verificationsOf('keyed-3')]).toEqual([1, 1, 0]);
  });

  it('takes requests again once the hour has passed', async () => {
    const start = now + 10 * 3_600_000;
    now = start;
    for (const name of ['early-1', 'early-2', 'early-3']) expect((await subscribe(rates, name)).status).toBe(202);
    now = start + 30 * 60_000;
    expect((await problem(await subscribe(rates, 'later'))).retryAfter).toBe('1800');
    now = start + 3_600_000;
    expect((await subscribe(rates, 'later')).status).toBe(202);
    await hubIdle(rates.services);
    expect(verificationsOf('later')).toBe(1);
  });

  it('refuses a bad key with 401 instead of counting it as anonymous', async () => {
    expect((await subscribe(rates, 'bad-key', 'wk_not-a-key')).status).toBe(401);
  });
});

describe('pending verifications, stored subscriptions and queue slots', () => {
  it('refuses a second verification for a host while one is pending, and takes it once that one ended', async () => {
    const slots = await startSlots();
    try {
      sub.behave('hangs-verify', { verify: 'hang' });
      expect((await subscribe(slots, 'hangs-verify')).status).toBe(202);
      await sub.waitForVerification('hangs-verify', 0);
      const refused = await subscribe(slots, 'waits');
      expect(await problem(refused)).toEqual({
        status: 429,
        retryAfter: '10',
        detail: 'websub: at most 1 verifications pending for callbacks on one host',
        errors: [{ field: 'hub.callback', reason: 'host 127.0.0.1 has 1 verifications pending' }],
      });
      sub.releaseHanging();
      await hubIdle(slots.services);
      expect(verificationsOf('waits')).toBe(0);
      expect((await listing(slots)).subscriptions).toEqual([]);
    } finally {
      sub.releaseHanging();
      await slots.close();
    }
  });

  it('caps stored subscriptions per callback host (a renewal passes), drops deliveries beyond the queue bound with a record, and verifies while a push hangs', async () => {
    const slots = await startSlots();
    try {
      sub.behave('c1', { push: 'hang' });
      for (const name of ['c1', 'c2', 'c3']) {
        expect((await subscribe(slots, name)).status).toBe(202);
        await hubIdle(slots.services);
      }
      expect((await listing(slots)).subscriptions.map((s) => s.callback)).toEqual(['c1', 'c2', 'c3'].map((n) => sub.callback(n)));
      const refused = await subscribe(slots, 'c4');
      expect(await problem(refused)).toEqual({
        status: 429,
        retryAfter: '3600',
        detail: 'websub: callbacks on host 127.0.0.1 already hold 3 subscriptions',
        errors: [{ field: 'hub.callback', reason: 'host 127.0.0.1 already holds 3 subscriptions (unsubscribe some first)' }],
      });
      expect(verificationsOf('c4')).toBe(0);

      // One delivery slot, room for one key: c1's push runs (and hangs), c2's and c3's are dropped and recorded.
      const lapas = (await slots.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
      expect((await slots.request('/api/articles', { token: lapas, json: smallArticle(1, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan' }) })).status).toBe(201);
      await sub.waitForPush('c1', 0);
      await expect.poll(async () => (await listing(slots)).failures.length).toBe(2);
      expect((await listing(slots)).failures.map(({ callback, dropped, lastError, lastAttempts }) => ({ callback, dropped, lastError, lastAttempts }))).toEqual(
        ['c2', 'c3'].map((n) => ({ callback: sub.callback(n), dropped: 1, lastError: 'the hub queue is full', lastAttempts: 0 })),
      );
      expect(slots.services.hub.queue).toMatchObject({ overflowed: 2 });

      // The push to c1 still hangs in the only delivery slot; a renewal of c2 is verified in a slot of its own.
      expect((await subscribe(slots, 'c2')).status).toBe(202);
      const renewal = await sub.waitForVerification('c2', 1);
      expect(renewal.mode).toBe('subscribe');
      expect(sub.open.size).toBe(1);
    } finally {
      sub.releaseHanging();
      await slots.close();
    }
  });
});
