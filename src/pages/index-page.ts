/** The home page: every category and institution with its feeds and article count. */
import type { Category, Institution } from '../model/schemas.js';
import { feedLinks, layout } from './layout.js';
import { html, type RawHtml } from './html.js';
import { articleCount } from './format.js';
import { pagePathOf } from '../model/feed-address.js';

/** What the home page shows. */
export interface IndexPageData {
  baseUrl: string;
  total: number;
  categories: { entry: Category; count: number }[];
  institutions: { entry: Institution; count: number }[];
}

/** Renders the home page (pure). */
export function renderIndexPage(d: IndexPageData): RawHtml {
  const b = d.baseUrl;
  const body = html`<h1>Warta</h1>
<p>Warta menghimpun berita resmi lembaga (Polres, Lapas, dan lainnya) dan menyajikannya sebagai umpan <strong>RSS 2.0</strong>, <strong>Atom 1.0</strong>, dan <strong>JSON Feed 1.1</strong>. Tempelkan alamat umpan ke aplikasi pembaca berita, atau impor <a href="${b}/feeds.opml">daftar OPML</a> untuk berlangganan semuanya sekaligus. Umpan mendukung WebSub, jadi pembaca yang mendukungnya menerima berita baru seketika.</p>
<p><strong>Semua berita</strong> <span class="muted">(${articleCount(d.total)})</span><br>${feedLinks(b, { kind: 'all' })}</p>
<h2>Kategori</h2>
<ul class="list">
${d.categories.map(
  ({ entry, count }) => html`<li><a href="${b}${pagePathOf({ kind: 'cat', slug: entry.slug })}">${entry.name}</a> <span class="muted">(${articleCount(count)})</span>${entry.description ? html`<br><span class="muted">${entry.description}</span>` : ''}<br>${feedLinks(b, { kind: 'cat', slug: entry.slug })}</li>\n`,
)}</ul>
<h2>Lembaga</h2>
<ul class="list">
${d.institutions.map(
  ({ entry, count }) => html`<li><a href="${b}${pagePathOf({ kind: 'inst', slug: entry.slug })}">${entry.name}</a> <span class="muted">(${articleCount(count)}) · ${entry.kind} · ${entry.region}</span><br>${feedLinks(b, { kind: 'inst', slug: entry.slug })}</li>\n`,
)}</ul>`;
  return layout({ baseUrl: b, title: 'Warta: umpan berita lembaga', description: 'Umpan RSS, Atom dan JSON Feed berita resmi lembaga.', feed: { ref: { kind: 'all' }, title: 'Warta: semua berita' } }, body);
}
