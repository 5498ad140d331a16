/**
 * Durable WebSub on the Worker (issue 11, item 4): with wrangler.toml's
 * Queue binding, `wrangler dev` runs the queue locally and each change
 * becomes one message per subscriber, consumed by the Worker's `queue`
 * handler. A subscriber that is down (nothing listens on its port) is
 * retried by the queue with the hub's backoff, in consumer invocations of
 * their own, and receives the push exactly once when it is back; one that
 * keeps failing is given up after the schedule's attempts and recorded (the
 * dead-letter record in GET /api/websub/subscriptions).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRequest, startSubscriber, type Push, type TestSubscriber } from './support/subscriber.js';
import { smallArticle } from './support/articles.js';
import { parseWithFeedsmith } from './support/feed-validators.js';
import { startTestWorker, WORKER_ADMIN_TOKEN, type TestWorker } from './support/worker.js';

const SECRET = 'rahasia-antrian-0123456789';
let worker: TestWorker;
let lapas: string;
let n = 700;
const open: TestSubscriber[] = [];

const topic = (institution: string) => `${worker.baseUrl}/institutions/${institution}/feed.rss`;
const titles = (push: Push) => (parseWithFeedsmith(push.body.toString('utf8'), 'rss').items ?? []).map((i) => String(i.title));
const retriedLines = () => worker.dev.output().split('\n').filter((l) => l.includes('"msg":"worker: WebSub delivery to be retried"'));

async function listing(institution: string) {
  const res = await worker.call(`/api/websub/subscriptions?topic=${encodeURIComponent(topic(institution))}`, { token: WORKER_ADMIN_TOKEN });
  return (await res.json()) as { subscriptions: { callback: string }[]; failures: { callback: string; dropped: number; lastError: string; lastAttempts: number }[] };
}

async function subscribe(sub: TestSubscriber, name: string, institution: string): Promise<void> {
  const res = await hubRequest(worker.url, { 'hub.mode': 'subscribe', 'hub.topic': topic(institution), 'hub.callback': sub.callback(name), 'hub.secret': SECRET });
  expect(res.status).toBe(202);
  await sub.waitForVerification(name, 0, 10_000);
  await expect.poll(async () => (await listing(institution)).subscriptions.map((s) => s.callback), { timeout: 10_000 }).toContain(sub.callback(name));
}

async function publish(institution: string, category: string): Promise<string> {
  n++;
  const res = await worker.call('/api/articles', { token: lapas, json: smallArticle(n, { institutions: [institution], category }) });
  expect(res.status).toBe(201);
  return `Berita uji ${n}`;
}

beforeAll(async () => {
  // Delays 500, 1000, 2000, 4000 ms (the queue rounds each up to whole seconds): 5 attempts in about 8 s.
  worker = await startTestWorker({ WARTA_WEBSUB_ALLOW_PRIVATE: '1', WARTA_WEBSUB_RETRY_BASE_MS: '500', WARTA_WEBSUB_RETRY_FOR_MS: '8000', WARTA_FEED_CACHE: '0' });
  lapas = await worker.createKey(['lapas-kelas-i-madiun', 'polres-ponorogo']);
}, 150_000);

afterAll(async () => {
  await worker?.stop();
  for (const s of open) await s.close().catch(() => {});
}, 30_000);

describe('WebSub deliveries through a Cloudflare Queue', () => {
  it('retries a subscriber that is down and delivers the push once, signed, when it is back', async () => {
    const first = await startSubscriber();
    const port = Number(new URL(first.base).port);
    await subscribe(first, 'down', 'lapas-kelas-i-madiun');
    await first.close(); // down: nothing listens on its port

    const title = await publish('lapas-kelas-i-madiun', 'pembinaan');
    // Two attempts fail, each handed back to the queue with the hub's delay.
    await expect.poll(() => retriedLines().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(retriedLines().slice(0, 2).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as Record<string, unknown>)).toEqual([
      { level: 'info', msg: 'worker: WebSub delivery to be retried', topic: '/institutions/lapas-kelas-i-madiun/feed.rss', attempts: 1, delaySeconds: 1 },
      { level: 'info', msg: 'worker: WebSub delivery to be retried', topic: '/institutions/lapas-kelas-i-madiun/feed.rss', attempts: 2, delaySeconds: 1 },
    ]);

    const back = await startSubscriber(port);
    open.push(back);
    const push = await back.waitForPush('down', 0, 20_000);
    expect(push.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(push.body).digest('hex')}`);
    expect(titles(push)[0]).toBe(title);
    // Acknowledged: no further attempt is scheduled after the one that succeeded, and nothing was given up.
    const retries = retriedLines().length;
    await expect.poll(() => worker.dev.output(), { timeout: 10_000 }).toMatch(/warta-websub 1\/1/);
    expect(retriedLines().length).toBe(retries);
    expect(back.pushesOf('down').length).toBe(1);
    expect((await listing('lapas-kelas-i-madiun')).failures).toEqual([]);
  }, 90_000);

  it('gives up a subscriber that keeps failing after the schedule and records it', async () => {
    const sub = await startSubscriber();
    open.push(sub);
    sub.behave('broken', { push: 500 });
    await subscribe(sub, 'broken', 'polres-ponorogo');
    await publish('polres-ponorogo', 'binmas');
    await expect.poll(async () => (await listing('polres-ponorogo')).failures, { timeout: 30_000, interval: 500 }).toEqual([
      expect.objectContaining({ callback: sub.callback('broken'), dropped: 1, lastError: 'HTTP 500', lastAttempts: 5 }),
    ]);
    expect(sub.pushesOf('broken').length).toBe(5);
  }, 90_000);
});
