/**
 * Deliveries through a durable queue (Workers: a Cloudflare Queue, see
 * src/index.ts `queue`): the producer sends one message per subscription
 * after a change (delivery.ts); the consumer here sends one attempt per
 * message, reading the subscription (it may have ended) and the topic's
 * newest document at that moment, and says whether the message is done or
 * is to be retried after the hub's backoff — the queue keeps it across
 * requests and restarts, far beyond a request's lifetime. After the last
 * attempt the delivery is given up and recorded (the dead-letter record:
 * `WSFAIL#<feed>`, shown at GET /api/websub/subscriptions). Runtime-free.
 */
import type { Services } from '../app-env.js';
import { deliveryJob, fetchTopic } from './delivery.js';
import { retryDelays } from './queue.js';
import { hubRuntime, type DeliveryMessage } from './runtime.js';
import { getSubscription } from './subscriptions.js';

/** What the consumer does with a message: acknowledge it, or have the queue redeliver it after a delay. */
export type QueuedOutcome = { ack: true } | { retryAfterSeconds: number };

/** Reads a queue message's body as a delivery; null when it is not one (acknowledged and dropped). */
export function asDeliveryMessage(body: unknown): DeliveryMessage | null {
  const b = body as Partial<DeliveryMessage> | null;
  return b && typeof b.feed === 'string' && typeof b.topic === 'string' && typeof b.callback === 'string' ? { feed: b.feed, topic: b.topic, callback: b.callback } : null;
}

/** Sends attempt number `attempts` (1 for the first) of a queued delivery. */
export async function deliverQueued(s: Services, message: DeliveryMessage, attempts: number): Promise<QueuedOutcome> {
  const rt = hubRuntime(s);
  const sub = await getSubscription(s.db, message);
  if (!sub || sub.leaseExpiresMs <= s.clock()) return { ack: true }; // ended or lapsed since: nothing is owed
  const content = await fetchTopic(s, rt, sub.topic);
  if (!content) return { ack: true };
  const job = deliveryJob(s, rt, sub, content, 0);
  const outcome = await job.attempt(new AbortController().signal);
  if (outcome.ok) return { ack: true };
  const w = s.config.websubDelivery;
  const delays = retryDelays(w.retryBaseMs, w.retryForMs);
  if (outcome.final || attempts >= delays.length + 1) {
    await job.giveUp(outcome.error, attempts);
    return { ack: true };
  }
  return { retryAfterSeconds: Math.max(1, Math.ceil((delays[attempts - 1] ?? delays.at(-1) ?? 0) / 1000)) };
}
