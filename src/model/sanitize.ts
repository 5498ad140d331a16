/**
 * HTML sanitizing with an allowlist (js-xss: pure JavaScript, so the same
 * code runs on Node and in workerd). Applied once, before an article is
 * stored; feeds and pages pass the stored HTML through untouched.
 */
import xss from 'xss';

// js-xss is CommonJS: its named exports exist only on the default export at run time.
const { FilterXSS, escapeAttrValue } = xss as unknown as typeof import('xss');
import { stripXmlForbidden } from './text.js';

const TEXT = ['title', 'lang', 'dir'];
const ALLOWED_TAGS: Record<string, string[]> = {
  a: ['href', 'title', 'hreflang', ...TEXT],
  img: ['src', 'alt', 'width', 'height', ...TEXT],
  p: TEXT, br: [], hr: [], span: TEXT, div: TEXT,
  strong: TEXT, b: TEXT, em: TEXT, i: TEXT, u: TEXT, s: TEXT, small: TEXT, sub: TEXT, sup: TEXT, mark: TEXT,
  h1: TEXT, h2: TEXT, h3: TEXT, h4: TEXT, h5: TEXT, h6: TEXT,
  ul: TEXT, ol: [...TEXT, 'start'], li: TEXT, dl: TEXT, dt: TEXT, dd: TEXT,
  blockquote: [...TEXT, 'cite'], q: [...TEXT, 'cite'], cite: TEXT, pre: TEXT, code: TEXT,
  figure: TEXT, figcaption: TEXT,
  table: TEXT, thead: TEXT, tbody: TEXT, tfoot: TEXT, tr: TEXT, th: [...TEXT, 'colspan', 'rowspan', 'scope'], td: [...TEXT, 'colspan', 'rowspan'], caption: TEXT,
  time: [...TEXT, 'datetime'],
};

/** Tags removed together with everything inside them. */
const DROP_WITH_BODY = ['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'noscript', 'textarea', 'select', 'form', 'frameset', 'frame', 'xmp', 'plaintext', 'noembed', 'title', 'head'];

/** Is this URL safe to keep in an href/src? Only absolute http(s) (and mailto: for links). */
export function isSafeContentUrl(value: string, allowMailto: boolean): boolean {
  const v = value.trim();
  if (/^https?:\/\/[^\s]+$/i.test(v)) {
    try {
      const u = new URL(v);
      return !u.username && !u.password;
    } catch {
      return false;
    }
  }
  return allowMailto && /^mailto:[^\s]+$/i.test(v);
}

/**
 * Decodes the numeric character references of an attribute value; one that names no
 * character (past U+10FFFF, a surrogate, zero, digits beyond any code point) stays as the
 * text it was instead of throwing, and NUL becomes a space (so the URL check refuses it).
 */
export function decodeNumericReferences(value: string): string {
  return value.replace(/&#(?:x([0-9a-f]+)|([0-9]+));?/gi, (ref, hex: string | undefined, dec: string | undefined) => {
    const n = hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10);
    if (n === 0) return ' ';
    if (!Number.isSafeInteger(n) || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return ref;
    return String.fromCodePoint(n);
  });
}

const filter = new FilterXSS({
  whiteList: ALLOWED_TAGS,
  stripIgnoreTag: true,
  stripIgnoreTagBody: false,
  allowCommentTag: false,
  css: false,
  safeAttrValue(tag, name, value) {
    if (name === 'href' || name === 'src' || name === 'cite') {
      const decoded = decodeNumericReferences(value);
      return isSafeContentUrl(decoded, tag === 'a' && name === 'href') ? escapeAttrValue(decoded.trim()) : '';
    }
    return escapeAttrValue(value);
  },
  onTagAttr(_tag, name, value) {
    // Links leave with rel=noopener; xss drops the attribute otherwise.
    if (name === 'target') return '';
    return undefined;
  },
});

const DROP_RE = new RegExp(`<(${DROP_WITH_BODY.join('|')})\\b[\\s\\S]*?<\\/\\1\\s*>`, 'gi');

const VOID_TAGS = new Set(['br', 'hr', 'img']);

/**
 * Elements open at once, at most. Start tags deeper than this are dropped, so balancing
 * appends at most this many end tags: `<b>` repeated 600,000 times no longer becomes
 * 4.2 M characters (its end tags added) past MAX_CONTENT_CHARS.
 */
export const MAX_NESTING = 100;

/**
 * Balances the allowlisted tags js-xss kept: end tags that close nothing are dropped and
 * elements left open are closed, so a body cannot close the page element it is embedded in
 * (`</div></main>...`) nor swallow what follows it. Nesting past MAX_NESTING is dropped.
 */
function balanceTags(html: string): string {
  const open: string[] = [];
  const out = html.replace(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi, (tag, slash: string, rawName: string) => {
    const name = rawName.toLowerCase();
    if (VOID_TAGS.has(name)) return slash ? '' : tag;
    if (!slash) {
      if (open.length >= MAX_NESTING) return '';
      open.push(name);
      return tag;
    }
    const at = open.lastIndexOf(name);
    if (at < 0) return '';
    return open.splice(at).reverse().map((n) => `</${n}>`).join('');
  });
  return out + open.reverse().map((n) => `</${n}>`).join('');
}

/**
 * Writes every `&` that starts no character reference as `&amp;` (as an HTML serializer
 * does), so the stored length is what the content costs to serve: a body of bare `&`
 * would otherwise pass the size limit and grow five-fold in every XML feed.
 */
function escapeBareAmpersands(html: string): string {
  return html.includes('&') ? html.replace(/&(?![a-z][a-z0-9]{0,31};|#[0-9]{1,7};|#x[0-9a-f]{1,6};)/gi, '&amp;') : html;
}

/**
 * Sanitizes article HTML with the allowlist above and removes XML-forbidden characters.
 * Elements whose body is code (script, style, svg, ...) are dropped with their body first;
 * js-xss then keeps only allowlisted tags and attributes and escapes everything else as text
 * (its own body stripping leaves "[removed]" markers on nested elements, so it is not used);
 * last, the tags are balanced.
 */
export function sanitizeHtml(html: string): string {
  let text = stripXmlForbidden(html);
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(DROP_RE, '');
  }
  return escapeBareAmpersands(balanceTags(filter.process(text))).trim();
}
