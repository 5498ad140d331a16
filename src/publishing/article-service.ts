/**
 * Publishing: turns validated input into article records and writes them,
 * enforcing references (unknown category/institution → 422), ownership
 * (a publisher writes only its institutions' articles) and preconditions.
 * Runtime-free: used by the HTTP routes and by the demo loader.
 */
import { ulid } from 'ulidx';
import type { Services } from '../app-env.js';
import type { Principal } from '../auth/principal.js';
import { canWriteFor } from '../auth/principal.js';
import { ProblemError, type FieldError } from '../http/problem.js';
import { MAX_CONTENT_CHARS, type ArticleInput } from '../model/schemas.js';
import { sanitizeHtml, type SanitizeOptions } from '../model/sanitize.js';
import { deriveSummary, normalizeSpace, slugify, stripXmlForbidden } from '../model/text.js';
import { formatRfc3339, formatRfc3339Precise, parseRfc3339 } from '../model/time.js';
import { articleEtag, feedsOf, type ArticleRecord } from '../store/article-record.js';
import { getArticle, getArticles } from '../store/articles.js';
import { writeArticle, writeArticles, writeArticlesRequests, type WritableOwners, type WriteCondition } from '../store/article-writes.js';
import { ConflictError } from '../store/errors.js';
import { getRegistryEntries } from '../store/registries.js';
import { hash64 } from '../feeds/feed-http.js';

const clean = (s: string) => normalizeSpace(stripXmlForbidden(s));

/**
 * Tags an article body may have, at most: the sanitizer's memory grows with the number
 * of tags (600,000 `<b>` took 120 MiB, about 200 bytes a tag), while a news article has hundreds.
 */
export const MAX_CONTENT_TAGS = 100_000;

/** Number of things that look like a tag (`<` then a letter, `/`, `!` or `?`). */
function countTags(html: string): number {
  let n = 0;
  for (let at = html.indexOf('<'); at >= 0; at = html.indexOf('<', at + 1)) {
    const c = html.charCodeAt(at + 1) | 0x20;
    if ((c >= 0x61 && c <= 0x7a) || c === 0x2f || c === 0x21 || c === 0x3f) n++;
  }
  return n;
}

/**
 * Sanitizes article HTML and enforces MAX_CONTENT_CHARS on the result, which is what is
 * stored and served: markup outside the allowlist becomes escaped text and can grow
 * (`<x>` is 3 characters, `&lt;x&gt;` 9), so the input's own limit is not enough.
 */
export function sanitizedContent(html: string, field = 'contentHtml', options: SanitizeOptions = {}): string {
  const tags = countTags(html);
  if (tags > MAX_CONTENT_TAGS) {
    const reason = `has ${tags} tags, more than ${MAX_CONTENT_TAGS}`;
    throw new ProblemError('validation-failed', `contentHtml ${reason}`, { errors: [{ field, reason }] });
  }
  const contentHtml = sanitizeHtml(html, options);
  if (contentHtml.length > MAX_CONTENT_CHARS) {
    const reason = `is ${contentHtml.length} characters once sanitized (markup outside the allowlist is kept as escaped text), more than ${MAX_CONTENT_CHARS}`;
    throw new ProblemError('validation-failed', `contentHtml ${reason}`, { errors: [{ field, reason }] });
  }
  return contentHtml;
}

/**
 * The author's slug: the name's slug and 8 hex digits of the owner institution's, so that
 * an author is one per institution — another institution's "Áchmad Sàrjono!!" no longer joins
 * (and renames) `/authors/achmad-sarjono`. The suffix has a fixed length, so no name can
 * imitate another owner's; at most 64 characters, a slug like any other.
 */
export function authorSlugOf(name: string, owner: string): string {
  const base = slugify(name).slice(0, 55).replace(/-+$/, '') || 'anonim';
  return `${base}-${hash64(`author-owner|${owner}`).slice(0, 8)}`;
}

/**
 * Builds the record for `input` replacing `prev` (pure but for the clock handed in); 422
 * (naming `contentField`) when the sanitized content is too long.
 * `updatedAt` keeps the milliseconds of `nowMs`; `order` (the article's place in a batch
 * written at one instant) adds microseconds, so that no two articles of a batch share
 * their `updated` in any feed.
 */
