/**
 * Atom 1.0 (RFC 4287) serializer.
 *
 * Why not the `feed` package (6.0.0): it writes plain-text titles and summaries as
 * `type="html"` without escaping them as HTML (a title with `<…>` loses text in readers);
 * it has no `xml:lang`; it converts every date to UTC (the +07:00 offset is lost); it
 * throws on an entry id that is not a URL (ours are `tag:` URIs); it guesses enclosure
 * MIME types and passes control characters through (ill-formed XML).
 *
 * Mapping decisions:
 * - Titles, summaries, rights and subtitle are `type="text"`; content is `type="html"`,
 *   escaped (never CDATA, see xml.ts).
 * - Dates are written as stored (RFC 3339 with the publisher's offset).
 * - Categories: `term` = slug, `label` = name, `scheme` = the vocabulary, i.e. the term's
 *   URL minus its trailing slug (`https://warta.example/institutions/`), so
 *   `scheme + term` is the term's page; when the URL does not end in `/slug` the scheme is
 *   the whole URL (see {@link atomCategoryScheme}).
 * - Where the RFC 4287 RELAX NG schema constrains a value (language tag, e-mail, media
 *   type), a value that does not fit is left out rather than making the document invalid:
 *   `xml:lang`, `<email>` and the enclosure's `type` are optional there.
 */
import { entryImages, type FeedDocument, type FeedEntry, type TermRef } from './types.js';
import { normalizeRfc3339 } from './dates.js';
import { hasMediaCredits, NS_MEDIA, renderMediaContent } from './media-rss.js';
import { licenseStatement, licenseUrl } from '../../model/license.js';
import { attrs, stripXmlForbiddenChars, textElement, XML_PROLOG } from './xml.js';

const NS_ATOM = 'http://www.w3.org/2005/Atom';
const ATOM_TYPE = 'application/atom+xml';

/** RFC 4287's atomLanguageTag (linear: each repetition starts with '-'). */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
const LINE_BREAK = /[\r\n]/;

/** True when `s` matches RFC 4287's `atomLanguageTag` (the only `xml:lang` values the RELAX NG schema accepts). */
export function isAtomLanguageTag(s: string): boolean {
  return LANGUAGE_TAG.test(s);
}

/** `.+@.+` of RFC 4287's atomEmailAddress, where `.` is any character but CR and LF. */
function isAtomEmail(s: string): boolean {
  const at = s.indexOf('@', 1);
  return at > 0 && at < s.length - 1 && !LINE_BREAK.test(s);
}

/** `.+/.+` of RFC 4287's atomMediaType. */
function isAtomMediaType(s: string): boolean {
  const slash = s.indexOf('/', 1);
  return slash > 0 && slash < s.length - 1 && !LINE_BREAK.test(s);
}

/**
 * The Atom category `scheme` of a term: its URL minus the trailing slug (raw or
 * percent-encoded), e.g. `https://warta.example/categories/` for `…/categories/binmas`;
 * the whole URL when it does not end in `/` + slug.
 */
export function atomCategoryScheme(t: TermRef): string {
  const { url, slug } = t;
  if (slug !== '') {
    for (const s of slug === encodeURIComponent(slug) ? [slug] : [slug, encodeURIComponent(slug)]) {
      const cut = url.length - s.length;
      if (cut > 0 && url.endsWith(s) && url.charCodeAt(cut - 1) === 0x2f /* '/' */) return url.slice(0, cut);
    }
  }
  return url;
}

function link(rel: string, href: string, type?: string, extra: ReadonlyArray<readonly [string, string | number | undefined]> = []): string {
  return `<link${attrs([['rel', rel], ['type', type], ...extra, ['href', href]])}/>`;
}

function category(t: TermRef): string {
  return `<category${attrs([['term', t.slug], ['scheme', atomCategoryScheme(t)], ['label', t.name]])}/>`;
}

function langAttr(language: string): string {
  const tag = stripXmlForbiddenChars(language);
  return isAtomLanguageTag(tag) ? ` xml:lang="${tag}"` : '';
}

