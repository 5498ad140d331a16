/**
 * The one mapping from a source item (any reader) to a Warta article input:
 * offset-preserving dates, entity-decoded titles, shortcodes expanded,
 * excerpt as summary, first category and the tags as slugs through the
 * category map, featured image, permalink as `url`. Pure: the server
 * sanitizes `contentHtml` when it stores the article.
 */
import { decodeHTML } from 'entities';
import { ArticleInputSchema, type ArticleInput, SLUG_PATTERN } from '../model/schemas.js';
import { isSafeContentUrl } from '../model/sanitize.js';
import { inwardUrlReason, privateUrlReason, withPrivateContentUrls } from '../model/html-urls.js';
import { normalizeSpace, slugify } from '../model/text.js';
import { fromFeedDate, fromLocalAndGmt } from './dates.js';
import { formatRfc3339, parseRfc3339 } from '../model/time.js';
import { articleIdOf } from './ids.js';
import { expandShortcodes } from './shortcodes.js';
import type { SourceItem, SourceTerm } from './source-item.js';

/** What the mapping needs besides the item. */
export interface MappingOptions {
  /** The source's identity (ids derive from it). */
  identity: string;
  institution: string;
  /** Old slug → new slug, applied to the category and to tags. */
  categoryMap: Record<string, string>;
  /** Category of items that have none. */
  defaultCategory: string;
  /** Author of items that name none. */
  defaultAuthor: string;
  /** Offset when the source gives a local time only (minutes, +420 = WIB). */
  fallbackOffsetMinutes: number;
  language?: string;
  /** Keep permalinks, images and links on loopback or private networks (the target must run with WARTA_CONTENT_ALLOW_PRIVATE=1). */
  keepPrivateUrls?: boolean;
}

/** The mapping's answer: an article input, or why the item cannot be one. */
export type MappedItem = { ok: true; id: string; input: ArticleInput; privateUrlsLeftOut: number } | { ok: false; id: string; reason: string };

const URL_ATTRIBUTE = /\s(?:href|src|data-src|data-lazy-src|data-original|data-lazy)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/** How many URLs of the content (links and images, resolved against the permalink) name a loopback or private host. */
function privateContentUrls(html: string, base: string | undefined): number {
  let n = 0;
  for (const m of html.matchAll(URL_ATTRIBUTE)) {
    const raw = (m[1] ?? m[2] ?? '').trim();
    if (!raw || /^(?:data|mailto|javascript):/i.test(raw)) continue;
    try {
      if (privateUrlReason(new URL(raw, base).href)) n++;
    } catch {
      /* not a URL: the sanitizer drops it anyway */
    }
  }
  return n;
}

