/** A list of articles as pages show them: title (linked), date, category and institutions. */
import type { Config } from '../config.js';
import { articleLink, type TermNames } from '../feeds/serve/feed-entries.js';
import type { ArticleRecord } from '../store/article-record.js';
import { html, type RawHtml } from './html.js';
import { formatIndonesianDate } from './format.js';
import { pagePathOf } from '../model/feed-address.js';

/** Renders `records` as a list (pure); an empty list says so. */
export function articleList(config: Pick<Config, 'baseUrl'>, records: readonly ArticleRecord[], names: TermNames): RawHtml {
  const b = config.baseUrl;
  if (!records.length) return html`<p class="muted">Belum ada berita.</p>`;
  return html`<ul class="list">
${records.map(
  (r) => html`<li><a href="${articleLink(config, r)}">${r.title}</a><br><span class="meta"><time datetime="${r.publishedAt}">${formatIndonesianDate(r.publishedAt)}</time> · <a href="${b}${pagePathOf({ kind: 'cat', slug: r.category })}">${names.categories.get(r.category)?.name ?? r.category}</a> · ${r.institutions.map(
    (slug, i) => html`${i ? ', ' : ''}<a href="${b}${pagePathOf({ kind: 'inst', slug })}">${names.institutions.get(slug)?.name ?? slug}</a>`,
  )}</span></li>\n`,
)}</ul>`;
}
