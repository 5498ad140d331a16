/**
 * The WebSub hub with a real subscriber (node:http on 127.0.0.1): it
 * subscribes to a feed in RSS, Atom and JSON Feed, answers the challenge,
 * and then receives, within 2 seconds of each write, the feed as the app
 * serves it, signed with its secret (checked here with node:crypto) and
 * parsed with a real parser: the seed article when it is published, the
 * feed without an article after its delete. After a verified unsubscribe
 * nothing more comes; a wrong challenge echo leaves no subscription; a
 * subscriber answering 500 is retried and then given up (recorded); a
 * hanging subscriber delays neither publishing nor another subscriber's push.
 * Each test registers an institution of its own and subscribes its own
 * callbacks to that institution's feed, so no test depends on another's.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, ADMIN_TOKEN, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { hubRequest, startSubscriber, type Push, type TestSubscriber } from './support/subscriber.js';
import { parseWithFeedsmith } from './support/feed-validators.js';
import { hubIdle } from '../src/websub/runtime.js';

const FORMATS = ['rss', 'atom', 'json'] as const;
type Format = (typeof FORMATS)[number];
const CONTENT_TYPES: Record<Format, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
const SECRET = 'rahasia-mitra-🔑-0123456789';
const SEED_TITLE = String(seedArticle().title);

let w: TestWarta;
let sub: TestSubscriber;
let seedId = '';
let n = 100;

/** The topic of one test: the feed of an institution only that test publishes for. */
const topic = (institution: string, f: Format) => `${w.url}/institutions/${institution}/feed.${f}`;

function titlesOf(push: Push, format: Format): string[] {
  const text = push.body.toString('utf8');
  if (format === 'json') return (parseWithFeedsmith(text, 'json').items ?? []).map((i) => String(i.title));
  if (format === 'rss') return (parseWithFeedsmith(text, 'rss').items ?? []).map((i) => String(i.title));
  return (parseWithFeedsmith(text, 'atom').entries ?? []).map((e) => (e.title as { value: string }).value);
}

async function subscriptionsOf(topicUrl: string): Promise<{ subscriptions: { callback: string; leaseSeconds: number; signed: boolean }[]; failures: Record<string, unknown>[] }> {
  const res = await w.request(`/api/websub/subscriptions?topic=${encodeURIComponent(topicUrl)}`, { token: ADMIN_TOKEN });
  expect(res.status).toBe(200);
  return res.json() as never;
}

/** Registers the institution of one test (its feed exists, empty, from then on). */
async function registerInstitution(slug: string): Promise<void> {
  const res = await w.request(`/api/institutions/${slug}`, { method: 'PUT', token: ADMIN_TOKEN, json: { name: `Uji ${slug}`, kind: 'Lapas', region: 'Kota Madiun, Jawa Timur' } });
  expect([200, 201]).toContain(res.status);
}

/** Publishes a new article of `institution` (the admin may publish for any). */
function publishFor(institution: string): Promise<Response> {
  n++;
  return w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n, { institutions: [institution], category: 'pembinaan' }) });
}

/** Subscribes callback `name` to `topicUrl` (202), waits for its verification and for the hub to settle. */
async function subscribe(name: string, topicUrl: string, secret?: string): Promise<void> {
  const res = await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topicUrl, 'hub.callback': sub.callback(name), ...(secret ? { 'hub.secret': secret } : {}) });
  expect(res.status).toBe(202);
  await sub.waitForVerification(name, 0);
  await hubIdle(w.services);
}

beforeAll(async () => {
  w = await startTestWarta({
    env: { WARTA_WEBSUB_RETRY_BASE_MS: '50', WARTA_WEBSUB_RETRY_FOR_MS: '400', WARTA_WEBSUB_TIMEOUT_MS: '10000', WARTA_WEBSUB_LEASE_DEFAULT: '600' },
  });
  await w.registerDemoRegistries();
  sub = await startSubscriber();
});
afterAll(async () => {
  await w.close();
  await sub.close();
});

