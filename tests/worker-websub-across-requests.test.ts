/**
 * WebSub on the Worker, in workerd, across requests of one isolate: each
 * subscribe and each publish is its own request, and the verifications and
 * pushes they cause run off those requests (waitUntil). A subscriber on
 * 127.0.0.1 (private callbacks allowed for the test) is verified, receives
 * a signed push for two publishes in a row, and after a second subscriber
 * joins, both receive the next publish. A subscriber that answers 500 is
 * retried and receives the push once it answers 200 again. workerd refuses
 * an I/O object (an AbortController's canceller) made by another request,
 * so a queue that shares one across requests fails these.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRequest, startSubscriber, type Push, type TestSubscriber } from './support/subscriber.js';
import { smallArticle } from './support/articles.js';
import { parseWithFeedsmith } from './support/feed-validators.js';
import { startTestWorker, WORKER_ADMIN_TOKEN, type TestWorker } from './support/worker.js';

const SECRET = 'rahasia-worker-0123456789';
let worker: TestWorker;
let sub: TestSubscriber;
let lapas: string;
let n = 500;

const topic = () => `${worker.baseUrl}/institutions/lapas-kelas-i-madiun/feed.rss`;
const titles = (push: Push) => (parseWithFeedsmith(push.body.toString('utf8'), 'rss').items ?? []).map((i) => String(i.title));
const signatureOf = (push: Push) => `sha256=${createHmac('sha256', SECRET).update(push.body).digest('hex')}`;

async function subscribe(name: string): Promise<void> {
  const res = await hubRequest(worker.url, { 'hub.mode': 'subscribe', 'hub.topic': topic(), 'hub.callback': sub.callback(name), 'hub.secret': SECRET });
  expect(res.status).toBe(202);
  const v = await sub.waitForVerification(name, 0, 10_000);
  expect([v.mode, v.topic]).toEqual(['subscribe', topic()]);
  // The subscription is stored after the verification answer: wait until the hub lists it.
  await expect
    .poll(async () => {
      const res = await worker.call(`/api/websub/subscriptions?topic=${encodeURIComponent(topic())}`, { token: WORKER_ADMIN_TOKEN });
      return ((await res.json()) as { subscriptions: { callback: string }[] }).subscriptions.map((s) => s.callback);
    }, { timeout: 10_000 })
    .toContain(sub.callback(name));
}

async function publish(): Promise<string> {
  n++;
  const res = await worker.call('/api/articles', { token: lapas, json: smallArticle(n, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan' }) });
  expect(res.status).toBe(201);
  return `Berita uji ${n}`;
}

beforeAll(async () => {
  sub = await startSubscriber();
  // Without the Queue binding: deliveries run in the waitUntil of the request that caused them (the durable
  // path has tests/worker-websub-durable-queue.test.ts).
  worker = await startTestWorker({ WARTA_WEBSUB_ALLOW_PRIVATE: '1', WARTA_WEBSUB_RETRY_BASE_MS: '300', WARTA_WEBSUB_RETRY_FOR_MS: '20000', WARTA_FEED_CACHE: '0' }, { queues: false });
  lapas = await worker.createKey(['lapas-kelas-i-madiun']);
}, 150_000);

afterAll(async () => {
  await worker?.stop();
  await sub?.close();
}, 30_000);

describe('WebSub on the Worker across requests', () => {
  it('pushes two publishes in a row, then a publish after a second subscribe, each signed', async () => {
    await subscribe('first');
    const one = await publish();
    const p1 = await sub.waitForPush('first', 0, 15_000);
    expect(p1.headers['x-hub-signature']).toBe(signatureOf(p1));
    expect(titles(p1)[0]).toBe(one);

    const two = await publish();
    const p2 = await sub.waitForPush('first', 1, 15_000);
    expect(p2.headers['x-hub-signature']).toBe(signatureOf(p2));
    expect(titles(p2).slice(0, 2)).toEqual([two, one]);

    await subscribe('second');
    const three = await publish();
    for (const [name, count] of [['first', 2], ['second', 0]] as const) {
      const p = await sub.waitForPush(name, count, 15_000);
      expect(p.headers['x-hub-signature']).toBe(signatureOf(p));
      expect(titles(p).slice(0, 3)).toEqual([three, two, one]);
    }
  }, 90_000);

  it('retries a subscriber that fails and delivers once it recovers', async () => {
    sub.behave('flaky', { push: 500 });
    await subscribe('flaky');
    const title = await publish();
    const failed = await sub.waitForPush('flaky', 0, 15_000);
    expect(titles(failed)[0]).toBe(title);
    sub.behave('flaky', { push: 200 });
    const before = sub.pushesOf('flaky').length;
    const recovered = await sub.waitForPush('flaky', before, 20_000);
    expect(recovered.headers['x-hub-signature']).toBe(signatureOf(recovered));
    expect(titles(recovered)[0]).toBe(title);
    // Delivered, not given up: no dropped delivery is recorded.
    const res = await worker.call(`/api/websub/subscriptions?topic=${encodeURIComponent(topic())}`, { token: WORKER_ADMIN_TOKEN });
    expect(((await res.json()) as { failures: unknown[] }).failures).toEqual([]);
  }, 90_000);
});
