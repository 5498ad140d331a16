/**
 * Discovery pages (HTML, Indonesian) and the OPML list of every feed. Each
 * handler loads what its page shows and hands it to a pure renderer in
 * src/pages/. Security headers are set per response (no router-wide
 * middleware: this router is mounted at `/` and must not touch other routes).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { cachedFeedState, cachedFeedStates } from '../feeds/serve/state-cache.js';
import { cachedRegistryList } from '../feeds/serve/registry-cache.js';
import { namesFor } from '../feeds/serve/feed-entries.js';
import { feedCacheControl } from '../feeds/serve/feed-http.js';
import { serveFeedsOpml } from '../feeds/serve/feeds-opml.js';
import { describeSlice } from '../feeds/serve/feed-slices.js';
import { ARTICLE_ID_PATTERN } from '../model/schemas.js';
import { isPublic } from '../store/article-record.js';
import { getArticle, listFeedPage } from '../store/articles.js';
import { visibleFeedState } from '../store/feed-state.js';
import { feedKey, SLICE_KINDS, type FeedKind, type FeedRef } from '../model/feed-address.js';
import { renderArticlePage } from '../pages/article-page.js';
import { renderIndexPage } from '../pages/index-page.js';
import { htmlResponse, notFoundPage } from '../pages/layout.js';
import { renderSlicePage } from '../pages/slice-page.js';

/** Articles listed on a slice page. */
export const PAGE_ARTICLES = 20;

/** What the 404 page of each slice kind says is missing. */
const NOT_FOUND_WHAT: Readonly<Record<Exclude<FeedKind, 'all'>, string>> = {
  cat: 'Kategori ini',
  inst: 'Lembaga ini',
  instcat: 'Halaman ini',
  author: 'Penulis ini',
  tag: 'Topik ini',
};

/** The slice a page route's parameters name. */
const sliceRef = (kind: Exclude<FeedKind, 'all'>, slug: string, category: string | undefined): FeedRef =>
  kind === 'instcat' ? { kind, slug, category: category! } : { kind, slug };

async function slicePage(c: Context<AppEnv>, ref: FeedRef, what: string): Promise<Response> {
  const s = c.get('services');
  const key = feedKey(ref);
  const state = await cachedFeedState(s, key);
  const slice = await describeSlice(s, ref, state);
  if (!slice) return htmlResponse(notFoundPage(s.config.baseUrl, what), 404, 'no-store');
  const nowMs = s.clock();
  const vis = visibleFeedState(state, nowMs);
  const page = await listFeedPage(s.db, key, { limit: PAGE_ARTICLES, nowMs });
  const names = await namesFor(s, page.articles);
  const body = renderSlicePage(s.config, { slice, count: vis.count, articles: page.articles, names });
  return htmlResponse(body, 200, feedCacheControl(s.config, vis.nextEmbargoMs, nowMs, false));
}

/** Routes of the discovery pages and /feeds.opml. */
export function pageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const s = c.get('services');
    const [categories, institutions] = await Promise.all([cachedRegistryList(s, 'category'), cachedRegistryList(s, 'institution')]);
    const keys = ['all', ...categories.map((x) => feedKey({ kind: 'cat', slug: x.slug })), ...institutions.map((x) => feedKey({ kind: 'inst', slug: x.slug }))];
    const states = await cachedFeedStates(s, keys);
    const nowMs = s.clock();
    const count = (key: string) => visibleFeedState(states.get(key) ?? null, nowMs).count;
    const body = renderIndexPage({
      baseUrl: s.config.baseUrl,
      total: count('all'),
      categories: categories.map((entry) => ({ entry, count: count(`cat:${entry.slug}`) })),
      institutions: institutions.map((entry) => ({ entry, count: count(`inst:${entry.slug}`) })),
    });
    return htmlResponse(body, 200, feedCacheControl(s.config, visibleFeedState(states.get('all') ?? null, nowMs).nextEmbargoMs, nowMs, false));
  });

  // Slice pages live where the slice table says (its prefix); `all` is the index page above.
  for (const slice of SLICE_KINDS) {
    const kind = slice.kind;
    if (kind === 'all') continue;
    app.get(slice.prefix, (c) => slicePage(c, sliceRef(kind, c.req.param('slug')!, c.req.param('category')), NOT_FOUND_WHAT[kind]));
  }

  app.get('/articles/:id', async (c) => {
    const s = c.get('services');
    const id = c.req.param('id');
    const record = ARTICLE_ID_PATTERN.test(id) ? await getArticle(s.db, id) : null;
    if (!record || !isPublic(record, s.clock())) return htmlResponse(notFoundPage(s.config.baseUrl, 'Berita ini'), 404, 'no-store');
    const names = await namesFor(s, [record]);
    return htmlResponse(renderArticlePage(s.config, record, names), 200, `public, max-age=${s.config.feedMaxAgeSeconds}`);
  });

  app.get('/feeds.opml', (c) => serveFeedsOpml(c.get('services'), c.req.raw, c.get('requestId')));
  return app;
}
