/**
 * What the hub accepts at POST /websub, and the leases it grants. Refused
 * requests get a 400 problem naming each bad field (404 for a well-formed
 * feed URL of an unknown slug) and cause no request to the callback:
 * bad modes, topics that are not this deployment's feed URLs, callbacks
 * that are not http(s), carry credentials or a fragment, secrets over 200
 * bytes. A second server, without WARTA_WEBSUB_ALLOW_PRIVATE, refuses
 * loopback, link-local (169.254.169.254), IPv4-mapped and SIIT literals at
 * once; names are never resolved for the caller (no DNS oracle: the same
 * 202 whatever a name resolves to), and the verification's connection is
 * checked and pinned by the outbound fetch, so a name resolving to a
 * private address, and a rebinding name (public to the first lookup,
 * loopback to the next), never reach the subscriber. Leases default, are capped, and lapse with the (pinned) clock:
 * a lapsed subscription gets no push and is deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { hubRequest, startSubscriber, type TestSubscriber } from './support/subscriber.js';
import { hubIdle } from '../src/websub/runtime.js';
import { nodeConnector, type NodeResolver } from '../src/server/outbound-node.js';
import { nonPublicAddressReason } from '../src/net/address-policy.js';

const T0 = Date.parse('2025-03-01T03:00:00Z');
let now = T0;
let w: TestWarta;
let strict: TestWarta;
let sub: TestSubscriber;
const lookups: string[] = [];
const rebindAnswers: string[][] = [];
// A resolver that answers as a hostile DNS would. 127.0.0.2 stands for a public address (the policy below
// treats it as one; nothing listens there); the subscriber listens on 127.0.0.1.
const hostileDns: NodeResolver = async (host) => {
  lookups.push(host);
  const answers = host === 'partner.example' ? ['203.0.114.9', '10.0.0.7'] : host === 'rebind.example' ? (rebindAnswers.shift() ?? ['127.0.0.1']) : null;
  if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return answers.map((address) => ({ address, family: 4 }));
};

const lapasTopic = (base: string, format = 'rss') => `${base}/institutions/lapas-kelas-i-madiun/feed.${format}`;
const problemOf = async (res: Response) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  fields: (((await res.json()) as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field),
});

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now, env: { WARTA_WEBSUB_LEASE_DEFAULT: '600', WARTA_WEBSUB_LEASE_MAX: '3600' } });
  await w.registerDemoRegistries();
  strict = await startTestWarta({
    env: { WARTA_WEBSUB_ALLOW_PRIVATE: '0' },
    connector: nodeConnector({ resolve: hostileDns, reasonOf: (a) => (a === '127.0.0.2' ? null : nonPublicAddressReason(a)) }),
  });
  await strict.registerDemoRegistries();
  sub = await startSubscriber();
});
afterAll(async () => {
  await w.close();
  await strict.close();
  await sub.close();
});

describe('refused hub requests', () => {
  const good = () => ({ 'hub.mode': 'subscribe', 'hub.topic': lapasTopic(w.url), 'hub.callback': sub.callback('refused') });

  it('names hub.mode when it is missing or not subscribe/unsubscribe', async () => {
    for (const mode of [undefined, 'publish', 'SUBSCRIBE', '']) {
      const params: Record<string, string> = good();
      if (mode === undefined) delete params['hub.mode'];
      else params['hub.mode'] = mode;
      expect(await problemOf(await hubRequest(w.url, params))).toEqual({ status: 400, type: 'application/problem+json', fields: ['hub.mode'] });
    }
  });

  it('names hub.topic for anything but a feed URL of this deployment, and answers 404 for an unknown feed', async () => {
    const refused = [
      '',
      'not a url',
      'http://evil.example/institutions/lapas-kelas-i-madiun/feed.rss',
      `${w.url.replace('127.0.0.1', 'localhost')}/feed.rss`,
      `${w.url}/api/articles`,
      `${w.url}/institutions/lapas-kelas-i-madiun`,
      `${w.url}/feed.xml`,
      `${w.url}/feed.rss?cursor=abc`,
      `${w.url}/feed.rss#top`,
      `${w.url}/feed.rss?limit=1000`,
    ];
    for (const topic of refused) {
      expect(await problemOf(await hubRequest(w.url, { ...good(), 'hub.topic': topic })), topic).toEqual({ status: 400, type: 'application/problem+json', fields: ['hub.topic'] });
    }
    for (const topic of [`${w.url}/institutions/polres-atlantis/feed.rss`, `${w.url}/categories/olahraga/feed.json`]) {
      expect(await problemOf(await hubRequest(w.url, { ...good(), 'hub.topic': topic })), topic).toEqual({ status: 404, type: 'application/problem+json', fields: ['hub.topic'] });
    }
  });

  it('names hub.callback for non-http schemes, credentials, fragments and absence', async () => {
    for (const callback of ['javascript:alert(1)', 'ftp://127.0.0.1/cb', 'file:///etc/passwd', `http://user:pw@127.0.0.1:1/cb`, `${sub.callback('x')}#frag`, '', '/relative']) {
      expect(await problemOf(await hubRequest(w.url, { ...good(), 'hub.callback': callback })), callback).toEqual({ status: 400, type: 'application/problem+json', fields: ['hub.callback'] });
    }
  });

  it('names hub.secret over 200 bytes, a malformed hub.lease_seconds, repeated fields, and lists several at once', async () => {
    expect((await problemOf(await hubRequest(w.url, { ...good(), 'hub.secret': 'é'.repeat(101) }))).fields).toEqual(['hub.secret']);
    expect((await problemOf(await hubRequest(w.url, { ...good(), 'hub.lease_seconds': 'forever' }))).fields).toEqual(['hub.lease_seconds']);
    const twice = await fetch(`${w.url}/websub`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${new URLSearchParams(good()).toString()}&hub.topic=${encodeURIComponent(`${w.url}/feed.atom`)}`,
    });
    expect((await problemOf(twice)).fields).toEqual(['hub.topic']);
    expect(await problemOf(await hubRequest(w.url, { 'hub.mode': 'watch', 'hub.topic': 'ftp://x/', 'hub.callback': 'javascript:void 0', 'hub.lease_seconds': '0' }))).toEqual({
      status: 400,
      type: 'application/problem+json',
      fields: ['hub.mode', 'hub.topic', 'hub.callback', 'hub.lease_seconds'],
    });
  });

  it('takes only form-encoded bodies (415 otherwise) and only POST (405)', async () => {
    const json = await fetch(`${w.url}/websub`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(good()) });
    expect([json.status, json.headers.get('content-type')]).toEqual([415, 'application/problem+json']);
    const get = await fetch(`${w.url}/websub`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('sends no request to a refused callback', async () => {
    const callback = sub.callback('refused-sends-nothing');
    for (const params of <Record<string, string>[]>[
      { 'hub.mode': 'publish' },
      { 'hub.topic': `${w.url}/feed.xml` },
      { 'hub.topic': `${w.url}/institutions/polres-atlantis/feed.rss` },
      { 'hub.secret': 'é'.repeat(101) },
      { 'hub.lease_seconds': 'forever' },
    ]) {
      expect((await hubRequest(w.url, { ...good(), 'hub.callback': callback, ...params })).status).toBeGreaterThanOrEqual(400);
    }
    await hubIdle(w.services);
    expect(sub.verifications.filter((v) => v.name === 'refused-sends-nothing')).toEqual([]);
  });

  it('accepts a 200-byte secret and a topic with ?limit=', async () => {
    const res = await hubRequest(w.url, { ...good(), 'hub.topic': `${lapasTopic(w.url)}?limit=5`, 'hub.callback': sub.callback('limited'), 'hub.secret': 'é'.repeat(100) });
    expect(res.status).toBe(202);
    expect((await sub.waitForVerification('limited', 0)).topic).toBe(`${lapasTopic(w.url)}?limit=5`);
  });
});

describe('callbacks on private networks, when they are not allowed', () => {
  const attempt = (callback: string) =>
    hubRequest(strict.url, { 'hub.mode': 'subscribe', 'hub.topic': lapasTopic(strict.url), 'hub.callback': callback });

  it('refuses loopback, link-local metadata, private, IPv4-mapped and localhost callbacks, naming hub.callback', async () => {
    for (const callback of [
      sub.callback('private'),
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/cb',
      'http://192.168.0.10/cb',
      'http://[::1]/cb',
      'http://[::ffff:127.0.0.1]/cb',
      'http://[::ffff:a9fe:a9fe]/cb',
      'http://[::ffff:0:127.0.0.1]/cb',
      'http://[::ffff:0:a9fe:a9fe]/cb',
      'http://localhost:8080/cb',
      'http://api.localhost/cb',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://2130706433/cb',
    ]) {
      expect(await problemOf(await attempt(callback)), callback).toEqual({ status: 400, type: 'application/problem+json', fields: ['hub.callback'] });
    }
  });

  it('says what is wrong with a literal without resolving anything: SIIT loopback is named as loopback', async () => {
    lookups.length = 0;
    const res = await attempt('http://[::ffff:0:127.0.0.1]:8080/cb');
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'hub.callback', reason: 'host [::ffff:0:7f00:1] is a loopback address' }]);
    expect(lookups).toEqual([]);
  });

  it('answers the same 202 whatever a name resolves to (no DNS oracle), and never reaches a private or unresolvable one', async () => {
    lookups.length = 0;
    const answers: [number, string][] = [];
    for (const host of ['partner.example', 'nowhere.example']) {
      const res = await attempt(`http://${host}:${new URL(sub.base).port}/cb/${host}`);
      answers.push([res.status, await res.text()]);
    }
    expect(answers).toEqual([
      [202, ''],
      [202, ''],
    ]);
    await hubIdle(strict.services);
    // The names were resolved only by the verification's connection, which was refused.
    expect(lookups).toEqual(['partner.example', 'nowhere.example']);
    expect(sub.verifications.filter((v) => v.name.endsWith('.example'))).toEqual([]);
    const listed = await strict.request(`/api/websub/subscriptions?topic=${encodeURIComponent(lapasTopic(strict.url))}`, { token: ADMIN_TOKEN });
    expect(((await listed.json()) as { subscriptions: unknown[] }).subscriptions).toEqual([]);
  });

  it('connects to the address it checked: a rebinding name (public, then loopback) never reaches the subscriber', async () => {
    lookups.length = 0;
    rebindAnswers.splice(0, rebindAnswers.length, ['127.0.0.2'], ['127.0.0.1']);
    const callback = `http://rebind.example:${new URL(sub.base).port}/cb/rebind`;
    for (let i = 0; i < 2; i++) {
      expect((await attempt(callback)).status).toBe(202);
      await hubIdle(strict.services);
    }
    // Each verification resolved once and used that answer: 127.0.0.2 (nothing listens), then 127.0.0.1 (refused).
    expect(lookups).toEqual(['rebind.example', 'rebind.example']);
    expect(sub.verifications.filter((v) => v.name === 'rebind')).toEqual([]);
  });
});

describe('leases', () => {
  const subscribe = (name: string, lease?: string, format = 'json') =>
    hubRequest(w.url, {
      'hub.mode': 'subscribe',
      'hub.topic': lapasTopic(w.url, format),
      'hub.callback': sub.callback(name),
      ...(lease ? { 'hub.lease_seconds': lease } : {}),
    });
  const leases = async (format = 'json') => {
    const res = await w.request(`/api/websub/subscriptions?topic=${encodeURIComponent(lapasTopic(w.url, format))}`, { token: ADMIN_TOKEN });
    return ((await res.json()) as { subscriptions: { callback: string; leaseSeconds: number; leaseExpiresAt: string }[] }).subscriptions
      .map((s) => [s.callback.slice(s.callback.lastIndexOf('/') + 1), s.leaseSeconds, s.leaseExpiresAt])
      .sort();
  };

  it('grants the default lease when none is asked, what is asked up to the maximum, and the maximum beyond', async () => {
    now = T0;
    for (const [name, lease] of [['lease-default', undefined], ['lease-100', '100'], ['lease-huge', '999999999']] as const) {
      expect((await subscribe(name, lease)).status).toBe(202);
      await sub.waitForVerification(name, 0);
    }
    expect(sub.verifications.filter((v) => v.name.startsWith('lease-')).map((v) => [v.name, v.leaseSeconds])).toEqual([
      ['lease-default', '600'],
      ['lease-100', '100'],
      ['lease-huge', '3600'],
    ]);
    await hubIdle(w.services);
    expect(await leases()).toEqual([
      ['lease-100', 100, '2025-03-01T03:01:40+00:00'],
      ['lease-default', 600, '2025-03-01T03:10:00+00:00'],
      ['lease-huge', 3600, '2025-03-01T04:00:00+00:00'],
    ]);
  });

  it('pushes only to unexpired subscriptions and deletes the lapsed one', async () => {
    // Its own subscriptions (Atom), two hours after the other test's, so that neither sees the other's.
    const start = T0 + 7_200_000;
    now = start;
    for (const [name, lease] of [['expiry-100', '100'], ['expiry-default', undefined]] as const) {
      expect((await subscribe(name, lease, 'atom')).status).toBe(202);
      await sub.waitForVerification(name, 0);
    }
    await hubIdle(w.services);
    expect((await leases('atom')).map((l) => l[0])).toEqual(['expiry-100', 'expiry-default']);
    now = start + 100_000; // expiry-100 lapses exactly now
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(7, { institutions: ['lapas-kelas-i-madiun'] }) });
    expect(res.status).toBe(201);
    await sub.waitForPush('expiry-default', 0, 2_000);
    await hubIdle(w.services);
    expect(sub.pushesOf('expiry-100')).toEqual([]);
    expect((await leases('atom')).map((l) => l[0])).toEqual(['expiry-default']);
  });
});
