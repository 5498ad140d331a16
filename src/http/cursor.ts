/**
 * Opaque, tamper-evident cursors: `base64url(JSON payload).base64url(HMAC-SHA256)`
 * with the WARTA_CURSOR_SECRET. A cursor forged, edited or made for another
 * purpose is refused (null), never trusted.
 *
 * The MACs of recent cursors are remembered (an LRU per secret): WebCrypto's
 * HMAC costs about a millisecond of the event loop per call on Node 20
 * (profiled: 9 % of a cold feed page, signing its next link and verifying its
 * own cursor), and the same cursors come back again and again, as the next
 * links of the same pages and as the pages readers and crawlers page through.
 * Only MACs this process computed are remembered, so a forged cursor still
 * costs one HMAC and is refused.
 */
import { LRUCache } from 'lru-cache';

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();
/** MACs (base64url) by secret and signed body: 4,096 bodies of at most ~2 KiB each. */
const MAC_MEMO_MAX = 4_096;
const macMemos = new Map<string, LRUCache<string, string>>();

/** The base64url MAC of `body` under `secret`, computed once per body while remembered. */
async function macOf(secret: string, body: string): Promise<string> {
  let memo = macMemos.get(secret);
  if (!memo) macMemos.set(secret, (memo = new LRUCache<string, string>({ max: MAC_MEMO_MAX })));
  const known = memo.get(body);
  if (known !== undefined) return known;
  const mac = toBase64url(new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(body))).slice(0, 16));
  memo.set(body, mac);
  return mac;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keyCache.set(secret, key);
  }
  return key;
}

function toBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Signs `payload` for `purpose` (e.g. "feed:cat:binmas", "changes:all"). */
export async function signCursor(secret: string, purpose: string, payload: Record<string, unknown>): Promise<string> {
  const body = toBase64url(encoder.encode(JSON.stringify({ p: purpose, ...payload })));
  return `${body}.${await macOf(secret, body)}`;
}

/** Verifies a cursor made by signCursor for the same purpose; null when forged, malformed or for another purpose. */
export async function verifyCursor(secret: string, purpose: string, cursor: string): Promise<Record<string, unknown> | null> {
  if (cursor.length > 2048) return null;
  const [body, mac, extra] = cursor.split('.');
  if (!body || !mac || extra !== undefined) return null;
  // Compared as text: base64url of 16 bytes ends in a character whose low
  // 4 bits carry nothing, so comparing decoded bytes would accept 16
  // spellings of one cursor. Only the canonical spelling is ours.
  if (mac.length !== 22) return null;
  const expected = await macOf(secret, body);
  let diff = 0;
  for (let i = 0; i < 22; i++) diff |= expected.charCodeAt(i) ^ mac.charCodeAt(i);
  if (diff !== 0) return null;
  const json = fromBase64url(body);
  if (!json) return null;
  try {
    const payload = JSON.parse(new TextDecoder().decode(json)) as Record<string, unknown>;
    if (payload === null || typeof payload !== 'object' || payload.p !== purpose) return null;
    const { p: _p, ...rest } = payload;
    return rest;
  } catch {
    return null;
  }
}
