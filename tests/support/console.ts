/** Console sessions for tests: sign in with a token over HTTP, then call /console/api with the cookie and CSRF token. */
import type { TestWarta } from './warta.js';

/** A signed-in console client. */
export interface ConsoleClient {
  cookie: string;
  csrf: string;
  setCookie: string;
  me: Record<string, any>;
  call(method: string, path: string, init?: { json?: unknown; headers?: Record<string, string>; csrf?: string | null }): Promise<Response>;
}

/** Signs in with `token`; throws unless the console answers 201. */
export async function signIn(w: TestWarta, token: string): Promise<ConsoleClient> {
  const res = await w.request('/console/api/session', { method: 'POST', token, json: {} });
  if (res.status !== 201) throw new Error(`signIn: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const me = (await res.json()) as Record<string, any>;
  const call: ConsoleClient['call'] = (method, path, init = {}) => {
    const headers: Record<string, string> = { cookie, ...init.headers };
    const csrf = init.csrf === undefined ? me.csrf : init.csrf;
    if (csrf !== null) headers['x-warta-csrf'] = csrf;
    return w.request(`/console/api${path}`, { method, headers, ...(init.json !== undefined ? { json: init.json } : {}) });
  };
  return { cookie, csrf: me.csrf, setCookie, me, call };
}
