/**
 * A real WebSub subscriber for tests: a node:http server on 127.0.0.1 whose
 * callbacks (`/cb/<name>`) answer verification GETs and record pushes. Each
 * callback's behaviour is set per name: echo the challenge or a wrong one
 * (or never answer), answer pushes 2xx, 500, 410, or never (hang).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A verification request as received. */
export interface Verification {
  name: string;
  mode: string;
  topic: string;
  challenge: string;
  leaseSeconds?: string;
}

/** A push as received. */
export interface Push {
  name: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** How a callback behaves. */
export interface Behaviour {
  verify: 'echo' | 'wrong' | 'fail' | 'hang';
  push: 200 | 202 | 410 | 500 | 'hang';
}

/** A running subscriber. */
export interface TestSubscriber {
  base: string;
  callback(name: string): string;
  behave(name: string, behaviour: Partial<Behaviour>): void;
  verifications: Verification[];
  pushes: Push[];
  /** Requests received and not answered yet (hanging pushes). */
  open: Set<string>;
  pushesOf(name: string): Push[];
  /** Resolves with the first push to `name` after `count` earlier ones, or rejects after `timeoutMs`. */
  waitForPush(name: string, count: number, timeoutMs?: number): Promise<Push>;
  waitForVerification(name: string, count: number, timeoutMs?: number): Promise<Verification>;
  /** Closes idle keep-alive connections: the hub's next request needs a new connection (and a new lookup). */
  dropIdleConnections(): void;
  /** Cuts every hanging request (verifications and pushes): the hub sees its connection fail. */
  releaseHanging(): void;
  /** Answers every hanging request with `status` (an empty body): a slow subscriber that finally replies. */
  answerHanging(status: number): void;
  close(): Promise<void>;
}

/** Starts a subscriber on 127.0.0.1 (any free port, or `port` to come back where a closed one was). */
export async function startSubscriber(port = 0): Promise<TestSubscriber> {
  const behaviours = new Map<string, Behaviour>();
  const verifications: Verification[] = [];
  const pushes: Push[] = [];
  const open = new Set<string>();
  const waiters: (() => void)[] = [];
  const hanging = new Set<ServerResponse>();
  const notify = () => waiters.splice(0).forEach((w) => w());

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://subscriber');
    const name = url.pathname.replace(/^\/cb\//, '');
    const b = behaviours.get(name) ?? { verify: 'echo', push: 200 };
    if (req.method === 'GET') {
      const q = url.searchParams;
      const v: Verification = { name, mode: q.get('hub.mode') ?? '', topic: q.get('hub.topic') ?? '', challenge: q.get('hub.challenge') ?? '' };
      if (q.has('hub.lease_seconds')) v.leaseSeconds = q.get('hub.lease_seconds')!;
      verifications.push(v);
      notify();
      if (b.verify === 'fail') return void res.writeHead(404).end();
      if (b.verify === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(b.verify === 'echo' ? v.challenge : `${v.challenge}-not`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushes.push({ name, headers: req.headers, body: Buffer.concat(chunks) });
      notify();
      if (b.push === 'hang') {
        const id = `${name}#${pushes.length}`;
        open.add(id);
        hanging.add(res);
        res.on('close', () => {
          open.delete(id);
          hanging.delete(res);
        });
        return;
      }
      res.writeHead(b.push).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const waitFor = <T>(find: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subscriber: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });

  return {
    base,
    callback: (name) => `${base}/cb/${name}`,
    behave: (name, behaviour) => behaviours.set(name, { verify: 'echo', push: 200, ...behaviours.get(name), ...behaviour }),
    verifications,
    pushes,
    open,
    pushesOf: (name) => pushes.filter((p) => p.name === name),
    waitForPush: (name, count, timeoutMs = 2_000) => waitFor(() => pushes.filter((p) => p.name === name)[count], timeoutMs, `push #${count + 1} to ${name}`),
    waitForVerification: (name, count, timeoutMs = 2_000) =>
      waitFor(() => verifications.filter((v) => v.name === name)[count], timeoutMs, `verification #${count + 1} of ${name}`),
    dropIdleConnections: () => server.closeIdleConnections(),
    releaseHanging: () => {
      for (const res of hanging) res.destroy();
    },
    answerHanging: (status) => {
      for (const res of [...hanging]) res.writeHead(status).end();
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs a hub request (form-encoded) to Warta's hub, with a key when `token` is given. */
export async function hubRequest(baseUrl: string, params: Record<string, string>, token?: string): Promise<Response> {
  return fetch(`${baseUrl}/websub`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new URLSearchParams(params).toString(),
  });
}
