/**
 * Subscribers' `hub.secret`s at rest. They must be usable to sign pushes,
 * so they cannot be hashed: they are encrypted with AES-256-GCM under a key
 * derived (HKDF-SHA256) from the cursor secret, with the subscription's
 * identity as additional data, so a sealed secret copied onto another
 * subscription does not open. Sealed form: `v1.<base64url(iv ‖ ciphertext)>`.
 */
import type { Services } from '../app-env.js';

const encoder = new TextEncoder();
const INFO = encoder.encode('warta websub hub.secret v1');
const SALT = encoder.encode('warta');

function toBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** The AES-GCM key of this deployment, derived once per process from `config.cursorSecret`. */
function sealingKey(s: Services): Promise<CryptoKey> {
  let key = s.hub.sealingKey;
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(s.config.cursorSecret), 'HKDF', false, ['deriveKey'])
      .then((ikm) => crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: SALT, info: INFO }, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']));
    s.hub.sealingKey = key;
  }
  return key;
}

/** Encrypts `secret` for the subscription identified by `aad` (topic path and callback). */
export async function sealSecret(s: Services, secret: string, aad: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(aad) }, await sealingKey(s), encoder.encode(secret)),
  );
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return `v1.${toBase64url(out)}`;
}

/** Decrypts a sealed secret; throws `websub: …` when it was not sealed by this deployment for this subscription. */
export async function openSecret(s: Services, sealed: string, aad: string): Promise<string> {
  if (!sealed.startsWith('v1.')) throw new Error('websub: sealed secret has an unknown format');
  try {
    const bytes = fromBase64url(sealed.slice(3));
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: encoder.encode(aad) },
      await sealingKey(s),
      bytes.slice(12),
    );
    return new TextDecoder().decode(plain);
  } catch (cause) {
    throw new Error('websub: sealed secret does not open with this deployment\'s key', { cause });
  }
}
