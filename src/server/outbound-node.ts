/**
 * Node's connector for outbound fetches (src/net/public-fetch.ts): an undici
 * Agent whose `lookup` resolves the host once, refuses the connection when
 * any address is loopback, private, link-local or otherwise not public, and
 * hands the socket exactly the addresses it checked. The connection is so
 * pinned to the checked address: a DNS answer that changes between a check
 * and a connection (DNS rebinding) cannot reach this machine or its network.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { nonPublicAddressReason } from '../net/address-policy.js';
import { OutboundError, type Connector } from '../net/public-fetch.js';

/** Resolves a host name to its addresses (tests inject one). */
export type NodeResolver = (hostname: string) => Promise<LookupAddress[]>;

/** The OS resolver (getaddrinfo), every address, in its order. */
export const osResolver: NodeResolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `net.connect` lookup that checks every address `resolve` answers before the socket may use it. */
export function checkedLookup(resolve: NodeResolver, allowPrivate: boolean, reasonOf: (address: string) => string | null = nonPublicAddressReason) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        if (!addresses.length) return callback(Object.assign(new Error(`net: host ${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        if (!allowPrivate) {
          for (const a of addresses) {
            const why = reasonOf(a.address);
            // The refusal names the host only: the addresses are not echoed to whoever chose the URL.
            if (why) return callback(new OutboundError('refused', `net: host ${hostname} resolves to a non-public address`, hostname) as unknown as NodeJS.ErrnoException, []);
          }
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(Object.assign(new Error(`net: host ${hostname} does not resolve`, { cause: err }), { code: err.code ?? 'ENOTFOUND' }), []),
    );
  };
}

/** Node's connector; `resolve` defaults to the OS resolver, `reasonOf` (why an address is not public) to the address policy. */
export function nodeConnector(options: { resolve?: NodeResolver; reasonOf?: (address: string) => string | null } = {}): Connector {
  const resolve = options.resolve ?? osResolver;
  const reasonOf = options.reasonOf ?? nonPublicAddressReason;
  const agents = new Map<boolean, Agent>();
  const agentFor = (allowPrivate: boolean): Agent => {
    let agent = agents.get(allowPrivate);
    if (!agent) {
      agent = new Agent({ connect: { lookup: checkedLookup(resolve, allowPrivate, reasonOf) as never }, connections: 64 });
      agents.set(allowPrivate, agent);
    }
    return agent;
  };
  return async (url, init, allowPrivate) =>
    (await undiciFetch(url, { ...(init as object), dispatcher: agentFor(allowPrivate) } as never)) as unknown as Response;
}
