/**
 * The WebSub hub's Node-only piece: a DNS resolver, so callbacks whose
 * names resolve to loopback, private or link-local addresses are refused
 * like literal ones (the core checks names and literals only).
 */
import { lookup } from 'node:dns/promises';
import type { Services } from '../app-env.js';
import { setHostResolver } from '../websub/runtime.js';

/** Every address `hostname` resolves to (IPv4 and IPv6), as the OS resolver answers. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** Installs the Node pieces of the hub on `services` (before `extend`, which may replace them). */
export function installNodeWebSub(services: Services): void {
  setHostResolver(services, resolveHost);
}
