/**
 * The console's JSON API under /console/api: session (sign-in, who, sign-out),
 * the article list, one article, create, replace (If-Match required), withdraw
 * (If-Match required) and preview. Requests are validated by the API's own zod
 * schemas and written by the same publishing service, so the console can do
 * exactly what the key could do with curl, and no more.
 */
import { Hono, type Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { authenticate } from '../auth/middleware.js';
import { canWriteFor, type Principal } from '../auth/principal.js';
import { cachedRegistryList } from '../feeds/serve/registry-cache.js';
import { fieldErrors, ProblemError } from '../http/problem.js';
import { backgroundOf, jsonBody } from '../http/router.js';
import { ARTICLE_ID_PATTERN, ArticleInputSchema, SLUG_PATTERN } from '../model/schemas.js';
import { checkReferences, createArticle, deleteArticle, putArticle } from '../publishing/article-service.js';
import { articleEtag, isPublic, toApiArticle, type ArticleRecord } from '../store/article-record.js';
import { getArticle } from '../store/articles.js';
import { listConsoleArticles, type ConsoleStatus } from '../store/console-articles.js';
import { getKey } from '../store/api-keys.js';
import { renderPreview } from './preview.js';
import { offsetForRegion } from './region-offset.js';
import { endSession, loadSession, requireSameOrigin, requireSession, startSession, type ConsoleEnv } from './session.js';

/** Articles per page of the console's list. */
export const CONSOLE_PAGE_SIZE = 20;
const CURSOR = /^\d{15}#[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const STATUSES: readonly ConsoleStatus[] = ['published', 'scheduled', 'withdrawn'];

const principalOf = (c: Context<ConsoleEnv>) => c.get('principal') as Principal;

function parseInput(raw: unknown): z.infer<typeof ArticleInputSchema> {
  const parsed = ArticleInputSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues as never);
    throw new ProblemError('validation-failed', `${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, { errors });
  }
  return parsed.data;
}

/** The institutions a principal works for: its key's, or every registered one for the admin. */
async function scopeOf(c: Context<ConsoleEnv>, p: Principal) {
  const all = await cachedRegistryList(c.get('services'), 'institution');
  const mine = p.kind === 'admin' ? all : p.institutions.map((slug) => all.find((i) => i.slug === slug)).filter((i) => i !== undefined);
  return { all, mine };
}

async function me(c: Context<ConsoleEnv>, csrf: string) {
  const s = c.get('services');
  const p = principalOf(c);
  const [{ all, mine }, categories] = await Promise.all([scopeOf(c, p), cachedRegistryList(s, 'category')]);
  const label = p.kind === 'admin' ? 'admin' : ((await getKey(s.db, p.id))?.label ?? p.id);
  return {
    kind: p.kind,
    label,
    csrf,
    institutions: mine.map((i) => ({ slug: i.slug, name: i.name, offsetMinutes: offsetForRegion(i.region) })),
    allInstitutions: all.map((i) => ({ slug: i.slug, name: i.name })),
    categories: categories.map((x) => ({ slug: x.slug, name: x.name })),
  };
}

function statusOf(r: ArticleRecord, nowMs: number): ConsoleStatus {
  return r.deleted ? 'withdrawn' : r.publishedMs > nowMs ? 'scheduled' : 'published';
}

/** Reads an article the principal may edit; 404 otherwise (another institution's article is not even confirmed to exist). */
async function editable(c: Context<ConsoleEnv>, id: string): Promise<ArticleRecord> {
  const s = c.get('services');
  const record = ARTICLE_ID_PATTERN.test(id) ? await getArticle(s.db, id) : null;
  if (!record || record.deleted || !canWriteFor(principalOf(c), record.owner)) throw new ProblemError('not-found', `console: no article "${id}" for this key`);
  return record;
}

function requireIfMatch(c: Context<ConsoleEnv>): string {
  const ifMatch = c.req.header('if-match');
  if (!ifMatch) throw new ProblemError('precondition-required', 'console: edits need If-Match with the ETag the article was read with');
  return ifMatch;
}

const articleJson = (c: Context<ConsoleEnv>, r: ArticleRecord, status: 200 | 201) => {
  c.header('ETag', articleEtag(r));
  c.header('Cache-Control', 'no-store');
  return c.json({ article: toApiArticle(r), status: statusOf(r, c.get('services').clock()) }, status);
};

/** Routes under /console/api. */
export function consoleApiRoutes(): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('*', jsonBody((c) => c.get('services').config.maxBodyBytes));

  // Sign-in: the token is checked (and failures throttled) by the API's own bearer authentication.
  app.post('/session', requireSameOrigin(), authenticate(), async (c) => {
    const p = principalOf(c);
    if (p.kind === 'key' && p.role !== 'publisher') throw new ProblemError('forbidden', 'console: a reader key cannot sign in; use a publisher key');
    const csrf = await startSession(c, p);
    return c.json(await me(c, csrf), 201);
  });

  // Whether this browser has a live session (200 either way, so a signed-out page logs no failed request).
  app.get('/session', async (c) => {
    const live = await loadSession(c);
    if (!live) return c.json({ signedIn: false }, 200);
    c.set('principal', live.p);
    return c.json({ signedIn: true, ...(await me(c, live.stored.csrf)) }, 200);
  });
  app.use('/session', async (c, next) => (c.req.method === 'POST' ? next() : requireSession()(c, next)));
  app.use('/me', requireSession());
  app.use('/articles', requireSession());
  app.use('/articles/*', requireSession());
  app.use('/preview', requireSession());

  app.get('/me', async (c) => c.json(await me(c, c.get('session')!.stored.csrf), 200));
  app.delete('/session', async (c) => {
    await endSession(c);
    return c.body(null, 204);
  });

  app.get('/articles', async (c) => {
    const s = c.get('services');
    const p = principalOf(c);
    const institution = c.req.query('institution') ?? '';
    const category = c.req.query('category') || undefined;
    const status = (c.req.query('status') ?? 'published') as ConsoleStatus;
    const cursor = c.req.query('cursor') || undefined;
    const errors = [
      ...(SLUG_PATTERN.test(institution) ? [] : [{ field: 'institution', reason: 'must be an institution slug' }]),
      ...(category === undefined || SLUG_PATTERN.test(category) ? [] : [{ field: 'category', reason: 'must be a category slug' }]),
      ...(STATUSES.includes(status) ? [] : [{ field: 'status', reason: 'must be published, scheduled or withdrawn' }]),
      ...(cursor === undefined || CURSOR.test(cursor) ? [] : [{ field: 'cursor', reason: 'is not a cursor of this list' }]),
    ];
    if (errors.length) throw new ProblemError('validation-failed', errors.map((e) => `${e.field} ${e.reason}`).join('; '), { errors });
    if (p.kind === 'key' && !p.institutions.includes(institution)) throw new ProblemError('forbidden', `console: this key does not publish for "${institution}"`);
    const nowMs = s.clock();
    const page = await listConsoleArticles(s.db, { institution, status, limit: CONSOLE_PAGE_SIZE, nowMs, ...(category ? { category } : {}), ...(cursor ? { beforeSk: cursor } : {}) });
    // Articles of other owners that list this institution too are shown when public, and are read-only.
    const shown = page.articles.filter((r) => canWriteFor(p, r.owner) || (status === 'published' && isPublic(r, nowMs)));
    return c.json({
      articles: shown.map((r) => ({ id: r.id, title: r.title, publishedAt: r.publishedAt, category: r.category, owner: r.owner, status: statusOf(r, nowMs), editable: !r.deleted && canWriteFor(p, r.owner) })),
      ...(page.nextSk ? { next: page.nextSk } : {}),
    }, 200);
  });

  app.get('/articles/:id', async (c) => articleJson(c, await editable(c, c.req.param('id')), 200));

  app.post('/articles', async (c) => {
    const input = parseInput(await c.req.json());
    const { record } = await createArticle(c.get('services'), principalOf(c), input, backgroundOf(c));
    return articleJson(c, record, 201);
  });

  app.put('/articles/:id', async (c) => {
    const id = c.req.param('id');
    const ifMatch = requireIfMatch(c);
    await editable(c, id);
    const input = parseInput(await c.req.json());
    const { record } = await putArticle(c.get('services'), principalOf(c), id, input, ifMatch, backgroundOf(c));
    return articleJson(c, record, 200);
  });

  app.delete('/articles/:id', async (c) => {
    const id = c.req.param('id');
    const ifMatch = requireIfMatch(c);
    await editable(c, id);
    await deleteArticle(c.get('services'), principalOf(c), id, ifMatch, backgroundOf(c));
    return c.body(null, 204);
  });

  app.post('/preview', async (c) => {
    const s = c.get('services');
    const p = principalOf(c);
    const input = parseInput(await c.req.json());
    const owner = input.owner;
    if (!canWriteFor(p, owner)) throw new ProblemError('forbidden', `console: this key may not publish for institution "${owner}"`);
    const refs = (await checkReferences(s, [{ input, prefix: '' }])).get(0);
    if (refs) throw new ProblemError('unknown-reference', refs.map((e) => e.reason).join('; '), { errors: refs });
    return c.json(await renderPreview(s, input, input.id ?? 'pratinjau'), 200);
  });
  return app;
}