describe('a subscriber of a feed in three formats', () => {
  it('is verified with a challenge and the default lease, then listed as a signed subscription', async () => {
    await registerInstitution('uji-verifikasi');
    for (const f of FORMATS) {
      const res = await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic('uji-verifikasi', f), 'hub.callback': sub.callback(`verified-${f}`), 'hub.secret': SECRET });
      expect(res.status).toBe(202);
      const v = await sub.waitForVerification(`verified-${f}`, 0);
      expect({ ...v, challenge: /^[0-9a-f]{48}$/.test(v.challenge) }).toEqual({ name: `verified-${f}`, mode: 'subscribe', topic: topic('uji-verifikasi', f), leaseSeconds: '600', challenge: true });
    }
    await hubIdle(w.services);
    for (const f of FORMATS) {
      const { subscriptions } = await subscriptionsOf(topic('uji-verifikasi', f));
      expect(subscriptions.map((s) => [s.callback, s.leaseSeconds, s.signed])).toEqual([[sub.callback(`verified-${f}`), 600, true]]);
    }
  });

  it('receives the seed article, signed, in each format within 2 seconds of its publication', async () => {
    await registerInstitution('uji-segel');
    for (const f of FORMATS) await subscribe(`seed-${f}`, topic('uji-segel', f), SECRET);
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: seedArticle({ institutions: ['uji-segel'], owner: 'uji-segel' }) });
    expect(res.status).toBe(201);
    for (const f of FORMATS) {
      const push = await sub.waitForPush(`seed-${f}`, 0, 2_000);
      expect(push.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(push.body).digest('hex')}`);
      expect(push.headers['content-type']).toBe(CONTENT_TYPES[f]);
      expect(push.headers.link).toBe(`<${w.url}/websub>; rel="hub", <${topic('uji-segel', f)}>; rel="self"`);
      expect(titlesOf(push, f)).toEqual([SEED_TITLE]);
      // Exactly what a reader of the topic gets.
      const served = await fetch(topic('uji-segel', f));
      expect(Buffer.from(await served.arrayBuffer()).equals(push.body)).toBe(true);
    }
  });

  it('receives the feed without an article after it is deleted', async () => {
    await registerInstitution('uji-hapus');
    for (const f of FORMATS) await subscribe(`delete-${f}`, topic('uji-hapus', f), SECRET);
    const res = await publishFor('uji-hapus');
    expect(res.status).toBe(201);
    const id = String(((await res.json()) as { id: string }).id);
    for (const f of FORMATS) expect(titlesOf(await sub.waitForPush(`delete-${f}`, 0, 2_000), f)).toEqual([`Berita uji ${n}`]);
    expect((await w.request(`/api/articles/${id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    for (const f of FORMATS) {
      const push = await sub.waitForPush(`delete-${f}`, 1, 2_000);
      expect(push.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(push.body).digest('hex')}`);
      expect(titlesOf(push, f)).toEqual([]);
    }
  });

  it('receives nothing more in a format it unsubscribed from (verified), while the others still do', async () => {
    await registerInstitution('uji-berhenti');
    for (const f of FORMATS) await subscribe(`unsub-${f}`, topic('uji-berhenti', f));
    const res = await hubRequest(w.url, { 'hub.mode': 'unsubscribe', 'hub.topic': topic('uji-berhenti', 'rss'), 'hub.callback': sub.callback('unsub-rss') });
    expect(res.status).toBe(202);
    const v = await sub.waitForVerification('unsub-rss', 1);
    expect([v.mode, v.topic, v.leaseSeconds]).toEqual(['unsubscribe', topic('uji-berhenti', 'rss'), undefined]);
    await hubIdle(w.services);
    expect((await subscriptionsOf(topic('uji-berhenti', 'rss'))).subscriptions).toEqual([]);
    expect((await publishFor('uji-berhenti')).status).toBe(201);
    await sub.waitForPush('unsub-atom', 0, 2_000);
    await sub.waitForPush('unsub-json', 0, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('unsub-rss').length).toBe(0);
  });
});

describe('subscribers that misbehave', () => {
  it('keeps no subscription for a callback that echoes a wrong challenge, and pushes nothing to it', async () => {
    await registerInstitution('uji-bohong');
    await subscribe('honest', topic('uji-bohong', 'json'));
    sub.behave('liar', { verify: 'wrong' });
    await subscribe('liar', topic('uji-bohong', 'json'));
    expect((await subscriptionsOf(topic('uji-bohong', 'json'))).subscriptions.map((s) => s.callback)).toEqual([sub.callback('honest')]);
    expect((await publishFor('uji-bohong')).status).toBe(201);
    await sub.waitForPush('honest', 0, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('liar')).toEqual([]);
  });

  it('retries a subscriber that answers 500 (1 + 3 attempts at 50, 100, 200 ms) and then records the dropped delivery', async () => {
    await registerInstitution('uji-rusak');
    sub.behave('broken', { push: 500 });
    await subscribe('broken', topic('uji-rusak', 'atom'));
    expect((await publishFor('uji-rusak')).status).toBe(201);
    await sub.waitForPush('broken', 0, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('broken').length).toBe(4);
    const { failures, subscriptions } = await subscriptionsOf(topic('uji-rusak', 'atom'));
    expect(failures.map(({ lastFailedAt: _at, ...f }) => f)).toEqual([{ callback: sub.callback('broken'), dropped: 1, lastError: 'HTTP 500', lastAttempts: 4 }]);
    // The subscription itself stays: the next change is tried again.
    expect(subscriptions.map((s) => s.callback)).toEqual([sub.callback('broken')]);
  });

  it('answers the publish while a hanging subscriber\'s push is open (received, unanswered), and pushes to another subscriber of the topic', async () => {
    await registerInstitution('uji-lambat');
    sub.behave('hanging', { push: 'hang' });
    for (const name of ['hanging', 'quick']) await subscribe(name, topic('uji-lambat', 'rss'));
    const publishing = publishFor('uji-lambat');
    // The hanging push is received and held: only this test answers it, after the publish response below.
    const held = await sub.waitForPush('hanging', 0, 2_000);
    const heldId = `hanging#${sub.pushes.indexOf(held) + 1}`;
    expect([...sub.open]).toEqual([heldId]);
    // Had publishing waited for that delivery, this response could not come before the answer given below.
    const published = await publishing;
    expect([published.status, [...sub.open]]).toEqual([201, [heldId]]);
    const quick = await sub.waitForPush('quick', 0, 2_000);
    expect(titlesOf(quick, 'rss')).toEqual([`Berita uji ${n}`]);
    expect([...sub.open]).toEqual([heldId]);
    // Released: the held push is answered 200, the hub finishes it as a delivery, nothing is retried or recorded as failed.
    sub.answerHanging(200);
    await hubIdle(w.services);
    const { failures } = await subscriptionsOf(topic('uji-lambat', 'rss'));
    expect({ open: [...sub.open], pushes: sub.pushesOf('hanging').length, failures }).toEqual({ open: [], pushes: 1, failures: [] });
  });
});
