/**
 * A local HTTP server that answers like a WordPress site: the REST API under
 * `/wp-json/wp/v2/…` (pretty permalinks) and `/?rest_route=/wp/v2/…` (both,
 * or only the second), `_embed`, `X-WP-Total`/`X-WP-TotalPages`, 400 past
 * the last page, the home page's `Link: rel="https://api.w.org/"`, and the
 * RSS feed with `?paged=N`. Posts are mutable so tests can edit, add and
 * unpublish at the "source". Loopback only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A post as the fixture stores it (WordPress's columns, roughly). */
export interface FixturePost {
  id: number;
  /** Local wall time `2023-12-04T15:14:00` and its UTC twin. */
  date: string;
  dateGmt: string;
  modifiedGmt: string;
  status: 'publish' | 'draft' | 'private' | 'trash';
  password?: string;
  slug: string;
  title: string;
  content: string;
  excerpt: string;
  author: number;
  categories: number[];
  tags: number[];
  featuredMedia?: number;
}

/** Everything the fixture serves. */
export interface FixtureSite {
  posts: FixturePost[];
  categories: { id: number; slug: string; name: string }[];
  tags: { id: number; slug: string; name: string }[];
  authors: { id: number; name: string; slug: string }[];
  media: { id: number; url: string; mime: string; alt: string }[];
}

