/**
 * The hub's failure records say what is wrong in the hub's own words
 * (issue 15, item 11): a subscriber whose name later resolves to a private
 * address is recorded as "callback refused: it is not a public address"
 * (no address), one whose name stops resolving as "the callback could not
 * be reached" (no getaddrinfo code). The hub runs without private
 * callbacks; a resolver stands in for DNS, and 127.0.0.1 (where the
 * subscriber listens) stands for a public address in the policy given to
 * the connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { hubRequest, startSubscriber, type TestSubscriber } from './support/subscriber.js';
import { hubIdle } from '../src/websub/runtime.js';
import { nodeConnector, type NodeResolver } from '../src/server/outbound-node.js';
import { nonPublicAddressReason } from '../src/net/address-policy.js';

let w: TestWarta;
let sub: TestSubscriber;
const answers: Record<string, (string[] | null)[]> = {
  // The first lookup is the verification's; the next ones are the delivery's.
  'moved.example': [['127.0.0.1'], ['10.0.0.7']],
  'gone.example': [['127.0.0.1'], null],
};
const dns: NodeResolver = async (host) => {
  const list = answers[host] ?? [];
  const found = list.length > 1 ? list.shift()! : (list[0] ?? null);
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: 4 }));
};
const topic = () => `${w.url}/institutions/lapas-kelas-i-madiun/feed.rss`;
const callback = (host: string) => `http://${host}:${new URL(sub.base).port}/cb/${host}`;

beforeAll(async () => {
  sub = await startSubscriber();
  w = await startTestWarta({
    env: { WARTA_WEBSUB_ALLOW_PRIVATE: '0', WARTA_WEBSUB_RETRY_BASE_MS: '0' },
    connector: nodeConnector({ resolve: dns, reasonOf: (a) => (a === '127.0.0.1' ? null : nonPublicAddressReason(a)) }),
  });
  await w.registerDemoRegistries();
});
afterAll(async () => {
  await w.close();
  await sub.close();
});

describe('failure records of the hub', () => {
  it('name neither the address a callback resolved to nor the resolver error', async () => {
    for (const host of ['moved.example', 'gone.example']) {
      expect((await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic(), 'hub.callback': callback(host) })).status).toBe(202);
      await sub.waitForVerification(host, 0);
      await hubIdle(w.services);
    }
    // A kept-alive connection stays pinned to the address it was made to; the deliveries must connect anew.
    sub.dropIdleConnections();
    const lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
    expect((await w.request('/api/articles', { token: lapas, json: smallArticle(1, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan' }) })).status).toBe(201);
    await hubIdle(w.services);
    const res = await w.request(`/api/websub/subscriptions?topic=${encodeURIComponent(topic())}`, { token: ADMIN_TOKEN });
    const body = (await res.json()) as { failures: { callback: string; dropped: number; lastError: string; lastAttempts: number }[] };
    expect(body.failures.map(({ callback, dropped, lastError, lastAttempts }) => ({ callback, dropped, lastError, lastAttempts }))).toEqual([
      { callback: callback('gone.example'), dropped: 1, lastError: 'the callback could not be reached', lastAttempts: 1 },
      { callback: callback('moved.example'), dropped: 1, lastError: 'callback refused: it is not a public address', lastAttempts: 1 },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/10\.0\.0\.7|ENOTFOUND|getaddrinfo/);
    expect(sub.pushes).toEqual([]);
  });
});
