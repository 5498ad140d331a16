/**
 * Files browsers and crawlers ask every site for: `/favicon.ico`, Warta's own
 * square icon `/icon.png` (used by the feeds of Warta's own slices),
 * `/robots.txt`, the sitemap index (one sitemap per month of publication) and
 * the Google News sitemap of the last 48 hours.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { listFeedPage } from '../store/articles.js';
import { listEntriesBetween, oldestEntryMs } from '../store/sitemap-entries.js';
import { FAVICON_ICO, FAVICON_PATH, WARTA_ICON_PATH, WARTA_ICON_PNG } from '../pages/warta-icons.js';
import {
  monthRange,
  monthsBetween,
  NEWS_MAX_URLS,
  NEWS_SITEMAP_PATH,
  NEWS_WINDOW_MS,
  renderNewsSitemap,
  renderRobotsTxt,
  renderSitemapIndex,
  renderUrlSet,
  SITEMAP_INDEX_PATH,
  SITEMAP_MAX_URLS,
  type NewsEntry,
} from '../pages/sitemaps.js';

const xml = (body: string, maxAge: number) =>
  new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': `public, max-age=${maxAge}`, 'X-Content-Type-Options': 'nosniff' } });

const STATIC_HEADERS = { 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': '*' };

/** Routes of the site-wide files. */
export function siteFileRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(FAVICON_PATH, () => new Response(FAVICON_ICO, { headers: { 'Content-Type': 'image/x-icon', ...STATIC_HEADERS } }));
  app.get(WARTA_ICON_PATH, () => new Response(WARTA_ICON_PNG, { headers: { 'Content-Type': 'image/png', ...STATIC_HEADERS } }));
  app.get('/robots.txt', (c) =>
    new Response(renderRobotsTxt(c.get('services').config.baseUrl), { headers: { 'Content-Type': 'text/plain; charset=utf-8', ...STATIC_HEADERS } }),
  );

  app.get(SITEMAP_INDEX_PATH, async (c) => {
    const s = c.get('services');
    const oldest = await oldestEntryMs(s.db, 'all');
    const nowMs = s.clock();
    return xml(renderSitemapIndex(s.config.baseUrl, oldest === null || oldest > nowMs ? [] : monthsBetween(oldest, nowMs)), s.config.feedMaxAgeSeconds);
  });

  app.get('/sitemaps/:file{articles-[0-9]{4}-[0-9]{2}\\.xml}', async (c) => {
    const s = c.get('services');
    const range = monthRange(c.req.param('file').slice('articles-'.length, -'.xml'.length));
    if (!range) return c.notFound();
    const nowMs = s.clock();
    const entries = range[0] > nowMs ? [] : await listEntriesBetween(s.db, 'all', range[0], Math.min(range[1], nowMs), SITEMAP_MAX_URLS);
    return xml(renderUrlSet(entries.map((e) => `${s.config.baseUrl}/articles/${encodeURIComponent(e.id)}`)), s.config.feedMaxAgeSeconds);
  });

  app.get(NEWS_SITEMAP_PATH, async (c) => {
    const s = c.get('services');
    const nowMs = s.clock();
    const news: NewsEntry[] = [];
    let beforeSk: string | undefined;
    // Newest first, page by page, until an article older than 48 hours (or Google's 1000).
    for (;;) {
      const page = await listFeedPage(s.db, 'all', { limit: 100, nowMs, ...(beforeSk ? { beforeSk } : {}) });
      const recent = page.articles.filter((r) => r.publishedMs >= nowMs - NEWS_WINDOW_MS);
      for (const r of recent) news.push({ loc: `${s.config.baseUrl}/articles/${encodeURIComponent(r.id)}`, title: r.title, publishedAt: r.publishedAt, language: r.language });
      if (recent.length < page.articles.length || !page.hasMore || !page.lastSk || news.length >= NEWS_MAX_URLS) break;
      beforeSk = page.lastSk;
    }
    return xml(renderNewsSitemap(news.slice(0, NEWS_MAX_URLS)), s.config.feedMaxAgeSeconds);
  });
  return app;
}
