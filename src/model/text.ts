/**
 * Text hygiene shared by every field Warta stores: characters XML 1.0
 * forbids are removed on the way in, so no stored value can break a feed.
 */
import { stripXmlForbiddenChars } from './xml-chars.js';

/** Removes the characters XML 1.0 does not allow, keeping everything else (one implementation, shared with the feed serializers). */
export const stripXmlForbidden: (text: string) => string = stripXmlForbiddenChars;

/** Folds runs of whitespace to one space and trims: plain-text normal form for titles and names. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Turns a display name into a URL slug: "Achmad Sarjono" → "achmad-sarjono". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug || 'anonim';
}

/** Decodes the handful of HTML entities that matter for a plain-text summary. */
function decodeBasicEntities(text: string): string {
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => safeCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => safeCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function safeCodePoint(n: number): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff)
    ? String.fromCodePoint(n)
    : '';
}

/** Plain text of an HTML fragment (tags dropped, entities decoded, whitespace folded). */
export function htmlToText(html: string): string {
  return stripXmlForbidden(
    normalizeSpace(decodeBasicEntities(html.replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '))),
  );
}

/** A summary derived from the content: the first ~280 characters, cut at a word. */
export function deriveSummary(html: string, max = 280): string {
  const text = htmlToText(html);
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
