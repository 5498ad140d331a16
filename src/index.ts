/**
 * Cloudflare Workers entry: builds the app from the bindings and nothing
 * more. Services are built once per isolate and rebuilt only when the
 * binding values change; a cron trigger replays interrupted writes. With
 * the `WEBSUB_QUEUE` binding (a Cloudflare Queue, wrangler.toml), WebSub
 * deliveries are sent to it and consumed by `queue` below, which retries
 * them with backoff for as long as the hub's schedule says, beyond any
 * request's lifetime; without it they run in the request's waitUntil.
 */
import type { Services } from './app-env.js';
import { createApp } from './app.js';
import { readConfig, type Bindings } from './config.js';
import { ProblemError } from './http/problem.js';
import { loggedFetch } from './http/access-log.js';
import { buildServices } from './services.js';
import { recoverPendingWrites } from './store/recovery.js';
import { installHubOn, sweepWebSub } from './websub/hub.js';
import { asDeliveryMessage, deliverQueued } from './websub/durable-delivery.js';
import { setDeliverySink, type DeliveryMessage } from './websub/runtime.js';
import { missingWorkerBindings } from './worker-bindings.js';
import { runDueSources } from './ingest/scheduler.js';
import { errorText, log } from './log.js';

/** The part of a Workers ExecutionContext this entry uses. */
interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of a Workers ScheduledController this entry uses. */
interface ScheduledEvent {
  cron: string;
  scheduledTime: number;
}

/** The producer side of a Cloudflare Queue binding. */
interface QueueProducer {
  sendBatch(messages: { body: DeliveryMessage }[]): Promise<unknown>;
}

/** One message of a Cloudflare Queue batch, as the consumer sees it. */
interface QueueMessage {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** The Worker's bindings: the configuration's strings and the WebSub delivery queue. */
export type WorkerEnv = Bindings & { WEBSUB_QUEUE?: QueueProducer };

/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH_MAX = 100;

/** Bindings whose values never appear in a response or a log line. */
const SECRET_NAMES = ['WARTA_ADMIN_TOKEN', 'WARTA_CURSOR_SECRET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

let memo: { key: string; services: Services } | { key: string; problem: () => ProblemError } | undefined;

const bindingsKey = (env: Bindings): string =>
  JSON.stringify(
    Object.entries(env as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

const redact = (env: Bindings, text: string): string =>
  SECRET_NAMES.reduce((t, name) => {
    const value = env[name];
    return value ? t.split(value).join('[redacted]') : t;
  }, text);

/**
 * The services of this isolate for these bindings, checked and built once per set of binding
 * values (so at the isolate's first request). A missing binding or a malformed setting becomes a
 * 503 problem naming it, never showing a secret's value, logged once with how to set it.
 */
export function servicesFor(env: Bindings): Services {
  const key = bindingsKey(env);
  if (memo?.key === key) {
    if ('services' in memo) return memo.services;
    throw memo.problem();
  }
  const missing = missingWorkerBindings(env);
  if (missing.length > 0) {
    const names = missing.map((m) => m.name);
    log.error('worker: configuration incomplete, every request answers 503', { missing: names, fix: missing.map((m) => m.fix) });
    const detail = `worker: Warta is not configured: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set`;
    const errors = missing.map((m) => ({ field: m.name, reason: m.kind === 'secret' ? `secret not set (${m.fix})` : `not set (${m.fix})` }));
    memo = { key, problem: () => new ProblemError('misconfigured', detail, { errors }) };
    throw memo.problem();
  }
  let services: Services;
  try {
    services = buildServices(readConfig(env));
  } catch (err) {
    const message = redact(env, errorText(err));
    log.error('worker: configuration rejected, every request answers 503', { error: message });
    memo = { key, problem: () => new ProblemError('misconfigured', `worker: Warta is misconfigured: ${message}`, { cause: err }) };
    throw memo.problem();
  }
  const deliveries = (env as WorkerEnv).WEBSUB_QUEUE;
  if (deliveries) {
    setDeliverySink(services, async (messages) => {
      for (let i = 0; i < messages.length; i += SEND_BATCH_MAX) await deliveries.sendBatch(messages.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })));
    });
  }
  memo = { key, services };
  return services;
}

const app = createApp((env) => servicesFor(env));

/** Consumes WebSub deliveries (the consumer in wrangler.toml): one attempt per message, retried by the queue after the hub's backoff. */
async function queue(batch: { queue: string; messages: QueueMessage[] }, env: WorkerEnv, ctx: WaitUntil): Promise<void> {
  const services = servicesFor(env);
  installHubOn(services, async (request) => app.fetch(request, env, ctx as never));
  await Promise.all(
    batch.messages.map(async (msg) => {
      const message = asDeliveryMessage(msg.body);
      if (!message) {
        log.warn('worker: not a WebSub delivery; dropped', { queue: batch.queue });
        return msg.ack();
      }
      try {
        const outcome = await deliverQueued(services, message, msg.attempts);
        if ('ack' in outcome) return msg.ack();
        log.info('worker: WebSub delivery to be retried', { topic: message.topic, attempts: msg.attempts, delaySeconds: outcome.retryAfterSeconds });
        msg.retry({ delaySeconds: outcome.retryAfterSeconds });
      } catch (err) {
        // The store or the app failed, not the subscriber: the queue retries (and dead-letters after max_retries).
        log.error('worker: WebSub delivery failed', { topic: message.topic, error: errorText(err) });
        msg.retry({ delaySeconds: 30 });
      }
    }),
  );
}

/** Replays writes a crashed or cancelled request left half-done, pushes feeds whose embargo lifted and fetches due sources (the cron trigger in wrangler.toml). */
async function scheduled(event: ScheduledEvent, env: Bindings, ctx: WaitUntil): Promise<void> {
  const services = servicesFor(env);
  ctx.waitUntil(
    recoverPendingWrites(services.db, services.clock()).then(
      (count) => log.info('worker: recovery ran', { cron: event.cron, replayed: count }),
      (err: unknown) => {
        log.error('worker: recovery failed', { cron: event.cron, error: errorText(err) });
        throw new Error('worker: recovery failed', { cause: err });
      },
    ),
  );
  ctx.waitUntil(
    sweepWebSub(services, async (request) => app.fetch(request, env)).catch((err: unknown) => {
      log.error('worker: embargo push sweep failed', { cron: event.cron, error: errorText(err) });
    }),
  );
  // Registered sources due now are fetched (conditional GET; a failing source backs off alone).
  ctx.waitUntil(
    runDueSources(services, (p) => ctx.waitUntil(p)).catch((err: unknown) => {
      log.error('worker: source scheduler failed', { cron: event.cron, error: errorText(err) });
    }),
  );
}

/**
 * Every answer carries the Date of the answer (RFC 9110 §6.6.1). Cloudflare's edge adds one,
 * workerd alone (`wrangler dev`) does not; nothing replayed from a cache supplies it.
 */
const fetchWithDate: typeof app.fetch = async (request, env, ctx) => {
  const res = await app.fetch(request, env, ctx);
  if (!res.headers.has('Date')) {
    try {
      res.headers.set('Date', new Date().toUTCString());
    } catch {
      // immutable headers (a Response passed through unchanged): the platform adds its own
    }
  }
  return res;
};

/** The Worker: HTTP requests go to the Hono app (one access line each, every answer dated); cron events run recovery; queue batches are WebSub deliveries. */
export default { fetch: loggedFetch(fetchWithDate, (env: Bindings) => servicesFor(env).config.logLevel), scheduled, queue };
