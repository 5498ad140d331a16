/**
 * What search engines and link previews read on an article page: schema.org
 * `NewsArticle` as JSON-LD (headline, dates with their offset, author Person,
 * publisher Organization of the owner institution with its logo, images,
 * language, free access, licence) and Open Graph tags. JSON-LD is a data
 * block (`application/ld+json`): the page's CSP, which runs no script, does
 * not need to allow it, and `<` is written `\u003c` so no text can close it.
 */
import type { Config } from '../config.js';
import type { TermNames } from '../feeds/serve/feed-entries.js';
import { licenseUrl } from '../model/license.js';
import type { ArticleRecord } from '../store/article-record.js';
import { html, raw, safeHref, type RawHtml } from './html.js';
import { WARTA_ICON_PATH } from './warta-icons.js';
import { pagePathOf } from '../model/feed-address.js';

/** The schema.org NewsArticle of an article (pure). */
export function newsArticleJsonLd(config: Pick<Config, 'baseUrl'>, r: ArticleRecord, names: TermNames): Record<string, unknown> {
  const b = config.baseUrl;
  const page = `${b}/articles/${encodeURIComponent(r.id)}`;
  const owner = names.institutions.get(r.owner);
  const license = r.license ?? owner?.license;
  const images = (r.images ?? (r.image ? [r.image] : [])).map((i) => i.url);
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: r.title,
    description: r.summary,
    url: r.url ?? page,
    mainEntityOfPage: r.url ?? page,
    datePublished: r.publishedAt,
    dateModified: r.updatedAt,
    inLanguage: r.language,
    isAccessibleForFree: true,
    articleSection: names.categories.get(r.category)?.name ?? r.category,
    ...(r.tags.length ? { keywords: r.tags.join(', ') } : {}),
    ...(images.length ? { image: images } : {}),
    author: [{ '@type': 'Person', name: r.author.name, url: r.author.url ?? `${b}${pagePathOf({ kind: 'author', slug: r.authorSlug })}` }],
    publisher: {
      '@type': 'Organization',
      name: owner?.name ?? r.owner,
      url: owner?.homepage ?? `${b}${pagePathOf({ kind: 'inst', slug: r.owner })}`,
      logo: { '@type': 'ImageObject', url: owner?.logo ?? owner?.icon ?? `${b}${WARTA_ICON_PATH}` },
    },
    ...(license ? { license: licenseUrl(license) } : {}),
  };
}

/** JSON for a `<script type="application/ld+json">` block: `<`, `>`, `&` and U+2028/9 escaped. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Open Graph tags and the JSON-LD block of an article page's `<head>`. */
export function articleHead(config: Pick<Config, 'baseUrl'>, r: ArticleRecord, names: TermNames): RawHtml {
  const page = safeHref(r.url) ?? `${config.baseUrl}/articles/${encodeURIComponent(r.id)}`;
  const image = r.image && safeHref(r.image.url);
  const og: [string, string | undefined][] = [
    ['og:type', 'article'],
    ['og:site_name', 'Warta'],
    ['og:title', r.title],
    ['og:description', r.summary],
    ['og:url', page],
    ['og:locale', r.language === 'id' ? 'id_ID' : r.language.replace('-', '_')],
    ['og:image', image],
    ['og:image:alt', image ? (r.image?.alt ?? r.image?.caption) : undefined],
    ['article:published_time', r.publishedAt],
    ['article:modified_time', r.updatedAt],
    ['article:author', r.author.name],
    ['article:section', names.categories.get(r.category)?.name ?? r.category],
    ...r.tags.map((t): [string, string] => ['article:tag', t]),
  ];
  return html`${og.filter(([, v]) => v !== undefined && v !== '').map(([p, v]) => html`<meta property="${p}" content="${v!}">\n`)}<script type="application/ld+json">${raw(jsonForScript(newsArticleJsonLd(config, r, names)))}</script>\n`;
}
