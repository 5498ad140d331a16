/**
 * Zero warnings on real-world HTML: the awkward-HTML corpus (lazy images,
 * data: placeholders, relative links, share buttons, inward links) is
 * published, some articles one by one within the same second and the rest
 * in one batch, and every feed × format is checked for what the W3C Feed
 * Validation Service warned about: "Invalid HTML" (an element without its
 * required attribute, a valueless attribute), "An item should not include
 * both author and dc:creator" and "Two entries with the same value for
 * atom:updated" (checked in every format), besides the validators every
 * feed test runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { AWKWARD_CORPUS, htmlWarnings } from './support/awkward-corpus.js';
import { assertValidFeed, assertWellFormedXml, children, NS, type FeedFormatName } from './support/feed-validators.js';
import { feedFacts } from './support/feed-facts.js';
import { authorSlugOf } from '../src/publishing/article-service.js';

const FORMATS: FeedFormatName[] = ['rss', 'atom', 'json'];
const SLICES = [
  '/feed',
  '/categories/binmas/feed',
  '/institutions/polres-madiun-kota/feed',
  '/institutions/polres-madiun-kota/categories/binmas/feed',
  '/tags/awkward/feed',
  // Author feeds are per owner institution (the slug carries the owner's hash).
  `/authors/${authorSlugOf('Redaksi', 'polres-madiun-kota')}/feed`,
];
const DOCUMENTS = SLICES.flatMap((slice) => FORMATS.map((format) => ({ slice, format, path: `${slice}.${format}` })));
/** 2024-01-02T10:00:00+07:00, a whole second: the single writes below all fall within it. */
const START_MS = Date.UTC(2024, 0, 2, 3, 0, 0);

let w: TestWarta;
const now = { value: START_MS };
const texts = new Map<string, string>();

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
  const inputs = AWKWARD_CORPUS.map((a, n) =>
    smallArticle(n, { title: `Korpus ${n}`, contentHtml: a.contentHtml, author: a.author, tags: ['awkward'], ...(a.url ? { url: a.url } : {}) }),
  );
  const single = inputs.slice(0, 4);
  for (const [n, input] of single.entries()) {
    now.value = START_MS + n * 250; // four writes in one second
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: input });
    expect(res.status).toBe(201);
  }
  now.value = START_MS + 900;
  const batch = await w.request('/api/articles/batch', { token: ADMIN_TOKEN, json: { articles: inputs.slice(4) } });
  expect(batch.status).toBe(200);
  const results = ((await batch.json()) as { results: { status: number }[] }).results;
  expect(results.map((r) => r.status)).toEqual(inputs.slice(4).map(() => 201));
  for (const { path } of DOCUMENTS) {
    const res = await w.request(path);
    expect(res.status, path).toBe(200);
    texts.set(path, await res.text());
  }
});
afterAll(() => w.close());

describe.each(DOCUMENTS)('$path', ({ path, format }) => {
  it('is valid (well-formed, RFC 4287 RELAX NG or JSON Feed 1.1 schema, feedsmith)', async () => {
    await assertValidFeed(texts.get(path)!, format);
  });

  it('warning "Invalid HTML": no element without its required attribute, no valueless attribute, no relative or inward URL', () => {
    const facts = feedFacts(texts.get(path)!, format);
    expect(facts.items.length).toBeGreaterThan(0);
    expect(facts.items.flatMap((i) => htmlWarnings(i.contentHtml))).toEqual([]);
  });

  it('warning "Two entries with the same value for atom:updated": every entry has its own updated', () => {
    const updated = feedFacts(texts.get(path)!, format).items.map((i) => i.updated);
    expect(new Set(updated).size).toBe(updated.length);
  });

  if (format === 'rss') {
    it('warning "An item should not include both author and dc:creator"', () => {
      const items = children(children(assertWellFormedXml(texts.get(path)!), NS.none, 'channel')[0]!, NS.none, 'item');
      const both = items.filter((i) => children(i, NS.none, 'author').length > 0 && children(i, NS.dc, 'creator').length > 0);
      expect(both).toEqual([]);
      expect(items.every((i) => children(i, NS.none, 'author').length + children(i, NS.dc, 'creator').length === 1)).toBe(true);
    });
  }
});

describe('what the corpus keeps', () => {
  const contents = () => new Map(feedFacts(texts.get('/tags/awkward/feed.json')!, 'json').items.map((i) => [i.title, i.contentHtml]));

  it('restores lazy images and resolves relative URLs against the article url', () => {
    const c = contents();
    expect(c.get('Korpus 0')).toBe(
      '<p>KOTA MADIUN - Koordinasi humas.</p><figure><img src="https://kotamadiun.binmas.id/wp-content/uploads/2023/12/foto.jpg" alt="Koordinasi" width="800" height="533"><figcaption>Foto: Humas</figcaption></figure>',
    );
    expect(c.get('Korpus 1')).toBe('<p>Patroli malam.</p><img src="https://polresmadiunkota.example/berita/img/patroli-640.jpg" alt="Patroli">');
    expect(c.get('Korpus 2')).toBe('<p>Kunjungan keluarga.</p><img src="https://lapasmadiun.example/wp-content/uploads/kunjungan.jpg" alt="Kunjungan">');
    expect(c.get('Korpus 3')).toBe(
      '<p>Baca juga <a href="https://kotamadiun.binmas.id/2023/12/04/sinergitas/">Sinergitas</a> dan <a href="https://kotamadiun.binmas.id/tag/kamtibmas/">kamtibmas</a>.</p><p><img src="https://cdn.binmas.example/2023/12/pembinaan.jpg" alt="Pembinaan"> <img src="https://kotamadiun.binmas.id/2023/12/05/pembinaan/uploads/lampiran.png" alt="Lampiran"></p>',
    );
  });

  it('keeps the text of links without a usable target and drops inward links and images', () => {
    const c = contents();
    expect(c.get('Korpus 4')).toBe('<p>Isi berita.</p><p>Bagikan | Cetak | Tutup | <a href="https://polresmadiunkota.example/berita/share.html#komentar">Komentar</a></p>');
    expect(c.get('Korpus 5')).toBe('<div><p>Teks</p><img src="https://cdn.binmas.example/ok.jpg" alt="" height="300"></div>');
    expect(c.get('Korpus 6')).toBe('<p>meta admin   <a href="https://kotamadiun.binmas.id/">portal</a></p>');
    expect(c.get('Korpus 7')).toBe('<p>Lihat arsip.</p><blockquote>kutipan</blockquote>');
  });

  it('gives the articles written in one second, and those of one batch, distinct updated instants with sub-second precision', () => {
    const updated = new Map(feedFacts(texts.get('/tags/awkward/feed.atom')!, 'atom').items.map((i) => [i.title, i.updated]));
    expect([...updated.entries()].sort()).toEqual([
      ['Korpus 0', '2024-01-02T10:00:00+07:00'],
      ['Korpus 1', '2024-01-02T10:00:00.250+07:00'],
      ['Korpus 2', '2024-01-02T10:00:00.500+07:00'],
      ['Korpus 3', '2024-01-02T10:00:00.750+07:00'],
      ['Korpus 4', '2024-01-02T10:00:00.900+07:00'],
      ['Korpus 5', '2024-01-02T10:00:00.900001+07:00'],
      ['Korpus 6', '2024-01-02T10:00:00.900002+07:00'],
      ['Korpus 7', '2024-01-02T10:00:00.900003+07:00'],
    ]);
  });
});
