/** The page of one slice (category, institution, institution × category, author, tag): latest articles and subscribe links. */
import type { Config } from '../config.js';
import type { TermNames } from '../feeds/serve/feed-entries.js';
import type { FeedSlice } from '../feeds/serve/feed-slices.js';
import type { ArticleRecord } from '../store/article-record.js';
import { feedLinks, layout } from './layout.js';
import { html, safeHref, type RawHtml } from './html.js';
import { articleCount } from './format.js';
import { articleList } from './article-list-html.js';

/** What a slice page shows. */
export interface SlicePageData {
  slice: FeedSlice;
  count: number;
  articles: readonly ArticleRecord[];
  names: TermNames;
}

const KIND_LABELS: Record<FeedSlice['ref']['kind'], string> = {
  all: 'Semua berita',
  cat: 'Kategori',
  inst: 'Lembaga',
  instcat: 'Lembaga dan kategori',
  author: 'Penulis',
  tag: 'Topik',
};

/** Renders a slice page (pure). */
export function renderSlicePage(config: Pick<Config, 'baseUrl'>, d: SlicePageData): RawHtml {
  const b = config.baseUrl;
  const { slice } = d;
  const inst = slice.institution;
  const homepage = safeHref(inst?.homepage);
  const body = html`<p class="muted">${KIND_LABELS[slice.ref.kind]}</p>
<h1>${slice.title}</h1>
<p>${slice.description}</p>
${inst ? html`<p class="meta">${inst.kind} · ${inst.region}${homepage ? html` · <a href="${homepage}" rel="noopener">situs resmi</a>` : ''}</p>\n` : ''}<p>Berlangganan: ${feedLinks(b, slice.ref)} <span class="muted">(${articleCount(d.count)})</span></p>
<h2>Berita terbaru</h2>
${articleList(config, d.articles, d.names)}`;
  return layout({ baseUrl: b, title: `${slice.title} · Warta`, description: slice.description, feed: { ref: slice.ref, title: slice.title } }, body);
}
