/**
 * The WebSub hub's Node-only piece: a timer that pushes feeds whose
 * embargo has lifted. (Callbacks are checked and connections pinned by the
 * outbound fetch, src/server/outbound-node.ts; the hub itself resolves no
 * names.)
 */
import type { Services } from '../app-env.js';
import { installHubOn, sweepWebSub } from '../websub/hub.js';
import { closeHub, type SelfFetch } from '../websub/runtime.js';
import { errorText, log } from '../log.js';

/** How often a Node process looks for lifted embargoes to push. */
export const SWEEP_INTERVAL_MS = 10_000;

/** Starts the hub with the app's fetch and the embargo sweep; returns the function that stops both. */
export function startNodeWebSub(services: Services, selfFetch: SelfFetch): () => void {
  installHubOn(services, selfFetch);
  const timer = setInterval(() => {
    sweepWebSub(services, selfFetch).catch((err: unknown) =>
      log.error('websub: embargo sweep failed', { error: errorText(err) }),
    );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    closeHub(services);
  };
}
