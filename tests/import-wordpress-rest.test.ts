/**
 * `npm run import` against a site that answers like WordPress: detection
 * under both URL styles, the mapping field by field (offset, entities,
 * shortcodes, excerpt, featured image, first category), idempotent
 * re-runs, an edit at the source, --prune, and a publisher token that
 * meets unknown categories and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { FIXTURE_HOME, generatedSite, seedSite, startWordPressFixture, type WordPressFixture } from './support/wordpress-fixture.js';
import { runImportCommand } from './support/import-run.js';
import { articleIdOf, sourceIdentity } from '../src/ingest/ids.js';

let warta: TestWarta;
beforeAll(async () => {
  warta = await startTestWarta();
  await warta.registerDemoRegistries();
});
afterAll(() => warta.close());

const get = async (id: string) => {
  const res = await warta.request(`/api/articles/${id}`, { token: ADMIN_TOKEN });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const args = (site: WordPressFixture, ...extra: string[]) => [`${site.url}/`, '--institution', 'polres-madiun-kota', '--target', warta.url, '--token', ADMIN_TOKEN, ...extra];

describe('a WordPress site with pretty permalinks', () => {
  let site: WordPressFixture;
  beforeAll(async () => {
    site = await startWordPressFixture(seedSite());
  });
  afterAll(() => site.close());
  const idOf = (postId: number) => articleIdOf(sourceIdentity(FIXTURE_HOME), String(postId));

  it('imports every published post, maps each field, and creates the missing category from its name', async () => {
    const run = await runImportCommand(args(site));
    expect(run.summary).toBe('imported 3, updated 0, unchanged 0, skipped 1, failed 0');
    expect(run.status).toBe(0);
    // Not a terminal: one line per page on stderr.
    expect(run.stderr.filter((l) => l.startsWith('page '))).toHaveLength(1);
    expect(run.stderr.at(-1)).toMatch(/^page 1\/1: imported 3, updated 0, unchanged 0, skipped 1, failed 0 \(\d+\.\d posts\/s\)$/);
    expect(site.requests.some((r) => r.startsWith('/wp-json/wp/v2/posts?_embed=1&per_page=100&page=1&status=publish'))).toBe(true);

    const { status, body } = await get(idOf(101));
    expect(status).toBe(200);
    expect(body.title).toBe('Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun – Bahas Strategi Komunikasi');
    expect(body.publishedAt).toBe('2023-12-04T15:14:00+07:00');
    expect(body.author).toEqual({ name: 'Achmad Sarjono' });
    expect(body.category).toBe('binmas');
    expect(body.tags).toEqual(['kamtibmas', 'kehumasan']);
    expect(body.institutions).toEqual(['polres-madiun-kota']);
    expect(body.owner).toBe('polres-madiun-kota');
    expect(body.url).toBe(`${FIXTURE_HOME}/?p=101`);
    expect(body.image).toEqual({ url: 'https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg', type: 'image/jpeg', alt: 'Koordinasi humas & Lapas' });
    expect(body.summary).toBe('KOTA MADIUN – Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi…');
    expect(body.contentHtml).toBe(
      '<p>KOTA MADIUN &#8211; Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi.</p>\n' +
        '<figure><img src="https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg" alt="Rapat" width="800"><figcaption>Rapat koordinasi humas</figcaption></figure>\n' +
        '<p>Selesai.</p>\n' +
        // The server's sanitizer (readers): the lazy image restored from data-lazy-src over its data: placeholder, the
        // <noscript> fallback not doubled, relative URLs made absolute against the permalink the mapping set as url.
        '<p><img src="https://kotamadiun.binmas.id/wp-content/uploads/2023/12/lazy.jpg" alt="Lazy"> <a href="https://kotamadiun.binmas.id/2023/12/05/zebra/">Baca juga</a></p>',
    );
    expect(body.language).toBe('id');

    const zebra = await get(idOf(102));
    expect(zebra.body.title).toBe('Satlantas Gelar Operasi Zebra “Semeru”');
    expect(zebra.body.publishedAt).toBe('2023-12-05T08:30:00+07:00');
    expect(zebra.body.category).toBe('lalu-lintas');
    expect(zebra.body.image).toBeUndefined();
    // The first of the post's own categories, not the first embedded one (embedded terms come sorted by name).
    expect((await get(idOf(103))).body.category).toBe('berita-utama');
    const categories = (await (await warta.request('/api/categories')).json()) as { categories: { slug: string; name: string }[] };
    expect(categories.categories.find((c) => c.slug === 'berita-utama')).toEqual({ slug: 'berita-utama', name: 'Berita Utama', description: '' });
    // Drafts never leave WordPress's REST API; the password-protected post is skipped, not imported.
    expect((await get(idOf(104))).status).toBe(404);
    expect((await get(idOf(105))).status).toBe(404);
  });

  it('a second run changes nothing; an edit at the source updates that article only', async () => {
    const before = await get(idOf(101));
    const again = await runImportCommand(args(site));
    expect(again.summary).toBe('imported 0, updated 0, unchanged 3, skipped 1, failed 0');
    expect((await get(idOf(101))).body.version).toBe(before.body.version);

    const post = site.site.posts.find((p) => p.id === 102)!;
    post.title = 'Satlantas Gelar Operasi Zebra Semeru 2023';
    post.modifiedGmt = '2023-12-06T00:00:00';
    const edited = await runImportCommand(args(site));
    expect(edited.summary).toBe('imported 0, updated 1, unchanged 2, skipped 1, failed 0');
    const zebra = await get(idOf(102));
    expect(zebra.body.title).toBe('Satlantas Gelar Operasi Zebra Semeru 2023');
    expect(zebra.body.version).toBe(2);
  });

  it('--prune withdraws the articles the source no longer publishes, and only those', async () => {
    site.site.posts.find((p) => p.id === 103)!.status = 'trash';
    const run = await runImportCommand(args(site, '--prune'));
    expect(run.summary).toBe('imported 0, updated 0, unchanged 2, skipped 1, failed 0, withdrawn 1');
    expect((await get(idOf(103))).status).toBe(404);
    expect((await get(idOf(101))).status).toBe(200);
    expect((await get(idOf(102))).status).toBe(200);
  });
});

describe('a WordPress site whose permalinks name its intranet address', () => {
  it('is imported without url (Warta never serves URLs naming private hosts); relative links then cannot be resolved and are dropped', async () => {
    const site = await startWordPressFixture(seedSite(), { home: 'self' });
    try {
      const run = await runImportCommand([`${site.url}/`, '--institution', 'polres-ponorogo', '--target', warta.url, '--token', ADMIN_TOKEN]);
      expect(run.summary).toBe('imported 3, updated 0, unchanged 0, skipped 1, failed 0');
      const { body } = await get(articleIdOf(sourceIdentity(site.url), '101'));
      expect(body.url).toBeUndefined();
      expect(body.title).toBe('Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun – Bahas Strategi Komunikasi');
      expect(String(body.contentHtml).split('\n').at(-1)).toBe('<p> Baca juga</p>');
    } finally {
      await site.close();
    }
  });
});

describe('a WordPress site without pretty permalinks', () => {
  it('is found by trying /?rest_route=/ and read through it only', async () => {
    const site = await startWordPressFixture(seedSite(), { pretty: false, advertise: false, home: 'https://polres-lain.example' });
    try {
      const run = await runImportCommand([...args(site), '--category-map', 'berita-utama=binmas']);
      expect(run.summary).toBe('imported 3, updated 0, unchanged 0, skipped 1, failed 0');
      expect(site.requests.filter((r) => r.startsWith('/wp-json/wp/v2'))).toEqual([]);
      expect(site.requests).toContain('/?rest_route=%2Fwp%2Fv2%2Fposts&_embed=1&per_page=100&page=1&status=publish&orderby=id&order=asc');
      expect((await get(articleIdOf('polres-lain.example', '103'))).body.category).toBe('binmas');
    } finally {
      await site.close();
    }
  });
});

describe('politeness and usage', () => {
  it('a 429 from the source is retried after its Retry-After, with a User-Agent naming Warta', async () => {
    const site = await startWordPressFixture(seedSite(), { home: 'https://polres-sibuk.example' });
    let throttled = 0;
    const agents: string[] = [];
    site.intercept = (req, res) => {
      agents.push(String(req.headers['user-agent']));
      if (req.url?.includes('_embed=1') && throttled++ === 0) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
        return true;
      }
      return false;
    };
    try {
      const run = await runImportCommand(args(site));
      expect(run.summary).toBe('imported 3, updated 0, unchanged 0, skipped 1, failed 0');
      expect(run.stderr.filter((l) => l.startsWith('retry '))).toEqual([`retry 1 of ${site.url}/wp-json/wp/v2/posts?_embed=1&per_page=100&page=1&status=publish&orderby=id&order=asc in 1000 ms (HTTP 429)`]);
      expect(new Set(agents)).toEqual(new Set(['Warta-Ingest/0.1 (+https://github.com/warta-news/warta)']));
    } finally {
      await site.close();
    }
  });

  it('a page too large for one batch on the target (413) is written in halves', async () => {
    const small = await startTestWarta({ env: { WARTA_MAX_BATCH_BODY_BYTES: '20000' } });
    const site = await startWordPressFixture(generatedSite(30));
    try {
      await small.registerDemoRegistries();
      const run = await runImportCommand([`${site.url}/`, '--institution', 'polres-madiun-kota', '--target', small.url, '--token', ADMIN_TOKEN]);
      expect(run.summary).toBe('imported 30, updated 0, unchanged 0, skipped 0, failed 0');
    } finally {
      await site.close();
      await small.close();
    }
  });

  it('bad options exit 2 before anything is fetched', async () => {
    const base = ['http://127.0.0.1:9/', '--target', warta.url, '--token', ADMIN_TOKEN];
    const noInstitution = await runImportCommand(base);
    expect(noInstitution.status).toBe(2);
    expect(noInstitution.stderr[0]!.split('\n')[0]).toBe('import: --institution <slug> is required');
    const badMap = await runImportCommand([...base, '--institution', 'polres-madiun-kota', '--category-map', 'a=B C']);
    expect(badMap.stderr[0]!.split('\n')[0]).toBe('import: --category-map: "a=B C" is not old=new with a slug on the right');
    const pruneSince = await runImportCommand([...base, '--institution', 'polres-madiun-kota', '--prune', '--since', '2024-01-01']);
    expect(pruneSince.stderr[0]!.split('\n')[0]).toBe('import: --prune needs the whole source: it cannot be combined with --since');
    const noToken = await runImportCommand(['http://127.0.0.1:9/', '--institution', 'polres-madiun-kota', '--target', warta.url], { cwd: '/nonexistent' });
    expect(noToken.status).toBe(2);
    expect(noToken.stderr[0]!.split('\n')[0]).toBe('import: no token: pass --token, set WARTA_TOKEN, or run against the local default with .warta/admin-token');
  });
});

describe('a publisher token', () => {
  it('meets categories the target does not know: lists each with its command and writes nothing', async () => {
    const fresh = await startTestWarta();
    const site = await startWordPressFixture(seedSite());
    try {
      await fresh.registerDemoRegistries();
      const { token } = await fresh.createKey('publisher', ['polres-madiun-kota']);
      const run = await runImportCommand([`${site.url}/`, '--institution', 'polres-madiun-kota', '--target', fresh.url, '--token', token, '--category-map', 'lalu-lintas=lalin']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('ingest: 2 categories are not registered on the target (berita-utama, lalin); nothing was written. Ask an admin to create them, or map them with --category-map old=new');
      expect(run.stderr).toContain(`  curl -X PUT ${fresh.url}/api/categories/berita-utama -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"Berita Utama"}'`);
      expect(run.stderr).toContain(`  curl -X PUT ${fresh.url}/api/categories/lalin -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"Lalu Lintas"}'`);
      const listed = (await (await fresh.request('/api/articles?institution=polres-madiun-kota', { token: ADMIN_TOKEN })).json()) as { articles: unknown[] };
      // The demo set is not loaded in tests: the institution had nothing and still has nothing.
      expect(listed.articles).toEqual([]);
      expect(site.requests.some((r) => r.includes('_embed'))).toBe(false);
    } finally {
      await site.close();
      await fresh.close();
    }
  });
});
