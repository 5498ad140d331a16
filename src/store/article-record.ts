/**
 * The article as stored: the API's article plus what the store derives
 * (instants, the feeds it belongs to). The record is the source of truth;
 * feed entries and change entries are derived from it.
 */
import type { Article } from '../model/schemas.js';

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
