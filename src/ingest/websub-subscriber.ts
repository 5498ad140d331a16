/**
 * Warta as a WebSub subscriber of its sources' hubs: it asks the hub to
 * push the source's feed to `{base}/websub/sources/{id}`, answers the hub's
 * verification for the topic it asked for only, and accepts a push only
 * when its `X-Hub-Signature` is the HMAC of the body with the secret it
 * gave the hub. The secret is derived from the cursor secret and a nonce
 * kept with the source, so no secret is stored.
 */
import type { Services } from '../app-env.js';
import { constantTimeEqual } from '../auth/tokens.js';
import type { SourceRecord } from '../store/sources.js';

/** The lease Warta asks for, seconds. */
export const SOURCE_LEASE_SECONDS = 10 * 86_400;

const HASHES: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

async function hmacHex(hash: string, key: string, data: Uint8Array | string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash }, false, ['sign']);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', k, bytes as Uint8Array<ArrayBuffer>));
  return [...sig].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `hub.secret` given to the hub for source `id` with `nonce` (derived, never stored). */
export function subscriptionSecret(s: Services, id: string, nonce: string): Promise<string> {
  return hmacHex('SHA-256', s.config.cursorSecret, `warta:websub-source:${id}:${nonce}`);
}

/** The callback URL of a source. */
export const sourceCallbackUrl = (s: Services, id: string) => `${s.config.baseUrl}/websub/sources/${encodeURIComponent(id)}`;

/** Does `header` (`sha256=<hex>`) sign `body` with the source's secret? */
export async function verifyPushSignature(s: Services, record: SourceRecord, header: string | undefined, body: Uint8Array): Promise<boolean> {
  const hub = record.state.hub;
  const m = /^(sha1|sha256|sha384|sha512)=([0-9a-f]+)$/i.exec(header?.trim() ?? '');
  if (!hub || hub.state !== 'verified' || !m) return false;
  const expected = await hmacHex(HASHES[m[1]!.toLowerCase()]!, await subscriptionSecret(s, record.id, hub.nonce), body);
  return constantTimeEqual(expected, m[2]!.toLowerCase());
}

/** Sends the subscription request to the hub (the record already holds the pending state); throws on a refusal. */
export async function requestSubscription(s: Services, record: SourceRecord, mode: 'subscribe' | 'unsubscribe' = 'subscribe'): Promise<void> {
  const hub = record.state.hub;
  if (!hub) return;
  const form = new URLSearchParams({
    'hub.mode': mode,
    'hub.topic': hub.topic,
    'hub.callback': sourceCallbackUrl(s, record.id),
    ...(mode === 'subscribe' ? { 'hub.secret': await subscriptionSecret(s, record.id, hub.nonce), 'hub.lease_seconds': String(SOURCE_LEASE_SECONDS) } : {}),
  });
  const res = await s.outbound(hub.url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }, {
    allowPrivate: s.config.sources.allowPrivate, timeoutMs: s.config.sources.timeoutMs, maxBytes: 64 * 1024, maxRedirects: 0,
  });
  await res.discard();
  if (res.status < 200 || res.status > 299) throw new Error(`ingest: hub ${new URL(hub.url).origin} answered HTTP ${res.status} to ${mode}`);
}

/** A fresh random nonce for a subscription. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
