/**
 * The seed article, published through the API by a Lapas publisher, in every
 * feed it belongs to and in every format, read with independent parsers and
 * validators; then moved out of one institution, then deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';
import { assertValidFeed, type FeedFormatName } from './support/feed-validators.js';
import { feedFacts, type FeedFacts } from './support/feed-facts.js';

const T0 = Date.parse('2024-01-10T03:00:00Z'); // 10:00 WIB
const now = { value: T0 };
const FORMATS: FeedFormatName[] = ['rss', 'atom', 'json'];
const SEED_TITLE = 'Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun Bahas Strategi Komunikasi Untuk Kamtibmas Melalui Fungsi Humas';

let w: TestWarta;
let lapas: string;
beforeAll(async () => {
  w = await startTestWarta({ clock: () => now.value });
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
});
afterAll(() => w.close());

/** Every feed of the seed article: path, key, title. */
const FEEDS: [string, string, string][] = [
  ['/feed', 'all', 'Warta: semua berita'],
  ['/institutions/lapas-kelas-i-madiun/feed', 'inst:lapas-kelas-i-madiun', 'Lapas Kelas I Madiun'],
  ['/institutions/polres-madiun-kota/feed', 'inst:polres-madiun-kota', 'Polres Madiun Kota'],
  ['/categories/binmas/feed', 'cat:binmas', 'BINMAS'],
  ['/institutions/lapas-kelas-i-madiun/categories/binmas/feed', 'instcat:lapas-kelas-i-madiun:binmas', 'Lapas Kelas I Madiun: BINMAS'],
  ['/institutions/polres-madiun-kota/categories/binmas/feed', 'instcat:polres-madiun-kota:binmas', 'Polres Madiun Kota: BINMAS'],
  ['/authors/achmad-sarjono-6349bdf3/feed', 'author:achmad-sarjono-6349bdf3', 'Achmad Sarjono'],
  ['/tags/kamtibmas/feed', 'tag:kamtibmas', '#kamtibmas'],
];

/** Fetches and parses a feed; `validate` adds the schema checks (RELAX NG for Atom is the slow one). */
async function fetchFeed(path: string, format: FeedFormatName, validate = true): Promise<{ text: string; facts: FeedFacts }> {
  const res = await w.request(`${path}.${format}`);
  expect(res.status, `${path}.${format}`).toBe(200);
  const text = await res.text();
  if (validate) await assertValidFeed(text, format);
  return { text, facts: feedFacts(text, format) };
}

describe('the seed article in its feeds', () => {
  it('is published by the Lapas publisher', async () => {
    const res = await w.request('/api/articles', { token: lapas, json: seedArticle({ id: 'sinergitas-humas' }) });
    expect(res.status).toBe(201);
  });

  it.each(FEEDS)('appears in %s in every format with its exact fields', async (path, key, title) => {
    const base = w.url;
    for (const format of FORMATS) {
      const { text, facts } = await fetchFeed(path, format);
      expect(facts.id).toBe(`tag:127.0.0.1,2026:feed/${key}`);
      expect(facts.title).toBe(title);
      expect(facts.language).toBe('id');
      expect(facts.selfUrl).toBe(`${base}${path}.${format}`);
      expect(facts.firstUrl).toBe(`${base}${path}.${format}`);
      expect(facts.nextUrl).toBeUndefined();
      expect(facts.hubs).toEqual([`${base}/websub`]);
      expect(facts.updated).toBe('2024-01-10T10:00:00+07:00');
      expect(facts.items).toHaveLength(1);
      const item = facts.items[0]!;
      expect(item.id).toBe('tag:127.0.0.1,2026:article/sinergitas-humas');
      expect(item.title).toBe(SEED_TITLE);
      expect(item.link).toBe(`${base}/articles/sinergitas-humas`);
      expect(item.published).toBe('2023-12-04T15:14:00+07:00');
      expect(item.updated).toBe('2024-01-10T10:00:00+07:00');
      expect(item.authorName).toBe('Achmad Sarjono');
      expect(item.language).toBe('id');
      expect(item.categories).toEqual([
        { name: 'BINMAS', url: `${base}/categories/binmas` },
        { name: 'Lapas Kelas I Madiun', url: `${base}/institutions/lapas-kelas-i-madiun` },
        { name: 'Polres Madiun Kota', url: `${base}/institutions/polres-madiun-kota` },
        { name: 'kamtibmas', url: `${base}/tags/kamtibmas` },
        { name: 'kehumasan', url: `${base}/tags/kehumasan` },
      ]);
      expect(item.contentHtml).toContain('<p>KOTA MADIUN - Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi');
      if (format === 'rss') {
        expect(text).toContain('<pubDate>Mon, 04 Dec 2023 15:14:00 +0700</pubDate>');
        expect(text).toContain('<lastBuildDate>Wed, 10 Jan 2024 10:00:00 +0700</lastBuildDate>');
      } else {
        expect(text).toContain('2023-12-04T15:14:00+07:00');
      }
    }
  });

  it('leaves the feeds of Polres Madiun Kota when moved to Lapas Kelas I Madiun alone, and stays in the others', async () => {
    now.value += 60_000;
    const res = await w.request('/api/articles/sinergitas-humas', {
      method: 'PUT',
      token: lapas,
      json: seedArticle({ institutions: ['lapas-kelas-i-madiun'] }),
    });
    expect(res.status).toBe(200);
    for (const [path] of FEEDS) {
      const gone = path.startsWith('/institutions/polres-madiun-kota');
      for (const format of FORMATS) {
        const { facts } = await fetchFeed(path, format, false);
        expect(facts.items.map((i) => i.id), `${path}.${format}`).toEqual(gone ? [] : ['tag:127.0.0.1,2026:article/sinergitas-humas']);
        if (!gone) expect(facts.items[0]!.categories.map((c) => c.name)).toEqual(['BINMAS', 'Lapas Kelas I Madiun', 'kamtibmas', 'kehumasan']);
        expect(facts.updated).toBe('2024-01-10T10:01:00+07:00');
      }
    }
  });

  it('disappears from every feed when deleted (an author or tag left without a public article is no feed at all: 404)', async () => {
    now.value += 60_000;
    expect((await w.request('/api/articles/sinergitas-humas', { method: 'DELETE', token: lapas })).status).toBe(204);
    for (const [path, key] of FEEDS) {
      for (const format of FORMATS) {
        if (key.startsWith('author:') || key.startsWith('tag:')) {
          expect((await w.request(`${path}.${format}`)).status, `${path}.${format}`).toBe(404);
          continue;
        }
        const { facts } = await fetchFeed(path, format);
        expect(facts.items, `${path}.${format}`).toEqual([]);
      }
    }
  });
});
