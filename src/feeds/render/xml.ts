/**
 * XML element helpers shared by the RSS, Atom and OPML serializers. The character-level
 * escaping they build on lives in model/xml-chars.ts (stored text is cleaned with it too).
 */
import { escapeXmlAttr, escapeXmlText } from '../../model/xml-chars.js';

export { escapeXmlAttr, escapeXmlText, stripXmlForbiddenChars } from '../../model/xml-chars.js';

const PLAIN_REFS: Record<string, string> = { '&amp;': '&#x26;', '&lt;': '&#x3C;', '&gt;': '&#x3E;' };

/**
 * Plain text for an RSS element that readers may take for HTML (title, category, names):
 * `&` `<` `>` as the hexadecimal references `&#x26;` `&#x3C;` `&#x3E;`, the form the RSS
 * Board's Best Practices Profile advises because the most aggregators read it as text.
 */
export function escapeRssPlainText(s: string): string {
  // escapeXmlText writes `&amp;` `&lt;` `&gt;` only for those characters, so they are swapped one for one.
  return escapeXmlText(s).replace(/&amp;|&lt;|&gt;/g, (m) => PLAIN_REFS[m]!);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Plain text for an element readers treat as HTML (RSS `description`): HTML-escaped, then
 * XML-escaped, so that `<img onerror>` in a summary reaches the reader as text, never markup.
 */
export function escapeTextAsHtml(s: string): string {
  return escapeXmlText(s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!));
}

/** `<name attrs>text</name>`, the text escaped; `attrs` must already be escaped (e.g. from {@link attrs}). */
export function textElement(name: string, text: string, attributes = ''): string {
  return `<${name}${attributes}>${escapeXmlText(text)}</${name}>`;
}

/** Serializes attributes (leading space included), skipping `undefined` values and escaping the rest. */
export function attrs(pairs: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  let out = '';
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? String(value) : escapeXmlAttr(value)}"`;
  }
  return out;
}

/** The XML declaration every document Warta renders starts with. */
export const XML_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n';
