/**
 * URLs inside article HTML, as newsrooms really write them: relative paths,
 * protocol-relative hosts, entity-encoded ampersands, lazy-loaded images
 * (`data-src`, `data-lazy-src`, `data-srcset`…) with a `data:` placeholder
 * in `src`. Resolves each against the article's own `url`, keeps only
 * absolute http(s) (and mailto: for links) and drops URLs that name this
 * machine or a private network by literal. Runtime-free.
 */
import { hostnameReason } from '../net/address-policy.js';

/** Attributes lazy-loading scripts keep the real picture in, most specific first (a `srcset` lists candidates). */
export const LAZY_SRC_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy'] as const;
/** Candidate lists (`srcset` syntax) of lazy-loaded images. */
export const LAZY_SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset'] as const;

/**
 * Decodes the numeric character references of an attribute value; one that names no
 * character (past U+10FFFF, a surrogate, digits beyond any code point) stays as the text
 * it was instead of throwing (issue 15 item 10), and NUL becomes a space (so the URL check refuses it).
 */
export function decodeNumericReferences(value: string): string {
  return value.replace(/&#(?:x([0-9a-f]+)|([0-9]+));?/gi, (ref, hex: string | undefined, dec: string | undefined) => {
    const n = hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10);
    if (n === 0) return ' ';
    if (!Number.isSafeInteger(n) || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return ref;
    return String.fromCodePoint(n);
  });
}

/** Decodes character references in an attribute value (numeric ones and the five XML names), as a browser would. */
export function decodeAttrEntities(value: string): string {
  return decodeNumericReferences(value)
    .replace(/&(amp|quot|apos|lt|gt);/gi, (_, name: string) => ({ amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' })[name.toLowerCase()]!);
}

// Off by default (issue 12): a URL naming this machine or a private network sends whoever follows it into their own network.
let privateContentUrls = false;

/**
 * Lets content URLs on loopback and private networks through (`WARTA_CONTENT_ALLOW_PRIVATE=1`, for intranets and
 * rehearsals): process-wide, set from the configuration whenever services are built.
 */
export function setPrivateContentUrlsAllowed(allowed: boolean): void {
  privateContentUrls = allowed;
}

/** Runs the synchronous `fn` with private content URLs allowed or not, then restores the process-wide setting (the importer's `--keep-private-urls`). */
export function withPrivateContentUrls<T>(allowed: boolean, fn: () => T): T {
  const before = privateContentUrls;
  privateContentUrls = allowed;
  try {
    return fn();
  } finally {
    privateContentUrls = before;
  }
}

/** Why a URL names this machine or a private network (whatever the setting); null when it names a public host. */
export function privateUrlReason(url: string): string | null {
  try {
    return hostnameReason(new URL(url).hostname);
  } catch {
    return 'is not a URL';
  }
}

/** Why a URL may not appear in what Warta serves (it names this machine or a private network, and that is not allowed); null when it may. */
export function inwardUrlReason(url: string): string | null {
  const reason = privateUrlReason(url);
  return reason === 'is not a URL' || !privateContentUrls ? reason : null;
}

/**
 * The absolute form of a URL written in article HTML, or null when it cannot be kept:
 * relative and protocol-relative URLs are resolved against `baseUrl` (protocol-relative
 * ones default to https without a base), only http(s) without credentials survives
 * (and mailto: when `allowMailto`), never one naming a loopback, private, link-local or
 * metadata address (unless `setPrivateContentUrlsAllowed`). An absolute URL is returned as written (trimmed).
 */
export function resolveContentUrl(raw: string, baseUrl: string | undefined, allowMailto: boolean): string | null {
  const value = decodeAttrEntities(raw).trim();
  if (value === '' || /[\s\u0000-\u001f]/.test(value)) return null;
  if (allowMailto && /^mailto:[^\s]+$/i.test(value)) return value;
  let absolute: URL;
  let text: string;
  try {
    if (/^https?:\/\//i.test(value)) {
      absolute = new URL(value);
      text = value;
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
      return null; // another scheme: javascript:, data:, file:…
    } else if (baseUrl) {
      absolute = new URL(value, baseUrl);
      text = absolute.href;
    } else if (value.startsWith('//')) {
      absolute = new URL(`https:${value}`);
      text = absolute.href;
    } else {
      return null;
    }
  } catch {
    return null;
  }
  if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return null;
  if (absolute.username || absolute.password) return null;
  if (!privateContentUrls && hostnameReason(absolute.hostname)) return null;
  return text;
}

/** The URL of the widest candidate of a `srcset` list (by its `w` or `x` descriptor; the first without one). */
export function widestSrcsetCandidate(srcset: string): string | null {
  let best: { url: string; size: number } | null = null;
  for (const part of decodeAttrEntities(srcset).split(/,\s+/)) {
    const [url, descriptor] = part.trim().split(/\s+/);
    if (!url) continue;
    const m = /^([0-9.]+)[wx]$/i.exec(descriptor ?? '');
    const size = m ? Number(m[1]) : 0;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url ?? null;
}

/**
 * The picture an `<img>` really shows, absolute: a lazy-loading attribute first (the
 * `src` of a lazy image is a placeholder), then `src`, then the widest of `srcset`; `data:` placeholders and URLs
 * that cannot be kept are skipped. Null when the image has no usable picture.
 */
export function imageSource(attrs: ReadonlyMap<string, string>, baseUrl: string | undefined): string | null {
  const candidates: string[] = [];
  for (const name of LAZY_SRC_ATTRIBUTES) {
    const v = attrs.get(name);
    if (v) candidates.push(v);
  }
  for (const name of LAZY_SRCSET_ATTRIBUTES) {
    const v = attrs.get(name);
    const url = v ? widestSrcsetCandidate(v) : null;
    if (url) candidates.push(url);
  }
  const src = attrs.get('src');
  if (src) candidates.push(src);
  const srcset = attrs.get('srcset');
  const widest = srcset ? widestSrcsetCandidate(srcset) : null;
  if (widest) candidates.push(widest);
  for (const candidate of candidates) {
    const url = resolveContentUrl(candidate, baseUrl, false);
    if (url) return url;
  }
  return null;
}
