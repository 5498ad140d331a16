/**
 * `npm run import` of a WordPress export (WXR): the mapping (raw
 * `[caption]` shortcode to figure, other shortcodes removed, display names
 * of authors, featured image from an attachment listed after the post),
 * drafts and password-protected posts skipped, pages ignored, the same ids
 * as the REST import of the same site, and a streamed read (pages come out
 * before the file has been read to its end).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { runImportCommand } from './support/import-run.js';
import { articleIdOf } from '../src/ingest/ids.js';
import { wxrReader } from '../src/ingest/wxr.js';

const EXPORT = fileURLToPath(new URL('./fixtures/polres-export.wxr.xml', import.meta.url));

let warta: TestWarta;
beforeAll(async () => {
  warta = await startTestWarta();
  await warta.registerDemoRegistries();
});
afterAll(() => warta.close());

describe('a WXR export', () => {
  it('imports the published posts with the same mapping, and a second run changes nothing', async () => {
    const run = await runImportCommand([EXPORT, '--institution', 'polres-madiun-kota', '--target', warta.url, '--token', ADMIN_TOKEN]);
    expect(run.summary).toBe('imported 2, updated 0, unchanged 0, skipped 2, failed 0');
    expect(run.stderr[0]).toBe(`import: reading wxr source ${EXPORT} into ${warta.url} as polres-madiun-kota`);
    const res = await warta.request(`/api/articles/${articleIdOf('kotamadiun.binmas.id', '101')}`, { token: ADMIN_TOKEN });
    const a = (await res.json()) as Record<string, unknown>;
    expect(a.title).toBe('Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun – Bahas Strategi Komunikasi');
    expect(a.publishedAt).toBe('2023-12-04T15:14:00+07:00');
    expect(a.author).toEqual({ name: 'Achmad Sarjono' });
    expect(a.category).toBe('binmas');
    expect(a.tags).toEqual(['kamtibmas', 'kehumasan']);
    expect(a.summary).toBe('Koordinasi kehumasan Lapas dan Polres.');
    expect(a.url).toBe('https://kotamadiun.binmas.id/2023/12/04/sinergitas/');
    expect(a.image).toEqual({ url: 'https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg', type: 'image/jpeg', alt: 'Rapat koordinasi humas' });
    expect(a.contentHtml).toBe(
      '<p>KOTA MADIUN - Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi.</p>\n' +
        '<figure><img src="https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg" alt="Rapat" width="800" height="533"><figcaption>Rapat koordinasi humas</figcaption></figure>\n\n' +
        '<p>Selesai.</p>',
    );
    const patrol = (await (await warta.request(`/api/articles/${articleIdOf('kotamadiun.binmas.id', '104')}`, { token: ADMIN_TOKEN })).json()) as Record<string, unknown>;
    expect(patrol.publishedAt).toBe('2023-12-31T23:30:00+07:00');
    expect(patrol.category).toBe('sabhara');
    const categories = (await (await warta.request('/api/categories')).json()) as { categories: { slug: string; name: string }[] };
    expect(categories.categories.find((c) => c.slug === 'sabhara')?.name).toBe('Sabhara & Patroli');
    // The draft's category is not needed, so it is not created.
    expect(categories.categories.some((c) => c.slug === 'rahasia')).toBe(false);
    for (const id of ['102', '103', '7', '90']) {
      expect((await warta.request(`/api/articles/${articleIdOf('kotamadiun.binmas.id', id)}`, { token: ADMIN_TOKEN })).status).toBe(404);
    }
    const again = await runImportCommand([EXPORT, '--institution', 'polres-madiun-kota', '--target', warta.url, '--token', ADMIN_TOKEN, '--kind', 'wxr']);
    expect(again.summary).toBe('imported 0, updated 0, unchanged 2, skipped 2, failed 0');
  });

  it('is read as a stream: the first page of posts comes out before the last chunk of the file is read', async () => {
    const posts = 1000;
    const head = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="c" xmlns:dc="d" xmlns:wp="w" xmlns:excerpt="e"><channel><link>https://big.example</link>';
    const item = (i: number) =>
      `<item><title>Berita ${i}</title><link>https://big.example/${i}</link><dc:creator>x</dc:creator><content:encoded><![CDATA[<p>${'isi '.repeat(50)}</p>]]></content:encoded><wp:post_id>${i}</wp:post_id><wp:post_date>2024-01-01 10:00:00</wp:post_date><wp:post_date_gmt>2024-01-01 03:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="binmas">BINMAS</category></item>`;
    const chunks: Uint8Array[] = [new TextEncoder().encode(head)];
    for (let i = 1; i <= posts; i++) chunks.push(new TextEncoder().encode(item(i)));
    chunks.push(new TextEncoder().encode('</channel></rss>'));
    let read = 0;
    const reader = wxrReader(async function* () {
      read = 0;
      for (const c of chunks) {
        read++;
        yield c;
      }
    });
    let readAtFirstPage = -1;
    let seen = 0;
    for await (const page of reader.pages()) {
      if (readAtFirstPage < 0) readAtFirstPage = read;
      seen += page.items.length;
      expect(page.totalPages).toBe(10);
    }
    expect(seen).toBe(posts);
    expect(readAtFirstPage).toBeLessThan(chunks.length / 5);
  });
});
