/**
 * The partner API: `GET /api/changes` (every change after a cursor, oldest
 * first) and `GET /api/articles` (the live articles of a slice, newest
 * first, for a first import). Any key may read (admin, publisher, reader).
 * Both filter by `category`, `institution` or both; an unknown slug is 404
 * naming the parameter; a bad `limit`, `since` or `cursor` is 400 naming it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { authenticate, principal } from '../auth/middleware.js';
import { canRead } from '../auth/principal.js';
import { newRouter } from '../http/router.js';
import { ProblemError, type FieldError } from '../http/problem.js';
import { ArticleSchema, ProblemSchema, SLUG_PATTERN, type Article } from '../model/schemas.js';
import { listArticles } from '../partners/live-articles.js';
import { logOf, readChangeCursor, readChanges, requireKnownFilter, type SliceFilter, type Tombstone } from '../partners/change-feed.js';
import { articleToNinjs, ninjsNames, NinjsItemSchema, tombstoneToNinjs, wantsNinjs, type NinjsItem } from '../partners/ninjs.js';

/** Page sizes: /api/changes 1–500 (default 100); /api/articles 1–100 (default 50). */
export const CHANGES_LIMIT = { min: 1, max: 500, default: 100 } as const;
export const LIST_LIMIT = { min: 1, max: 100, default: 50 } as const;

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const TombstoneSchema = z.object({ id: z.string(), deleted: z.literal(true), deletedAt: z.string() }).openapi('Tombstone');
const filterQuery = {
  category: z.string().optional().openapi({ description: 'Category slug', example: 'binmas' }),
  institution: z.string().optional().openapi({ description: 'Institution slug', example: 'lapas-kelas-i-madiun' }),
  limit: z.string().optional(),
  format: z.string().optional().openapi({ description: '`ninjs`: each item as IPTC ninjs 3.1 (tombstones as pubStatus "canceled")' }),
};

/** Runs `authenticate()` unless an earlier middleware on the same path already did (POST /api/articles shares the path). */
function authenticateOnce(): MiddlewareHandler<AppEnv> {
  const auth = authenticate();
  return async (c, next) => (c.get('principal') ? next() : auth(c, next));
}

function requireReader(c: Context<AppEnv>): void {
  if (!canRead(principal(c))) throw new ProblemError('forbidden', 'this key may not read the partner API');
}

function parseLimit(raw: string | undefined, bounds: { min: number; max: number; default: number }): number {
  if (raw === undefined) return bounds.default;
  const n = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= bounds.min && n <= bounds.max)) {
    throw new ProblemError('bad-request', `limit must be an integer from ${bounds.min} to ${bounds.max}`, {
      errors: [{ field: 'limit', reason: `must be an integer from ${bounds.min} to ${bounds.max}` }],
    });
  }
  return n;
}

async function parseFilter(c: Context<AppEnv>, query: { category?: string | undefined; institution?: string | undefined }): Promise<SliceFilter> {
  const errors: FieldError[] = [];
  const filter: SliceFilter = {};
  for (const field of ['category', 'institution'] as const) {
    const v = query[field];
    if (v === undefined) continue;
    if (v.length > 64 || !SLUG_PATTERN.test(v)) errors.push({ field, reason: 'must be a slug (lowercase letters, digits, single hyphens)' });
    else filter[field] = v;
  }
  if (errors.length) throw new ProblemError('bad-request', errors.map((e) => `${e.field} ${e.reason}`).join('; '), { errors });
  await requireKnownFilter(c.get('services'), filter);
  return filter;
}

/** Articles and tombstones of a page as ninjs 3.1 items, in the same order. */
async function toNinjsList(c: Context<AppEnv>, items: readonly (Article | Tombstone)[]): Promise<NinjsItem[]> {
  const s = c.get('services');
  const live = items.filter((i): i is Article => !('deleted' in i));
  const names = await ninjsNames(s, live);
  return items.map((i) => ('deleted' in i ? tombstoneToNinjs(s.config, i) : articleToNinjs(s.config, i, names)));
}

/** Routes under /api: GET /changes and GET /articles. */
export function changeRoutes() {
  const app = newRouter();
  app.use('/changes', authenticateOnce());
  app.on('GET', '/articles', authenticateOnce());

  app.openapi(
    createRoute({
      method: 'get', path: '/changes', tags: ['partners'], security,
      summary: 'Every article created, updated or deleted after a cursor, oldest first (current state of each)',
      description:
        'Follow `next` while `hasMore` is true, then poll again later with the last `next`. Live articles come in full; ' +
        'deleted ones, ones moved out of the filter and embargoed ones come as tombstones `{id, deleted, deletedAt}`. ' +
        'Changes of the last few seconds may come twice; applying them again is harmless.',
      request: { query: z.object({ since: z.string().optional(), ...filterQuery }) },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ changes: z.array(z.union([ArticleSchema, TombstoneSchema, NinjsItemSchema])), next: z.string(), hasMore: z.boolean() }) } },
          description: 'A page of changes',
        },
        400: problem('Bad since or limit'), 401: problem('No or bad token'), 404: problem('Unknown category or institution'),
      },
    }),
    async (c) => {
      requireReader(c);
      const query = c.req.valid('query');
      const limit = parseLimit(query.limit, CHANGES_LIMIT);
      const log = logOf(await parseFilter(c, query));
      const since = await readChangeCursor(c.get('services'), log, query.since);
      const ninjs = wantsNinjs(query.format);
      const page = await readChanges(c.get('services'), log, since, limit);
      c.header('Cache-Control', 'no-store');
      if (ninjs) return c.json({ ...page, changes: await toNinjsList(c, page.changes) }, 200);
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/articles', tags: ['partners'], security,
      summary: 'The live public articles of a slice in full, newest first (first import)',
      description: 'The first page carries `changesCursor`: after importing every page, follow /api/changes from it with the same filter.',
      request: { query: z.object({ cursor: z.string().optional(), ...filterQuery }) },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({ articles: z.array(z.union([ArticleSchema, NinjsItemSchema])), next: z.string().optional(), hasMore: z.boolean(), changesCursor: z.string().optional() }),
            },
          },
          description: 'A page of articles',
        },
        400: problem('Bad cursor or limit'), 401: problem('No or bad token'), 404: problem('Unknown category or institution'),
      },
    }),
    async (c) => {
      requireReader(c);
      const query = c.req.valid('query');
      const limit = parseLimit(query.limit, LIST_LIMIT);
      const feed = logOf(await parseFilter(c, query));
      const ninjs = wantsNinjs(query.format);
      const page = await listArticles(c.get('services'), feed, query.cursor, limit);
      c.header('Cache-Control', 'no-store');
      if (ninjs) return c.json({ ...page, articles: await toNinjsList(c, page.articles) }, 200);
      return c.json(page, 200);
    },
  );
  return app;
}
