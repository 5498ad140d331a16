/**
 * Key tokens: `wk_<keyId>_<secret>`, the secret 32 random bytes. Only the
 * SHA-256 of the secret is stored (the secret has 256 bits of entropy, so
 * a slow hash adds nothing); comparisons are constant-time.
 */
import { ulid } from 'ulidx';

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Hex SHA-256 of a string (Web Crypto: the same on Node and Workers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a), y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i % (x.length || 1)] ?? 0) ^ (y[i % (y.length || 1)] ?? 0);
  return diff === 0;
}

/** A new key: its id, the token to show once, and the hash to store. */
export async function newKeyToken(): Promise<{ id: string; token: string; secretHash: string }> {
  const id = ulid().toLowerCase();
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { id, token: `wk_${id}_${secret}`, secretHash: await sha256Hex(secret) };
}

/** Splits a key token into id and secret; null when it is not one. */
export function parseKeyToken(token: string): { id: string; secret: string } | null {
  const m = /^wk_([0-9a-z]{26})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}
