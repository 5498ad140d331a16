/**
 * Article ids derived from the source, so that importing twice (or resuming
 * an interrupted import) writes the same articles and never a duplicate:
 * `src-<12 hex of the site's identity>-<the post's key>`.
 */

/** FNV-1a, 64 bits, as 16 hex digits: a stable, synchronous hash (ids, not security). */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The identity of a site or feed: host (without `www.`) and path, lowercased, no scheme, no trailing slash. */
export function sourceIdentity(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname.toLowerCase().replace(/^www\./, '');
    const port = u.port ? `:${u.port}` : '';
    const path = u.pathname.replace(/\/+$/, '').toLowerCase();
    return `${host}${port}${path}`;
  } catch {
    return url.trim().toLowerCase();
  }
}

/** The id prefix shared by every article of a source (what `--prune` looks for). */
export function sourceIdPrefix(identity: string): string {
  return `src-${fnv1a64(identity).slice(0, 12)}-`;
}

/** An item's key: a WordPress post id as is, anything else (a guid) hashed. */
export function itemKey(raw: string): string {
  return /^[0-9]{1,20}$/.test(raw) ? raw : `g${fnv1a64(raw)}`;
}

/** The WordPress post id named by a feed guid such as `https://site/?p=123`; null when it is not one. */
export function wordpressPostIdOfGuid(guid: string): string | null {
  const m = /^https?:\/\/[^?#]+\/?\?p=(\d{1,20})$/.exec(guid.trim());
  return m ? m[1]! : null;
}

/** The article id of an item of a source. */
export function articleIdOf(identity: string, key: string): string {
  return `${sourceIdPrefix(identity)}${key}`;
}
