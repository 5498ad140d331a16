/**
 * What the hub accepts before it sends anything (issue 15, item 4): every
 * subscribe and unsubscribe makes the hub send a GET to a URL the caller
 * chose, and every stored subscription costs a push per write, so hub
 * requests are limited per client (an address without a key, much more
 * with a key), per callback host (whoever asks), by verifications pending
 * per client and per host, and by the verification queue's size; stored
 * subscriptions are capped per callback host (subscriptions.ts). A request
 * over a limit is refused with 429 and Retry-After, before any outbound
 * request. Counters are per process (isolate on Workers), bounded in size:
 * when full, new names are refused rather than everyone's count forgotten.
 * Runtime-free; the clock is the services' (tests pin it).
 */
import type { Services } from '../app-env.js';
import { ProblemError, type FieldError } from '../http/problem.js';
import { parseIpv6 } from '../net/address-policy.js';

const HOUR_MS = 3_600_000;
/** Names tracked at most per counter (a flood of new addresses cannot grow memory without bound). */
export const MAX_TRACKED_NAMES = 50_000;

/** One fixed window per name, oldest first (Map order), bounded. */
export class WindowCounter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();
  constructor(
    private readonly windowMs: number,
    private readonly maxNames = MAX_TRACKED_NAMES,
  ) {}

  /** Seconds until `name` may be counted again under `limit`; 0 when it may now. */
  retryAfter(name: string, limit: number, nowMs: number): number {
    const w = this.current(name, nowMs);
    if (!w) return this.windows.size >= this.maxNames && !this.prune(nowMs) ? Math.ceil(this.windowMs / 1000) : 0;
    return w.count >= limit ? Math.max(1, Math.ceil((w.startMs + this.windowMs - nowMs) / 1000)) : 0;
  }

  /** Counts one request of `name` (after `retryAfter` said 0). */
  take(name: string, nowMs: number): void {
    let w = this.current(name, nowMs);
    if (!w) {
      w = { startMs: nowMs, count: 0 };
      this.windows.set(name, w);
    }
    w.count++;
  }

  private current(name: string, nowMs: number) {
    const w = this.windows.get(name);
    if (w && nowMs - w.startMs >= this.windowMs) {
      this.windows.delete(name);
      return undefined;
    }
    return w;
  }

  /** Drops expired windows from the oldest; true when room was made. */
  private prune(nowMs: number): boolean {
    for (const [name, w] of this.windows) {
      if (nowMs - w.startMs < this.windowMs) break;
      this.windows.delete(name);
    }
    return this.windows.size < this.maxNames;
  }
}

/** Who sent a hub request: a key (any role) or, without one, an address. */
export type HubClient = { kind: 'key'; id: string } | { kind: 'address'; address: string };

/** The name a client is counted under: the key id, or the address (an IPv6 address by its /64, which one host usually holds whole). */
export function clientName(client: HubClient): string {
  if (client.kind === 'key') return `key ${client.id}`;
  const v6 = parseIpv6(client.address);
  if (v6 && !(v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff)) return `net ${v6.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
  return `addr ${client.address.replace(/^::ffff:/i, '')}`;
}

/** The hub's request and pending-delivery counters (kept in `services.hub.limits`). */
export interface HubLimitState {
  clients: WindowCounter;
  hosts: WindowCounter;
  pending: Map<string, number>;
}

function state(s: Services): HubLimitState {
  return (s.hub.limits ??= { clients: new WindowCounter(HOUR_MS), hosts: new WindowCounter(HOUR_MS), pending: new Map() });
}

const refuse = (detail: string, retryAfter: number, errors?: FieldError[]) =>
  new ProblemError('too-many-requests', `websub: ${detail}`, { headers: { 'Retry-After': String(retryAfter) }, ...(errors ? { errors } : {}) });

/**
 * Admits a hub request from `client` naming a callback on `host`, or throws
 * a 429 problem saying which limit was reached. `queued` is how many
 * verifications wait in the queue now. Counts the request when admitted.
 */
export function admitHubRequest(s: Services, client: HubClient, host: string, queued: number): void {
  const l = s.config.websubLimits;
  const st = state(s);
  const now = s.clock();
  const who = clientName(client);
  const hostName = host.toLowerCase();
  const perClient = client.kind === 'key' ? l.keyPerHour : l.anonymousPerHour;
  const clientWait = st.clients.retryAfter(who, perClient, now);
  if (clientWait) {
    const hint = client.kind === 'key' ? '' : '; a reader key (Authorization: Bearer) raises the limit';
    throw refuse(`at most ${perClient} hub requests an hour from one client${hint}`, clientWait);
  }
  const hostWait = st.hosts.retryAfter(hostName, l.hostPerHour, now);
  if (hostWait) {
    throw refuse(`at most ${l.hostPerHour} hub requests an hour for callbacks on one host`, hostWait, [{ field: 'hub.callback', reason: `host ${hostName} has had ${l.hostPerHour} hub requests this hour` }]);
  }
  if ((st.pending.get(who) ?? 0) >= l.pendingPerClient) throw refuse(`at most ${l.pendingPerClient} verifications pending for one client; wait for them to finish`, 10);
  if ((st.pending.get(`host ${hostName}`) ?? 0) >= l.pendingPerHost) {
    throw refuse(`at most ${l.pendingPerHost} verifications pending for callbacks on one host`, 10, [{ field: 'hub.callback', reason: `host ${hostName} has ${l.pendingPerHost} verifications pending` }]);
  }
  if (queued >= s.config.websubDelivery.queueMax) throw refuse('the hub has too many verifications waiting; try again later', 30);
  st.clients.take(who, now);
  st.hosts.take(hostName, now);
}

/** Counts a verification as pending for its client and host until `done` settles; returns `done`. */
export function trackPending<T>(s: Services, client: HubClient, host: string, done: Promise<T>): Promise<T> {
  const st = state(s);
  const names = [clientName(client), `host ${host.toLowerCase()}`];
  for (const n of names) st.pending.set(n, (st.pending.get(n) ?? 0) + 1);
  const release = () => {
    for (const n of names) {
      const left = (st.pending.get(n) ?? 1) - 1;
      if (left <= 0) st.pending.delete(n);
      else st.pending.set(n, left);
    }
  };
  done.then(release, release);
  return done;
}
