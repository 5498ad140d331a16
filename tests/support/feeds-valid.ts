/**
 * Every feed of a running Warta checked with the independent validators:
 * RSS and Atom well-formed (saxes), Atom against RFC 4287 RELAX NG, JSON
 * Feed against its schema, and each parsed by feedsmith in its format.
 */
import { expect } from 'vitest';
import { assertValidFeed, assertWellFormedXml, type FeedFormatName } from './feed-validators.js';
import type { TestWarta } from './warta.js';

const FORMATS: FeedFormatName[] = ['rss', 'atom', 'json'];

/** The feed paths (without format) of every registered category and institution, plus `/feed` and `extra`. */
export async function feedSlices(w: TestWarta, extra: string[] = []): Promise<string[]> {
  const cats = ((await (await w.request('/api/categories')).json()) as { categories: { slug: string }[] }).categories;
  const insts = ((await (await w.request('/api/institutions')).json()) as { institutions: { slug: string }[] }).institutions;
  return ['/feed', ...cats.map((c) => `/categories/${c.slug}/feed`), ...insts.map((i) => `/institutions/${i.slug}/feed`), ...extra];
}

/**
 * Fetches each slice in every format and the OPML list, and validates them all; returns how
 * many documents were checked. `/feed` is read 100 items deep, the other slices 20.
 */
export async function assertFeedsValid(w: TestWarta, slices: string[]): Promise<number> {
  let checked = 0;
  for (const slice of slices) {
    for (const format of FORMATS) {
      const path = `${slice}.${format}${slice === '/feed' ? '?limit=100' : ''}`;
      const res = await w.request(path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      try {
        await assertValidFeed(text, format);
      } catch (err) {
        throw new Error(`${path} is not valid: ${(err as Error).message}`, { cause: err });
      }
      checked++;
    }
  }
  const opml = await w.request('/feeds.opml');
  expect(opml.status).toBe(200);
  assertWellFormedXml(await opml.text(), 'feeds.opml');
  return checked + 1;
}
