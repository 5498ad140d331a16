/**
 * Which callback URLs the hub will send requests to. Checked before every
 * request (verification and each delivery attempt): only http(s), no
 * credentials, no fragment, and no host that names this machine or a
 * private network (loopback, RFC 1918, CGNAT, link-local and the cloud
 * metadata address, unique-local, multicast, unspecified, IPv4-mapped,
 * SIIT and NAT64 forms of those) unless `allowPrivateCallbacks` is set.
 * What a name resolves to is checked by the outbound fetch at each
 * connection, which is pinned to the checked address (outbound.ts): the
 * hub never resolves a name on behalf of an anonymous caller, so its
 * answers cannot serve as a DNS oracle. Runtime-free.
 */

import { hostnameReason, nonPublicAddressReason, parseIpv4, parseIpv6 } from '../net/address-policy.js';

export { nonPublicAddressReason, parseIpv4, parseIpv6 };

/** The longest callback accepted (it is part of a DynamoDB sort key, capped at 1024 bytes). */
export const MAX_CALLBACK_CHARS = 800;

/** A refusal: why the callback is not acceptable. */
export interface CallbackRefusal {
  reason: string;
}

/** Checks a callback's form and host name (no DNS). Returns the parsed URL or the refusal. */
export function checkCallbackForm(raw: string, allowPrivate: boolean): URL | CallbackRefusal {
  if (raw.length > MAX_CALLBACK_CHARS) return { reason: `is longer than ${MAX_CALLBACK_CHARS} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: `must be an http or https URL, not ${url.protocol}` };
  if (url.username || url.password) return { reason: 'must not carry credentials' };
  if (raw.includes('#')) return { reason: 'must not have a fragment' };
  if (/\s/.test(raw)) return { reason: 'must not contain white space' };
  if (!allowPrivate) {
    const why = hostnameReason(url.hostname);
    if (why) return { reason: `host ${url.hostname} ${why}` };
  }
  return url;
}

/** Is this a refusal? */
export const isRefusal = (v: URL | CallbackRefusal): v is CallbackRefusal => !(v instanceof URL);

