/**
 * Pure render time: `renderFeed` called in a loop on entries built from
 * real records of the loaded store (the category feed's newest page, made
 * into FeedEntry values the way the server does), per format and item
 * count. No I/O inside the timed region; the median of many runs.
 */
import { listFeedPage } from '../src/store/articles.js';
import type { Db } from '../src/store/db.js';
import { feedKey } from '../src/model/feed-address.js';
import { buildFeedDocument, toFeedEntry, type TermNames } from '../src/feeds/serve/feed-entries.js';
import { renderFeed } from '../src/feeds/render/render.js';
import type { FeedFormat } from '../src/feeds/render/types.js';
import { BENCH_CATEGORY, CATEGORIES, INSTITUTIONS } from './corpus.js';

/** Formats and page sizes timed. */
export const RENDER_FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];
export const RENDER_COUNTS = [20, 100];

/** Median render time of one format and item count. */
export interface RenderTime {
  format: FeedFormat;
  items: number;
  /** Median milliseconds per renderFeed call. */
  medianMs: number;
  p90Ms: number;
  runs: number;
  /** Size of the document, UTF-8 bytes. */
  bytes: number;
}

const CONFIG = {
  baseUrl: 'https://warta.example.id',
  tagAuthority: 'warta.example.id',
  websub: { leaseDefaultSeconds: 864_000, leaseMaxSeconds: 2_592_000, allowPrivateCallbacks: false },
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Times renderFeed for every format and count on the newest records of the bench category. */
export async function measureRenderTimes(db: Db, budgetMsPerCase = 1_500): Promise<RenderTime[]> {
  const key = feedKey({ kind: 'cat', slug: BENCH_CATEGORY });
  const page = await listFeedPage(db, key, { limit: Math.max(...RENDER_COUNTS), nowMs: Date.now() });
  const names: TermNames = {
    categories: new Map(CATEGORIES.map((c) => [c.slug, c])),
    institutions: new Map(INSTITUTIONS.map(({ offset: _o, dateline: _d, ...i }) => [i.slug, i])),
  };
  const category = CATEGORIES.find((c) => c.slug === BENCH_CATEGORY)!;
  const slice = { ref: { kind: 'cat' as const, slug: BENCH_CATEGORY }, key, title: category.name, description: category.description, homePageUrl: `${CONFIG.baseUrl}/categories/${BENCH_CATEGORY}` };
  const out: RenderTime[] = [];
  for (const items of RENDER_COUNTS) {
    const records = page.articles.slice(0, items);
    const entries = records.map((r) => toFeedEntry(CONFIG, r, names));
    for (const format of RENDER_FORMATS) {
      const path = `${CONFIG.baseUrl}/categories/${BENCH_CATEGORY}/feed.${format}`;
      const doc = buildFeedDocument(CONFIG, slice, { selfUrl: path, firstUrl: path, nextUrl: `${path}?cursor=x` }, Date.now(), records[0]);
      let bytes = 0;
      for (let i = 0; i < 20; i++) bytes = Buffer.byteLength(renderFeed(doc, entries, format));
      const times: number[] = [];
      const deadline = performance.now() + budgetMsPerCase;
      while (times.length < 30 || (performance.now() < deadline && times.length < 5_000)) {
        const t0 = performance.now();
        renderFeed(doc, entries, format);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      out.push({ format, items: records.length, medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), runs: times.length, bytes });
    }
  }
  return out;
}
