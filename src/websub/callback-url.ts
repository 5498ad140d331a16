/**
 * Which callback URLs the hub will send requests to. Checked before every
 * request (verification and each delivery attempt): only http(s), no
 * credentials, no fragment, and no host that names this machine or a
 * private network (loopback, RFC 1918, CGNAT, link-local and the cloud
 * metadata address, unique-local, multicast, unspecified, IPv4-mapped and
 * NAT64 forms of those) unless `allowPrivateCallbacks` is set. A resolver,
 * when the runtime has one (Node: DNS), applies the same rule to every
 * address the name resolves to. Runtime-free.
 */

import { hostnameReason, nonPublicAddressReason, parseIpv4, parseIpv6 } from '../net/address-policy.js';

export { nonPublicAddressReason, parseIpv4, parseIpv6 };

/** Resolves a host name to its IP addresses (injected by the runtime). */
export type HostResolver = (hostname: string) => Promise<string[]>;

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

/**
 * Checks a callback before a request is sent to it: its form and host name,
 * then (when a resolver is given and private callbacks are not allowed)
 * every address its host resolves to. A name that does not resolve is refused.
 */
export async function checkCallbackUrl(raw: string, options: { allowPrivate: boolean; resolve?: HostResolver }): Promise<URL | CallbackRefusal> {
  const url = checkCallbackForm(raw, options.allowPrivate);
  if (isRefusal(url) || options.allowPrivate || !options.resolve) return url;
  const host = url.hostname;
  if (parseIpv4(host) || parseIpv6(host)) return url;
  let addresses: string[];
  try {
    addresses = await options.resolve(host);
  } catch (err) {
    return { reason: `host ${host} does not resolve (${String((err as Error)?.message ?? err)})` };
  }
  if (!addresses.length) return { reason: `host ${host} does not resolve` };
  for (const a of addresses) {
    const why = nonPublicAddressReason(a);
    if (why) return { reason: `host ${host} resolves to ${a}, ${why}` };
  }
  return url;
}