function renderEntry(out: string[], e: FeedEntry, feedLanguage: string): void {
  const I = '\n    ';
  const lang = e.language.toLowerCase() === feedLanguage.toLowerCase() ? '' : langAttr(e.language);
  out.push(
    `\n  <entry${lang}>`,
    I, textElement('id', e.tagUri),
    I, textElement('title', e.title, ' type="text"'),
    I, link('alternate', e.link, 'text/html'),
  );
  // Every image as an enclosure link, the lead first, titled with its caption (else its alt text).
  for (const img of entryImages(e)) {
    const type = stripXmlForbiddenChars(img.type);
    out.push(I, link('enclosure', img.url, isAtomMediaType(type) ? type : undefined, [['length', img.length], ['title', img.caption ?? img.alt]]));
  }
  // Captions, credits and licences of pictures have no Atom element: Media RSS carries them (a foreign-markup extension).
  for (const img of entryImages(e)) if (hasMediaCredits(img)) renderMediaContent(out, img, I);
  out.push(
    I, textElement('published', normalizeRfc3339(e.publishedAt, 'publishedAt')),
    I, textElement('updated', normalizeRfc3339(e.updatedAt, 'updatedAt')),
    I, '<author>',
    I, '  ', textElement('name', e.author.name),
    I, '  ', textElement('uri', e.author.url ?? e.author.pageUrl),
  );
  if (e.author.email !== undefined) {
    const email = stripXmlForbiddenChars(e.author.email);
    if (isAtomEmail(email)) out.push(I, '  ', textElement('email', email));
  }
  out.push(I, '</author>', I, category(e.category));
  for (const t of e.institutions) out.push(I, category(t));
  for (const t of e.tags) out.push(I, category(t));
  if (e.license !== undefined) {
    // RFC 4946: the licence as a link; `rights` (RFC 4287) as a readable statement.
    out.push(I, link('license', licenseUrl(e.license), 'text/html'), I, textElement('rights', licenseStatement(e.license), ' type="text"'));
  }
  out.push(
    I, textElement('summary', e.summary, ' type="text"'),
    I, textElement('content', e.contentHtml, ' type="html"'),
    '\n  </entry>',
  );
}

function entryString(e: FeedEntry, feedLanguage: string): string {
  const out: string[] = [];
  renderEntry(out, e, feedLanguage);
  return out.join('');
}

/** Renders one feed page as an Atom 1.0 document (RFC 4287, with RFC 5005 paging and WebSub hub links). */
export function renderAtom(doc: FeedDocument, entries: FeedEntry[], itemText?: (index: number, make: () => string) => string): string {
  const I = '\n  ';
  const out: string[] = [
    XML_PROLOG,
    `<feed xmlns="${NS_ATOM}"${entries.some((e) => entryImages(e).some(hasMediaCredits)) ? ` xmlns:media="${NS_MEDIA}"` : ''}${langAttr(doc.language)}>`,
    I, textElement('id', doc.id),
    I, textElement('title', doc.title, ' type="text"'),
    I, textElement('subtitle', doc.description, ' type="text"'),
    I, textElement('updated', normalizeRfc3339(doc.updated, 'feed updated')),
    I, link('self', doc.selfUrl, ATOM_TYPE),
    I, link('alternate', doc.homePageUrl, 'text/html'),
    I, link('first', doc.firstUrl, ATOM_TYPE),
  ];
  if (doc.nextUrl !== undefined) out.push(I, link('next', doc.nextUrl, ATOM_TYPE));
  for (const hub of doc.hubUrls) out.push(I, link('hub', hub));
  const g = doc.generator;
  out.push(I, textElement('generator', g.name, attrs([['uri', g.url], ['version', g.version]])));
  if (doc.iconUrl !== undefined) out.push(I, textElement('icon', doc.iconUrl));
  if (doc.logoUrl !== undefined) out.push(I, textElement('logo', doc.logoUrl));
  if (doc.rights !== undefined) out.push(I, textElement('rights', doc.rights, ' type="text"'));
  if (itemText) entries.forEach((e, i) => out.push(itemText(i, () => entryString(e, doc.language))));
  else for (const e of entries) renderEntry(out, e, doc.language);
  out.push('\n</feed>\n');
  return out.join('');
}
