/**
 * hub.secret at rest: sealed with AES-256-GCM under a key derived from the
 * cursor secret, bound to its subscription (a sealed secret copied onto
 * another subscription, or read by another deployment, does not open), and
 * never stored or shown in clear — checked on the item DynamoDB holds after
 * a real subscription.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src/app-env.js';
import { openSecret, sealSecret } from '../src/websub/secret-box.js';
import { hubIdle, newHubState } from '../src/websub/runtime.js';
import { subscriptionKey } from '../src/store/keys.js';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { hubRequest, startSubscriber, type TestSubscriber } from './support/subscriber.js';

const services = (cursorSecret: string) => ({ config: { cursorSecret }, hub: newHubState() }) as unknown as Services;
const SECRET = 'kunci-rahasia-mitra-0123456789';

describe('sealed secrets', () => {
  it('open with the same deployment key and subscription, and with nothing else', async () => {
    const s = services('cursor-secret-a');
    const sealed = await sealSecret(s, SECRET, '/feed.rss http://partner.example/cb');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed.includes(SECRET)).toBe(false);
    expect(await openSecret(s, sealed, '/feed.rss http://partner.example/cb')).toBe(SECRET);
    expect(await sealSecret(s, SECRET, 'x')).not.toBe(await sealSecret(s, SECRET, 'x')); // fresh IV each time
    await expect(openSecret(s, sealed, '/feed.atom http://partner.example/cb')).rejects.toThrow('websub: sealed secret does not open');
    await expect(openSecret(services('cursor-secret-b'), sealed, '/feed.rss http://partner.example/cb')).rejects.toThrow('websub: sealed secret does not open');
  });
});

describe('a subscription with a secret', () => {
  let w: TestWarta;
  let sub: TestSubscriber;
  beforeAll(async () => {
    w = await startTestWarta();
    await w.registerDemoRegistries();
    sub = await startSubscriber();
  });
  afterAll(async () => {
    await w.close();
    await sub.close();
  });

  it('is stored sealed and listed as signed, never in clear', async () => {
    const topic = `${w.url}/feed.json`;
    expect((await hubRequest(w.url, { 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': sub.callback('s'), 'hub.secret': SECRET })).status).toBe(202);
    await sub.waitForVerification('s', 0);
    await hubIdle(w.services);
    const { Item } = await w.services.db.doc.send(new GetCommand({ TableName: w.services.db.table, Key: subscriptionKey('all', '/feed.json', sub.callback('s')) }));
    expect(Item?.sealedSecret).toMatch(/^v1\./);
    expect(JSON.stringify(Item).includes(SECRET)).toBe(false);
    expect(Item?.expiresAt).toBe(Math.ceil(Number(Item?.leaseExpiresMs) / 1000));
    const listing = await w.request(`/api/websub/subscriptions?topic=${encodeURIComponent(topic)}`, { token: ADMIN_TOKEN });
    const text = await listing.text();
    expect(text.includes(SECRET)).toBe(false);
    expect((JSON.parse(text) as { subscriptions: { signed: boolean }[] }).subscriptions.map((x) => x.signed)).toEqual([true]);
  });
});
