/**
 * JSON Feed 1.1 serializer.
 *
 * Why not the `feed` package (6.0.0): its JSON output declares version 1 (not 1.1), uses
 * the singular `author` (1.1 has `authors`), has no `language`, no `hubs` and no
 * `next_url` paging, converts every date to UTC (the +07:00 offset is lost) and guesses
 * attachment MIME types.
 *
 * Mapping decisions:
 * - Compact output (no indentation): this runs on the hot path; golden files hold the same bytes.
 * - Every string goes through {@link stripXmlForbiddenChars}, so the JSON carries exactly
 *   the text the RSS and Atom documents carry. JSON.stringify escapes the rest; U+2028 and
 *   U+2029 are valid JSON and stay as they are.
 * - What JSON Feed has no field for lives in `_warta` extension objects (JSON Feed allows
 *   `_`-prefixed keys): feed id, `updated`, `first_url`, generator and rights on the feed;
 *   category, institutions, tags (as {slug, name, url}) and the full author on each item.
 * - `tags` are the names of the category, the institutions and the tags, in that order,
 *   without duplicates (the schema requires unique items).
 * - Item `language` is always written; JSON Feed does not say items inherit the feed's.
 */
import { entryImages, type FeedDocument, type FeedEntry, type TermRef } from './types.js';
import { isLicenseUrl, licenseStatement, licenseUrl } from '../../model/license.js';
import { normalizeRfc3339 } from './dates.js';
import { stripXmlForbiddenChars as s } from './xml.js';

/** The `version` every document Warta renders declares. */
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

function opt(v: string | undefined): string | undefined {
  return v === undefined ? undefined : s(v);
}

function term(t: TermRef): { slug: string; name: string; url: string } {
  return { slug: s(t.slug), name: s(t.name), url: s(t.url) };
}

function item(e: FeedEntry): Record<string, unknown> {
  const category = term(e.category);
  const institutions = e.institutions.map(term);
  const tags = e.tags.map(term);
  const names = [...new Set([category.name, ...institutions.map((t) => t.name), ...tags.map((t) => t.name)])];
  const a = e.author;
  const img = e.image;
  const images = entryImages(e);
  const credited = images.some((i) => i.caption !== undefined || i.credit !== undefined || i.license !== undefined);
  return {
    id: s(e.tagUri),
    url: s(e.link),
    title: s(e.title),
    summary: s(e.summary),
    content_html: s(e.contentHtml),
    image: img ? s(img.url) : undefined,
    banner_image: img ? s(img.url) : undefined,
    date_published: normalizeRfc3339(e.publishedAt, 'publishedAt'),
    date_modified: normalizeRfc3339(e.updatedAt, 'updatedAt'),
    language: s(e.language),
    authors: [{ name: s(a.name), url: s(a.url ?? a.pageUrl) }],
    tags: names,
    attachments: images.length
      ? images.map((i) => ({ url: s(i.url), mime_type: s(i.type), size_in_bytes: i.length, title: opt(i.caption ?? i.alt) }))
      : undefined,
    _warta: {
      category,
      institutions,
      tags,
      author: { slug: s(a.slug), name: s(a.name), page_url: s(a.pageUrl), url: opt(a.url), email: opt(a.email) },
      license: e.license === undefined ? undefined : { id: isLicenseUrl(e.license) ? undefined : s(e.license), url: s(licenseUrl(e.license)), statement: s(licenseStatement(e.license)) },
      images: credited
        ? images.map((i) => ({ url: s(i.url), alt: opt(i.alt), caption: opt(i.caption), credit: opt(i.credit), license: opt(i.license), license_url: i.license === undefined ? undefined : s(licenseUrl(i.license)) }))
        : undefined,
    },
  };
}

/** Renders one feed page as a compact JSON Feed 1.1 document (with `next_url` paging and WebSub `hubs`). */
export function renderJsonFeed(doc: FeedDocument, entries: FeedEntry[], itemText?: (index: number, make: () => string) => string): string {
  const g = doc.generator;
  const feed = {
    version: JSON_FEED_VERSION,
    title: s(doc.title),
    home_page_url: s(doc.homePageUrl),
    feed_url: s(doc.selfUrl),
    description: s(doc.description),
    language: s(doc.language),
    icon: opt(doc.iconUrl),
    favicon: opt(doc.iconUrl),
    next_url: opt(doc.nextUrl),
    hubs: doc.hubUrls.length > 0 ? doc.hubUrls.map((url) => ({ type: 'WebSub', url: s(url) })) : undefined,
    _warta: {
      id: s(doc.id),
      updated: normalizeRfc3339(doc.updated, 'feed updated'),
      first_url: s(doc.firstUrl),
      generator: { name: s(g.name), version: s(g.version), url: s(g.url) },
      rights: opt(doc.rights),
    },
    items: itemText ? [] : entries.map(item),
  };
  if (!itemText) return JSON.stringify(feed);
  // `items` is the last member: the same text as stringifying the whole, with each item's text held per version.
  const head = JSON.stringify(feed);
  return `${head.slice(0, -3)}[${entries.map((e, i) => itemText(i, () => JSON.stringify(item(e)))).join(',')}]}`;
}
