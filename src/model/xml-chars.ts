/**
 * XML 1.0 character hygiene, below every layer that stores or writes text: the stored
 * fields (model/text.ts) and the RSS, Atom and OPML serializers (feeds/render/xml.ts) share it.
 *
 * Escape, never CDATA: every text node and attribute value is character-escaped
 * (`&` `<` `>` in text; also `"` TAB LF CR in attributes). One code path serves text
 * and attributes alike, there is no `]]>` splitting to get wrong, and Atom
 * `type="html"` content must be escaped text anyway. The cost is a few percent more
 * bytes in `content:encoded`; readers decode both forms identically.
 *
 * Both escapers also drop what XML 1.0 forbids (its `Char` production): C0 controls
 * other than TAB, LF and CR, lone UTF-16 surrogates, U+FFFE and U+FFFF. Nothing else is
 * touched: C1 controls, bidi controls (U+202E), U+2028/2029 and astral characters
 * (emoji) are legal XML and pass through unchanged.
 *
 * The work is one linear pass over the string, preceded by a regex test that lets
 * clean strings (the common case) return as they are.
 */

/** Any code unit that is not allowed in XML 1.0 (surrogates are checked for pairing later). */
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Anything escapeXmlText must change. */
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Anything escapeXmlAttr must change. */
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

type Mode = 0 | 1 | 2;
const STRIP: Mode = 0;
const TEXT: Mode = 1;
const ATTR: Mode = 2;

/**
 * What code unit `c` becomes in `mode`: `undefined` keeps it, `''` drops it, else the
 * character reference to write. Surrogates are handled by the caller.
 */
function replacement(c: number, mode: Mode): string | undefined {
  if (c < 0x20) {
    if (c === 0x09) return mode === ATTR ? '&#9;' : undefined;
    if (c === 0x0a) return mode === ATTR ? '&#10;' : undefined;
    // CR survives a parser's end-of-line normalization only as a character reference.
    if (c === 0x0d) return mode === STRIP ? undefined : '&#13;';
    return '';
  }
  if (mode !== STRIP) {
    if (c === 0x26) return '&amp;';
    if (c === 0x3c) return '&lt;';
    if (c === 0x3e) return '&gt;';
    if (c === 0x22 && mode === ATTR) return '&quot;';
  }
  if (c === 0xfffe || c === 0xffff) return '';
  return undefined;
}

function transform(s: string, mode: Mode): string {
  let out = '';
  let last = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++; // a well-formed pair: keep both halves
          continue;
        }
      }
      out += s.slice(last, i); // a lone surrogate: drop it
      last = i + 1;
      continue;
    }
    if (c >= 0x3f && c < 0xfffe) continue; // fast path: nothing above '>' but U+FFFE/F needs work
    const r = replacement(c, mode);
    if (r === undefined) continue;
    out += s.slice(last, i) + r;
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Removes every character XML 1.0 forbids (C0 controls but TAB/LF/CR, lone surrogates, U+FFFE, U+FFFF). */
export function stripXmlForbiddenChars(s: string): string {
  return MAYBE_FORBIDDEN.test(s) ? transform(s, STRIP) : s;
}

/**
 * Escapes with one native replace per character class. A replace of a fixed character by a
 * fixed string builds one flat result; the loop of {@link transform} concatenates once per
 * special character, which for a body of 1.9 M `&` is millions of rope nodes (hundreds of MiB).
 */
function escapeCommon(s: string): string {
  let out = s.includes('&') ? s.replace(/&/g, '&amp;') : s;
  if (out.includes('<')) out = out.replace(/</g, '&lt;');
  if (out.includes('>')) out = out.replace(/>/g, '&gt;');
  return out;
}

/** Strings longer than this are escaped in slices of ESCAPE_SLICE characters. */
const ESCAPE_IN_SLICES_FROM = 65_536;
const ESCAPE_SLICE = 16_384;

/** Makes any string safe as XML character data: strips forbidden characters, escapes `& < >` and CR. */
export function escapeXmlText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  if (s.length > ESCAPE_IN_SLICES_FROM) {
    // Slices keep the garbage of each replace small (young generation): a 10 MB page costs its size, not ten times it.
    const parts: string[] = [];
    for (let at = 0; at < s.length; ) {
      let end = Math.min(at + ESCAPE_SLICE, s.length);
      const last = s.charCodeAt(end - 1);
      if (end < s.length && last >= 0xd800 && last <= 0xdbff) end++; // never split a surrogate pair
      parts.push(escapeXmlSlice(s.slice(at, end)));
      at = end;
    }
    return parts.join('');
  }
  return escapeXmlSlice(s);
}

function escapeXmlSlice(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  // Forbidden characters are rare (stored text is stripped of them): only then the loop.
  if (MAYBE_FORBIDDEN.test(s)) return transform(s, TEXT);
  const out = escapeCommon(s);
  return out.includes('\r') ? out.replace(/\r/g, '&#13;') : out;
}

/** Makes any string safe inside a double-quoted XML attribute, escaping TAB/LF/CR so they round-trip. */
export function escapeXmlAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? transform(s, ATTR) : s;
}