/** Plain text of a source's HTML-ish text: tags dropped, entities decoded (`&#8211;` → "–"), spaces folded. */
export function plainText(html: string): string {
  return normalizeSpace(decodeHTML(html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ')));
}

/** A source slug as a Warta slug: percent-decoded, transliterated, lowercased (`berita%20utama` → `berita-utama`). */
export function normalizeSlug(term: SourceTerm): string {
  let raw = term.slug || term.name;
  try {
    raw = decodeURIComponent(raw);
  } catch {
    /* keep as is */
  }
  const slug = SLUG_PATTERN.test(raw) && raw.length <= 64 ? raw : slugify(raw);
  return slug === 'anonim' && !raw ? slugify(plainText(term.name)) : slug;
}

/** The Warta category slug of a source term, through the map. */
export function mapSlug(term: SourceTerm, map: Record<string, string>): string {
  const slug = normalizeSlug(term);
  return map[slug] ?? slug;
}

const MIME_BY_EXT: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml' };

/** Can Warta serve this URL (absolute http(s), no credentials, not naming this machine or a private network)? */
const servable = (url: string | undefined): url is string => Boolean(url && url.length <= 2048 && isSafeContentUrl(url, false) && !inwardUrlReason(url.trim()));

function imageOf(image: SourceItem['image']): ArticleInput['image'] | undefined {
  if (!image || !servable(image.url)) return undefined;
  let type = image.type?.toLowerCase();
  if (!type || !/^image\/[a-z0-9.+-]+$/.test(type)) {
    const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(image.url).pathname)?.[1]?.toLowerCase();
    type = ext ? MIME_BY_EXT[ext] : undefined;
  }
  if (!type) return undefined;
  const alt = image.alt ? plainText(image.alt).slice(0, 500) : '';
  return { url: image.url, type, ...(alt ? { alt } : {}) };
}

function summaryOf(excerpt: string | undefined): string | undefined {
  if (!excerpt) return undefined;
  // WordPress ends generated excerpts with "[&hellip;]" or a "Read more" link.
  const text = plainText(excerpt.replace(/<a\b[^>]*class="[^"]*more-link[^"]*"[\s\S]*?<\/a>/gi, '')).replace(/\s*\[(?:…|\.\.\.)\]\s*$/, '…');
  if (!text) return undefined;
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

/** A feed date written in UTC (WordPress's RSS writes `+0000`) is shown at the portal's offset; any other offset is kept. */
function atPortalOffset(rfc3339: string | null, offsetMinutes: number): string | null {
  const t = rfc3339 ? parseRfc3339(rfc3339) : null;
  if (!t) return null;
  return t.offsetMinutes === 0 ? formatRfc3339(t.epochMs, offsetMinutes) : rfc3339;
}

/**
 * Maps one source item to an article input for `options.institution`; validates it with the API's own schema.
 * URLs on loopback or private networks are left out (and counted) unless `keepPrivateUrls`.
 */
export function mapItem(item: SourceItem, options: MappingOptions): MappedItem {
  return withPrivateContentUrls(Boolean(options.keepPrivateUrls), () => mapItemNow(item, options));
}

function mapItemNow(item: SourceItem, options: MappingOptions): MappedItem {
  const id = articleIdOf(options.identity, item.key);
  if (item.notPublic) return { ok: false, id, reason: item.notPublic };
  const publishedAt = 'rfc3339' in item.published ? atPortalOffset(fromFeedDate(item.published.rfc3339), options.fallbackOffsetMinutes) : fromLocalAndGmt(item.published.local, item.published.gmt, options.fallbackOffsetMinutes);
  if (!publishedAt) return { ok: false, id, reason: `unreadable publication date ${JSON.stringify('rfc3339' in item.published ? item.published.rfc3339 : item.published.local)}` };
  const title = plainText(item.title);
  const body = expandShortcodes(item.contentHtml).trim();
  const summary = summaryOf(item.excerpt);
  const contentHtml = body || (summary ? `<p>${summary.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` : '');
  const first = item.categories[0];
  const category = first ? mapSlug(first, options.categoryMap) : options.defaultCategory;
  const tags = [...new Set(item.tags.map((t) => mapSlug(t, options.categoryMap)))].slice(0, 20);
  const authorName = item.authorName ? plainText(item.authorName) : '';
  const image = imageOf(item.image);
  const candidate = {
    id,
    title: title.length > 500 ? `${title.slice(0, 499)}…` : title,
    ...(summary ? { summary } : {}),
    contentHtml,
    // A permalink naming an intranet or loopback host is left out unless keepPrivateUrls: Warta refuses such URLs by default (the article still imports).
    ...(servable(item.link) ? { url: item.link.trim() } : {}),
    author: { name: (authorName || options.defaultAuthor).slice(0, 200) },
    category,
    tags,
    institutions: [options.institution],
    owner: options.institution,
    publishedAt,
    ...(image ? { image } : {}),
    language: options.language ?? 'id',
  };
  const parsed = ArticleInputSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, id, reason: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'article'} ${i.message}`).join('; ') };
  }
  const privateUrlsLeftOut = options.keepPrivateUrls
    ? 0
    : (item.link && !candidate.url && privateUrlReason(item.link.trim()) ? 1 : 0) +
      (item.image?.url && !image && privateUrlReason(item.image.url.trim()) ? 1 : 0) +
      privateContentUrls(contentHtml, item.link?.trim());
  return { ok: true, id, input: parsed.data, privateUrlsLeftOut };
}
