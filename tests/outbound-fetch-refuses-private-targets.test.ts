/**
 * The outbound fetch every server-side request to a foreign URL goes
 * through (src/net/public-fetch.ts with Node's connector): targets are
 * checked as literals, after DNS with the connection pinned to the checked
 * address, and on every redirect; bodies and times are bounded. All traffic
 * stays on loopback: "public" addresses are simulated by a resolver that
 * answers 127.0.0.2 (nothing listens there) and a policy test that names it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonPublicAddressReason } from '../src/net/address-policy.js';
import { createOutboundFetch, OutboundError, type OutboundLimits } from '../src/net/public-fetch.js';
import { nodeConnector, type NodeResolver } from '../src/server/outbound-node.js';

let server: Server;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url === '/redirect-private') return res.writeHead(302, { location: `http://127.0.0.1:${port}/landed` }).end();
    if (req.url === '/redirect-loop') return res.writeHead(301, { location: '/redirect-loop' }).end();
    if (req.url === '/redirect-ok') return res.writeHead(303, { location: '/landed' }).end();
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const more = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once('drain', more);
        else res.end();
      };
      return more();
    }
    if (req.url === '/announced-big') return res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end();
    if (req.url === '/drip') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (req.url === '/latin1') return res.writeHead(200, { 'content-type': 'text/plain; charset=windows-1252' }).end(Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0xe9]));
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const LIMITS: OutboundLimits = { allowPrivate: false, timeoutMs: 2_000, maxBytes: 1024 * 1024, maxRedirects: 3 };
const resolver = (table: Record<string, string[]>, calls: string[] = []): NodeResolver => async (host) => {
  calls.push(host);
  const found = table[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function failure(p: Promise<unknown>): Promise<OutboundError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OutboundError) return err;
    throw err;
  }
  throw new Error('expected an OutboundError');
}

describe('the outbound fetch', () => {
  it('refuses literal loopback, private, link-local (metadata), SIIT and Teredo targets before any connection', async () => {
    const fetchOut = createOutboundFetch(nodeConnector({ resolve: resolver({}) }));
    const before = hits.length;
    for (const target of [
      `http://127.0.0.1:${port}/x`,
      `http://localhost:${port}/x`,
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:0:127.0.0.1]/',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      'http://2130706433/',
      'http://0x7f.1/',
    ]) {
      const err = await failure(fetchOut(target, undefined, LIMITS));
      expect([target, err.kind]).toEqual([target, 'refused']);
    }
    expect(hits.length).toBe(before);
    expect(nonPublicAddressReason('::ffff:0:10.0.0.1')).toBe('a private address');
  });

  it('refuses a name that resolves to a private address, without echoing the address', async () => {
    const calls: string[] = [];
    const fetchOut = createOutboundFetch(nodeConnector({ resolve: resolver({ 'evil.example': ['127.0.0.1'] }, calls) }));
    const before = hits.length;
    const err = await failure(fetchOut(`http://evil.example:${port}/x`, undefined, LIMITS));
    expect(err.kind).toBe('refused');
    expect(err.message).toBe('net: host evil.example resolves to a non-public address');
    expect(err.message).not.toContain('127.0.0.1');
    expect(calls).toEqual(['evil.example']);
    expect(hits.length).toBe(before);
  });

  it('connects to exactly the address it checked: one lookup per connection, no second resolution to rebind', async () => {
    // The lookup the socket uses is the checked one: a name pinned to 127.0.0.1 by our resolver reaches the
    // loopback server although the OS would not resolve it at all.
    const calls: string[] = [];
    const fetchOut = createOutboundFetch(nodeConnector({ resolve: resolver({ 'pinned.example': ['127.0.0.1'] }, calls) }));
    const res = await fetchOut(`http://pinned.example:${port}/pinned`, undefined, { ...LIMITS, allowPrivate: true });
    expect([res.status, await res.text()]).toEqual([200, 'hello /pinned']);
    expect(calls).toEqual(['pinned.example']);
  });

  it('connects to the address it checked: a rebinding resolver (public first, loopback after) never reaches loopback', async () => {
    // 127.0.0.2 stands for the "public" first answer (the policy below treats only 127.0.0.1 as private);
    // the server listens on 127.0.0.1 only, so a connection to the checked address is refused by the OS.
    const answers = [['127.0.0.2'], ['127.0.0.1']];
    const calls: string[] = [];
    const rebinding: NodeResolver = async (host) => {
      calls.push(host);
      return (answers.shift() ?? ['127.0.0.1']).map((address) => ({ address, family: 4 }));
    };
    const reasonOf = (address: string) => (address === '127.0.0.1' ? 'a loopback address' : null);
    const fetchOut = createOutboundFetch(nodeConnector({ resolve: rebinding, reasonOf }));
    const before = hits.length;
    const err = await failure(fetchOut(`http://rebind.example:${port}/secret`, undefined, LIMITS));
    expect(err.kind).toBe('network');
    expect(err.message).toBe(`net: request to http://rebind.example:${port} failed: ECONNREFUSED`);
    expect(calls).toEqual(['rebind.example']);
    expect(hits.length).toBe(before);
    // The next connection resolves again, is checked again, and the loopback answer is refused.
    const second = await failure(fetchOut(`http://rebind.example:${port}/secret`, undefined, LIMITS));
    expect([second.kind, calls, hits.length]).toEqual(['refused', ['rebind.example', 'rebind.example'], before]);
  });

  it('checks every redirect hop: a redirect from an allowed host to a private one is refused', async () => {
    const fetchOut = createOutboundFetch(nodeConnector({ resolve: resolver({ 'portal.test': ['127.0.0.1'] }) }));
    const limits = { ...LIMITS, allowPrivateHosts: ['portal.test'] };
    const ok = await fetchOut(`http://portal.test:${port}/plain`, undefined, limits);
    expect(await ok.text()).toBe('hello /plain');
    const before = hits.length;
    const err = await failure(fetchOut(`http://portal.test:${port}/redirect-private`, undefined, limits));
    expect(err.kind).toBe('refused');
    expect(err.message).toBe(`net: http://127.0.0.1:${port} refused: host 127.0.0.1 is a loopback address`);
    expect(hits.slice(before)).toEqual(['GET /redirect-private']);
  });

  it('follows allowed redirects up to the limit, and not one more', async () => {
    const fetchOut = createOutboundFetch(nodeConnector());
    const res = await fetchOut(`http://127.0.0.1:${port}/redirect-ok`, { method: 'POST', body: 'x' }, { ...LIMITS, allowPrivate: true });
    expect([res.url, res.status, await res.text()]).toEqual([`http://127.0.0.1:${port}/landed`, 200, 'hello /landed']);
    const err = await failure(fetchOut(`http://127.0.0.1:${port}/redirect-loop`, undefined, { ...LIMITS, allowPrivate: true }));
    expect([err.kind, err.message]).toEqual(['too-many-redirects', `net: more than 3 redirects from http://127.0.0.1:${port}/redirect-loop`]);
    const unfollowed = await fetchOut(`http://127.0.0.1:${port}/redirect-ok`, undefined, { ...LIMITS, allowPrivate: true, maxRedirects: 0 });
    expect([unfollowed.status, unfollowed.headers.get('location')]).toEqual([303, '/landed']);
    await unfollowed.discard();
  });

  it('bounds the body (streamed or announced) and the time (a slow drip)', async () => {
    const fetchOut = createOutboundFetch(nodeConnector());
    const open = { ...LIMITS, allowPrivate: true };
    const big = await fetchOut(`http://127.0.0.1:${port}/big`, undefined, { ...open, maxBytes: 100_000 });
    const tooLarge = await failure(big.bytes());
    expect([tooLarge.kind, tooLarge.message]).toEqual(['too-large', `net: the body from http://127.0.0.1:${port} is longer than the 100000 bytes allowed`]);
    const announced = await fetchOut(`http://127.0.0.1:${port}/announced-big`, undefined, open);
    expect((await failure(announced.text())).kind).toBe('too-large');
    const drip = await fetchOut(`http://127.0.0.1:${port}/drip`, undefined, { ...open, timeoutMs: 300 });
    const slow = await failure(drip.text());
    expect([slow.kind, slow.message]).toEqual(['timeout', `net: no complete answer from http://127.0.0.1:${port} within 300 ms`]);
  });

  it('decodes the charset the answer declares', async () => {
    const fetchOut = createOutboundFetch(nodeConnector());
    const res = await fetchOut(`http://127.0.0.1:${port}/latin1`, undefined, { ...LIMITS, allowPrivate: true });
    expect(await res.text()).toBe('\u201cHi\u201d é');
  });
});
