/**
 * Bearer authentication. The admin token comes from the WARTA_ADMIN_TOKEN
 * secret; keys are looked up by id and their secret's hash compared in
 * constant time. Failed attempts are counted per client address and
 * throttled (429 with Retry-After). Tokens are never logged.
 *
 * The throttle's memory is bounded by two LRUs (lru-cache), never by
 * clearing: counting windows of up to 50,000 addresses, and, apart, the
 * addresses already throttled (up to 10,000). A flood of single failures
 * from many addresses only churns the first; it cannot lift a throttle.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from '../app-env.js';
import { ProblemError } from '../http/problem.js';
import { getKey, type StoredKey } from '../store/api-keys.js';
import { constantTimeEqual, parseKeyToken, sha256Hex } from './tokens.js';
import type { Principal } from './principal.js';
import { LRUCache } from 'lru-cache';

const KEY_CACHE_MS = 5_000;
const WINDOW_MS = 60_000;

interface FailureWindow {
  startMs: number;
  count: number;
}

/** Addresses whose failures are being counted, at most. */
export const MAX_COUNTED_ADDRESSES = 50_000;
/** Throttled addresses remembered until their window ends, at most. */
export const MAX_THROTTLED_ADDRESSES = 10_000;
/** Key lookups cached, at most. */
const MAX_CACHED_KEYS = 10_000;

type KeyCache = LRUCache<string, { key: StoredKey | null; atMs: number }>;

/** Authentication's per-process state (`services.auth`): bounded LRUs, so no flood can clear them. */
export interface AuthState {
  /** Keys (or their absence) by id, trusted for KEY_CACHE_MS on the services' clock. */
  keys: KeyCache;
  /** Failed attempts per client address, in one-minute windows. */
  failures: LRUCache<string, FailureWindow>;
  /** Addresses throttled, with the end of their window. */
  throttled: LRUCache<string, number>;
}

/** A fresh AuthState (built once in buildServices). */
export const newAuthState = (): AuthState => ({
  keys: new LRUCache({ max: MAX_CACHED_KEYS }) as KeyCache,
  failures: new LRUCache<string, FailureWindow>({ max: MAX_COUNTED_ADDRESSES }),
  throttled: new LRUCache<string, number>({ max: MAX_THROTTLED_ADDRESSES }),
});

/** Forgets a cached key at once (after revocation in this process). */
export function forgetKey(s: Services, id: string): void {
  s.auth.keys.delete(id);
}

async function lookupKey(s: Services, id: string): Promise<StoredKey | null> {
  const cache = s.auth.keys;
  const now = s.clock();
  const hit = cache.get(id);
  if (hit && now - hit.atMs < KEY_CACHE_MS) return hit.key;
  const key = await getKey(s.db, id);
  cache.set(id, { key, atMs: now });
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
  const fromRuntime = c.get('services').clientAddress;
  return fromRuntime ? fromRuntime(c) : (c.req.header('cf-connecting-ip') ?? 'unknown');
};

/** Requires a valid bearer token and sets `principal`; 401 otherwise, 429 after too many failures. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const s = c.get('services');
    const address = clientAddress(c);
    const { failures, throttled } = s.auth;
    const now = s.clock();
    const until = throttled.get(address);
    if (until !== undefined && now >= until) throttled.delete(address);
    if (until !== undefined && now < until) {
      const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
      throw new ProblemError('too-many-requests', 'too many failed authentications from this address; try again later', {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = m ? await principalOf(s, m[1]!) : null;
    if (!principal) {
      const window = failures.get(address);
      const w = window && now - window.startMs < WINDOW_MS ? window : { startMs: now, count: 0 };
      w.count++;
      if (w.count >= s.config.authFailuresPerMinute) {
        // From now on until the window ends: every request from this address is 429.
        throttled.set(address, w.startMs + WINDOW_MS);
        failures.delete(address);
      } else failures.set(address, w);
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
