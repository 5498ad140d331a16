/**
 * The partners' change feed (GET /api/changes): a page of one change log
 * after a cursor, each entry emitted according to the article's CURRENT
 * record — the full article when it is public and in the log's slice, a
 * tombstone otherwise (deleted, moved out of the slice, or embargoed) — so
 * replaying the log in order, from any point, converges on the live set.
 *
 * The cursor never moves past `now - changesSettleMs`: a write stamps its
 * entries with the time it started, and may land them a little later, so
 * the newest part of the log is delivered but delivered again on the next
 * call (harmless: applying the current state is idempotent). `hasMore` is
 * true only when the page stopped at its limit below that point; a partner
 * loops while it is true and then polls later, so its loop always ends.
 */
import type { Services } from '../app-env.js';
import { signCursor, verifyCursor } from '../http/cursor.js';
import { ProblemError } from '../http/problem.js';
import type { Article } from '../model/schemas.js';
import { formatRfc3339, parseRfc3339 } from '../model/time.js';
import { isPublic, toApiArticle, type ArticleRecord } from '../store/article-record.js';
import { getArticles } from '../store/articles.js';
import { listChangeEntries } from '../store/changes.js';
import { feedKey } from '../model/feed-address.js';
import { changeUpperBound } from '../store/keys.js';
import { getRegistryEntries } from '../store/registries.js';

/** An article that left (deleted, moved out of the slice, or embargoed again): remove it. */
export interface Tombstone {
  id: string;
  deleted: true;
  deletedAt: string;
}

/** One page of changes. */
export interface ChangePage {
  changes: (Article | Tombstone)[];
  next: string;
  hasMore: boolean;
}

/** The partner filters. */
export interface SliceFilter {
  category?: string;
  institution?: string;
}

/** The change log (also a feed key) of a filter: everything, a category, an institution, or both. */
export function logOf(filter: SliceFilter): string {
  if (filter.category && filter.institution) return feedKey({ kind: 'instcat', slug: filter.institution, category: filter.category });
  if (filter.category) return feedKey({ kind: 'cat', slug: filter.category });
  if (filter.institution) return feedKey({ kind: 'inst', slug: filter.institution });
  return feedKey({ kind: 'all' });
}

/** Refuses filters naming unregistered slugs: 404 problem naming the parameter. */
export async function requireKnownFilter(s: Services, filter: SliceFilter): Promise<void> {
  const [cats, insts] = await Promise.all([
    filter.category ? getRegistryEntries(s.db, 'category', [filter.category]) : null,
    filter.institution ? getRegistryEntries(s.db, 'institution', [filter.institution]) : null,
  ]);
  const errors = [];
  if (cats && !cats.has(filter.category!)) errors.push({ field: 'category', reason: `unknown category "${filter.category}"` });
  if (insts && !insts.has(filter.institution!)) errors.push({ field: 'institution', reason: `unknown institution "${filter.institution}"` });
  if (errors.length) throw new ProblemError('not-found', errors.map((e) => e.reason).join('; '), { errors });
}

/** The change cursor at the settle point of `nowMs` (also handed out with the first page of a listing). */
export function settledChangeCursor(s: Services, log: string, nowMs: number): Promise<string> {
  return signCursor(s.config.cursorSecret, `changes:${log}`, { s: changeUpperBound(nowMs - s.config.changesSettleMs) });
}

/** Reads `since` for `log`; 400 naming `since` when it is forged, malformed or for another log. */
export async function readChangeCursor(s: Services, log: string, since: string | undefined): Promise<string | undefined> {
  if (since === undefined) return undefined;
  const payload = await verifyCursor(s.config.cursorSecret, `changes:${log}`, since);
  if (!payload || typeof payload.s !== 'string' || payload.s.length > 512) {
    throw new ProblemError('bad-request', 'since is not a cursor this service issued for this filter', {
      errors: [{ field: 'since', reason: 'must be a `next` value returned by /api/changes (or `changesCursor` of /api/articles) with the same filter' }],
    });
  }
  return payload.s;
}

function offsetOf(r: ArticleRecord): number {
  return parseRfc3339(r.publishedAt)?.offsetMinutes ?? 0;
}

/** What a partner must apply for `id` now, in `log`. */
export function currentChange(log: string, id: string, record: ArticleRecord | undefined, atMs: number, nowMs: number): Article | Tombstone {
  if (record && isPublic(record, nowMs) && record.feeds.includes(log)) return toApiArticle(record);
  if (!record) return { id, deleted: true, deletedAt: formatRfc3339(atMs, 0) };
  const leftMs = record.deletedMs ?? record.updatedMs;
  return { id, deleted: true, deletedAt: record.deletedAt ?? formatRfc3339(leftMs, offsetOf(record)) };
}

/**
 * One page of `log` after `afterSk`: one Query of `limit + 1` entries and one
 * BatchGetItem of the records (per 100 ids), whatever the log's length.
 */
export async function readChanges(s: Services, log: string, afterSk: string | undefined, limit: number): Promise<ChangePage> {
  const nowMs = s.clock();
  const settled = changeUpperBound(nowMs - s.config.changesSettleMs);
  const { entries, hasMore: more } = await listChangeEntries(s.db, log, afterSk, limit, nowMs);
  const records = await getArticles(s.db, [...new Set(entries.map((e) => e.id))]);
  // One change per article per page, at its last position: its current state.
  const lastAt = new Map<string, number>();
  entries.forEach((e, i) => lastAt.set(e.id, i));
  const changes: (Article | Tombstone)[] = [];
  entries.forEach((e, i) => {
    if (lastAt.get(e.id) === i) changes.push(currentChange(log, e.id, records.get(e.id), e.atMs, nowMs));
  });
  const lastSk = entries.at(-1)?.sk;
  const floor = afterSk ?? '';
  const atLeast = (sk: string) => (sk > floor ? sk : floor);
  // Full page ending at or before the settle point: continue right after it.
  if (more && lastSk !== undefined && lastSk <= settled) {
    return { changes, next: await signCursor(s.config.cursorSecret, `changes:${log}`, { s: lastSk }), hasMore: true };
  }
  // Otherwise everything up to the settle point was seen: resume there (newer entries come again).
  return { changes, next: await signCursor(s.config.cursorSecret, `changes:${log}`, { s: atLeast(settled) }), hasMore: false };
}
