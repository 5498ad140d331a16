/**
 * Sitemaps for search engines (sitemaps.org 0.9): a paged index with one sitemap
 * per calendar month (UTC) of publication, each listing that month's article pages,
 * and a Google News sitemap of the articles of the last 48 hours. Pure renderers.
 */
import { escapeXmlText, XML_PROLOG } from '../feeds/render/xml.js';

/** Google News lists only articles of the last two days. */
export const NEWS_WINDOW_MS = 48 * 3_600_000;
/** Google News reads at most 1000 URLs per news sitemap. */
export const NEWS_MAX_URLS = 1000;
/** The sitemaps protocol's limit of URLs per sitemap. */
export const SITEMAP_MAX_URLS = 50_000;
/** Path of the sitemap index. */
export const SITEMAP_INDEX_PATH = '/sitemaps/index.xml';
/** Path of the news sitemap. */
export const NEWS_SITEMAP_PATH = '/sitemaps/news.xml';

const NS_SITEMAP = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const NS_NEWS = 'http://www.google.com/schemas/sitemap-news/0.9';

/** `YYYY-MM` of an instant (UTC). */
export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** Path of the sitemap of one month: `/sitemaps/articles-2023-12.xml`. */
export const monthSitemapPath = (month: string) => `/sitemaps/articles-${month}.xml`;

/** [start, end] instants (UTC, inclusive) of a `YYYY-MM` month; null when it is not one. */
export function monthRange(month: string): [number, number] | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return null;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  return [start, Date.UTC(Number(m[1]), Number(m[2]), 1) - 1];
}

/** Every month from the one of `fromMs` to the one of `toMs`, oldest first. */
export function monthsBetween(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(new Date(fromMs).getUTCFullYear(), new Date(fromMs).getUTCMonth(), 1));
  while (d.getTime() <= toMs) {
    out.push(monthOf(d.getTime()));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

/** The sitemap index listing each month's sitemap. */
export function renderSitemapIndex(baseUrl: string, months: readonly string[]): string {
  const items = months.map((m) => `\n  <sitemap><loc>${escapeXmlText(`${baseUrl}${monthSitemapPath(m)}`)}</loc></sitemap>`).join('');
  return `${XML_PROLOG}<sitemapindex xmlns="${NS_SITEMAP}">${items}\n</sitemapindex>\n`;
}

/** A sitemap of article page URLs. */
export function renderUrlSet(urls: readonly string[]): string {
  const items = urls.map((u) => `\n  <url><loc>${escapeXmlText(u)}</loc></url>`).join('');
  return `${XML_PROLOG}<urlset xmlns="${NS_SITEMAP}">${items}\n</urlset>\n`;
}

/** One article of a news sitemap. */
export interface NewsEntry {
  loc: string;
  title: string;
  /** RFC 3339 with offset (W3C datetime). */
  publishedAt: string;
  language: string;
}

/** A Google News sitemap (publication Warta, each article's language, title and publication time). */
export function renderNewsSitemap(entries: readonly NewsEntry[]): string {
  const items = entries
    .map(
      (e) =>
        `\n  <url>\n    <loc>${escapeXmlText(e.loc)}</loc>\n    <news:news>\n      <news:publication><news:name>Warta</news:name><news:language>${escapeXmlText(e.language)}</news:language></news:publication>` +
        `\n      <news:publication_date>${escapeXmlText(e.publishedAt)}</news:publication_date>\n      <news:title>${escapeXmlText(e.title)}</news:title>\n    </news:news>\n  </url>`,
    )
    .join('');
  return `${XML_PROLOG}<urlset xmlns="${NS_SITEMAP}" xmlns:news="${NS_NEWS}">${items}\n</urlset>\n`;
}

/** robots.txt: everything but the API may be crawled; where the sitemaps are. */
export function renderRobotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: ${baseUrl}${SITEMAP_INDEX_PATH}\nSitemap: ${baseUrl}${NEWS_SITEMAP_PATH}\n`;
}
