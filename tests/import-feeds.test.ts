/**
 * `npm run import` of feeds: RSS 2.0 from WordPress reached through
 * `?paged=N`, Atom 1.0 through RFC 5005 `next` and `prev-archive`, JSON
 * Feed 1.1 through `next_url` and JSON Feed 1.0; offsets kept, `--since`,
 * a feed discovered from a page's `<link rel="alternate">`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { FIXTURE_HOME, generatedSite, startWordPressFixture } from './support/wordpress-fixture.js';
import { atomDoc, startFeedFixture, type FeedFixture } from './support/feed-source-fixture.js';
import { runImportCommand } from './support/import-run.js';
import { articleIdOf, itemKey, sourceIdentity } from '../src/ingest/ids.js';

let warta: TestWarta;
let feeds: FeedFixture;
beforeAll(async () => {
  warta = await startTestWarta();
  await warta.registerDemoRegistries();
  feeds = await startFeedFixture();
});
afterAll(async () => {
  await feeds.close();
  await warta.close();
});

const importInto = (source: string, institution: string, ...extra: string[]) =>
  runImportCommand([source, '--institution', institution, '--target', warta.url, '--token', ADMIN_TOKEN, ...extra]);
const get = async (id: string) => (await (await warta.request(`/api/articles/${id}`, { token: ADMIN_TOKEN })).json()) as Record<string, unknown>;
const listIds = async (institution: string) => {
  const body = (await (await warta.request(`/api/articles?institution=${institution}&limit=100`, { token: ADMIN_TOKEN })).json()) as { articles: { id: string }[] };
  return body.articles.map((a) => a.id).sort();
};

describe('RSS 2.0 from WordPress', () => {
  it('follows ?paged=N to the end (a 404), keeps ids of the post ids, and shows GMT dates at +07:00', async () => {
    const site = await startWordPressFixture(generatedSite(25));
    try {
      const run = await importInto(`${site.url}/feed/`, 'polres-ponorogo');
      expect(run.summary).toBe('imported 25, updated 0, unchanged 0, skipped 0, failed 0');
      // Pages 2-3 and the 404 of page 4 twice (the category check, then the import); page 1 once, read when detecting.
      expect(site.requests.filter((r) => r.startsWith('/feed/'))).toEqual(['/feed/', '/feed/?paged=2', '/feed/?paged=3', '/feed/?paged=4', '/feed/?paged=2', '/feed/?paged=3', '/feed/?paged=4']);
      // The guid http://host/?p=1001 gives the id the REST import of the same site gives.
      const a = await get(articleIdOf(sourceIdentity(FIXTURE_HOME), '1001'));
      expect(a.title).toBe('Kegiatan ke-1 – Polres Madiun Kota');
      expect(a.publishedAt).toBe('2020-01-01T08:00:00+07:00');
      expect(a.category).toBe('binmas');
      expect(a.tags).toEqual(['kamtibmas']);
      expect(a.author).toEqual({ name: 'Achmad Sarjono' });
      expect(a.summary).toBe('Ringkasan 1');
      expect(a.url).toBe(`${FIXTURE_HOME}/?p=1001`);
      expect((await listIds('polres-ponorogo')).length).toBe(25);
      const again = await importInto(`${site.url}/feed/`, 'polres-ponorogo');
      expect(again.summary).toBe('imported 0, updated 0, unchanged 25, skipped 0, failed 0');
    } finally {
      await site.close();
    }
  });
});

describe('Atom 1.0 with RFC 5005 links', () => {
  it('reads next and prev-archive pages, keeps +08:00, and imports only newer entries with --since', async () => {
    const e = (n: number, published: string) => ({ id: `tag:lapas-madiun.example,2024:${n}`, title: `Kabar &lt;Lapas&gt; ${n}`, published, content: `<p>Isi ${n}</p>`, category: 'pembinaan' });
    feeds.docs.set('/atom', { type: 'application/atom+xml', body: atomDoc([e(5, '2024-01-05T09:00:00+08:00'), e(4, '2024-01-04T09:00:00+08:00')], { self: '{base}/atom', next: '{base}/atom?page=2' }) });
    feeds.docs.set('/atom?page=2', { type: 'application/atom+xml', body: atomDoc([e(3, '2024-01-03T09:00:00+08:00')], { 'prev-archive': '{base}/archive/2023' }) });
    feeds.docs.set('/archive/2023', { type: 'application/atom+xml', body: atomDoc([e(2, '2023-12-30T09:00:00+08:00'), e(1, '2023-12-29T09:00:00+08:00')]) });
    const since = await importInto(`${feeds.url}/atom`, 'lapas-kelas-i-madiun', '--since', '2024-01-04');
    expect(since.summary).toBe('imported 2, updated 0, unchanged 0, skipped 3, failed 0');
    const all = await importInto(`${feeds.url}/atom`, 'lapas-kelas-i-madiun');
    expect(all.summary).toBe('imported 3, updated 0, unchanged 2, skipped 0, failed 0');
    const id = articleIdOf('lapas-madiun.example', itemKey('tag:lapas-madiun.example,2024:5'));
    const a = await get(id);
    expect(a.publishedAt).toBe('2024-01-05T09:00:00+08:00');
    expect(a.title).toBe('Kabar <Lapas> 5');
    expect(a.contentHtml).toBe('<p>Isi 5</p>');
    expect(a.category).toBe('pembinaan');
    expect(a.author).toEqual({ name: 'Humas Lapas' });
    expect(a.url).toBe('https://lapas-madiun.example/5');
    expect((await listIds('lapas-kelas-i-madiun')).length).toBe(5);
  });
});

describe('JSON Feed', () => {
  it('1.1 follows next_url; 1.0 reads author; a page discovered from <link rel="alternate"> works the same', async () => {
    feeds.docs.set('/feed.json', {
      type: 'application/feed+json',
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1', title: 'Polres', home_page_url: 'https://polres-json.example/', next_url: '{base}/feed.json?page=2',
        items: [{ id: 'j2', url: 'https://polres-json.example/j2', title: 'Dua & <tiga>', content_html: '<p>dua</p>', date_published: '2024-02-02T10:00:00+09:00', authors: [{ name: 'Humas' }], tags: ['binmas', 'Kamtibmas Daerah'], image: 'https://polres-json.example/j2.png' }],
      }),
    });
    feeds.docs.set('/feed.json?page=2', {
      type: 'application/json',
      body: JSON.stringify({ version: 'https://jsonfeed.org/version/1', title: 'Polres', items: [{ id: 'j1', title: 'Satu', content_text: 'satu < dua', date_published: '2024-02-01T10:00:00+09:00', author: { name: 'Redaksi Polres' }, tags: ['binmas'] }] }),
    });
    feeds.docs.set('/home', { type: 'text/html; charset=utf-8', body: '<!doctype html><html><head><link rel="alternate" type="application/feed+json" href="/feed.json"></head><body></body></html>' });
    const run = await importInto(`${feeds.url}/home`, 'polres-madiun-kota');
    expect(run.summary).toBe('imported 2, updated 0, unchanged 0, skipped 0, failed 0');
    const two = await get(articleIdOf('polres-json.example', itemKey('j2')));
    // JSON Feed titles are plain text: kept as written.
    expect(two.title).toBe('Dua & <tiga>');
    expect(two.publishedAt).toBe('2024-02-02T10:00:00+09:00');
    expect(two.category).toBe('binmas');
    expect(two.tags).toEqual(['kamtibmas-daerah']);
    expect(two.image).toEqual({ url: 'https://polres-json.example/j2.png', type: 'image/png' });
    const one = await get(articleIdOf('polres-json.example', itemKey('j1')));
    expect(one.author).toEqual({ name: 'Redaksi Polres' });
    expect(one.contentHtml).toBe('<p>satu &lt; dua</p>');
  });
});
