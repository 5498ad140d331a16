/**
 * Icons and freshness hints: an institution's registry icon and logo are its
 * feeds' RSS image, Atom icon/logo and JSON Feed icon/favicon; Warta's own
 * icon stands for the "all" feed; /favicon.ico and /icon.png answer; RSS
 * ttl and sy:updatePeriod/sy:updateFrequency follow the slice's real
 * publishing rate and never ask readers to poll faster than Cache-Control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertValidFeed, assertWellFormedXml, child, childText, NS } from './support/feed-validators.js';
import { freshnessHints } from '../src/feeds/render/freshness.js';

const ICON = 'https://polres.example/ikon-512.png';
const LOGO = 'https://polres.example/logo-lebar.png';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  const put = await w.request('/api/institutions/polres-madiun-kota', {
    method: 'PUT',
    token: ADMIN_TOKEN,
    json: { name: 'Polres Madiun Kota', kind: 'Polres', region: 'Kota Madiun, Jawa Timur', icon: ICON, logo: LOGO },
  });
  expect(put.status).toBe(200);
  // Three articles two hours apart.
  for (const [n, time] of ['08:00', '10:00', '12:00'].entries()) {
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(n, { tags: ['jam'], publishedAt: `2024-01-01T${time}:00+07:00` }) });
    expect(res.status).toBe(201);
  }
});
afterAll(() => w.close());

const channelOf = (xml: string) => child(assertWellFormedXml(xml), NS.none, 'channel');

describe('icons', () => {
  it("an institution's feeds use its registry icon and logo in every format", async () => {
    const rss = await (await w.request('/institutions/polres-madiun-kota/feed.rss')).text();
    await assertValidFeed(rss, 'rss');
    expect(childText(child(channelOf(rss), NS.none, 'image'), NS.none, 'url')).toBe(ICON);
    const atom = await (await w.request('/institutions/polres-madiun-kota/feed.atom')).text();
    await assertValidFeed(atom, 'atom');
    const feed = assertWellFormedXml(atom);
    expect([childText(feed, NS.atom, 'icon'), childText(feed, NS.atom, 'logo')]).toEqual([ICON, LOGO]);
    const json = await (await w.request('/institutions/polres-madiun-kota/feed.json')).json() as { icon: string; favicon: string };
    expect([json.icon, json.favicon]).toEqual([ICON, ICON]);
  });

  it("the all feed (and an institution without icons) uses Warta's own", async () => {
    const own = `${w.url}/icon.png`;
    const json = (await (await w.request('/feed.json')).json()) as { icon: string; favicon: string };
    expect([json.icon, json.favicon]).toEqual([own, own]);
    const atom = assertWellFormedXml(await (await w.request('/institutions/lapas-kelas-i-madiun/feed.atom')).text());
    expect([childText(atom, NS.atom, 'icon'), childText(atom, NS.atom, 'logo')]).toEqual([own, own]);
  });

  it('/favicon.ico and /icon.png answer with real images', async () => {
    const ico = await w.request('/favicon.ico');
    expect([ico.status, ico.headers.get('content-type'), ico.headers.get('cache-control')]).toEqual([200, 'image/x-icon', 'public, max-age=86400']);
    expect([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
    const png = await w.request('/icon.png');
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    const view = new DataView(bytes.buffer);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([512, 512]); // IHDR width × height: square
  });
});

describe('freshness hints', () => {
  it('RSS ttl and sy:update* follow the publishing rate and are not shorter than Cache-Control', async () => {
    const res = await w.request('/tags/jam/feed.rss');
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control')!)![1]);
    const channel = channelOf(await res.text());
    expect([childText(channel, NS.none, 'ttl'), childText(channel, NS.sy, 'updatePeriod'), childText(channel, NS.sy, 'updateFrequency')]).toEqual(['60', 'daily', '12']);
    expect(Number(childText(channel, NS.none, 'ttl')) * 60).toBeGreaterThanOrEqual(maxAge);
  });

  it.each([
    ['no article: daily, once, an hour', [], 60, { ttlMinutes: 60, period: 'daily', frequency: 1 }],
    ['every 10 minutes', [3_000_000, 2_400_000, 1_800_000], 60, { ttlMinutes: 5, period: 'hourly', frequency: 6 }],
    ['every 10 minutes behind a 15-minute cache', [3_000_000, 2_400_000, 1_800_000], 900, { ttlMinutes: 15, period: 'hourly', frequency: 6 }],
    ['every 3 days', [6 * 86_400_000, 3 * 86_400_000, 0], 60, { ttlMinutes: 1440, period: 'weekly', frequency: 2 }],
    ['every 2 months', [120 * 86_400_000, 60 * 86_400_000, 0], 60, { ttlMinutes: 1440, period: 'monthly', frequency: 1 }],
    ['an archive page (max-age one day)', [3_000_000, 2_400_000], 86_400, { ttlMinutes: 1440, period: 'hourly', frequency: 6 }],
  ] as const)('%s', (_name, published, maxAge, expected) => {
    expect(freshnessHints(published, maxAge)).toEqual(expected);
  });
});
