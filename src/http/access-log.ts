/**
 * The access log: one JSON line per request, on Node (written by
 * src/server/node-server.ts at the socket, so warm feed answers are logged
 * too) and on Workers (`loggedFetch` around the app). A line carries the
 * method, the path without its query (query strings carry cursors and
 * WebSub parameters), the status, the duration, the body bytes sent and the
 * request id; never a header, so never a token. Written at level `info`
 * (WARTA_LOG_LEVEL).
 */
import type { LogLevel } from '../config.js';

/** One request, as logged. */
export interface AccessRecord {
  method: string;
  /** Request target or URL; only its path is logged. */
  target: string;
  status: number;
  durationMs: number;
  /** Body bytes sent (after compression), 0 for none. */
  bytes: number;
  requestId: string | undefined;
}

const MAX_PATH = 1024;

/** The path of a request target or absolute URL, without query or fragment, at most 1,024 characters. */
export function pathOf(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    const scheme = path.indexOf('//');
    const slash = scheme < 0 ? -1 : path.indexOf('/', scheme + 2);
    path = slash < 0 ? '/' : path.slice(slash);
  }
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  return path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
}

/** Whether access lines are written at `level`. */
export const logsAccess = (level: LogLevel) => level === 'info' || level === 'debug';

/** The JSON line of one request. */
export function accessLine(r: AccessRecord): string {
  return JSON.stringify({
    level: 'info',
    msg: 'request',
    method: r.method,
    path: pathOf(r.target),
    status: r.status,
    durationMs: Math.round(r.durationMs * 10) / 10,
    bytes: r.bytes,
    requestId: r.requestId ?? null,
  });
}

type FetchHandler<E, C> = (request: Request, env: E, ctx: C) => Response | Promise<Response>;

/**
 * Wraps a fetch handler (Workers) so each request writes one access line:
 * at once when the body size is known (Content-Length, or no body), else
 * when the body has been sent, counted as it streams out.
 */
export function loggedFetch<E, C>(handler: FetchHandler<E, C>, levelOf: (env: E) => LogLevel, write: (line: string) => void = console.log): FetchHandler<E, C> {
  return async (request, env, ctx) => {
    const started = performance.now();
    let level: LogLevel = 'info';
    try {
      level = levelOf(env);
    } catch {
      // A configuration error: the app answers it; the line is still written.
    }
    const log = (status: number, bytes: number, requestId: string | undefined) => {
      if (logsAccess(level)) write(accessLine({ method: request.method, target: request.url, status, durationMs: performance.now() - started, bytes, requestId }));
    };
    let res: Response;
    try {
      res = await handler(request, env, ctx);
    } catch (err) {
      log(500, 0, undefined);
      throw err;
    }
    if (!logsAccess(level)) return res;
    const requestId = res.headers.get('x-request-id') ?? undefined;
    const length = res.headers.get('content-length');
    if (res.body === null || request.method === 'HEAD' || length !== null) {
      log(res.status, res.body === null || request.method === 'HEAD' ? 0 : Number(length), requestId);
      return res;
    }
    let bytes = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush() {
        log(res.status, bytes, requestId);
      },
    });
    return new Response(res.body.pipeThrough(counter), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
