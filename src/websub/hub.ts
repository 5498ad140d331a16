/**
 * The hub's front door (WebSub §5.1): a subscriber POSTs a form with
 * `hub.mode`, `hub.topic`, `hub.callback` and optionally `hub.lease_seconds`
 * and `hub.secret`. Malformed requests are refused at once (400 naming the
 * field; 404 for a well-formed feed URL that does not exist); good ones are
 * answered 202 and verified off the request path (verify.ts).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from '../app-env.js';
import { ProblemError, type FieldError } from '../http/problem.js';
import { checkCallbackForm, isRefusal } from './callback-url.js';
import { deliverChange, deliveryListener, fetchTopicResponse } from './delivery.js';
import { pushDueEmbargoes } from './embargo-pushes.js';
import { discardBody } from './outbound.js';
import { hubInstaller, hubRuntime, installHub, type SelfFetch } from './runtime.js';
import { isTopic, parseTopic } from './topics.js';
import { verificationJob, type HubIntent } from './verify.js';
import { admitHubRequest, trackPending, type HubClient } from './limits.js';
import { countHostSubscriptions, hasSubscription, hostOf } from './subscriptions.js';

/** hub.secret is at most 200 bytes (WebSub §5.1). */
export const MAX_SECRET_BYTES = 200;

/** The middleware createApp uses to install the hub (self-fetch + delivery listener) on the services. */
export function webSubHub(appFetch: (request: Request, env: unknown) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  return hubInstaller(appFetch, deliveryListener);
}

/** Installs the hub outside a request (a runtime entry, before any request or in a cron handler). */
export function installHubOn(s: Services, selfFetch: SelfFetch): void {
  installHub(s, selfFetch, deliveryListener(s));
}

/**
 * Pushes the feeds whose embargo has lifted since (Node: a timer; Workers:
 * the cron trigger, `ctx.waitUntil(sweepWebSub(services, (r) => app.fetch(r, env)))`).
 */
export function sweepWebSub(s: Services, selfFetch: SelfFetch): Promise<number> {
  installHubOn(s, selfFetch);
  return pushDueEmbargoes(s, deliverChange);
}

function single(form: URLSearchParams, name: string, errors: FieldError[]): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) errors.push({ field: name, reason: 'is given more than once' });
  return values[0];
}

/** The lease granted for a requested one: the default when absent, capped at the maximum. */
export function grantedLease(s: Services, requested: number | undefined): number {
  const { leaseDefaultSeconds, leaseMaxSeconds } = s.config.websub;
  return Math.max(1, Math.min(requested ?? leaseDefaultSeconds, leaseMaxSeconds));
}

/** Validates a hub request; throws a 400 problem listing every bad field. */
export async function parseHubRequest(s: Services, form: URLSearchParams): Promise<HubIntent> {
  const errors: FieldError[] = [];
  const mode = single(form, 'hub.mode', errors);
  const rawTopic = single(form, 'hub.topic', errors);
  const rawCallback = single(form, 'hub.callback', errors);
  const rawLease = single(form, 'hub.lease_seconds', errors);
  const secret = single(form, 'hub.secret', errors);
  if (mode !== 'subscribe' && mode !== 'unsubscribe') {
    errors.push({ field: 'hub.mode', reason: mode === undefined ? 'is required (subscribe or unsubscribe)' : `must be subscribe or unsubscribe, not "${mode.slice(0, 40)}"` });
  }
  const topic = rawTopic === undefined || rawTopic === '' ? { reason: 'is required' } : parseTopic(rawTopic, s.config.baseUrl);
  if (!isTopic(topic)) errors.push({ field: 'hub.topic', reason: topic.reason });
  let callback: string | undefined;
  if (rawCallback === undefined || rawCallback === '') errors.push({ field: 'hub.callback', reason: 'is required' });
  else {
    const checked = checkCallbackForm(rawCallback, s.config.websub.allowPrivateCallbacks);
    if (isRefusal(checked)) errors.push({ field: 'hub.callback', reason: checked.reason });
    else callback = checked.href;
  }
  let lease: number | undefined;
  if (rawLease !== undefined && rawLease !== '') {
    if (!/^[0-9]{1,10}$/.test(rawLease) || Number(rawLease) < 1) errors.push({ field: 'hub.lease_seconds', reason: 'must be a positive integer number of seconds' });
    else lease = Number(rawLease);
  }
  if (secret !== undefined && new TextEncoder().encode(secret).byteLength > MAX_SECRET_BYTES) {
    errors.push({ field: 'hub.secret', reason: `must be at most ${MAX_SECRET_BYTES} bytes` });
  }
  if (errors.length || !isTopic(topic) || !callback || (mode !== 'subscribe' && mode !== 'unsubscribe')) {
    throw new ProblemError('bad-request', `invalid hub request: ${errors.map((e) => e.field).join(', ')}`, { errors });
  }
  return { mode, topic, callback, leaseSeconds: grantedLease(s, lease), ...(secret ? { secret } : {}) };
}

/** Requires the topic to exist (the app serves it): 404 when it does not, 400 when the feed refuses the query. */
async function requireTopicExists(s: Services, intent: HubIntent): Promise<void> {
  const res = await fetchTopicResponse(s, hubRuntime(s), intent.topic.path);
  await discardBody(res);
  if (res.status === 200) return;
  const errors = [{ field: 'hub.topic', reason: res.status === 404 ? 'names a feed that does not exist' : `is not served (HTTP ${res.status})` }];
  throw new ProblemError(res.status === 404 ? 'not-found' : 'bad-request', `topic ${intent.topic.url} ${errors[0]!.reason}`, { errors });
}

/** Refuses a new subscription when its callback's host already has the most stored subscriptions allowed (renewals pass). */
async function requireHostRoom(s: Services, intent: HubIntent): Promise<void> {
  const cap = s.config.websubLimits.hostSubscriptions;
  const host = hostOf(intent.callback);
  if ((await countHostSubscriptions(s.db, host, s.clock())) < cap) return;
  if (await hasSubscription(s.db, { feed: intent.topic.feed, topic: intent.topic.path, callback: intent.callback })) return;
  throw new ProblemError('too-many-requests', `websub: callbacks on host ${host} already hold ${cap} subscriptions`, {
    errors: [{ field: 'hub.callback', reason: `host ${host} already holds ${cap} subscriptions (unsubscribe some first)` }],
    headers: { 'Retry-After': '3600' },
  });
}

/**
 * Handles a subscribe or unsubscribe request from `client`: validates it,
 * admits it under the hub's limits (limits.ts: 429 before any request
 * leaves), checks the topic exists and the callback host has room
 * (subscribe only: a vanished feed can still be left), and queues the
 * verification. `background` keeps it alive after the response (Workers).
 */
export async function acceptHubRequest(s: Services, form: URLSearchParams, background: (task: Promise<unknown>) => void, client: HubClient): Promise<HubIntent> {
  const intent = await parseHubRequest(s, form);
  const rt = hubRuntime(s);
  const host = hostOf(intent.callback);
  admitHubRequest(s, client, host, rt.verifyQueue.stats().keys);
  if (intent.mode === 'subscribe') {
    await requireTopicExists(s, intent);
    await requireHostRoom(s, intent);
  }
  background(trackPending(s, client, host, rt.verifyQueue.push(verificationJob(s, rt, intent))));
  return intent;
}
