/**
 * IPTC ninjs 3.1 for partners: `?format=ninjs` on GET /api/articles/:id,
 * GET /api/articles and GET /api/changes answers ninjs objects, each valid
 * against the published ninjs 3.1 JSON Schema (vendored in tests/schemas),
 * with the article's tag URI, version, dates with their offset, headline,
 * HTML body, subjects, organisations, author, renditions and licence; a
 * deleted article is `pubStatus: "canceled"`; the owner's publisher sees an
 * embargoed article early with `embargoedUntil`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { ninjsErrors } from './support/ninjs-validator.js';

const T0 = Date.UTC(2024, 0, 2, 3, 0, 0); // 2024-01-02T10:00:00+07:00
const now = { value: T0 };
let w: TestWarta;
let reader: string;
let publisher: string;
const BASE = () => w.url;

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
  await w.request('/api/institutions/polres-madiun-kota', {
    method: 'PUT',
    token: ADMIN_TOKEN,
    json: { name: 'Polres Madiun Kota', kind: 'Polres', region: 'Kota Madiun, Jawa Timur', homepage: 'https://kotamadiun.binmas.id/', license: 'CC-BY-4.0' },
  });
  reader = (await w.createKey('reader', [])).token;
  publisher = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
  const posts = [
    smallArticle(1, {
      id: 'ninjs-1',
      url: 'https://kotamadiun.binmas.id/2024/01/01/patroli/',
      author: { name: 'Achmad Sarjono', url: 'https://kotamadiun.binmas.id/author/achmad/' },
      tags: ['kamtibmas'],
      institutions: ['polres-madiun-kota', 'lapas-kelas-i-madiun'],
      images: [
        { url: 'https://kotamadiun.binmas.id/foto/a.jpg', type: 'image/jpeg', length: 5000, caption: 'Patroli malam', credit: 'Humas' },
        { url: 'https://kotamadiun.binmas.id/foto/b.png', type: 'image/png', alt: 'Peta' },
      ],
    }),
    smallArticle(2, { id: 'ninjs-2' }),
    smallArticle(3, { id: 'ninjs-embargo', publishedAt: '2024-01-03T10:00:00+07:00' }),
  ];
  for (const json of posts) expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json })).status).toBe(201);
  now.value = T0 + 60_000;
  expect((await w.request('/api/articles/ninjs-2', { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
  now.value = T0 + 120_000; // past the change API's settle window
});
afterAll(() => w.close());

describe('?format=ninjs', () => {
  it('GET /api/articles/:id answers one valid ninjs 3.1 object carrying the article', async () => {
    const res = await w.request('/api/articles/ninjs-1?format=ninjs', { token: reader });
    expect(res.status).toBe(200);
    const item = await res.json();
    expect(ninjsErrors(item)).toEqual([]);
    expect(item).toEqual({
      uri: 'tag:127.0.0.1,2026:article/ninjs-1',
      type: 'text',
      version: '1',
      firstCreated: '2024-01-02T10:00:00+07:00',
      versionCreated: '2024-01-02T10:00:00+07:00',
      contentCreated: '2024-01-01T00:01:00+07:00',
      pubStatus: 'usable',
      language: 'id',
      headlines: [{ value: 'Berita uji 1', contentType: 'text/plain' }],
      descriptions: [{ role: 'summary', value: 'Isi berita uji nomor 1.', contentType: 'text/plain' }],
      bodies: [{ value: '<p>Isi berita uji nomor 1.</p>', contentType: 'text/html' }],
      by: 'Achmad Sarjono',
      people: [{ name: 'Achmad Sarjono', rel: 'author', uri: 'https://kotamadiun.binmas.id/author/achmad/' }],
      organisations: [
        { name: 'Polres Madiun Kota', rel: 'publisher', uri: 'https://kotamadiun.binmas.id/', literal: 'polres-madiun-kota' },
        { name: 'Lapas Kelas I Madiun', rel: 'mentioned', uri: `${BASE()}/institutions/lapas-kelas-i-madiun`, literal: 'lapas-kelas-i-madiun' },
      ],
      subjects: [
        { name: 'BINMAS', rel: 'category', uri: `${BASE()}/categories/binmas`, literal: 'binmas' },
        { name: 'kamtibmas', rel: 'tag', uri: `${BASE()}/tags/kamtibmas`, literal: 'kamtibmas' },
      ],
      altIds: [{ role: 'canonical-url', value: 'https://kotamadiun.binmas.id/2024/01/01/patroli/' }],
      renditions: [
        { name: 'lead', href: 'https://kotamadiun.binmas.id/foto/a.jpg', contentType: 'image/jpeg', sizeInBytes: 5000, title: 'Patroli malam' },
        { name: 'image-2', href: 'https://kotamadiun.binmas.id/foto/b.png', contentType: 'image/png', title: 'Peta' },
      ],
      copyrightHolder: 'Polres Madiun Kota',
      copyrightNotice: '© Polres Madiun Kota. Lisensi CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)',
      usageTerms: 'Lisensi CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/): https://creativecommons.org/licenses/by/4.0/',
    });
  });

  it('GET /api/articles answers every live article as valid ninjs', async () => {
    const res = await w.request('/api/articles?format=ninjs', { token: reader });
    const body = (await res.json()) as { articles: { uri: string }[] };
    expect(body.articles.map((a) => a.uri)).toEqual(['tag:127.0.0.1,2026:article/ninjs-1']);
    for (const a of body.articles) expect(ninjsErrors(a)).toEqual([]);
  });

  it('GET /api/changes answers ninjs, a deleted article as pubStatus "canceled"', async () => {
    const body = (await (await w.request('/api/changes?format=ninjs', { token: reader })).json()) as { changes: { uri: string; pubStatus: string }[] };
    for (const c of body.changes) expect(ninjsErrors(c)).toEqual([]);
    expect(body.changes.map((c) => [c.uri.replace(/^.*article\//, ''), c.pubStatus])).toEqual([
      ['ninjs-1', 'usable'],
      ['ninjs-2', 'canceled'],
    ]);
    expect(body.changes[1]).toEqual({ uri: 'tag:127.0.0.1,2026:article/ninjs-2', type: 'text', pubStatus: 'canceled', versionCreated: '2024-01-02T10:01:00+07:00' });
  });

  it("the owner's publisher sees an embargoed article early, with embargoedUntil; a reader does not", async () => {
    const early = await w.request('/api/articles/ninjs-embargo?format=ninjs', { token: publisher });
    const item = (await early.json()) as Record<string, unknown>;
    expect(ninjsErrors(item)).toEqual([]);
    expect([item.embargoedUntil, item.contentCreated]).toEqual(['2024-01-03T10:00:00+07:00', '2024-01-03T10:00:00+07:00']);
    expect((await w.request('/api/articles/ninjs-embargo?format=ninjs', { token: reader })).status).toBe(404);
  });

  it('the schema check itself refuses what ninjs 3.1 does not allow', () => {
    expect(ninjsErrors({ uri: 'tag:x,2026:a', pubStatus: 'gone' }).length).toBe(1);
    expect(ninjsErrors({ uri: 'tag:x,2026:a', byline: 'A' }).length).toBe(1); // 3.1 calls it `by`
    expect(ninjsErrors({ headlines: [{ value: 'x' }] }).length).toBe(1); // uri is required
  });

  it('refuses another format with 400 naming the parameter', async () => {
    for (const path of ['/api/articles/ninjs-1?format=newsml', '/api/articles?format=NINJS', '/api/changes?format=']) {
      const res = await w.request(path, { token: reader });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'format', reason: 'must be "ninjs" or absent' }]);
    }
  });
});
