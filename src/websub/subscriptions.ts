/**
 * WebSub subscriptions: stored by src/store/subscriptions.ts (re-exported here for the
 * hub's modules); this module adds the per-process cache of the feeds that have
 * subscribers, so a write to unsubscribed feeds costs no subscription Query.
 */
import type { Services } from '../app-env.js';
import { listSubscribedFeeds } from '../store/subscriptions.js';

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

/** How long a process trusts its list of subscribed feeds (defined with the hub's state in runtime.ts). */
export { SUBSCRIBED_FEEDS_TTL_MS } from './runtime.js';

/** The feeds with subscribers, cached per process (`services.hub.subscribedFeeds`): a write to unsubscribed feeds costs no subscription Query. */
export async function cachedSubscribedFeeds(s: Services): Promise<Set<string>> {
  const cache = s.hub.subscribedFeeds;
  const cached = cache.get('feeds');
  if (cached) return cached;
  const feeds = listSubscribedFeeds(s.db);
  cache.set('feeds', feeds);
  feeds.catch(() => cache.delete('feeds'));
  return feeds;
}

/** Forgets the cached list of subscribed feeds (after a subscription is stored in this process). */
export function forgetSubscribedFeeds(s: Services): void {
  s.hub.subscribedFeeds.delete('feeds');
}
