/**
 * The hub's per-process pieces, in the typed `services.hub` (built empty by
 * buildServices, filled on first use): the app's own
 * fetch (to validate topics and render what is pushed, exactly as a reader
 * would get it) and the delivery queue. Installed by a middleware of createApp on the
 * first request, so both runtimes get the hub without entry code; the
 * listener is registered once per Services.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from '../app-env.js';
import { DeliveryQueue, retryDelays } from './queue.js';
import type { HubLimitState } from './limits.js';
import { TtlCache } from '../ttl-cache.js';

/** How long a process trusts its list of subscribed feeds (a subscription verified in this process refreshes it at once). */
export const SUBSCRIBED_FEEDS_TTL_MS = 2_000;

/** The hub's per-process state: `services.hub`. */
export interface HubState {
  /** Whether installHub ran on these services. */
  installed: boolean;
  selfFetch?: SelfFetch;
  sink?: DeliverySink;
  queue?: DeliveryQueue;
  verifyQueue?: DeliveryQueue;
  /** Request and pending-delivery counters (limits.ts), made on first use. */
  limits?: HubLimitState;
  /** Whether an embargo sweep is running in this process (overlapping ones are skipped). */
  sweeping: boolean;
  /** The feeds that have subscribers, one entry for SUBSCRIBED_FEEDS_TTL_MS. */
  subscribedFeeds: TtlCache<'feeds', Promise<Set<string>>>;
  /** The AES-GCM key that seals hub secrets, derived once (secret-box.ts). */
  sealingKey?: Promise<CryptoKey>;
}

/** A fresh, empty hub state (buildServices). */
export const newHubState = (): HubState => ({ installed: false, sweeping: false, subscribedFeeds: new TtlCache({ ttlMs: SUBSCRIBED_FEEDS_TTL_MS, max: 1 }) });

/** One delivery owed to one subscription, as a durable queue carries it: the content is read when it is sent (the newest wins). */
export interface DeliveryMessage {
  feed: string;
  topic: string;
  callback: string;
}

/** Hands deliveries to a durable queue (Workers: a Cloudflare Queue) instead of the in-process one. */
export type DeliverySink = (messages: DeliveryMessage[]) => Promise<void>;

/** Calls the app itself (no network). */
export type SelfFetch = (request: Request) => Promise<Response>;

/** What the hub needs from its process. */
export interface HubRuntime {
  selfFetch: SelfFetch;
  /** Deliveries (pushes). */
  queue: DeliveryQueue;
  /** Verifications of intent: slots of their own, so hanging callbacks of one kind never starve the other. */
  verifyQueue: DeliveryQueue;
  /** Where deliveries go when the runtime has a durable queue; absent: the in-process `queue`. */
  sink?: DeliverySink;
}

/** The delivery queue of these services (created on first use from the configuration). */
export function hubQueue(s: Services): DeliveryQueue {
  if (!s.hub.queue) {
    const w = s.config.websubDelivery;
    s.hub.queue = new DeliveryQueue({ concurrency: w.concurrency, retryDelaysMs: retryDelays(w.retryBaseMs, w.retryForMs), maxKeys: w.queueMax });
  }
  return s.hub.queue;
}

/** The verification queue of these services: one attempt per job, its own concurrency. */
export function hubVerifyQueue(s: Services): DeliveryQueue {
  if (!s.hub.verifyQueue) {
    const w = s.config.websubDelivery;
    s.hub.verifyQueue = new DeliveryQueue({ concurrency: w.verifyConcurrency, retryDelaysMs: [], maxKeys: w.queueMax });
  }
  return s.hub.verifyQueue;
}

/** The runtime of the hub; throws when the app has not installed it (a request must have passed createApp's middleware). */
export function hubRuntime(s: Services): HubRuntime {
  const { selfFetch, sink } = s.hub;
  if (!selfFetch) throw new Error('websub: the hub is not installed on these services (createApp installs it)');
  return { selfFetch, queue: hubQueue(s), verifyQueue: hubVerifyQueue(s), ...(sink ? { sink } : {}) };
}

/** Sends deliveries to a durable queue from now on (the Worker entry, when its Queue binding exists). */
export function setDeliverySink(s: Services, sink: DeliverySink): void {
  s.hub.sink = sink;
}

/**
 * Installs the hub on `s` once: remembers how to call the app and registers
 * `listener` (the delivery listener) in `s.listeners`.
 */
export function installHub(s: Services, selfFetch: SelfFetch, listener: Services['listeners'][number]): void {
  if (s.hub.installed) return;
  s.hub.installed = true;
  s.hub.selfFetch = selfFetch;
  s.listeners.push(listener);
}

/**
 * The middleware createApp runs after resolving the services: installs the
 * hub with a self-fetch that calls `appFetch` with this runtime's bindings
 * (Workers need them to build services; Node's per-connection objects are left out).
 */
export function hubInstaller(
  appFetch: (request: Request, env: unknown) => Response | Promise<Response>,
  listenerOf: (s: Services) => Services['listeners'][number],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const s = c.get('services');
    if (!s.hub.installed) {
      const { incoming: _incoming, outgoing: _outgoing, ...bindings } = (c.env ?? {}) as Record<string, unknown>;
      installHub(s, async (request) => appFetch(request, bindings), listenerOf(s));
    }
    await next();
  };
}

/** Resolves when the hub has no work in progress (tests, graceful shutdown). */
export async function hubIdle(s: Services): Promise<void> {
  const queues = [hubVerifyQueue(s), hubQueue(s)];
  while (!queues.every((q) => q.isIdle())) for (const q of queues) await q.idle();
}

/** Stops the hub's queue: running attempts are aborted, waiting deliveries dropped (Node shutdown). */
export function closeHub(s: Services): void {
  s.hub.queue?.close();
  s.hub.verifyQueue?.close();
}
