/**
 * The discovery pages and the OPML list: what they list and link, that they
 * escape stored text, and the security headers of HTML responses.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { assertWellFormedXml, attr, parseOpmlWithFeedsmith, type XmlElement } from './support/feed-validators.js';

const T0 = Date.parse('2024-01-10T03:00:00Z');
const now = { value: T0 };
let w: TestWarta;
let lapas: string;
const CSP_PREFIX = "default-src 'none'; style-src 'sha256-";
const CSP_SUFFIX = "'; img-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
  const hostile = await w.request('/api/institutions/lapas-uji', {
    method: 'PUT',
    token: ADMIN_TOKEN,
    json: { name: 'Lapas <b>Uji</b> & "Kota"', description: '<i>deskripsi</i>', kind: 'Lapas', region: 'Madiun <script>x</script>' },
  });
  expect(hostile.status).toBe(200);
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  expect((await w.request('/api/articles', { token: lapas, json: seedArticle({ id: 'seed', image: { url: 'https://example.org/humas.jpg', type: 'image/jpeg', alt: 'Pertemuan kehumasan' } }) })).status).toBe(201);
  expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1, { id: 'ponorogo-1', institutions: ['polres-ponorogo'], category: 'lalu-lintas' }) })).status).toBe(201);
});
afterAll(() => w.close());

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const csp = res.headers.get('content-security-policy')!;
  expect(csp.startsWith(CSP_PREFIX) && csp.endsWith(CSP_SUFFIX)).toBe(true);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

describe('the home page', () => {
  it('lists every category and institution with its count and three feed links, and the main feed as alternates', async () => {
    const res = await w.request('/');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    const page = await res.text();
    const b = w.url;
    expect(page).toContain('<html lang="id">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain(`<link rel="alternate" type="application/rss+xml" title="Warta: semua berita (RSS)" href="${b}/feed.rss">`);
    expect(page).toContain(`<link rel="alternate" type="application/atom+xml" title="Warta: semua berita (Atom)" href="${b}/feed.atom">`);
    expect(page).toContain(`<link rel="alternate" type="application/feed+json" title="Warta: semua berita (JSON Feed)" href="${b}/feed.json">`);
    expect(page).toContain(`href="${b}/feeds.opml"`);
    expect(page).toContain('<strong>Semua berita</strong> <span class="muted">(2 berita)</span>');
    expect(page).toContain(`<a href="${b}/categories/binmas">BINMAS</a> <span class="muted">(1 berita)</span>`);
    expect(page).toContain(`<a href="${b}/categories/lalu-lintas">Lalu Lintas</a> <span class="muted">(1 berita)</span>`);
    expect(page).toContain(`<a href="${b}/categories/pembinaan">Pembinaan</a> <span class="muted">(0 berita)</span>`);
    expect(page).toContain(`<a href="${b}/institutions/lapas-kelas-i-madiun">Lapas Kelas I Madiun</a> <span class="muted">(1 berita) · Lapas · Kota Madiun, Jawa Timur</span>`);
    expect(page).toContain(`<a href="${b}/institutions/polres-ponorogo">Polres Ponorogo</a> <span class="muted">(1 berita)`);
    for (const path of ['/categories/binmas', '/categories/pembinaan', '/institutions/polres-madiun-kota', '/institutions/lapas-uji']) {
      for (const [format, type, label] of [['rss', 'application/rss+xml', 'RSS'], ['atom', 'application/atom+xml', 'Atom'], ['json', 'application/feed+json', 'JSON Feed']]) {
        expect(page).toContain(`<a href="${b}${path}/feed.${format}" type="${type}">${label}</a>`);
      }
    }
  });

  it('escapes stored names: an institution called "Lapas <b>Uji</b>" shows as text', async () => {
    const page = await (await w.request('/')).text();
    expect(page).toContain('Lapas &lt;b&gt;Uji&lt;/b&gt; &amp; &quot;Kota&quot;');
    expect(page).toContain('Madiun &lt;script&gt;x&lt;/script&gt;');
    expect(page).not.toContain('<b>Uji</b>');
    expect(page).not.toContain('<script');
  });

  it('allows exactly its one inline stylesheet by hash', async () => {
    const res = await w.request('/');
    const style = /<style>([\s\S]*?)<\/style>/.exec(await res.text())![1]!;
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(res.headers.get('content-security-policy')).toBe(`${CSP_PREFIX}${hash}${CSP_SUFFIX}`);
  });
});

describe('slice and article pages', () => {
  it('shows a category with its latest articles, subscribe links and its own alternates', async () => {
    const res = await w.request('/categories/binmas');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    const page = await res.text();
    const b = w.url;
    expect(page).toContain('<h1>BINMAS</h1>');
    expect(page).toContain(`<link rel="alternate" type="application/atom+xml" title="BINMAS (Atom)" href="${b}/categories/binmas/feed.atom">`);
    expect(page).toContain(`<a href="${b}/articles/seed">Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun Bahas Strategi Komunikasi Untuk Kamtibmas Melalui Fungsi Humas</a>`);
    expect(page).toContain('<time datetime="2023-12-04T15:14:00+07:00">Senin, 4 Desember 2023 pukul 15.14 WIB</time>');
    expect(page).toContain(`<a href="${b}/institutions/lapas-kelas-i-madiun">Lapas Kelas I Madiun</a>, <a href="${b}/institutions/polres-madiun-kota">Polres Madiun Kota</a>`);
    expect(page).not.toContain('Berita uji 1');
  });

  it('shows an institution page and answers 404 pages for unknown slugs', async () => {
    const res = await w.request('/institutions/polres-ponorogo');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<a href="${w.url}/articles/ponorogo-1">Berita uji 1</a>`);
    for (const path of ['/categories/tidak-ada', '/institutions/tidak-ada', '/authors/tidak-ada', '/tags/tidak-ada']) {
      const missing = await w.request(path);
      expect(missing.status, path).toBe(404);
      expectSecurityHeaders(missing);
      expect(await missing.text()).toContain('<h1>Tidak ditemukan</h1>');
    }
  });

  it('shows the article with author, date and offset, institutions, category, tags, image and its sanitized content', async () => {
    const res = await w.request('/articles/seed');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    const page = await res.text();
    const b = w.url;
    expect(page).toContain('<h1>Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun Bahas Strategi Komunikasi Untuk Kamtibmas Melalui Fungsi Humas</h1>');
    expect(page).toContain(`Oleh <a href="${b}/authors/achmad-sarjono-6349bdf3">Achmad Sarjono</a> · <time datetime="2023-12-04T15:14:00+07:00">Senin, 4 Desember 2023 pukul 15.14 WIB</time>`);
    expect(page).toContain(`Kategori: <a href="${b}/categories/binmas">BINMAS</a> · Lembaga: <a href="${b}/institutions/lapas-kelas-i-madiun">Lapas Kelas I Madiun</a>, <a href="${b}/institutions/polres-madiun-kota">Polres Madiun Kota</a> · Topik: <a href="${b}/tags/kamtibmas">#kamtibmas</a>, <a href="${b}/tags/kehumasan">#kehumasan</a>`);
    expect(page).toContain('<img src="https://example.org/humas.jpg" alt="Pertemuan kehumasan">');
    expect(page).toContain('<p>Ia juga menekankan pentingnya transparansi dan akuntabilitas dalam menyampaikan informasi kepada masyarakat.</p>');
  });

  it('answers 404 for an unknown, a deleted and an embargoed article', async () => {
    expect((await w.request('/articles/tidak-ada')).status).toBe(404);
    expect((await w.request('/articles/%3Cscript%3E')).status).toBe(404);
    expect((await w.request('/api/articles', { token: lapas, json: seedArticle({ id: 'nanti', publishedAt: '2024-01-10T11:00:00+07:00' }) })).status).toBe(201);
    expect((await w.request('/articles/nanti')).status).toBe(404);
    expect((await w.request('/api/articles', { token: lapas, json: seedArticle({ id: 'hapus' }) })).status).toBe(201);
    expect((await w.request('/articles/hapus')).status).toBe(200);
    expect((await w.request('/api/articles/hapus', { method: 'DELETE', token: lapas })).status).toBe(204);
    const gone = await w.request('/articles/hapus');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('cache-control')).toBe('no-store');
  });
});

describe('/feeds.opml', () => {
  it('is OPML 2.0 listing every feed in every format, and institution × category feeds that have articles', async () => {
    const res = await w.request('/feeds.opml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const text = await res.text();
    const root = assertWellFormedXml(text, 'feeds.opml');
    expect(root.local).toBe('opml');
    expect(attr(root, 'version')).toBe('2.0');
    const urls: string[] = [];
    const walk = (el: XmlElement) => {
      const xmlUrl = attr(el, 'xmlUrl');
      if (el.local === 'outline' && xmlUrl) urls.push(xmlUrl);
      el.children.forEach(walk);
    };
    walk(root);
    const b = w.url;
    const expected = ['/feed'];
    for (const c of ['binmas', 'lalu-lintas', 'pembinaan']) expected.push(`/categories/${c}/feed`);
    for (const i of ['lapas-kelas-i-madiun', 'lapas-uji', 'polres-madiun-kota', 'polres-ponorogo']) expected.push(`/institutions/${i}/feed`);
    for (const p of ['lapas-kelas-i-madiun/categories/binmas', 'polres-madiun-kota/categories/binmas', 'polres-ponorogo/categories/lalu-lintas']) expected.push(`/institutions/${p}/feed`);
    expect([...urls].sort()).toEqual(expected.flatMap((p) => ['rss', 'atom', 'json'].map((f) => `${b}${p}.${f}`)).sort());
    const parsed = parseOpmlWithFeedsmith(text);
    expect(parsed.head?.title).toBe('Warta: semua umpan');
    // What Miniflux and FreshRSS import from: text and title (the name), xmlUrl, htmlUrl, type; version only where the W3C validator knows it.
    const feeds: XmlElement[] = [];
    const collect = (el: XmlElement) => {
      if (el.local === 'outline' && attr(el, 'xmlUrl')) feeds.push(el);
      el.children.forEach(collect);
    };
    collect(root);
    const byFormat = (ext: string) => feeds.filter((o) => attr(o, 'xmlUrl')!.endsWith(`.${ext}`));
    expect(byFormat('rss').map((o) => [attr(o, 'type'), attr(o, 'version')])).toEqual(byFormat('rss').map(() => ['rss', 'RSS2']));
    expect(byFormat('atom').map((o) => [attr(o, 'type'), attr(o, 'version')])).toEqual(byFormat('atom').map(() => ['rss', undefined]));
    expect(byFormat('json').map((o) => [attr(o, 'type'), attr(o, 'version')])).toEqual(byFormat('json').map(() => ['JSONFeed', undefined]));
    const lapasRss = feeds.find((o) => attr(o, 'xmlUrl') === `${b}/institutions/lapas-kelas-i-madiun/feed.rss`)!;
    expect([attr(lapasRss, 'text'), attr(lapasRss, 'title'), attr(lapasRss, 'htmlUrl')]).toEqual(['Lapas Kelas I Madiun (RSS)', 'Lapas Kelas I Madiun (RSS)', `${b}/institutions/lapas-kelas-i-madiun`]);
    for (const o of feeds) expect(attr(o, 'text') && attr(o, 'text') === attr(o, 'title') && attr(o, 'htmlUrl')?.startsWith(b)).toBe(true);
    expect(parsed.head?.dateCreated).toBe('Wed, 10 Jan 2024 10:00:00 +0700');
  });
});
