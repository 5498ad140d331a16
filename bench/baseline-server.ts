/**
 * Child process: the static baseline. A bare node:http server on 127.0.0.1
 * that answers `/r/<name>` with a response captured from Warta once (same
 * status, same headers, same body bytes: identity or gzip, or the 304), from
 * memory, doing nothing else. It is what "serving a file from memory" costs
 * on this machine, with the same bytes on the wire.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announceReady, failStart, memoryNow, serveParent } from './child-ipc.js';

/** A canned response, as sent by the parent. */
export interface CannedResponse {
  status: number;
  /** Header name/value pairs, in Warta's order (without Date, Connection, Keep-Alive, Transfer-Encoding). */
  headers: [string, string][];
  bodyBase64: string;
}

interface Prepared {
  status: number;
  headers: string[];
  body: Buffer;
}

const responses = new Map<string, Prepared>();
const NOT_FOUND = Buffer.from('not found\n');

try {
  const server = createServer((req, res) => {
    const hit = responses.get(req.url ?? '');
    if (!hit) {
      res.writeHead(404, ['Content-Type', 'text/plain', 'Content-Length', String(NOT_FOUND.length)]);
      res.end(NOT_FOUND);
      return;
    }
    res.writeHead(hit.status, hit.headers);
    res.end(hit.body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  serveParent(
    {
      set: (payload) => {
        const { name, response } = payload as { name: string; response: CannedResponse };
        const body = Buffer.from(response.bodyBase64, 'base64');
        const headers = response.headers.flatMap(([k, v]) => [k, v]);
        if (response.status !== 304) headers.push('Content-Length', String(body.length));
        responses.set(`/r/${name}`, { status: response.status, headers, body });
        return `/r/${name}`;
      },
      stats: () => memoryNow(),
    },
    () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  );
  announceReady({ url: `http://127.0.0.1:${port}` });
} catch (err) {
  failStart(err);
}
