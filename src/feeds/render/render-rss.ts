/**
 * RSS 2.0 serializer.
 *
 * Why not the `feed` package (6.0.0): it converts every date to UTC, so pubDate loses the
 * publisher's +07:00; it writes `<author>` as a bare name where RSS requires an e-mail
 * address; it guesses the enclosure MIME type from the file extension (`image/jpg`) and
 * writes `length="0"`; it allows one enclosure and no Media RSS; it has no RFC 5005
 * `first`/`next` links; and it passes control characters through, which makes the XML
 * ill-formed. This one is pure string building over {@link escapeXmlText}/{@link escapeXmlAttr}.
 *
 * Mapping decisions:
 * - `updatedAt` is `<dcterms:modified>` (W3CDTF = RFC 3339, offset kept): RSS has no
 *   item-level "updated", `atom:updated` is not an RSS item element, and Dublin Core terms
 *   is what feedparser and feedsmith read as the modification date.
 * - The channel date is `<lastBuildDate>` only (= `doc.updated`), no channel `pubDate`.
 * - Feed id (a `tag:` URI, Atom `feed/id`) is `<dc:identifier>` so RSS loses it neither.
 * - Categories: `<category domain="term.url">name</category>` for the category, each
 *   institution and each tag, in that order.
 * - Item `dc:language` only when it differs from the channel's `<language>`.
 * - `description` (item and channel) is HTML to readers: the plain-text summary is
 *   HTML-escaped, then XML-escaped ({@link escapeTextAsHtml}), so markup in it stays text.
 * - Plain-text elements (titles, categories, names, copyright, alt text) write `&` `<` `>`
 *   as `&#x26;` `&#x3C;` `&#x3E;` ({@link escapeRssPlainText}), as the RSS Board profile advises.
 */
import { entryImages, type FeedDocument, type FeedEntry, type TermRef } from './types.js';
import { renderMediaContent } from './media-rss.js';
import { licenseStatement, licenseUrl } from '../../model/license.js';
import { normalizeRfc3339, toRfc822 } from './dates.js';
import { attrs, escapeRssPlainText, escapeTextAsHtml, escapeXmlAttr, textElement, XML_PROLOG } from './xml.js';

const NS_ATOM = 'http://www.w3.org/2005/Atom';
const NS_CONTENT = 'http://purl.org/rss/1.0/modules/content/';
const NS_DC = 'http://purl.org/dc/elements/1.1/';
const NS_DCTERMS = 'http://purl.org/dc/terms/';
const NS_MEDIA = 'http://search.yahoo.com/mrss/';
const NS_CREATIVE_COMMONS = 'http://backend.userland.com/creativeCommonsRssModule';
const NS_SY = 'http://purl.org/rss/1.0/modules/syndication/';
const RSS_TYPE = 'application/rss+xml';

function atomLink(rel: string, href: string, type?: string): string {
  return `<atom:link${attrs([['rel', rel], ['type', type], ['href', href]])}/>`;
}

function category(t: TermRef): string {
  return `<category domain="${escapeXmlAttr(t.url)}">${escapeRssPlainText(t.name)}</category>`;
}

/** `<name attrs>plain text</name>`, with the RSS Board profile's references. */
function plainElement(name: string, text: string, attributes = ''): string {
  return `<${name}${attributes}>${escapeRssPlainText(text)}</${name}>`;
}

