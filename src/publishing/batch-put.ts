/**
 * Batch publishing (POST /api/articles/batch, imports, the demo set): up to 100
 * articles checked one by one like single writes, then written in one batch,
 * within the platform's subrequest budget.
 */
import { ulid } from 'ulidx';
import type { Services } from '../app-env.js';
import type { Principal } from '../auth/principal.js';
import { canWriteFor } from '../auth/principal.js';
import { ProblemError, type FieldError } from '../http/problem.js';
import type { ArticleInput } from '../model/schemas.js';
import { articleEtag, type ArticleRecord } from '../store/article-record.js';
import { getArticles } from '../store/articles.js';
import { writeArticles, writeArticlesRequests } from '../store/article-writes.js';
import { buildRecord, checkReferences, notify, writableOwners } from './article-service.js';

/**
 * Store requests a batch request makes besides its writes: the key lookup, registry and
 * previous-version reads (one BatchGetItem each for 100 articles), the WebSub hub's lookup of
 * subscribed feeds, and headroom for retried batch items. Pushes to subscribers come on top.
 */
export const BATCH_REQUEST_OVERHEAD = 8;

/**
 * Refuses, before anything is written, a batch whose DynamoDB requests would exceed
 * `config.subrequestLimit` (a Worker's subrequests per request): 413 naming how many
 * articles of this batch fit. No limit when it is 0 (Node).
 */
function checkSubrequestBudget(s: Services, writes: { next: ArticleRecord; prev: ArticleRecord | null }[], nowMs: number): void {
  const limit = s.config.subrequestLimit;
  if (limit <= 0 || !writes.length) return;
  const cost = (n: number) => BATCH_REQUEST_OVERHEAD + writeArticlesRequests(s.db, writes.slice(0, n), nowMs);
  const needed = cost(writes.length);
  if (needed <= limit) return;
  // The cost grows with the number of articles: the largest prefix that fits.
  let lo = 0;
  let hi = writes.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cost(mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  const reason = `at most ${lo} of these articles fit in ${limit} subrequests per request (WARTA_SUBREQUEST_LIMIT); this batch needs about ${needed}`;
  throw new ProblemError('payload-too-large', `this batch is too large for the platform's subrequest limit: send at most ${lo} articles per batch, or raise WARTA_SUBREQUEST_LIMIT on a plan that allows more`, {
    errors: [{ field: 'articles', reason }],
  });
}

/** One item's outcome in a batch; `unchanged` when `skipUnchanged` found the stored article identical (nothing written). */
export type BatchItemResult =
  | { index: number; status: 201 | 200; id: string; version: number; etag: string; unchanged?: true }
  | { index: number; status: number; problem: { type: string; title: string; detail: string; errors?: FieldError[] } };

const CONTENT_FIELDS = ['title', 'summary', 'contentHtml', 'url', 'author', 'category', 'tags', 'institutions', 'owner', 'publishedAt', 'image', 'images', 'license', 'language'] as const;

/** Does `next` say exactly what the live `prev` says (every field a reader sees, ignoring version and times)? */
export function sameContent(prev: ArticleRecord | null, next: ArticleRecord): boolean {
  if (!prev || prev.deleted) return false;
  return CONTENT_FIELDS.every((f) => stableJson(prev[f] ?? null) === stableJson(next[f] ?? null));
}

/** JSON with object keys sorted: a record read back may list a map's keys in another order (DynamoDB Local does). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * Writes up to 100 already-validated articles (POST /api/articles/batch): per-item
 * ownership and reference checks, then one batched write of the valid ones. With
 * `skipUnchanged`, an item identical to the stored article is answered `unchanged`
 * and not written (no new version, no change entry, no push): imports re-run cheaply.
 */
export async function batchPut(
  s: Services,
  p: Principal,
  items: { index: number; input: ArticleInput }[],
  background: (p: Promise<unknown>) => void,
  options: { skipUnchanged?: boolean } = {},
): Promise<Map<number, BatchItemResult>> {
  const results = new Map<number, BatchItemResult>();
  const refProblems = await checkReferences(s, items.map((i) => ({ input: i.input, prefix: `articles[${i.index}].` })));
  const ids = items.map((i) => i.input.id ?? ulid());
  const prevs = await getArticles(s.db, items.filter((i) => i.input.id).map((i) => i.input.id!), true);
  const now = s.clock();
  const writes: { index: number; next: ArticleRecord; prev: ArticleRecord | null }[] = [];
  const seen = new Set<string>();
  items.forEach((item, n) => {
    const id = ids[n]!;
    const prev = prevs.get(id) ?? null;
    const owner = item.input.owner;
    const fail = (status: number, type: string, title: string, detail: string, errors?: FieldError[]) =>
      results.set(item.index, { index: item.index, status, problem: { type: `tag:warta,2026:problem:${type}`, title, detail, ...(errors ? { errors } : {}) } });
    if (seen.has(id)) return fail(422, 'validation-failed', 'Validation failed', `article "${id}" appears twice in the batch`, [{ field: `articles[${item.index}].id`, reason: 'is repeated in this batch' }]);
    seen.add(id);
    if (!canWriteFor(p, owner) || (prev && !canWriteFor(p, prev.owner))) {
      return fail(403, 'forbidden', 'Not allowed for this key', prev && !canWriteFor(p, prev.owner) ? `this key may not write article "${id}"` : `this key may not publish for institution "${owner}"`);
    }
    const refs = refProblems.get(n);
    if (refs) return fail(422, 'unknown-reference', 'Unknown category or institution', refs.map((e) => e.reason).join('; '), refs);
    let next: ArticleRecord;
    try {
      next = buildRecord(item.input, id, prev, now, writes.length, `articles[${item.index}].contentHtml`);
    } catch (err) {
      if (err instanceof ProblemError && err.errors) return fail(422, 'validation-failed', 'Validation failed', err.message, err.errors);
      throw err;
    }
    if (options.skipUnchanged && prev && sameContent(prev, next)) {
      return results.set(item.index, { index: item.index, status: 200, id, version: prev.version, etag: articleEtag(prev), unchanged: true });
    }
    writes.push({ index: item.index, next, prev });
  });
  checkSubrequestBudget(s, writes, now);
  // Ownership is also the condition of each record's put: an id another institution created since it was read is refused here.
  const refused = await writeArticles(s.db, writes.map((w) => ({ next: w.next, prev: w.prev })), now, writableOwners(p));
  const written = writes.filter((w) => !refused.has(w.next.id));
  for (const w of writes) {
    if (refused.has(w.next.id)) {
      results.set(w.index, { index: w.index, status: 403, problem: { type: 'tag:warta,2026:problem:forbidden', title: 'Not allowed for this key', detail: `this key may not write article "${w.next.id}"` } });
      continue;
    }
    results.set(w.index, {
      index: w.index,
      status: !w.prev || w.prev.deleted ? 201 : 200,
      id: w.next.id,
      version: w.next.version,
      etag: articleEtag(w.next),
    });
  }
  notify(s, written, now, background);
  return results;
}