/** A running fixture. */
export interface WordPressFixture {
  url: string;
  site: FixtureSite;
  /** Every request path received, in order. */
  requests: string[];
  /** Called before each request is answered; may answer it itself (return true). */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** WordPress's rendering of a title: texturized, so "–" arrives as `&#8211;`. */
const renderTitle = (t: string) => esc(t).replace(/–/g, '&#8211;').replace(/“/g, '&#8220;').replace(/”/g, '&#8221;');

/** The public address the fixture site says it has (WordPress's `home`), as a site reached over an intranet or tunnel does. */
export const FIXTURE_HOME = 'https://kotamadiun.binmas.id';

/**
 * Starts the fixture. `pretty: false` answers only `?rest_route=` (a site without pretty permalinks);
 * `home` is the address in its permalinks and REST index (default FIXTURE_HOME; `'self'` for its own loopback URL).
 */
export async function startWordPressFixture(site: FixtureSite, options: { pretty?: boolean; advertise?: boolean; home?: string } = {}): Promise<WordPressFixture> {
  const pretty = options.pretty ?? true;
  const fixture: WordPressFixture = { url: '', site, requests: [], close: async () => {} };
  const home = () => (options.home === 'self' ? fixture.url : (options.home ?? FIXTURE_HOME));
  const link = (id: number) => `${home()}/?p=${id}`;
  const apiRoot = () => (pretty ? `${fixture.url}/wp-json/` : `${fixture.url}/?rest_route=/`);

  const restPost = (p: FixturePost, embed: boolean) => {
    const protectedPost = Boolean(p.password);
    const base: Record<string, unknown> = {
      id: p.id, date: p.date, date_gmt: p.dateGmt, modified: p.date, modified_gmt: p.modifiedGmt, slug: p.slug, status: p.status, type: 'post',
      link: link(p.id), title: { rendered: renderTitle(p.title) },
      content: { rendered: protectedPost ? '' : p.content, protected: protectedPost },
      excerpt: { rendered: protectedPost ? '' : p.excerpt, protected: protectedPost },
      author: p.author, featured_media: p.featuredMedia ?? 0, categories: p.categories, tags: p.tags,
    };
    if (embed) {
      const author = site.authors.find((a) => a.id === p.author);
      const media = site.media.find((m) => m.id === p.featuredMedia);
      base._embedded = {
        author: author ? [{ id: author.id, name: author.name, slug: author.slug }] : [],
        ...(media ? { 'wp:featuredmedia': [{ id: media.id, source_url: media.url, mime_type: media.mime, alt_text: media.alt, media_type: 'image' }] } : {}),
        'wp:term': [
          // WordPress embeds terms ordered by name, not in the post's order.
          site.categories.filter((c) => p.categories.includes(c.id)).sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ ...c, taxonomy: 'category' })),
          site.tags.filter((t) => p.tags.includes(t.id)).map((t) => ({ ...t, taxonomy: 'post_tag' })),
        ],
      };
    }
    return base;
  };

  const rest = (route: string, q: URLSearchParams, res: ServerResponse) => {
    if (route === '/' || route === '') return json(res, 200, { name: 'Polres Madiun Kota', url: home(), home: home(), namespaces: ['oembed/1.0', 'wp/v2'] });
    const perPage = Math.min(100, Number(q.get('per_page') ?? 10));
    const page = Number(q.get('page') ?? 1);
    const pageOf = <T>(all: T[], map: (t: T) => unknown) => {
      const totalPages = Math.max(1, Math.ceil(all.length / perPage));
      if (page > totalPages) return json(res, 400, { code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } });
      return json(res, 200, all.slice((page - 1) * perPage, page * perPage).map(map), { 'X-WP-Total': String(all.length), 'X-WP-TotalPages': String(totalPages) });
    };
    if (route === '/wp/v2/posts') {
      const after = q.get('after');
      const posts = site.posts
        .filter((p) => p.status === 'publish')
        .filter((p) => !after || Date.parse(`${p.dateGmt}Z`) > Date.parse(after))
        // WordPress's default order is newest first; `orderby=id&order=asc` as asked.
        .sort((a, b) => (q.get('orderby') === 'id' ? (q.get('order') === 'asc' ? a.id - b.id : b.id - a.id) : b.dateGmt.localeCompare(a.dateGmt)));
      return pageOf(posts, (p) => restPost(p, q.has('_embed')));
    }
    if (route === '/wp/v2/categories') return pageOf(site.categories, (c) => c);
    return json(res, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  };

  const rss = (q: URLSearchParams, res: ServerResponse) => {
    const perPage = 10;
    const page = Number(q.get('paged') ?? 1);
    const posts = site.posts.filter((p) => p.status === 'publish' && !p.password).sort((a, b) => b.dateGmt.localeCompare(a.dateGmt));
    const slice = posts.slice((page - 1) * perPage, page * perPage);
    if (!slice.length) return res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
    const rfc822 = (gmt: string) => new Date(`${gmt}Z`).toUTCString().replace('GMT', '+0000');
    const items = slice.map((p) => {
      const author = site.authors.find((a) => a.id === p.author)?.name ?? '';
      const cats = [...p.categories.map((id) => site.categories.find((c) => c.id === id)!.name), ...p.tags.map((id) => site.tags.find((t) => t.id === id)!.name)];
      return `<item><title>${renderTitle(p.title)}</title><link>${link(p.id)}</link><dc:creator><![CDATA[${author}]]></dc:creator><pubDate>${rfc822(p.dateGmt)}</pubDate>${cats.map((c) => `<category><![CDATA[${c}]]></category>`).join('')}<guid isPermaLink="false">${link(p.id)}</guid><description><![CDATA[${p.excerpt}]]></description><content:encoded><![CDATA[${p.content}]]></content:encoded></item>`;
    });
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=UTF-8' }).end(
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Polres Madiun Kota</title><atom:link href="${fixture.url}/feed/" rel="self" type="application/rss+xml"/><link>${home()}</link><description>Berita</description><generator>https://wordpress.org/?v=6.1.9</generator>${items.join('')}</channel></rss>`,
    );
  };

  const server: Server = createServer(async (req, res) => {
    fixture.requests.push(req.url ?? '/');
    if (fixture.intercept && (await fixture.intercept(req, res))) return;
    const u = new URL(req.url ?? '/', fixture.url);
    const route = u.searchParams.get('rest_route');
    if (route !== null) return rest(route.replace(/\/+$/, '') || '/', u.searchParams, res);
    if (u.pathname.startsWith('/wp-json')) {
      if (!pretty) return res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' }).end('<!doctype html><title>Halaman tidak ditemukan</title>');
      return rest(u.pathname.slice('/wp-json'.length).replace(/\/+$/, '') || '/', u.searchParams, res);
    }
    if (u.pathname === '/feed/' || u.searchParams.get('feed') === 'rss2') return rss(u.searchParams, res);
    if (u.pathname === '/') {
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=UTF-8' };
      if (options.advertise ?? true) headers.link = `<${apiRoot()}>; rel="https://api.w.org/"`;
      return res.writeHead(200, headers).end(`<!doctype html><html><head><title>Polres Madiun Kota</title><link rel="alternate" type="application/rss+xml" href="${fixture.url}/feed/"></head><body>Beranda</body></html>`);
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fixture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fixture;
}

/** The seed article's site: the real article of 4 December 2023 and its neighbours, with what WordPress sites really hold. */
export function seedSite(): FixtureSite {
  return {
    categories: [
      { id: 3, slug: 'binmas', name: 'BINMAS' },
      { id: 4, slug: 'lalu-lintas', name: 'Lalu Lintas' },
      { id: 5, slug: 'berita%20utama', name: 'Berita Utama' },
    ],
    tags: [
      { id: 11, slug: 'kamtibmas', name: 'kamtibmas' },
      { id: 12, slug: 'kehumasan', name: 'kehumasan' },
    ],
    authors: [{ id: 2, name: 'Achmad Sarjono', slug: 'achmad' }],
    media: [{ id: 90, url: 'https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg', mime: 'image/jpeg', alt: 'Koordinasi humas &amp; Lapas' }],
    posts: [
      {
        id: 101, date: '2023-12-04T15:14:00', dateGmt: '2023-12-04T08:14:00', modifiedGmt: '2023-12-04T09:00:00', status: 'publish', slug: 'sinergitas',
        title: 'Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun – Bahas Strategi Komunikasi',
        content: '<p>KOTA MADIUN &#8211; Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi.</p>\n[caption id="attachment_90" align="aligncenter" width="800"]<img src="https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg" alt="Rapat" width="800"> Rapat koordinasi humas[/caption]\n<p>[gallery ids="1,2"]Selesai.</p>' +
          '\n<p><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" data-lazy-src="/wp-content/uploads/2023/12/lazy.jpg" alt="Lazy"><noscript><img src="/wp-content/uploads/2023/12/lazy.jpg" alt="Lazy"></noscript> <a href="/2023/12/05/zebra/">Baca juga</a></p>',
        excerpt: '<p>KOTA MADIUN &#8211; Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi [&hellip;]</p>\n',
        author: 2, categories: [3], tags: [11, 12], featuredMedia: 90,
      },
      {
        id: 102, date: '2023-12-05T08:30:00', dateGmt: '2023-12-05T01:30:00', modifiedGmt: '2023-12-05T01:30:00', status: 'publish', slug: 'zebra',
        title: 'Satlantas Gelar Operasi Zebra “Semeru”', content: '<p>Operasi Zebra Semeru selama empat belas hari.</p>', excerpt: '',
        author: 2, categories: [4], tags: [], featuredMedia: undefined,
      },
      {
        id: 103, date: '2023-12-06T10:00:00', dateGmt: '2023-12-06T03:00:00', modifiedGmt: '2023-12-06T03:00:00', status: 'publish', slug: 'utama',
        title: 'Berita Utama Pekan Ini', content: '<p>Ringkasan pekan.</p>', excerpt: '<p>Ringkasan.</p>', author: 2, categories: [5, 3], tags: [11],
      },
      { id: 104, date: '2023-12-07T10:00:00', dateGmt: '2023-12-07T03:00:00', modifiedGmt: '2023-12-07T03:00:00', status: 'draft', slug: 'draft', title: 'Draf', content: '<p>draf</p>', excerpt: '', author: 2, categories: [3], tags: [] },
      { id: 105, date: '2023-12-07T11:00:00', dateGmt: '2023-12-07T04:00:00', modifiedGmt: '2023-12-07T04:00:00', status: 'publish', password: 'rahasia', slug: 'locked', title: 'Terkunci', content: '<p>rahasia</p>', excerpt: '', author: 2, categories: [3], tags: [] },
    ],
  };
}

/** A site of `n` generated posts (10,000 for the rate measurement). */
export function generatedSite(n: number): FixtureSite {
  const base = seedSite();
  const posts: FixturePost[] = [];
  for (let i = 1; i <= n; i++) {
    const gmt = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000);
    const local = new Date(gmt.getTime() + 7 * 3_600_000);
    const iso = (d: Date) => d.toISOString().slice(0, 19);
    posts.push({
      id: 1000 + i, date: iso(local), dateGmt: iso(gmt), modifiedGmt: iso(gmt), status: 'publish', slug: `post-${i}`,
      title: `Kegiatan ke-${i} – Polres Madiun Kota`, content: `<p>Isi berita nomor ${i}. ${'Kalimat pengisi berita. '.repeat(20)}</p>`, excerpt: `<p>Ringkasan ${i}</p>`,
      author: 2, categories: [i % 2 ? 3 : 4], tags: [11], featuredMedia: 90,
    });
  }
  return { ...base, posts };
}
