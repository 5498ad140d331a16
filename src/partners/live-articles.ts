/**
 * The partners' first import (GET /api/articles): the live public articles
 * of a slice in full, newest first, paged with a signed cursor. The first
 * page also hands out `changesCursor`, the change-log position taken before
 * the listing was read: following /api/changes from it after the import
 * misses nothing (a few changes may come twice).
 */
import type { Services } from '../app-env.js';
import { signCursor, verifyCursor } from '../http/cursor.js';
import { ProblemError } from '../http/problem.js';
import type { Article } from '../model/schemas.js';
import { toApiArticle } from '../store/article-record.js';
import { listFeedPage } from '../store/articles.js';
import { settledChangeCursor } from './change-feed.js';

/** One page of the listing. */
export interface ListPage {
  articles: Article[];
  next?: string;
  hasMore: boolean;
  /** First page only: where to start following /api/changes with the same filter. */
  changesCursor?: string;
}

/** One page of `feed` (a feed key that is also a change log) before `cursor`. */
export async function listArticles(s: Services, feed: string, cursor: string | undefined, limit: number): Promise<ListPage> {
  let beforeSk: string | undefined;
  if (cursor !== undefined) {
    const payload = await verifyCursor(s.config.cursorSecret, `list:${feed}`, cursor);
    if (!payload || typeof payload.b !== 'string' || payload.b.length > 512) {
      throw new ProblemError('bad-request', 'cursor is not one this service issued for this filter', {
        errors: [{ field: 'cursor', reason: 'must be a `next` value returned by /api/articles with the same filter' }],
      });
    }
    beforeSk = payload.b;
  }
  const nowMs = s.clock();
  const changesCursor = cursor === undefined ? await settledChangeCursor(s, feed, nowMs) : undefined;
  const page = await listFeedPage(s.db, feed, { limit, nowMs, ...(beforeSk ? { beforeSk } : {}) });
  return {
    articles: page.articles.map(toApiArticle),
    ...(page.hasMore && page.lastSk ? { next: await signCursor(s.config.cursorSecret, `list:${feed}`, { b: page.lastSk }) } : {}),
    hasMore: page.hasMore,
    ...(changesCursor ? { changesCursor } : {}),
  };
}
