/**
 * Bearer authentication. The admin token comes from the WARTA_ADMIN_TOKEN
 * secret; keys are looked up by id and their secret's hash compared in
 * constant time. Failed attempts are counted per client address and
 * throttled (429 with Retry-After). Tokens are never logged.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from '../app-env.js';
import { ProblemError } from '../http/problem.js';
import { getKey, type StoredKey } from '../store/api-keys.js';
import { constantTimeEqual, parseKeyToken, sha256Hex } from './tokens.js';
import type { Principal } from './principal.js';
import { TtlCache } from '../ttl-cache.js';

const KEY_CACHE_MS = 5_000;
const WINDOW_MS = 60_000;

interface FailureWindow {
  startMs: number;
  count: number;
}

function local<T>(s: Services, name: string, make: () => T): T {
  let v = s.local.get(name) as T | undefined;
  if (v === undefined) s.local.set(name, (v = make()));
  return v;
}

/** The key cache of these services: keys (or their absence) for KEY_CACHE_MS on the services' clock. */
const keyCache = (s: Services) => local(s, 'auth.keys', () => new TtlCache<string, { key: StoredKey | null }>({ ttlMs: KEY_CACHE_MS, max: 10_000, clock: s.clock }));

/** Forgets a cached key at once (after revocation in this process). */
export function forgetKey(s: Services, id: string): void {
  keyCache(s).delete(id);
}

async function lookupKey(s: Services, id: string): Promise<StoredKey | null> {
  const cache = keyCache(s);
  const hit = cache.get(id);
  if (hit) return hit.key;
  const key = await getKey(s.db, id);
  cache.set(id, { key });
  return key;
}

async function principalOf(s: Services, token: string): Promise<Principal | null> {
  if (s.config.adminToken) {
    const [a, b] = await Promise.all([sha256Hex(token), sha256Hex(s.config.adminToken)]);
    if (constantTimeEqual(a, b)) return { kind: 'admin', id: 'admin' };
  }
  const parsed = parseKeyToken(token);
  if (!parsed) return null;
  const key = await lookupKey(s, parsed.id);
  if (!key || key.revokedAt) return null;
  if (!constantTimeEqual(await sha256Hex(parsed.secret), key.secretHash)) return null;
  return { kind: 'key', id: key.id, role: key.role, institutions: key.institutions };
}

/**
 * The caller's address, for throttling: what the runtime reports when the entry set a
 * `clientAddress` function (Node: the socket's peer, since any client can send a
 * CF-Connecting-IP header there), else CF-Connecting-IP (set by Cloudflare on Workers).
 */
export const clientAddress = (c: Context<AppEnv>) => {
  const fromRuntime = c.get('services').local.get('clientAddress') as ((c: Context) => string) | undefined;
  return fromRuntime ? fromRuntime(c) : (c.req.header('cf-connecting-ip') ?? 'unknown');
};

/** Requires a valid bearer token and sets `principal`; 401 otherwise, 429 after too many failures. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const s = c.get('services');
    const address = clientAddress(c);
    const failures = local(s, 'auth.failures', () => new Map<string, FailureWindow>());
    const now = s.clock();
    const window = failures.get(address);
    if (window && now - window.startMs < WINDOW_MS && window.count >= s.config.authFailuresPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((window.startMs + WINDOW_MS - now) / 1000));
      throw new ProblemError('too-many-requests', 'too many failed authentications from this address; try again later', {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = m ? await principalOf(s, m[1]!) : null;
    if (!principal) {
      const w = window && now - window.startMs < WINDOW_MS ? window : { startMs: now, count: 0 };
      w.count++;
      if (failures.size > 50_000) failures.clear();
      failures.set(address, w);
      throw new ProblemError('unauthorized', m ? 'the bearer token is not valid' : 'send Authorization: Bearer <token>', {
        headers: { 'WWW-Authenticate': 'Bearer realm="warta"' },
      });
    }
    c.set('principal', principal);
    await next();
  };
}

/** The authenticated principal (after `authenticate`). */
export function principal(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new ProblemError('unauthorized', 'send Authorization: Bearer <token>');
  return p;
}

/** Requires the admin token; 403 for any key. */
export function requireAdmin(c: Context<AppEnv>): void {
  if (principal(c).kind !== 'admin') throw new ProblemError('forbidden', 'this route needs the admin token');
}