/** `<description>` of plain text, which readers render as HTML. */
const descriptionElement = (text: string) => `<description>${escapeTextAsHtml(text)}</description>`;

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function renderItem(out: string[], e: FeedEntry, feedLanguage: string): void {
  const I = '\n      ';
  out.push(
    '\n    <item>',
    I, plainElement('title', e.title),
    I, textElement('link', e.link),
    I, descriptionElement(e.summary),
    I, textElement('content:encoded', e.contentHtml),
    I, textElement('guid', e.tagUri, ' isPermaLink="false"'),
    I, textElement('pubDate', toRfc822(e.publishedAt)),
    I, textElement('dcterms:modified', normalizeRfc3339(e.updatedAt, 'updatedAt')),
    // RSS `author` must be an e-mail address; without one the name goes in `dc:creator`, never both (W3C: "should not include both").
    I, e.author.email ? plainElement('author', `${e.author.email} (${e.author.name})`) : plainElement('dc:creator', e.author.name),
  );
  out.push(I, category(e.category));
  for (const t of e.institutions) out.push(I, category(t));
  for (const t of e.tags) out.push(I, category(t));
  const images = entryImages(e);
  // One enclosure (the lead image: RSS allows one per item), and every image as Media RSS.
  if (images[0]) out.push(I, `<enclosure${attrs([['url', images[0].url], ['length', images[0].length ?? 0], ['type', images[0].type]])}/>`);
  for (const img of images) renderMediaContent(out, img, I);
  if (e.license !== undefined) {
    out.push(I, plainElement('dc:rights', licenseStatement(e.license)), I, textElement('creativeCommons:license', licenseUrl(e.license)));
  }
  if (!sameLanguage(e.language, feedLanguage)) out.push(I, textElement('dc:language', e.language));
  out.push('\n    </item>');
}

function itemString(e: FeedEntry, feedLanguage: string): string {
  const out: string[] = [];
  renderItem(out, e, feedLanguage);
  return out.join('');
}

/** Renders one feed page as an RSS 2.0 document (with atom, content, dc, dcterms and media namespaces as used). */
export function renderRss(doc: FeedDocument, entries: FeedEntry[], itemText?: (index: number, make: () => string) => string): string {
  const hasItems = entries.length > 0;
  const hasImage = entries.some((e) => e.image !== undefined);
  const out: string[] = [XML_PROLOG, '<rss version="2.0"', ` xmlns:atom="${NS_ATOM}"`];
  if (hasItems) out.push(` xmlns:content="${NS_CONTENT}"`);
  out.push(` xmlns:dc="${NS_DC}"`);
  if (hasItems) out.push(` xmlns:dcterms="${NS_DCTERMS}"`);
  if (hasImage) out.push(` xmlns:media="${NS_MEDIA}"`);
  if (entries.some((e) => e.license !== undefined)) out.push(` xmlns:creativeCommons="${NS_CREATIVE_COMMONS}"`);
  if (doc.freshness) out.push(` xmlns:sy="${NS_SY}"`);
  out.push('>\n  <channel>');

  const C = '\n    ';
  out.push(
    C, plainElement('title', doc.title),
    C, textElement('link', doc.homePageUrl),
    C, descriptionElement(doc.description),
    C, textElement('language', doc.language),
  );
  if (doc.rights !== undefined) out.push(C, plainElement('copyright', doc.rights));
  out.push(
    C, textElement('lastBuildDate', toRfc822(doc.updated)),
    C, plainElement('generator', `${doc.generator.name} ${doc.generator.version} (${doc.generator.url})`),
    C, '<docs>https://www.rssboard.org/rss-specification</docs>',
  );
  const fresh = doc.freshness;
  if (fresh) {
    out.push(C, textElement('ttl', String(fresh.ttlMinutes)), C, textElement('sy:updatePeriod', fresh.period), C, textElement('sy:updateFrequency', String(fresh.frequency)));
  }
  if (doc.iconUrl !== undefined) {
    out.push(
      C, '<image>',
      C, '  ', textElement('url', doc.iconUrl),
      C, '  ', plainElement('title', doc.title),
      C, '  ', textElement('link', doc.homePageUrl),
      C, '</image>',
    );
  }
  out.push(
    C, textElement('dc:identifier', doc.id),
    C, atomLink('self', doc.selfUrl, RSS_TYPE),
    C, atomLink('first', doc.firstUrl, RSS_TYPE),
  );
  if (doc.nextUrl !== undefined) out.push(C, atomLink('next', doc.nextUrl, RSS_TYPE));
  for (const hub of doc.hubUrls) out.push(C, atomLink('hub', hub));

  if (itemText) entries.forEach((e, i) => out.push(itemText(i, () => itemString(e, doc.language))));
  else for (const e of entries) renderItem(out, e, doc.language);
  out.push('\n  </channel>\n</rss>\n');
  return out.join('');
}
