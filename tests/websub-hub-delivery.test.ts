/**
 * The WebSub hub with a real subscriber (node:http on 127.0.0.1): it
 * subscribes to the Lapas Kelas I Madiun institution feed in RSS, Atom and
 * JSON Feed, answers the challenge, and then receives, within 2 seconds of
 * each write, the feed as the app serves it, signed with its secret
 * (checked here with node:crypto) and parsed with a real parser: the seed
 * article when it is published, the feed without it after the delete.
 * After a verified unsubscribe nothing more comes; a wrong challenge echo
 * leaves no subscription; a subscriber answering 500 is retried and then
 * given up (recorded); a hanging subscriber delays neither publishing nor
 * another subscriber's push.
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
let lapas: string;
let seedId = '';
let n = 100;

const topic = (f: Format) => `${w.url}/institutions/lapas-kelas-i-madiun/feed.${f}`;

function titlesOf(push: Push, format: Format): string[] {
  const text = push.body.toString('utf8');
  if (format === 'json') return (parseWithFeedsmith(text, 'json').items ?? []).map((i) => String(i.title));
  if (format === 'rss') return (parseWithFeedsmith(text, 'rss').items ?? []).map((i) => String(i.title));
  return (parseWithFeedsmith(text, 'atom').entries ?? []).map((e) => (e.title as { value: string }).value);
}

async function subscriptionsOf(f: Format): Promise<{ subscriptions: { callback: string; leaseSeconds: number; signed: boolean }[]; failures: Record<string, unknown>[] }> {
  const res = await w.request(`/api/websub/subscriptions?topic=${encodeURIComponent(topic(f))}`, { token: ADMIN_TOKEN });
  expect(res.status).toBe(200);
  return res.json() as never;
}

async function publishLapasArticle(): Promise<Response> {
  n++;
  return w.request('/api/articles', { token: lapas, json: smallArticle(n, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan' }) });
}

beforeAll(async () => {
  w = await startTestWarta({
    env: { WARTA_WEBSUB_RETRY_BASE_MS: '50', WARTA_WEBSUB_RETRY_FOR_MS: '400', WARTA_WEBSUB_TIMEOUT_MS: '10000', WARTA_WEBSUB_LEASE_DEFAULT: '600' },
  });
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  sub = await startSubscriber();
});
afterAll(async () => {
  await w.close();
  await sub.close();
});

describe('a subscriber of the Lapas Kelas I Madiun feed in three formats', () => {
  it('is verified with a challenge and the default lease, then listed as a signed subscription', async () => {
    for (const f of FORMATS) {
      const res = await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic(f), 'hub.callback': sub.callback(f), 'hub.secret': SECRET });
      expect(res.status).toBe(202);
      const v = await sub.waitForVerification(f, 0);
      expect({ ...v, challenge: /^[0-9a-f]{48}$/.test(v.challenge) }).toEqual({ name: f, mode: 'subscribe', topic: topic(f), leaseSeconds: '600', challenge: true });
    }
    await hubIdle(w.services);
    for (const f of FORMATS) {
      const { subscriptions } = await subscriptionsOf(f);
      expect(subscriptions.map((s) => [s.callback, s.leaseSeconds, s.signed])).toEqual([[sub.callback(f), 600, true]]);
    }
  });

  it('receives the seed article, signed, in each format within 2 seconds of its publication', async () => {
    const res = await w.request('/api/articles', { token: lapas, json: seedArticle() });
    expect(res.status).toBe(201);
    seedId = String(((await res.json()) as { id: string }).id);
    for (const f of FORMATS) {
      const push = await sub.waitForPush(f, 0, 2_000);
      expect(push.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(push.body).digest('hex')}`);
      expect(push.headers['content-type']).toBe(CONTENT_TYPES[f]);
      expect(push.headers.link).toBe(`<${w.url}/websub>; rel="hub", <${topic(f)}>; rel="self"`);
      expect(titlesOf(push, f)).toEqual([SEED_TITLE]);
      // Exactly what a reader of the topic gets.
      const served = await fetch(topic(f));
      expect(Buffer.from(await served.arrayBuffer()).equals(push.body)).toBe(true);
    }
  });

  it('receives the feed without the seed article after it is deleted', async () => {
    const res = await w.request(`/api/articles/${seedId}`, { method: 'DELETE', token: lapas });
    expect(res.status).toBe(204);
    for (const f of FORMATS) {
      const push = await sub.waitForPush(f, 1, 2_000);
      expect(push.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(push.body).digest('hex')}`);
      expect(titlesOf(push, f)).toEqual([]);
    }
  });

  it('receives nothing more in a format it unsubscribed from (verified), while the others still do', async () => {
    const res = await hubRequest(w.url, { 'hub.mode': 'unsubscribe', 'hub.topic': topic('rss'), 'hub.callback': sub.callback('rss') });
    expect(res.status).toBe(202);
    const v = await sub.waitForVerification('rss', 1);
    expect([v.mode, v.topic, v.leaseSeconds]).toEqual(['unsubscribe', topic('rss'), undefined]);
    await hubIdle(w.services);
    expect((await subscriptionsOf('rss')).subscriptions).toEqual([]);
    expect((await publishLapasArticle()).status).toBe(201);
    await sub.waitForPush('atom', 2, 2_000);
    await sub.waitForPush('json', 2, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('rss').length).toBe(2);
  });
});

describe('subscribers that misbehave', () => {
  it('keeps no subscription for a callback that echoes a wrong challenge, and pushes nothing to it', async () => {
    sub.behave('liar', { verify: 'wrong' });
    const res = await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic('json'), 'hub.callback': sub.callback('liar') });
    expect(res.status).toBe(202);
    await sub.waitForVerification('liar', 0);
    await hubIdle(w.services);
    expect((await subscriptionsOf('json')).subscriptions.map((s) => s.callback)).toEqual([sub.callback('json')]);
    expect((await publishLapasArticle()).status).toBe(201);
    await sub.waitForPush('json', 3, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('liar')).toEqual([]);
  });

  it('retries a subscriber that answers 500 (1 + 3 attempts at 50, 100, 200 ms) and then records the dropped delivery', async () => {
    sub.behave('broken', { push: 500 });
    expect((await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic('atom'), 'hub.callback': sub.callback('broken') })).status).toBe(202);
    await sub.waitForVerification('broken', 0);
    await hubIdle(w.services);
    expect((await publishLapasArticle()).status).toBe(201);
    await sub.waitForPush('broken', 0, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('broken').length).toBe(4);
    const { failures, subscriptions } = await subscriptionsOf('atom');
    expect(failures.map(({ lastFailedAt: _at, ...f }) => f)).toEqual([{ callback: sub.callback('broken'), dropped: 1, lastError: 'HTTP 500', lastAttempts: 4 }]);
    // The subscription itself stays: the next change is tried again.
    expect(subscriptions.map((s) => s.callback).sort()).toEqual([sub.callback('atom'), sub.callback('broken')].sort());
  });

  it('lets a hanging subscriber delay neither the publish response nor another subscriber of the same topic', async () => {
    sub.behave('hanging', { push: 'hang' });
    for (const name of ['hanging', 'quick']) {
      expect((await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic('rss'), 'hub.callback': sub.callback(name) })).status).toBe(202);
      await sub.waitForVerification(name, 0);
    }
    await hubIdle(w.services);
    // If publishing waited for the hanging delivery, that request would have timed out (10 s) and be closed by now.
    expect((await publishLapasArticle()).status).toBe(201);
    const quick = await sub.waitForPush('quick', 0, 2_000);
    expect(titlesOf(quick, 'rss')[0]).toBe(`Berita uji ${n}`);
    await sub.waitForPush('hanging', 0, 2_000);
    expect([...sub.open]).toEqual(['hanging#' + (sub.pushes.findIndex((p) => p.name === 'hanging') + 1)]);
  });
});
