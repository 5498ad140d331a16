/**
 * Content distribution (WebSub §7): after every article write the hub's
 * listener receives the affected feeds, finds their subscribers (one Query
 * per feed), fetches each subscribed topic's new content once from the app
 * itself, and queues one independent delivery per subscriber: a POST of
 * the exact bytes with the feed's Content-Type, `Link: <hub>; rel="hub",
 * <topic>; rel="self"`, and `X-Hub-Signature` when the subscriber gave a
 * secret. Publishing never waits for any of it. Feeds with subscribers
 * that hold an embargoed article get a due push for when it lifts
 * (embargo-pushes.ts).
 */
import type { ChangeListener, Services } from '../app-env.js';
import type { OutboundResponse } from '../net/public-fetch.js';
import type { QueueJob } from './queue.js';
import { hubRuntime, type HubRuntime } from './runtime.js';
import { callbackForLog, discardBody, failureReason, sendToCallback, OutboundError } from './outbound.js';
import { openSecret } from './secret-box.js';
import { hubSignature } from './signature.js';
import { cachedSubscribedFeeds, deleteSubscription, listFeedSubscriptions, recordDeliveryFailure, subscriptionIdentity, type Subscription } from './subscriptions.js';
import { FEED_FORMATS, feedPathOf, parseFeedKey } from '../model/feed-address.js';
import { deliveryKey } from './verify.js';
import { scheduleEmbargoPushes } from './embargo-pushes.js';
import { errorText, log } from '../log.js';

