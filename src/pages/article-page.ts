/** The page of one article: title, author, date with offset, institutions, category, tags, image, sanitized content. */
import type { Config } from '../config.js';
import type { TermNames } from '../feeds/serve/feed-entries.js';
import type { ArticleRecord } from '../store/article-record.js';
import { layout } from './layout.js';
import { articleHead } from './article-meta.js';
import { html, raw, safeHref, type RawHtml } from './html.js';
import { formatIndonesianDate } from './format.js';
import { pagePathOf } from '../model/feed-address.js';

/** Renders an article page (pure). `contentHtml` was sanitized when stored and is the only markup passed through. */
export function renderArticlePage(config: Pick<Config, 'baseUrl'>, r: ArticleRecord, names: TermNames): RawHtml {
  const b = config.baseUrl;
  const original = safeHref(r.url);
  const image = r.image && safeHref(r.image.url);
  const category = names.categories.get(r.category)?.name ?? r.category;
  const body = html`<article lang="${r.language}">
<h1>${r.title}</h1>
<p class="meta">Oleh <a href="${b}${pagePathOf({ kind: 'author', slug: r.authorSlug })}">${r.author.name}</a> · <time datetime="${r.publishedAt}">${formatIndonesianDate(r.publishedAt)}</time>${
    r.updatedAt !== r.publishedAt ? html` · diperbarui <time datetime="${r.updatedAt}">${formatIndonesianDate(r.updatedAt)}</time>` : ''
  }</p>
<p class="meta">Kategori: <a href="${b}${pagePathOf({ kind: 'cat', slug: r.category })}">${category}</a> · Lembaga: ${r.institutions.map(
    (slug, i) => html`${i ? ', ' : ''}<a href="${b}${pagePathOf({ kind: 'inst', slug })}">${names.institutions.get(slug)?.name ?? slug}</a>`,
  )}${r.tags.length ? html` · Topik: ${r.tags.map((t, i) => html`${i ? ', ' : ''}<a href="${b}${pagePathOf({ kind: 'tag', slug: t })}">#${t}</a>`)}` : ''}</p>
${image ? html`<figure><img src="${image}" alt="${r.image?.alt ?? ''}">${r.image?.alt ? html`<figcaption>${r.image.alt}</figcaption>` : ''}</figure>\n` : ''}<div class="content">${raw(r.contentHtml)}</div>
${original ? html`<p><a href="${original}" rel="noopener">Baca di situs asli</a></p>\n` : ''}</article>`;
  return layout({ baseUrl: b, title: `${r.title} · Warta`, description: r.summary, ...(original ? { canonical: original } : {}), head: articleHead(config, r, names) }, body);
}
