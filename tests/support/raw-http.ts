/**
 * HTTP/1.1 requests on a fresh connection each, with the path sent as is
 * (no URL normalization, so `/api/categories/../x` reaches the server) and
 * any body or headers, for hostile-input tests. A fresh connection keeps a
 * server that closes early (413, 415) from disturbing the next request.
 */
import { request as httpRequest } from 'node:http';

/** A response as read off the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Sends one request to `base` (http://host:port) and reads the whole response. */
export function rawRequest(
  base: string,
  init: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean },
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let responded = false;
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined && !init.chunked) headers['content-length'] = String(Buffer.byteLength(init.body));
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: init.method, path: init.path, headers, agent: false },
      (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: flat, text, json });
        });
        res.on('error', reject);
      },
    );
    // The server may answer (413, 415) and close before it has read the whole body.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.on('close', () => {
      if (!responded) reject(new Error(`test: ${init.method} ${init.path}: connection closed without a response`));
    });
    if (init.body !== undefined) {
      if (init.chunked) {
        const body = Buffer.from(init.body);
        for (let at = 0; at < body.length; at += 16_384) req.write(body.subarray(at, at + 16_384));
      } else req.write(init.body);
    }
    req.end();
  });
}
