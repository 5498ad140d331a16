/** Article inputs for tests: the seed article and variations of it. */
import { SEED_ARTICLE } from '../../src/demo/seed-article.js';

/** The seed article as a publisher sends it (a fresh copy each call). */
export function seedArticle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(SEED_ARTICLE), ...overrides };
}

/** A small valid article for the given institution and category. */
export function smallArticle(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Berita uji ${n}`,
    contentHtml: `<p>Isi berita uji nomor ${n}.</p>`,
    author: { name: 'Penulis Uji' },
    category: 'binmas',
    tags: ['uji'],
    institutions: ['polres-madiun-kota'],
    publishedAt: `2024-01-01T${String(Math.floor(n / 60) % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00+07:00`,
    ...overrides,
  };
}
