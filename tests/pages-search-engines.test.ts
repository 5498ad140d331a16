/**
 * What search engines read: article pages carry schema.org NewsArticle
 * JSON-LD (dates with their offset, author Person, publisher Organization
 * with its logo, images, language, free access, licence), a canonical link
 * to the portal and Open Graph tags; /sitemaps/news.xml lists the articles
 * of the last 48 hours only (Google News format); /sitemaps/index.xml pages
 * every article page by month; /robots.txt names both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertWellFormedXml, children, childText } from './support/feed-validators.js';

const NOW = Date.UTC(2024, 2, 10, 5, 0, 0); // 2024-03-10T12:00:00+07:00
const now = { value: NOW };
const SM = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const NEWS = 'http://www.google.com/schemas/sitemap-news/0.9';
const wib = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19) + '+07:00';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
  await w.request('/api/institutions/polres-madiun-kota', {
    method: 'PUT',
    token: ADMIN_TOKEN,
    json: { name: 'Polres Madiun Kota', kind: 'Polres', region: 'Kota Madiun', homepage: 'https://kotamadiun.binmas.id/', logo: 'https://kotamadiun.binmas.id/logo.png', license: 'CC-BY-4.0' },
  });
  const posts = [
    smallArticle(1, {
      id: 'baru',
      title: 'Patroli </script><script>alert(1)</script> malam',
      url: 'https://kotamadiun.binmas.id/2024/03/10/patroli/',
      author: { name: 'Achmad Sarjono' },
      tags: ['kamtibmas'],
      publishedAt: wib(NOW - 3_600_000),
      images: [{ url: 'https://kotamadiun.binmas.id/a.jpg', type: 'image/jpeg', alt: 'Patroli' }, { url: 'https://kotamadiun.binmas.id/b.jpg', type: 'image/jpeg' }],
    }),
    smallArticle(2, { id: 'kemarin', publishedAt: wib(NOW - 47 * 3_600_000) }),
    smallArticle(3, { id: 'lusa-lalu', publishedAt: wib(NOW - 49 * 3_600_000) }),
    smallArticle(4, { id: 'januari', publishedAt: '2024-01-15T09:00:00+07:00' }),
    smallArticle(5, { id: 'embargo', publishedAt: wib(NOW + 3_600_000) }),
  ];
  for (const json of posts) expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json })).status).toBe(201);
});
afterAll(() => w.close());

describe('article pages', () => {
  it('carry NewsArticle JSON-LD, a canonical link to the portal and Open Graph tags', async () => {
    const res = await w.request('/articles/baru');
    expect(res.status).toBe(200);
    const page = await res.text();
    const blocks = [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    expect(blocks).toHaveLength(1);
    expect(page.match(/<\/script/g)).toHaveLength(1); // the title cannot close the block
    expect(JSON.parse(blocks[0]![1]!)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Patroli </script><script>alert(1)</script> malam',
      description: 'Isi berita uji nomor 1.',
      url: 'https://kotamadiun.binmas.id/2024/03/10/patroli/',
      mainEntityOfPage: 'https://kotamadiun.binmas.id/2024/03/10/patroli/',
      datePublished: '2024-03-10T11:00:00+07:00',
      dateModified: '2024-03-10T12:00:00+07:00',
      inLanguage: 'id',
      isAccessibleForFree: true,
      articleSection: 'BINMAS',
      keywords: 'kamtibmas',
      image: ['https://kotamadiun.binmas.id/a.jpg', 'https://kotamadiun.binmas.id/b.jpg'],
      author: [{ '@type': 'Person', name: 'Achmad Sarjono', url: `${w.url}/authors/achmad-sarjono-01e282c2` } /* the slug carries the owner institution's hash */],
      publisher: { '@type': 'Organization', name: 'Polres Madiun Kota', url: 'https://kotamadiun.binmas.id/', logo: { '@type': 'ImageObject', url: 'https://kotamadiun.binmas.id/logo.png' } },
      license: 'https://creativecommons.org/licenses/by/4.0/',
    });
    expect(page).toContain('<link rel="canonical" href="https://kotamadiun.binmas.id/2024/03/10/patroli/">');
    const og = Object.fromEntries([...page.matchAll(/<meta property="(og:[a-z:_]+)" content="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    expect(og).toEqual({
      'og:type': 'article',
      'og:site_name': 'Warta',
      'og:title': 'Patroli &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; malam',
      'og:description': 'Isi berita uji nomor 1.',
      'og:url': 'https://kotamadiun.binmas.id/2024/03/10/patroli/',
      'og:locale': 'id_ID',
      'og:image': 'https://kotamadiun.binmas.id/a.jpg',
      'og:image:alt': 'Patroli',
    });
    expect(page).toContain('<meta property="article:published_time" content="2024-03-10T11:00:00+07:00">');
  });
});

describe('sitemaps', () => {
  it('the news sitemap lists the articles of the last 48 hours only, newest first', async () => {
    const res = await w.request('/sitemaps/news.xml');
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const urlset = assertWellFormedXml(await res.text());
    expect([urlset.uri, urlset.local]).toEqual([SM, 'urlset']);
    const urls = children(urlset, SM, 'url');
    expect(urls.map((u) => childText(u, SM, 'loc'))).toEqual([`${w.url}/articles/baru`, `${w.url}/articles/kemarin`]);
    const news = children(urls[1]!, NEWS, 'news')[0]!;
    expect([childText(children(news, NEWS, 'publication')[0]!, NEWS, 'name'), childText(news, NEWS, 'publication_date'), childText(news, NEWS, 'title')]).toEqual([
      'Warta',
      wib(NOW - 47 * 3_600_000),
      'Berita uji 2',
    ]);
  });

  it('the index pages every article page by month of publication, embargoed ones left out', async () => {
    const index = assertWellFormedXml(await (await w.request('/sitemaps/index.xml')).text());
    const maps = children(index, SM, 'sitemap').map((s) => childText(s, SM, 'loc'));
    expect(maps).toEqual(['2024-01', '2024-02', '2024-03'].map((m) => `${w.url}/sitemaps/articles-${m}.xml`));
    const locs = async (m: string) => children(assertWellFormedXml(await (await w.request(`/sitemaps/articles-${m}.xml`)).text()), SM, 'url').map((u) => childText(u, SM, 'loc'));
    expect(await locs('2024-01')).toEqual([`${w.url}/articles/januari`]);
    expect(await locs('2024-02')).toEqual([]);
    expect(await locs('2024-03')).toEqual(['lusa-lalu', 'kemarin', 'baru'].map((id) => `${w.url}/articles/${id}`));
    expect((await w.request('/sitemaps/articles-2024-13.xml')).status).toBe(404);
  });

  it('robots.txt names both sitemaps and keeps crawlers out of the API', async () => {
    const res = await w.request('/robots.txt');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(`User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: ${w.url}/sitemaps/index.xml\nSitemap: ${w.url}/sitemaps/news.xml\n`);
  });
});
