/**
 * The article as stored: the API's article plus what the store derives
 * (instants, the feeds it belongs to). The record is the source of truth;
 * feed entries and change entries are derived from it.
 */
import type { Article } from '../model/schemas.js';
import { feedKey } from '../model/feed-address.js';

/** An article record (`A#<id>` / `A`). A deleted article stays as a tombstone. */
export interface ArticleRecord extends Article {
  authorSlug: string;
  publishedMs: number;
  updatedMs: number;
  createdMs: number;
  /** Feed keys this version belongs to (empty for a tombstone). */
  feeds: string[];
  deleted?: boolean;
  deletedAt?: string;
  deletedMs?: number;
  /** When > 0, contentHtml is stored in that many chunk items of this version. */
  contentChunks?: number;
}

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

/** The API view of a record (no store-internal fields). */
export function toApiArticle(r: ArticleRecord): Article {
  const out: Article = {
    id: r.id,
    title: r.title,
    summary: r.summary,
    contentHtml: r.contentHtml,
    author: r.author,
    category: r.category,
    tags: r.tags,
    institutions: r.institutions,
    owner: r.owner,
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
    language: r.language,
    version: r.version,
  };
  if (r.url) out.url = r.url;
  if (r.image) out.image = r.image;
  if (r.images) out.images = r.images;
  if (r.license) out.license = r.license;
  return out;
}

/** The article's ETag: its version, quoted (strong: the representation is byte-stable per version). */
export const articleEtag = (r: Pick<ArticleRecord, 'version'>) => `"v${r.version}"`;

/** Is the article visible to the public at `nowMs` (not deleted, embargo passed)? */
export const isPublic = (r: ArticleRecord, nowMs: number) => !r.deleted && r.publishedMs <= nowMs;
