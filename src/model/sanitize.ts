/**
 * HTML sanitizing with an allowlist (js-xss: pure JavaScript, so the same
 * code runs on Node and in workerd). Applied once, before an article is
 * stored; feeds and pages pass the stored HTML through untouched.
 */
import xss from 'xss';

// js-xss is CommonJS: its named exports exist only on the default export at run time.
const { FilterXSS, escapeAttrValue, parseAttr } = xss as unknown as typeof import('xss');
import { stripXmlForbidden } from './text.js';
import { imageSource, resolveContentUrl } from './html-urls.js';
export { decodeNumericReferences } from './html-urls.js';

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

/** How one article's HTML is sanitized. */
export interface SanitizeOptions {
  /** The article's own URL (its page on the portal): relative links and images are resolved against it. */
  baseUrl?: string;
}

/** Marks an `<img>` that came out of a `<noscript>` fallback (dropped when it repeats the image just before it). */
const NOSCRIPT_MARK = 'data-warta-noscript';

/** An attribute value as written in HTML: quotes and angle brackets escaped, `&` written as `&amp;`. */
const attrValue = (v: string) => escapeAttrValue(v.replace(/&/g, '&amp;'));

/** The attributes of a start tag (`<img a="b" c>`), names lower-cased, values as written (entities still encoded). */
function startTagAttributes(tagHtml: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const inner = tagHtml.replace(/^<[^\s/>]+/, '').replace(/\/?>$/, '');
  parseAttr(inner, (name, value) => {
    if (!attrs.has(name)) attrs.set(name, value);
    return '';
  });
  return attrs;
}

/** The allowlisted attributes of `tag` other than its URL, as HTML (empty values dropped, but `alt=""` kept). */
function plainAttributes(tag: string, attrs: Map<string, string>, skip: string): string {
  let out = '';
  for (const name of ALLOWED_TAGS[tag] ?? []) {
    if (name === skip || !attrs.has(name)) continue;
    const v = attrs.get(name)!;
    if (v === '' && name !== 'alt') continue;
    out += ` ${name}="${escapeAttrValue(v)}"`;
  }
  return out;
}

/** A js-xss filter for one article: links and images resolved against `baseUrl`, unusable ones removed. */
function articleFilter(options: SanitizeOptions) {
  let lastImage: string | null = null;
  return new FilterXSS({
    whiteList: ALLOWED_TAGS,
    stripIgnoreTag: true,
    stripIgnoreTagBody: false,
    allowCommentTag: false,
    css: false,
    onTag(tag, html, info) {
      if (info.isClosing || (tag !== 'a' && tag !== 'img')) return undefined;
      const attrs = startTagAttributes(html);
      if (tag === 'a') {
        // A link without a usable target keeps its text: the start tag goes, its orphan end tag is dropped by balanceTags.
        const href = attrs.has('href') ? resolveContentUrl(attrs.get('href')!, options.baseUrl, true) : null;
        return href ? `<a href="${attrValue(href)}"${plainAttributes('a', attrs, 'href')}>` : '';
      }
      const src = imageSource(attrs, options.baseUrl);
      // A <noscript> copy of the lazy image just restored would show it twice.
      if (!src || (attrs.has(NOSCRIPT_MARK) && src === lastImage)) return '';
      lastImage = src;
      return `<img src="${attrValue(src)}"${plainAttributes('img', attrs, 'src')}>`;
    },
    safeAttrValue(_tag, _name, value) {
      return escapeAttrValue(value);
    },
    onTagAttr(_tag, name, value, isWhiteAttr) {
      // Links leave with rel=noopener; xss drops the attribute otherwise.
      if (name === 'target') return '';
      if (!isWhiteAttr) return undefined;
      // An empty attribute (or a cite that cannot be kept) is left out rather than written valueless.
      if (name === 'cite') {
        const url = resolveContentUrl(value, options.baseUrl, false);
        return url ? `cite="${attrValue(url)}"` : '';
      }
      if (value.trim() === '') return '';
      return undefined;
    },
  });
}

/**
 * `<noscript>` fallbacks of lazy-loading scripts: their images stay (marked, so one that
 * repeats the restored lazy image is dropped), the rest of their body goes.
 */
function unwrapNoscript(html: string): string {
  return html.replace(/<noscript\b[^>]*>([\s\S]*?)<\/noscript\s*>/gi, (_, body: string) =>
    (body.match(/<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi) ?? []).map((img) => `<img ${NOSCRIPT_MARK}${img.slice(4)}`).join(''),
  );
}

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
 * Links and images are made absolute against `options.baseUrl` (the article's URL); lazy
 * images get their real picture back (`data-src`, `data-srcset`, `<noscript>` copies); an
 * image without a usable picture is removed, a link without a usable target keeps only its
 * text, and URLs naming this machine or a private network are treated as unusable.
 * Elements whose body is code (script, style, svg, ...) are dropped with their body first;
 * js-xss then keeps only allowlisted tags and attributes and escapes everything else as text
 * (its own body stripping leaves "[removed]" markers on nested elements, so it is not used);
 * last, the tags are balanced.
 */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  let text = unwrapNoscript(stripXmlForbidden(html));
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(DROP_RE, '');
  }
  return escapeBareAmpersands(balanceTags(articleFilter(options).process(text))).trim();
}