export function buildRecord(input: ArticleInput, id: string, prev: ArticleRecord | null, nowMs: number, order = 0, contentField = 'contentHtml'): ArticleRecord {
  const published = parseRfc3339(input.publishedAt)!;
  const contentHtml = sanitizedContent(input.contentHtml, contentField, input.url ? { baseUrl: input.url } : {});
  const summary = input.summary ? clean(input.summary) : '';
  const author = {
    name: clean(input.author.name),
    ...(input.author.email ? { email: input.author.email } : {}),
    ...(input.author.url ? { url: input.author.url } : {}),
  };
  const record: ArticleRecord = {
    id,
    title: clean(input.title),
    summary: summary || deriveSummary(contentHtml),
    contentHtml,
    author,
    authorSlug: authorSlugOf(author.name, input.owner),
    category: input.category,
    tags: [...new Set(input.tags)],
    institutions: input.institutions,
    owner: input.owner,
    publishedAt: formatRfc3339(published.epochMs, published.offsetMinutes),
    publishedMs: published.epochMs,
    updatedAt: formatRfc3339Precise(nowMs, published.offsetMinutes, order),
    updatedMs: nowMs,
    createdMs: prev && !prev.deleted ? prev.createdMs : nowMs,
    language: input.language,
    version: (prev?.version ?? 0) + 1,
    feeds: [],
  };
  if (input.url) record.url = input.url;
  const images = (input.images ?? (input.image ? [input.image] : [])).map(cleanImage);
  if (images.length) record.image = images[0]!;
  if (input.images) record.images = images;
  if (input.license) record.license = input.license;
  record.feeds = feedsOf(record);
  return record;
}

/** An image as stored: its text fields cleaned like every plain-text field, empty ones left out. */
function cleanImage(img: NonNullable<ArticleInput['image']>): NonNullable<ArticleInput['image']> {
  const out: NonNullable<ArticleInput['image']> = { url: img.url, type: img.type };
  if (img.length !== undefined) out.length = img.length;
  if (img.alt !== undefined) out.alt = clean(img.alt);
  for (const key of ['caption', 'credit'] as const) {
    const v = img[key] === undefined ? '' : clean(img[key]);
    if (v) out[key] = v;
  }
  if (img.license) out.license = img.license;
  return out;
}

/** The tombstone that replaces a deleted article: enough for change logs and ownership. */
export function buildTombstone(prev: ArticleRecord, nowMs: number): ArticleRecord {
  const offset = parseRfc3339(prev.publishedAt)?.offsetMinutes ?? 0;
  return {
    ...prev,
    contentHtml: '',
    summary: '',
    version: prev.version + 1,
    feeds: [],
    deleted: true,
    deletedMs: nowMs,
    deletedAt: formatRfc3339Precise(nowMs, offset),
    updatedMs: nowMs,
    updatedAt: formatRfc3339Precise(nowMs, offset),
  };
}

/** Refuses inputs naming categories or institutions that are not registered (422 naming each). */
export async function checkReferences(s: Services, inputs: { input: ArticleInput; prefix: string }[]): Promise<Map<number, FieldError[]>> {
  const categories = await getRegistryEntries(s.db, 'category', [...new Set(inputs.map((i) => i.input.category))]);
  const institutions = await getRegistryEntries(s.db, 'institution', [...new Set(inputs.flatMap((i) => i.input.institutions))]);
  const problems = new Map<number, FieldError[]>();
  inputs.forEach(({ input, prefix }, index) => {
    const errors: FieldError[] = [];
    if (!categories.has(input.category)) errors.push({ field: `${prefix}category`, reason: `unknown category "${input.category}"` });
    input.institutions.forEach((slug, i) => {
      if (!institutions.has(slug)) errors.push({ field: `${prefix}institutions[${i}]`, reason: `unknown institution "${slug}"` });
    });
    if (errors.length) problems.set(index, errors);
  });
  return problems;
}

async function requireReferences(s: Services, input: ArticleInput): Promise<void> {
  const errors = (await checkReferences(s, [{ input, prefix: '' }])).get(0);
  if (errors) throw new ProblemError('unknown-reference', errors.map((e) => e.reason).join('; '), { errors });
}

/** Whose articles `p` may overwrite, for the store's condition on the write itself (null: any). */
const writableOwners = (p: Principal): WritableOwners => (p.kind === 'admin' ? null : p.role === 'publisher' ? p.institutions : []);

/** The refusal for another institution's article: it never names the owner (an embargoed article's owner is a secret). */
const notYours = (id: string) => new ProblemError('forbidden', `this key may not write article "${id}"`);

function requireOwnership(p: Principal, next: string, prev: ArticleRecord | null): void {
  if (!canWriteFor(p, next)) throw new ProblemError('forbidden', `this key may not publish for institution "${next}"`);
  if (prev && !canWriteFor(p, prev.owner)) throw notYours(prev.id);
}

/**
 * Checks, before any idempotency reservation, that `p` may create `input`:
 * it holds the new owner, and an id the body names is not another institution's.
 * Serves POST /api/articles (a reservation must never be a way to read a record).
 */
export async function authorizeCreate(s: Services, p: Principal, input: ArticleInput): Promise<void> {
  requireOwnership(p, input.owner, null);
  if (input.id === undefined) return;
  const existing = await getArticle(s.db, input.id);
  if (existing) requireOwnership(p, input.owner, existing);
}

/** Does the If-Match header allow writing over `current`? */
export function ifMatchHolds(ifMatch: string | undefined, current: ArticleRecord | null): boolean {
  if (ifMatch === undefined) return true;
  const live = current && !current.deleted ? current : null;
  if (ifMatch.trim() === '*') return live !== null;
  if (!live) return false;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes(articleEtag(live));
}

