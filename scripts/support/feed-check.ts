/**
 * Feed checks for the operator scripts: which article ids each JSON feed
 * lists (following next_url), and whether RSS/Atom documents are
 * well-formed XML (saxes, strict) and JSON feeds parse.
 */
import { SaxesParser } from 'saxes';
import type { Final, Verification, WriteTracker } from './write-tracker.js';

/** The feed slices of the demo registries: everything, each category, each institution, and both together. */
export function demoSlices(categories: string[], institutions: string[]): { path: string; category?: string; institution?: string }[] {
  return [
    { path: '/feed' },
    ...categories.map((c) => ({ path: `/categories/${c}/feed`, category: c })),
    ...institutions.map((i) => ({ path: `/institutions/${i}/feed`, institution: i })),
    ...institutions.flatMap((i) => categories.map((c) => ({ path: `/institutions/${i}/categories/${c}/feed`, institution: i, category: c }))),
  ];
}

/** Throws unless `xml` is well-formed XML 1.0 with namespaces. */
export function assertWellFormed(xml: string, name: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let error: Error | undefined;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.write(xml).close();
  if (error) throw new Error(`scripts: ${name} is not well-formed XML: ${error.message}`);
}

/** Ids of the articles a JSON feed lists, every page. */
export async function feedArticleIds(base: string, slice: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = `${base}${slice}.json?limit=100`;
  for (let pages = 0; next && pages < 100; pages++) {
    const res = await fetch(next);
    if (res.status !== 200) throw new Error(`scripts: GET ${next} answered ${res.status}`);
    const doc = (await res.json()) as { items: { id: string }[]; next_url?: string };
    for (const item of doc.items) ids.push(item.id.slice(item.id.lastIndexOf('/') + 1));
    next = doc.next_url;
  }
  return ids;
}

/** Fetches a slice in RSS, Atom and JSON and checks each parses; returns the number of documents checked. */
export async function assertSliceValid(base: string, slice: string): Promise<number> {
  for (const format of ['rss', 'atom'] as const) {
    const res = await fetch(`${base}${slice}.${format}`);
    if (res.status !== 200) throw new Error(`scripts: GET ${slice}.${format} answered ${res.status}`);
    assertWellFormed(await res.text(), `${slice}.${format}`);
  }
  const json = await fetch(`${base}${slice}.json`);
  if (json.status !== 200) throw new Error(`scripts: GET ${slice}.json answered ${json.status}`);
  JSON.parse(await json.text());
  return 3;
}

/** What a verified run found: every acknowledged write read back, and the feeds checked against it. */
export interface FeedsAndWrites {
  verification: Verification;
  feedViolations: string[];
  feedDocumentsChecked: number;
}

/**
 * Reads back every acknowledged write (through `get`, an authenticated GET of an API path),
 * then checks that no demo feed shows an article that was deleted or moved out of it and
 * that every feed document is valid. Shared by `npm run crash` and `npm run load`.
 */
export async function verifyWritesAndFeeds(
  base: string,
  tracker: WriteTracker,
  get: (path: string) => Promise<{ status: number; json: unknown }>,
  slices: { path: string; category?: string; institution?: string }[],
): Promise<FeedsAndWrites> {
  const read = async (id: string): Promise<Final> => {
    const a = await get(`/api/articles/${id}`);
    if (a.status === 404) return { status: 404 };
    if (a.status !== 200) throw new Error(`scripts: GET /api/articles/${id} answered ${a.status}`);
    const r = a.json as { version: number; title: string; institutions: string[]; category: string };
    return { status: 200, version: r.version, title: r.title, institutions: r.institutions, category: r.category };
  };
  const verification = await tracker.verify(read);
  const feedViolations: string[] = [];
  let feedDocumentsChecked = 0;
  for (const slice of slices) {
    for (const id of await feedArticleIds(base, slice.path)) {
      const f = verification.finals.get(id);
      if (!f) continue; // a demo article
      if (f.status === 404) feedViolations.push(`${slice.path} shows ${id}, which is deleted`);
      else if ((slice.category && f.category !== slice.category) || (slice.institution && !f.institutions.includes(slice.institution))) {
        feedViolations.push(`${slice.path} shows ${id}, which is in ${f.category} / ${f.institutions.join(', ')}`);
      }
    }
    feedDocumentsChecked += await assertSliceValid(base, slice.path);
  }
  return { verification, feedViolations, feedDocumentsChecked };
}
