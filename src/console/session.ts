/**
 * Console sessions over HTTP. Sign-in exchanges a publisher or admin token
 * (checked, and throttled on failure, by the API's own `authenticate`) for
 * a random session id in an HttpOnly, SameSite=Strict cookie scoped to
 * /console, Secure except on plain-HTTP loopback. The store keeps only the
 * id's hash. Every request re-reads the session and its key: a revoked key
 * (or a changed admin token) ends the session at once. Writes need the
 * session's CSRF token in `X-Warta-Csrf` and, when the browser sends one,
 * an Origin equal to the request's own.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';
import type { Principal } from '../auth/principal.js';
import { constantTimeEqual, sha256Hex } from '../auth/tokens.js';
import { ProblemError } from '../http/problem.js';
import { getKey } from '../store/api-keys.js';
import { deleteSession, getSession, putSession, type SessionSubject, type StoredSession } from '../store/sessions.js';

/** The Hono env of console routes: the API's, plus the session in use. */
export interface ConsoleEnv {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { session?: { idHash: string; stored: StoredSession } };
}

/** The header that carries the CSRF token on writes. */
export const CSRF_HEADER = 'X-Warta-Csrf';
const SECURE_NAME = '__Secure-warta_console';
const LOOPBACK_NAME = 'warta_console';
const COOKIE_PATH = '/console';

function randomToken(): string {
  let bin = '';
  for (const b of crypto.getRandomValues(new Uint8Array(32))) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Is this request plain HTTP to a loopback host (where browsers drop Secure cookies)? */
export function isPlainLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(u.hostname));
}

const cookieName = (c: Context) => (isPlainLoopback(c.req.url) ? LOOPBACK_NAME : SECURE_NAME);

/** Starts a session for `p` (publisher key or admin) and sets its cookie; returns the CSRF token. */
export async function startSession(c: Context<ConsoleEnv>, p: Principal): Promise<string> {
  const s = c.get('services');
  const id = randomToken();
  const csrf = randomToken();
  const now = s.clock();
  const hours = s.config.consoleSessionHours;
  const subject: SessionSubject = p.kind === 'admin' ? { kind: 'admin', adminTokenHash: await sha256Hex(s.config.adminToken ?? '') } : { kind: 'key', keyId: p.id };
  await putSession(s.db, await sha256Hex(id), { subject, csrf, createdMs: now, expiresMs: now + hours * 3_600_000 });
  setCookie(c, cookieName(c), id, { path: COOKIE_PATH, httpOnly: true, secure: !isPlainLoopback(c.req.url), sameSite: 'Strict', maxAge: hours * 3600 });
  return csrf;
}

/** Ends the current session (store and cookie). */
export async function endSession(c: Context<ConsoleEnv>): Promise<void> {
  const session = c.get('session');
  if (session) await deleteSession(c.get('services').db, session.idHash);
  deleteCookie(c, cookieName(c), { path: COOKIE_PATH, secure: !isPlainLoopback(c.req.url) });
}

async function principalOfSession(c: Context<ConsoleEnv>, stored: StoredSession): Promise<Principal | null> {
  const s = c.get('services');
  if (stored.subject.kind === 'admin') {
    if (!s.config.adminToken) return null;
    return constantTimeEqual(await sha256Hex(s.config.adminToken), stored.subject.adminTokenHash) ? { kind: 'admin', id: 'admin' } : null;
  }
  const key = await getKey(s.db, stored.subject.keyId);
  if (!key || key.revokedAt || key.role !== 'publisher') return null;
  return { kind: 'key', id: key.id, role: key.role, institutions: key.institutions };
}

/** Rejects a cross-site write: Origin (when sent) must be this origin, and the CSRF header must match the session's. */
function checkWrite(c: Context<ConsoleEnv>, csrf: string | null): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) throw new ProblemError('forbidden', 'console: cross-origin write refused');
  if (csrf === null) return;
  const sent = c.req.header(CSRF_HEADER) ?? '';
  if (!constantTimeEqual(sent, csrf)) throw new ProblemError('forbidden', `console: send the session's CSRF token in ${CSRF_HEADER}`);
}

/** Origin check alone, for sign-in (there is no session, hence no CSRF token yet). */
export const requireSameOrigin = (): MiddlewareHandler<ConsoleEnv> => async (c, next) => {
  checkWrite(c, null);
  await next();
};

/** The live session of this request and its principal, or null (no cookie, unknown, expired, or its key revoked). */
export async function loadSession(c: Context<ConsoleEnv>): Promise<{ p: Principal; idHash: string; stored: StoredSession } | null> {
  const s = c.get('services');
  const id = getCookie(c, cookieName(c));
  if (!id) return null;
  const idHash = await sha256Hex(id);
  const stored = await getSession(s.db, idHash, s.clock());
  const p = stored ? await principalOfSession(c, stored) : null;
  if (!stored || !p) {
    // A session whose key was revoked is deleted; an unknown or expired id costs no write.
    if (stored) await deleteSession(s.db, idHash);
    return null;
  }
  return { p, idHash, stored };
}

/** Requires a live session: sets `principal` and `session`; 401 when there is none, it expired, or its key was revoked. */
export function requireSession(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    // Hono's `/x/*` also matches `/x`: a session checked once is not read again.
    if (c.get('session')) return next();
    const live = await loadSession(c);
    if (!live) throw new ProblemError('unauthorized', 'console: no session, or it ended; sign in again');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') checkWrite(c, live.stored.csrf);
    c.set('principal', live.p);
    c.set('session', { idHash: live.idHash, stored: live.stored });
    await next();
  };
}
