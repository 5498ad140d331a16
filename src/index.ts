/**
 * Cloudflare Workers entry: builds the app from the bindings and nothing
 * more. Services are built once per isolate and rebuilt only when the
 * binding values change; a cron trigger replays interrupted writes.
 */
import type { Services } from './app-env.js';
import { createApp } from './app.js';
import { readConfig, type Bindings } from './config.js';
import { ProblemError } from './http/problem.js';
import { buildServices } from './services.js';
import { recoverPendingWrites } from './store/recovery.js';
import { sweepWebSub } from './websub/hub.js';
import { runDueSources } from './ingest/scheduler.js';

/** The part of a Workers ExecutionContext this entry uses. */
interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of a Workers ScheduledController this entry uses. */
interface ScheduledEvent {
  cron: string;
  scheduledTime: number;
}

/** Bindings whose values never appear in a response or a log line. */
const SECRET_NAMES = ['WARTA_ADMIN_TOKEN', 'WARTA_CURSOR_SECRET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

let memo: { key: string; services: Services } | undefined;

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

/** The services of this isolate for these bindings; a configuration error becomes a 500 problem naming the setting. */
export function servicesFor(env: Bindings): Services {
  const key = bindingsKey(env);
  if (memo?.key === key) return memo.services;
  let services: Services;
  try {
    services = buildServices(readConfig(env));
  } catch (err) {
    const message = redact(env, String((err as Error)?.message ?? err));
    console.error(JSON.stringify({ level: 'error', msg: 'worker: configuration rejected', error: message }));
    throw new ProblemError('internal', `worker: Warta is misconfigured: ${message}`, { cause: err });
  }
  memo = { key, services };
  return services;
}

const app = createApp((env) => servicesFor(env));

/** Replays writes a crashed or cancelled request left half-done, pushes feeds whose embargo lifted and fetches due sources (the cron trigger in wrangler.toml). */
async function scheduled(event: ScheduledEvent, env: Bindings, ctx: WaitUntil): Promise<void> {
  const services = servicesFor(env);
  ctx.waitUntil(
    recoverPendingWrites(services.db, services.clock()).then(
      (count) => console.log(JSON.stringify({ level: 'info', msg: 'worker: recovery ran', cron: event.cron, replayed: count })),
      (err: unknown) => {
        console.error(JSON.stringify({ level: 'error', msg: 'worker: recovery failed', cron: event.cron, error: String((err as Error)?.message ?? err) }));
        throw new Error('worker: recovery failed', { cause: err });
      },
    ),
  );
  ctx.waitUntil(
    sweepWebSub(services, async (request) => app.fetch(request, env)).catch((err: unknown) => {
      console.error(JSON.stringify({ level: 'error', msg: 'worker: embargo push sweep failed', cron: event.cron, error: String((err as Error)?.message ?? err) }));
    }),
  );
  // Registered sources due now are fetched (conditional GET; a failing source backs off alone).
  ctx.waitUntil(
    runDueSources(services, (p) => ctx.waitUntil(p)).catch((err: unknown) => {
      console.error(JSON.stringify({ level: 'error', msg: 'worker: source scheduler failed', cron: event.cron, error: String((err as Error)?.message ?? err) }));
    }),
  );
}

/** The Worker: HTTP requests go to the Hono app; cron events run recovery. */
export default { fetch: app.fetch, scheduled };
