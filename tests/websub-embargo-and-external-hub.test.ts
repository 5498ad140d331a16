/**
 * Two pushes no write triggers directly. An embargoed article becomes
 * public when the clock passes its time, without any write: the hub
 * records a due push for each subscribed feed holding an embargo, and the
 * sweep (Node timer, Workers cron) pushes the feed then, once. And with
 * WEBSUB_HUB_URL set, every write pings that external hub with
 * `hub.mode=publish` and a `hub.url` per format of every changed feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, ADMIN_TOKEN, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { hubRequest, startSubscriber, type TestSubscriber } from './support/subscriber.js';
import { hubIdle } from '../src/websub/runtime.js';
import { pushDueEmbargoes } from '../src/websub/embargo-pushes.js';
import { deliverChange } from '../src/websub/delivery.js';

const T0 = Date.parse('2025-03-01T03:00:00Z');
const HOUR = 3_600_000;
let now = T0;
let w: TestWarta;
let sub: TestSubscriber;

const wib = (ms: number) => `${new Date(ms + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;
const itemTitles = (body: Buffer) => ((JSON.parse(body.toString('utf8')) as { items: { title: string }[] }).items ?? []).map((i) => i.title);

beforeAll(async () => {
  sub = await startSubscriber();
  w = await startTestWarta({ clock: () => now, env: { WEBSUB_HUB_URL: sub.callback('external-hub') } });
  await w.registerDemoRegistries();
});
afterAll(async () => {
  await w.close();
  await sub.close();
});

describe('an embargoed article in a subscribed feed', () => {
  // A feed no other test's article is in.
  const topic = () => `${w.url}/categories/lalu-lintas/feed.json`;

  it('is not pushed while embargoed, then pushed once when the clock passes its time', async () => {
    expect((await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic(), 'hub.callback': sub.callback('embargo') })).status).toBe(202);
    await sub.waitForVerification('embargo', 0);
    await hubIdle(w.services);

    const res = await w.request('/api/articles', {
      token: ADMIN_TOKEN,
      json: smallArticle(1, { category: 'lalu-lintas', institutions: ['lapas-kelas-i-madiun'], publishedAt: wib(T0 + HOUR), title: 'Pengumuman berembargo' }),
    });
    expect(res.status).toBe(201);
    expect(itemTitles((await sub.waitForPush('embargo', 0)).body)).toEqual([]);
    await hubIdle(w.services);
    expect(await pushDueEmbargoes(w.services, deliverChange)).toBe(0); // not due yet

    now = T0 + HOUR + 1_000;
    void pushDueEmbargoes(w.services, deliverChange); // what the Node timer and the Workers cron run
    expect(itemTitles((await sub.waitForPush('embargo', 1)).body)).toEqual(['Pengumuman berembargo']);
    await hubIdle(w.services);
    expect(await pushDueEmbargoes(w.services, deliverChange)).toBe(0); // pushed once
    expect(sub.pushesOf('embargo').length).toBe(2);
  });
});

describe('an external hub', () => {
  it('is pinged after a write with every format of every feed the article changed', async () => {
    // Its own write: the ping it checks is the first after it, whatever other tests wrote before.
    const before = sub.pushesOf('external-hub').length;
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(2, { category: 'pembinaan', institutions: ['lapas-kelas-i-madiun'] }) });
    expect(res.status).toBe(201);
    const first = await sub.waitForPush('external-hub', before);
    expect(first.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(first.body.toString('utf8'));
    expect(form.getAll('hub.mode')).toEqual(['publish']);
    const paths = ['/feed', '/categories/pembinaan/feed', '/authors/penulis-uji-6349bdf3/feed', '/institutions/lapas-kelas-i-madiun/feed', '/institutions/lapas-kelas-i-madiun/categories/pembinaan/feed', '/tags/uji/feed'];
    expect(form.getAll('hub.url').sort()).toEqual(paths.flatMap((p) => ['rss', 'atom', 'json'].map((f) => `${w.url}${p}.${f}`)).sort());
  });
});