/** The result of a write: the record and whether it was created. */
export interface WriteOutcome {
  record: ArticleRecord;
  created: boolean;
}

function notify(s: Services, pairs: { prev: ArticleRecord | null; next: ArticleRecord }[], nowMs: number, background: (p: Promise<unknown>) => void) {
  if (!pairs.length) return;
  const feeds = [...new Set(pairs.flatMap(({ prev, next }) => [...(prev?.feeds ?? []), ...next.feeds]))];
  for (const listener of s.listeners) {
    try {
      const r = listener({ feeds, nowMs }, background);
      if (r) background(r);
    } catch {
      /* listeners must not break publishing */
    }
  }
}

/** Creates a new article (POST /api/articles); with an idempotency reservation, a retry returns the first article. */
export async function createArticle(
  s: Services,
  p: Principal,
  input: ArticleInput,
  background: (p: Promise<unknown>) => void,
  idempotent?: { id: string; retry: boolean },
): Promise<WriteOutcome> {
  const reservedId = idempotent?.retry ? idempotent.id : undefined;
  requireOwnership(p, input.owner, null);
  await requireReferences(s, input);
  const id = idempotent?.id ?? input.id ?? ulid();
  const existing = await getArticle(s.db, id);
  // Ownership first: neither a retry nor a conflict may answer with another institution's record.
  if (existing) requireOwnership(p, input.owner, existing);
  if (existing && !existing.deleted) {
    if (reservedId) return { record: existing, created: false };
    throw new ProblemError('conflict', `article "${id}" already exists; use PUT /api/articles/${id} to replace it`);
  }
  const now = s.clock();
  const record = buildRecord(input, id, existing, now);
  try {
    await writeArticle(s.db, { next: record, prev: existing }, { absentOrVersion: existing?.version ?? null }, now, writableOwners(p));
  } catch (err) {
    // A concurrent request with the same Idempotency-Key wrote the article first: answer with it.
    if (err instanceof ConflictError && idempotent) {
      const winner = await getArticle(s.db, id);
      if (winner && !winner.deleted && canWriteFor(p, winner.owner)) return { record: winner, created: false };
    }
    if (err instanceof ConflictError) throw new ProblemError('conflict', `article "${id}" was created concurrently`, { cause: err });
    throw err;
  }
  notify(s, [{ prev: existing, next: record }], now, background);
  return { record, created: true };
}

/** Creates or replaces an article (PUT /api/articles/:id), honouring If-Match (412 when stale). */
export async function putArticle(
  s: Services,
  p: Principal,
  id: string,
  input: ArticleInput,
  ifMatch: string | undefined,
  background: (p: Promise<unknown>) => void,
): Promise<WriteOutcome> {
  if (input.id !== undefined && input.id !== id) {
    throw new ProblemError('validation-failed', 'the body id differs from the URL', { errors: [{ field: 'id', reason: `must equal "${id}" or be omitted` }] });
  }
  const prev = await getArticle(s.db, id);
  requireOwnership(p, input.owner, prev);
  await requireReferences(s, input);
  if (!ifMatchHolds(ifMatch, prev)) throw new ProblemError('precondition-failed', `article "${id}" does not match If-Match`);
  const now = s.clock();
  const record = buildRecord(input, id, prev, now);
  const condition: WriteCondition = prev ? { version: prev.version } : { absent: true };
  try {
    await writeArticle(s.db, { next: record, prev }, condition, now, writableOwners(p));
  } catch (err) {
    if (err instanceof ConflictError) throw new ProblemError('precondition-failed', `article "${id}" changed while it was being written; read it again`, { cause: err });
    throw err;
  }
  notify(s, [{ prev, next: record }], now, background);
  return { record, created: !prev || Boolean(prev.deleted) };
}

/** Deletes an article (DELETE /api/articles/:id): it leaves every feed, a tombstone stays in the change log. */
export async function deleteArticle(
  s: Services,
  p: Principal,
  id: string,
  ifMatch: string | undefined,
  background: (p: Promise<unknown>) => void,
): Promise<void> {
  const prev = await getArticle(s.db, id);
  const absent = new ProblemError('not-found', `no article "${id}"`);
  if (!prev || prev.deleted) throw absent;
  if (!canWriteFor(p, prev.owner)) {
    // An embargoed article's existence is itself a secret: "not yours" is then the same answer as "no such article".
    if (prev.publishedMs > s.clock()) throw absent;
    throw notYours(id);
  }
  if (!ifMatchHolds(ifMatch, prev)) throw new ProblemError('precondition-failed', `article "${id}" does not match If-Match`);
  const now = s.clock();
  const tombstone = buildTombstone(prev, now);
  try {
    await writeArticle(s.db, { next: tombstone, prev }, { version: prev.version }, now, writableOwners(p));
  } catch (err) {
    if (err instanceof ConflictError) throw new ProblemError('precondition-failed', `article "${id}" changed while it was being deleted`, { cause: err });
    throw err;
  }
  notify(s, [{ prev, next: tombstone }], now, background);
}

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
