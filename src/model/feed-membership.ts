/**
 * Feed membership: which feeds an article belongs to, and which of them keep
 * a change log for partners. Model rules (what the URLs of src/model/feed-address.ts
 * show), used by the publishing service to derive a record's feeds and by the
 * store's consistency check to verify them.
 */
import type { Article } from './schemas.js';
import { feedKey } from './feed-address.js';

/** Every feed an article belongs to: everything, its category, each institution (alone and within the category), its author and tags. */
export function feedsOf(a: Pick<Article, 'category' | 'institutions' | 'tags'> & { authorSlug: string }): string[] {
  const feeds = new Set<string>([
    feedKey({ kind: 'all' }),
    feedKey({ kind: 'cat', slug: a.category }),
    feedKey({ kind: 'author', slug: a.authorSlug }),
  ]);
  for (const inst of a.institutions) {
    feeds.add(feedKey({ kind: 'inst', slug: inst }));
    feeds.add(feedKey({ kind: 'instcat', slug: inst, category: a.category }));
  }
  for (const tag of a.tags) feeds.add(feedKey({ kind: 'tag', slug: tag }));
  return [...feeds];
}

/** Change logs are kept for the feeds a partner can filter by: everything, category, institution, both. */
export function isChangeLog(feed: string): boolean {
  return feed === 'all' || feed.startsWith('cat:') || feed.startsWith('inst:') || feed.startsWith('instcat:');
}
