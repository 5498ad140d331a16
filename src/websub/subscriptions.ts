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

/** How long a process trusts its list of subscribed feeds (a subscription verified in this process refreshes it at once). */
export const SUBSCRIBED_FEEDS_TTL_MS = 2_000;

/** The feeds with subscribers, cached per process: a write to unsubscribed feeds costs no subscription Query. */
export async function cachedSubscribedFeeds(s: Services): Promise<Set<string>> {
  const cached = s.local.get('websub.subscribedFeeds') as { feeds: Promise<Set<string>>; atMs: number } | undefined;
  if (cached && Date.now() - cached.atMs < SUBSCRIBED_FEEDS_TTL_MS) return cached.feeds;
  const feeds = listSubscribedFeeds(s.db);
  s.local.set('websub.subscribedFeeds', { feeds, atMs: Date.now() });
  feeds.catch(() => s.local.delete('websub.subscribedFeeds'));
  return feeds;
}

/** Forgets the cached list of subscribed feeds (after a subscription is stored in this process). */
export function forgetSubscribedFeeds(s: Services): void {
  s.local.delete('websub.subscribedFeeds');
}
