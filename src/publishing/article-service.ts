/**
 * Publishing: turns validated input into article records and writes them,
 * enforcing references (unknown category/institution → 422), ownership
 * (a publisher writes only its institutions' articles) and preconditions.
 * Runtime-free: used by the HTTP routes and the console; batches are in batch-put.ts.
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
import { articleEtag, type ArticleRecord } from '../store/article-record.js';
import { feedsOf } from '../model/feed-membership.js';
import { getArticle } from '../store/articles.js';
import { writeArticle, type WritableOwners, type WriteCondition } from '../store/article-writes.js';
import { ConflictError } from '../store/errors.js';
import { getRegistryEntries } from '../store/registries.js';
import { releaseIdempotencyKey, reserveIdempotencyKey } from '../store/idempotency.js';
import { sha256Hex } from '../auth/tokens.js';
import { hash64 } from '../model/hash64.js';

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
export const writableOwners = (p: Principal): WritableOwners => (p.kind === 'admin' ? null : p.role === 'publisher' ? p.institutions : []);

/** The refusal for another institution's article: it never names the owner (an embargoed article's owner is a secret). */
const notYours = (id: string) => new ProblemError('forbidden', `this key may not write article "${id}"`);

function requireOwnership(p: Principal, next: string, prev: ArticleRecord | null): void {
  if (!canWriteFor(p, next)) throw new ProblemError('forbidden', `this key may not publish for institution "${next}"`);
  if (prev && !canWriteFor(p, prev.owner)) throw notYours(prev.id);
}

/**
 * Checks, before any idempotency reservation, that `p` may create `input`:
 * it holds the new owner, and an id the body names is not another institution's
 * (a reservation must never be a way to read a record).
 */
async function authorizeCreate(s: Services, p: Principal, input: ArticleInput): Promise<void> {
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

/** Tells the listeners (WebSub hub, caches) which feeds a write changed; a failing listener never fails the write. */
export function notify(s: Services, pairs: { prev: ArticleRecord | null; next: ArticleRecord }[], nowMs: number, background: (p: Promise<unknown>) => void) {
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

/**
 * Creates a new article (POST /api/articles, the console's create). With an `Idempotency-Key`,
 * the first request reserves the key for its article id and body; a retry with the same key
 * and body answers the first article (201 then 200), another body is refused (422). Who may
 * write is checked before the reservation, so a key reserved by one principal never hands
 * another a record; a refused first request frees its key, so its retry is judged afresh.
 */
export async function createArticle(
  s: Services,
  p: Principal,
  input: ArticleInput,
  background: (p: Promise<unknown>) => void,
  idempotencyKey?: string,
): Promise<WriteOutcome> {
  await authorizeCreate(s, p, input);
  if (idempotencyKey === undefined) return createOnce(s, p, input, background);
  const requestHash = await sha256Hex(JSON.stringify(input));
  const articleId = input.id ?? ulid();
  const r = await reserveIdempotencyKey(s.db, p.id, idempotencyKey, { articleId, requestHash }, s.clock());
  if (!r.created) {
    if (r.existing.requestHash !== requestHash) {
      throw new ProblemError('validation-failed', 'this Idempotency-Key was used for a different request', {
        errors: [{ field: 'Idempotency-Key', reason: 'was already used with another body' }],
      });
    }
    return createOnce(s, p, input, background, { id: r.existing.articleId, retry: true });
  }
  try {
    return await createOnce(s, p, input, background, { id: articleId, retry: false });
  } catch (err) {
    if (err instanceof ProblemError) await releaseIdempotencyKey(s.db, p.id, idempotencyKey);
    throw err;
  }
}

/** One create; with a reservation, a retry returns the article its first request created. */
async function createOnce(
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
