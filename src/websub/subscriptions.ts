/**
 * WebSub subscriptions: stored by src/store/subscriptions.ts (re-exported here for the
 * hub's modules); this module adds the per-process cache of the feeds that have
 * subscribers, so a write to unsubscribed feeds costs no subscription Query.
 */
import type { Services } from '../app-env.js';
import { listSubscribedFeeds } from '../store/subscriptions.js';
import { TtlCache } from '../ttl-cache.js';

export {
  countHostSubscriptions,
  deleteSubscription,
  getSubscription,
  hasSubscription,
  hostOf,
  listDeliveryFailures,
  listFeedSubscriptions,
  listSubscribedFeeds,
  listTopicSubscriptions,
  putSubscription,
  recordDeliveryFailure,
  subscriptionIdentity,
  subscriptionPut,
  type DeliveryFailures,
  type Subscription,
} from '../store/subscriptions.js';

/** How long a process trusts its list of subscribed feeds (a subscription verified in this process refreshes it at once). */
export const SUBSCRIBED_FEEDS_TTL_MS = 2_000;

const SUBSCRIBED_FEEDS = 'websub.subscribedFeeds';

/** The cache of the list of subscribed feeds (one entry, SUBSCRIBED_FEEDS_TTL_MS on the wall clock). */
function subscribedFeedsCache(s: Services): TtlCache<'feeds', Promise<Set<string>>> {
  let cache = s.local.get(SUBSCRIBED_FEEDS) as TtlCache<'feeds', Promise<Set<string>>> | undefined;
  if (!cache) s.local.set(SUBSCRIBED_FEEDS, (cache = new TtlCache({ ttlMs: SUBSCRIBED_FEEDS_TTL_MS, max: 1 })));
  return cache;
}

/** The feeds with subscribers, cached per process: a write to unsubscribed feeds costs no subscription Query. */
export async function cachedSubscribedFeeds(s: Services): Promise<Set<string>> {
  const cache = subscribedFeedsCache(s);
  const cached = cache.get('feeds');
  if (cached) return cached;
  const feeds = listSubscribedFeeds(s.db);
  cache.set('feeds', feeds);
  feeds.catch(() => cache.delete('feeds'));
  return feeds;
}

/** Forgets the cached list of subscribed feeds (after a subscription is stored in this process). */
export function forgetSubscribedFeeds(s: Services): void {
  subscribedFeedsCache(s).delete('feeds');
}
