/**
 * Single HTTP requests of the harness (not the load): raw node:http so that
 * bodies arrive exactly as sent (fetch would decompress gzip), to loopback
 * only, with keep-alive.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

const AGENT = new Agent({ keepAlive: true, maxSockets: 32 });

/** Throws unless `url` is http://127.0.0.1:<port>…: the benchmark never targets anything else. */
export function assertLoopback(url: string): URL {
  const u = new URL(url);
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') throw new Error(`bench: refusing to target ${url} (loopback only)`);
  return u;
}

/** A response with its raw body. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header name/value pairs as received. */
  rawHeaders: [string, string][];
  body: Buffer;
}

type Init = { method?: string; headers?: Record<string, string>; body?: string | Buffer };

/**
 * Sends one request to `base` + `path` (path may carry a query). A GET is
 * retried once when a kept-alive socket turns out to be closed by the server.
 */
export async function send(base: string, path: string, init: Init = {}): Promise<RawResponse> {
  try {
    return await sendOnce(base, path, init);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const stale = code === 'ECONNRESET' || (err as Error).message === 'socket hang up';
    if (!stale || (init.method ?? (init.body !== undefined ? 'POST' : 'GET')) !== 'GET') throw err;
    return sendOnce(base, path, init);
  }
}

function sendOnce(base: string, path: string, init: Init): Promise<RawResponse> {
  const url = assertLoopback(new URL(path, base).href);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers: init.headers ?? {}, agent: AGENT },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) raw.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: raw, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error(`bench: ${url.href} timed out`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Sends JSON with a bearer token; returns status and parsed body (null when not JSON). */
export async function sendJson(base: string, path: string, token: string, json?: unknown, method?: string): Promise<{ status: number; body: unknown; raw: RawResponse }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (json !== undefined) headers['content-type'] = 'application/json';
  const raw = await send(base, path, { method: method ?? (json !== undefined ? 'POST' : 'GET'), headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  let body: unknown = null;
  try {
    body = JSON.parse(raw.body.toString('utf8'));
  } catch {
    body = null;
  }
  return { status: raw.status, body, raw };
}

/** Path and query of a URL (absolute or relative): the part the harness re-targets at the local server. */
export function pathOf(url: string): string {
  const u = new URL(url, 'http://127.0.0.1');
  return u.pathname + u.search;
}

const LINK_NEXT = /<([^>]+)>\s*;[^,]*rel="?next"?/i;

/**
 * The next (older) page of a feed response, as a path: from the `Link`
 * header's rel="next", else from the document (RSS/Atom `<link rel="next">`,
 * JSON Feed `next_url`). Undefined on the last page.
 */
export function nextPageOf(res: RawResponse): string | undefined {
  const link = res.headers.link;
  const fromHeader = typeof link === 'string' ? LINK_NEXT.exec(link)?.[1] : undefined;
  if (fromHeader) return pathOf(fromHeader);
  const text = res.body.toString('utf8');
  const xml = /<(?:atom:)?link\b[^>]*\brel="next"[^>]*>/.exec(text)?.[0];
  const href = xml ? /\bhref="([^"]+)"/.exec(xml)?.[1]?.replace(/&amp;/g, '&') : undefined;
  if (href) return pathOf(href);
  try {
    const next = (JSON.parse(text) as { next_url?: string }).next_url;
    return next ? pathOf(next) : undefined;
  } catch {
    return undefined;
  }
}

/** Closes the keep-alive sockets (at the end of a run). */
export const closeAgent = () => AGENT.destroy();
