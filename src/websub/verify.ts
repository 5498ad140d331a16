/**
 * Verification of intent (WebSub §5.3): before a subscription starts or
 * ends, the hub GETs the callback with `hub.mode`, `hub.topic`, a random
 * `hub.challenge` and (for subscribe) `hub.lease_seconds`, appended to the
 * callback's own query. Only a 2xx whose body is exactly the challenge
 * confirms; anything else leaves the subscriptions as they were.
 */
import type { Services } from '../app-env.js';
import type { AttemptOutcome, QueueJob } from './queue.js';
import type { HubRuntime } from './runtime.js';
import { callbackForLog, failureReason, sendToCallback } from './outbound.js';
import { sealSecret } from './secret-box.js';
import { deleteSubscription, forgetSubscribedFeeds, putSubscription, subscriptionIdentity } from './subscriptions.js';
import type { Topic } from './topics.js';
import { errorText, log } from '../log.js';

/** A subscriber's request, validated. */
export interface HubIntent {
  mode: 'subscribe' | 'unsubscribe';
  topic: Topic;
  callback: string;
  /** The lease the hub grants (subscribe only). */
  leaseSeconds: number;
  secret?: string;
}

/** The queue key of a topic's deliveries to one callback (cancelled after an unsubscribe). */
export const deliveryKey = (topic: string, callback: string) => `deliver ${topic} ${callback}`;

function newChallenge(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Logs a refused intent (never the secret); verified ones show in GET /api/websub/subscriptions. */
function warn(msg: string, intent: HubIntent, extra: Record<string, unknown> = {}) {
  log.warn(msg, { mode: intent.mode, topic: intent.topic.url, callback: callbackForLog(intent.callback), ...extra });
}

/** Verifies `intent` once and applies it when confirmed. */
export async function verifyIntent(s: Services, rt: HubRuntime, intent: HubIntent, signal: AbortSignal): Promise<AttemptOutcome> {
  const challenge = newChallenge();
  const query = new URLSearchParams({ 'hub.mode': intent.mode, 'hub.topic': intent.topic.url, 'hub.challenge': challenge });
  if (intent.mode === 'subscribe') query.set('hub.lease_seconds', String(intent.leaseSeconds));
  const url = `${intent.callback}${intent.callback.includes('?') ? '&' : '?'}${query.toString()}`;
  let confirmed = false;
  let why = '';
  let detail: string | undefined;
  try {
    const res = await sendToCallback(s, url, { method: 'GET' }, signal);
    if (res.status >= 200 && res.status < 300) {
      confirmed = (await res.text()) === challenge;
      if (!confirmed) why = 'the response body is not the challenge';
    } else {
      await res.discard();
      why = `HTTP ${res.status}`;
    }
  } catch (err) {
    why = failureReason(err);
    detail = errorText(err);
  }
  if (!confirmed) {
    warn('websub: intent not verified; nothing changed', intent, { reason: why, ...(detail ? { detail } : {}) });
    return { ok: false, error: why, final: true };
  }
  const { topic, callback } = intent;
  if (intent.mode === 'subscribe') {
    const now = s.clock();
    const identity = subscriptionIdentity(topic.path, callback);
    await putSubscription(s.db, {
      feed: topic.feed,
      topic: topic.path,
      callback,
      leaseSeconds: intent.leaseSeconds,
      leaseExpiresMs: now + intent.leaseSeconds * 1000,
      verifiedMs: now,
      ...(intent.secret ? { sealedSecret: await sealSecret(s, intent.secret, identity) } : {}),
    });
    forgetSubscribedFeeds(s);
  } else {
    await deleteSubscription(s.db, { feed: topic.feed, topic: topic.path, callback });
    rt.queue.cancel(deliveryKey(topic.path, callback));
  }
  return { ok: true };
}

/** The queue job of a verification: one attempt; requests for the same topic and callback run in order, the latest winning. */
export function verificationJob(s: Services, rt: HubRuntime, intent: HubIntent): QueueJob {
  return {
    key: `verify ${intent.topic.path} ${intent.callback}`,
    seq: rt.verifyQueue.nextSeq(),
    maxAttempts: 1,
    attempt: (signal) => verifyIntent(s, rt, intent, signal),
    giveUp: async (error, attempts) => {
      if (attempts === 0) warn('websub: verification dropped', intent, { reason: error });
    },
  };
}