/** What is pushed for one topic: the feed document as the app serves it. */
export interface TopicContent {
  path: string;
  url: string;
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** The hub's own URL (what feeds advertise as rel="hub"). */
export const hubUrlOf = (s: Services) => `${s.config.baseUrl}/websub`;

/** Fetches a topic from the app itself; the Response as a reader would get it. */
export function fetchTopicResponse(s: Services, rt: HubRuntime, path: string): Promise<Response> {
  return rt.selfFetch(new Request(`${s.config.baseUrl}${path}`, { headers: { accept: '*/*' } }));
}

/** The topic's current document as pushed; null (logged) when it does not render 200. */
export async function fetchTopic(s: Services, rt: HubRuntime, path: string): Promise<TopicContent | null> {
  const res = await fetchTopicResponse(s, rt, path);
  if (res.status !== 200) {
    await discardBody(res);
    log.warn('websub: topic did not render; nothing pushed', { topic: path, status: res.status });
    return null;
  }
  return {
    path,
    url: `${s.config.baseUrl}${path}`,
    body: new Uint8Array(await res.arrayBuffer()),
    contentType: res.headers.get('content-type') ?? 'application/octet-stream',
  };
}

/** The queue job that pushes `content` to `sub`. */
export function deliveryJob(s: Services, rt: HubRuntime, sub: Subscription, content: TopicContent, seq: number): QueueJob {
  let signature: Promise<string> | undefined;
  return {
    key: deliveryKey(sub.topic, sub.callback),
    seq,
    attempt: async (signal) => {
      if (sub.leaseExpiresMs <= s.clock()) return { ok: true }; // lapsed while queued: nothing is owed
      const headers: Record<string, string> = {
        'content-type': content.contentType,
        link: `<${hubUrlOf(s)}>; rel="hub", <${content.url}>; rel="self"`,
      };
      if (sub.sealedSecret) {
        signature ??= openSecret(s, sub.sealedSecret, subscriptionIdentity(sub.topic, sub.callback)).then((secret) => hubSignature(secret, content.body));
        headers['x-hub-signature'] = await signature;
      }
      let res: OutboundResponse;
      try {
        res = await sendToCallback(s, sub.callback, { method: 'POST', headers, body: content.body }, signal);
      } catch (err) {
        log.warn('websub: delivery attempt failed', { topic: content.url, callback: callbackForLog(sub.callback), detail: errorText(err) });
        return { ok: false, error: failureReason(err), final: err instanceof OutboundError && err.refused };
      }
      await res.discard();
      if (res.status >= 200 && res.status < 300) return { ok: true };
      if (res.status === 410) {
        // WebSub §7: the subscriber deleted its subscription.
        await deleteSubscription(s.db, sub);
        return { ok: true };
      }
      return { ok: false, error: `HTTP ${res.status}` };
    },
    giveUp: async (error, attempts) => {
      log.warn('websub: delivery given up', { topic: content.url, callback: callbackForLog(sub.callback), attempts, error });
      try {
        await recordDeliveryFailure(s.db, sub, { error, attempts, nowMs: s.clock() });
      } catch (err) {
        log.error('websub: could not record a dropped delivery', { error: errorText(err) });
      }
    },
  };
}

/** Pings the external hub (WEBSUB_HUB_URL) with every format of the changed feeds: one POST, `hub.mode=publish` and a `hub.url` per topic. */
async function pingExternalHub(s: Services, feeds: string[]): Promise<void> {
  const hub = s.config.websub.externalHubUrl;
  if (!hub) return;
  const form = new URLSearchParams({ 'hub.mode': 'publish' });
  for (const feed of feeds) {
    const ref = parseFeedKey(feed);
    if (ref) for (const format of FEED_FORMATS) form.append('hub.url', `${s.config.baseUrl}${feedPathOf(ref, format)}`);
  }
  try {
    // The operator chose this URL (WEBSUB_HUB_URL): its host may be private, but a redirect elsewhere is checked.
    const res = await s.outbound(hub, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, {
      allowPrivate: s.config.websub.allowPrivateCallbacks,
      allowPrivateHosts: [new URL(hub).hostname.toLowerCase()],
      timeoutMs: s.config.websubDelivery.timeoutMs,
      maxBytes: 4096,
      maxRedirects: 0,
    });
    await res.discard();
    if (res.status >= 300) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    log.warn('websub: external hub ping failed', { hub, error: errorText(err) });
  }
}

/**
 * Delivers the new content of `feeds` to their subscribers. Expired
 * subscriptions are skipped and deleted (only if not renewed meanwhile).
 * Resolves when every queued delivery is done or given up.
 */
export async function deliverChange(s: Services, feeds: string[]): Promise<void> {
  const rt = hubRuntime(s);
  const ping = pingExternalHub(s, feeds);
  const now = s.clock();
  const subscribed = await cachedSubscribedFeeds(s);
  const lists = await Promise.all(feeds.filter((feed) => subscribed.has(feed)).map((feed) => listFeedSubscriptions(s.db, feed)));
  const byTopic = new Map<string, Subscription[]>();
  const lapsed: Promise<unknown>[] = [];
  for (const sub of lists.flat()) {
    if (sub.leaseExpiresMs <= now) {
      lapsed.push(deleteSubscription(s.db, sub, sub.leaseExpiresMs));
      continue;
    }
    const list = byTopic.get(sub.topic);
    if (list) list.push(sub);
    else byTopic.set(sub.topic, [sub]);
  }
  const subscribedFeeds = [...new Set([...byTopic.values()].map((subs) => subs[0]!.feed))];
  const embargoes = scheduleEmbargoPushes(s, subscribedFeeds, now);
  if (rt.sink) {
    // A durable queue: one message per subscription; its consumer reads the content when it sends (durable-delivery.ts).
    const messages = [...byTopic.values()].flat().map((sub) => ({ feed: sub.feed, topic: sub.topic, callback: sub.callback }));
    await Promise.all([messages.length ? rt.sink(messages) : undefined, ...lapsed, ping, embargoes]);
    return;
  }
  const deliveries = await Promise.all(
    [...byTopic].map(async ([path, subs]) => {
      const seq = rt.queue.nextSeq();
      const content = await fetchTopic(s, rt, path);
      return content ? subs.map((sub) => rt.queue.push(deliveryJob(s, rt, sub, content, seq))) : [];
    }),
  );
  await Promise.all([...deliveries.flat(), ...lapsed, ping, embargoes]);
}

/** The listener registered in `services.listeners`: runs `deliverChange` off the request path. */
export function deliveryListener(s: Services): ChangeListener {
  return (change) => hubRuntime(s).queue.track(deliverChange(s, change.feeds).catch((err: unknown) => {
    log.error('websub: delivery failed', { feeds: change.feeds, error: errorText(err) });
  }));
}
