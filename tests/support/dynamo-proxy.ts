/**
 * A loopback HTTP proxy in front of the test dynalite that can answer any
 * request the way DynamoDB does when throttling (400 with
 * ProvisionedThroughputExceededException) or by cutting the connection,
 * counting every attempt per operation, refusing operations the way IAM
 * does (AccessDeniedException), or be closed to make the store unreachable.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** DynamoDB's throttling answer. */
export const THROTTLING_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
});

/** A running proxy. `throttle(op, n)` decides whether the n-th attempt (1-based) of `op` (e.g. "BatchWriteItem") is refused. */
export interface DynamoProxy {
  endpoint: string;
  /** Attempts seen per operation since the last reset. */
  attempts: Map<string, number>;
  throttle: (op: string, n: number) => boolean;
  /** Whether the n-th attempt of `op` has its connection cut (the SDK sees a reset socket). */
  cut: (op: string, n: number) => boolean;
  /** When it returns a promise for a request (`op`, its JSON body), the store's answer is held back until the promise settles (to stage races). */
  hold: (op: string, body: string) => Promise<void> | null;
  /** Whether `op` is refused as IAM refuses an action the policy does not grant; refused operations are listed in `refused`. */
  deny: (op: string) => boolean;
  refused: string[];
  reset(): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Starts a proxy to `target` that throttles nothing until `throttle` is replaced. */
export async function startDynamoProxy(target: string): Promise<DynamoProxy> {
  const proxy: DynamoProxy = {
    endpoint: '',
    attempts: new Map(),
    throttle: () => false,
    cut: () => false,
    hold: () => null,
    deny: () => false,
    refused: [],
    reset: () => proxy.attempts.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const op = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
    const n = (proxy.attempts.get(op) ?? 0) + 1;
    proxy.attempts.set(op, n);
    if (proxy.cut(op, n)) {
      req.socket.destroy();
      return;
    }
    if (proxy.deny(op)) {
      proxy.refused.push(op);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `denied-${n}` });
      res.end(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: `User is not authorized to perform: dynamodb:${op}` }));
      return;
    }
    if (proxy.throttle(op, n)) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${n}` });
      res.end(THROTTLING_BODY);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: new Uint8Array(body) });
    const out = Buffer.from(await upstream.arrayBuffer());
    await proxy.hold(op, body.toString('utf8'));
    const relay: Record<string, string> = {};
    for (const [k, v] of upstream.headers) if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) relay[k] = v;
    res.writeHead(upstream.status, { ...relay, 'content-length': String(out.length) });
    res.end(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
