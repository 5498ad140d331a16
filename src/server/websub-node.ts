/**
 * The WebSub hub's Node-only pieces: a DNS resolver, so callbacks whose
 * names resolve to loopback, private or link-local addresses are refused
 * like literal ones (the core checks names and literals only), and a timer
 * that pushes feeds whose embargo has lifted.
 */
import { lookup } from 'node:dns/promises';
import type { Services } from '../app-env.js';
import { installHubOn, sweepWebSub } from '../websub/hub.js';
import { closeHub, setHostResolver, type SelfFetch } from '../websub/runtime.js';

/** How often a Node process looks for lifted embargoes to push. */
export const SWEEP_INTERVAL_MS = 10_000;

/** Every address `hostname` resolves to (IPv4 and IPv6), as the OS resolver answers. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** Installs the resolver on `services` (before `extend`, which may replace it). */
export function installNodeWebSub(services: Services): void {
  setHostResolver(services, resolveHost);
}

/** Starts the hub with the app's fetch and the embargo sweep; returns the function that stops both. */
export function startNodeWebSub(services: Services, selfFetch: SelfFetch): () => void {
  installHubOn(services, selfFetch);
  const timer = setInterval(() => {
    sweepWebSub(services, selfFetch).catch((err: unknown) =>
      console.error(JSON.stringify({ level: 'error', msg: 'websub: embargo sweep failed', error: String((err as Error)?.message ?? err) })),
    );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    closeHub(services);
  };
}
