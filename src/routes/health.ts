/**
 * `GET /healthz` for load balancers and operators: whether the store
 * answers (one GetItem of a key no item has), how many write intents are
 * pending (one small Query per intent partition), and the version. 503 with
 * Retry-After when the store does not answer. The answer is shared by the
 * requests of one second per process, so probing it costs the store at most
 * that much.
 */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../app-env.js';
import { countIntents } from '../store/intents.js';
import { checkTable } from '../store/table.js';
import { errorText, log } from '../log.js';
import { TtlCache } from '../ttl-cache.js';

/** What /healthz reports. */
export interface Health {
  status: 'ok' | 'unavailable';
  version: string;
  store: { kind: string; reachable: boolean };
  /** Write intents not yet completed (a crash left them, or writes in flight); null when the store does not answer. */
  pendingWrites: number | null;
}

/** How long one probe answers /healthz in this process. */
export const HEALTH_MEMO_MS = 1000;

/** The memo of the last probe: `services.health` (buildServices). */
export const newHealthMemo = (): TtlCache<'health', Promise<Health>> => new TtlCache({ ttlMs: HEALTH_MEMO_MS, max: 1 });

async function probe(s: Services, version: string): Promise<Health> {
  try {
    await checkTable(s.db);
    const pendingWrites = await countIntents(s.db);
    return { status: 'ok', version, store: { kind: s.config.store, reachable: true }, pendingWrites };
  } catch (err) {
    log.error('healthz: store does not answer', { error: errorText(err) });
    return { status: 'unavailable', version, store: { kind: s.config.store, reachable: false }, pendingWrites: null };
  }
}

/** The health of these services, probed at most once a second per process. */
export function health(s: Services, version: string): Promise<Health> {
  const memo = s.health;
  const cached = memo.get('health');
  if (cached) return cached;
  const result = probe(s, version);
  memo.set('health', result);
  return result;
}

/** The `/healthz` route group. */
export function healthRoutes(version: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', async (c) => {
    const h = await health(c.get('services'), version);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Request-Id': c.get('requestId') };
    if (h.status !== 'ok') headers['Retry-After'] = '5';
    return new Response(JSON.stringify(h), { status: h.status === 'ok' ? 200 : 503, headers });
  });
  return app;
}
