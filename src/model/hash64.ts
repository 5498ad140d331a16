/**
 * A short, stable, runtime-free hash for validators (feed and OPML ETags) and
 * for the owner suffix of author slugs. Not a cryptographic hash: nothing
 * secret or adversarial depends on it being hard to collide.
 */

/** 64-bit (two 32-bit lanes) FNV-1a style hash as 16 hex digits: short, stable, runtime-free. */
export function hash64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 0x01000193);
    h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
