/**
 * `X-Hub-Signature: sha256=<hex>` (WebSub §8): the HMAC-SHA256 of the exact
 * bytes of the pushed body, keyed with the subscriber's `hub.secret`.
 */

const encoder = new TextEncoder();

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The X-Hub-Signature header value for `body` signed with `secret`. */
export async function hubSignature(secret: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, body));
  return `sha256=${toHex(mac)}`;
}
