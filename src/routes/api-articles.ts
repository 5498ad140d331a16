/** The publishing API: articles (create, replace, read, delete, batch). */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { authenticate, principal } from '../auth/middleware.js';
import { canRead, canWriteFor } from '../auth/principal.js';
import { backgroundOf, jsonBody, newRouter } from '../http/router.js';
import { fieldErrors, MAX_FIELD_ERRORS, ProblemError, problemTypeUri, PROBLEMS } from '../http/problem.js';
import { ArticleId, ArticleInputSchema, ArticleSchema, ProblemSchema } from '../model/schemas.js';
import { articleEtag, toApiArticle } from '../store/article-record.js';
import { getArticle } from '../store/articles.js';
import { articleToNinjs, ninjsNames, NinjsItemSchema, wantsNinjs } from '../partners/ninjs.js';
import { createArticle, deleteArticle, putArticle } from '../publishing/article-service.js';
import { batchPut, type BatchItemResult } from '../publishing/batch-put.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const articleResponse = (description: string) => ({
  content: { 'application/json': { schema: ArticleSchema } },
  headers: z.object({ ETag: z.string(), Location: z.string().optional() }),
  description,
});
const writeErrors = {
  400: problem('Malformed JSON'), 401: problem('No or bad token'), 403: problem('Out of this key\'s institutions'),
  413: problem('Body too large'), 415: problem('Not JSON'), 422: problem('Invalid fields or unknown references'),
};

const IdempotencyKey = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'must be 1–255 visible ASCII characters');
const BatchBody = z
  .object({
    articles: z.array(z.unknown()).min(1).max(100),
    skipUnchanged: z.boolean().optional().openapi({ description: 'Leave articles identical to the stored ones unwritten (answered with `unchanged: true`)' }),
  })
  .strict()
  .openapi('ArticleBatch');

/** Routes under /api/articles. */
export function articleRoutes() {
  const app = newRouter();
  app.use('/articles/batch', jsonBody((c) => c.get('services').config.maxBatchBodyBytes));
  app.use('/articles', jsonBody((c) => c.get('services').config.maxBodyBytes));
  // `/articles/:id` also matches `/articles/batch`: only POST there is the batch (larger limit); PUT is an article id.
  app.use('/articles/:id', jsonBody((c) => (c.req.param('id') === 'batch' && c.req.method === 'POST' ? c.get('services').config.maxBatchBodyBytes : c.get('services').config.maxBodyBytes)));
  app.use('/articles', authenticate());
  app.use('/articles/*', authenticate());

  app.openapi(
    createRoute({
      method: 'post', path: '/articles/batch', tags: ['articles'], security,
      summary: 'Create or replace up to 100 articles; one result per item',
      request: { body: { content: { 'application/json': { schema: BatchBody } }, required: true } },
      responses: {
        200: { content: { 'application/json': { schema: z.object({ results: z.array(z.record(z.string(), z.unknown())) }) } }, description: 'A result per item, in order' },
        ...writeErrors,
      },
    }),
    async (c) => {
      const p = principal(c);
      const { articles, skipUnchanged } = c.req.valid('json');
      const results = new Map<number, BatchItemResult>();
      const valid: { index: number; input: z.infer<typeof ArticleInputSchema> }[] = [];
      articles.forEach((raw, index) => {
        const parsed = ArticleInputSchema.safeParse(raw);
        if (parsed.success) valid.push({ index, input: parsed.data });
        else {
          const errors = fieldErrors(parsed.error.issues as never, `articles[${index}]`);
          results.set(index, { index, status: 422, problem: { type: problemTypeUri('validation-failed'), title: PROBLEMS['validation-failed'].title, detail: `${errors.length} invalid field(s)`, errors: errors.slice(0, MAX_FIELD_ERRORS) } });
        }
      });
      for (const [k, v] of await batchPut(c.get('services'), p, valid, backgroundOf(c), { skipUnchanged: skipUnchanged === true })) results.set(k, v);
      return c.json({ results: articles.map((_, i) => results.get(i)!) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/articles', tags: ['articles'], security,
      summary: 'Publish a new article',
      request: {
        headers: z.object({ 'idempotency-key': IdempotencyKey.optional() }),
        body: { content: { 'application/json': { schema: ArticleInputSchema } }, required: true },
      },
      responses: { 201: articleResponse('Created'), 200: articleResponse('An idempotent retry: the article the first request created'), 409: problem('The id exists'), ...writeErrors },
    }),
    async (c) => {
      const s = c.get('services');
      const p = principal(c);
      const input = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const { record, created } = await createArticle(s, p, input, backgroundOf(c), key);
      c.header('Location', `/api/articles/${encodeURIComponent(record.id)}`);
      c.header('ETag', articleEtag(record));
      return c.json(toApiArticle(record), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/articles/{id}', tags: ['articles'], security,
      summary: 'Read one article (embargoed ones only for the admin and the owner\'s publishers)',
      request: { params: z.object({ id: ArticleId }), query: z.object({ format: z.string().optional().openapi({ description: '`ninjs`: the article as IPTC ninjs 3.1' }) }) },
      responses: { 200: { ...articleResponse('The article (with ?format=ninjs: as IPTC ninjs 3.1)'), content: { 'application/json': { schema: z.union([ArticleSchema, NinjsItemSchema]) } } }, 400: problem('Unknown format'), 401: problem('No or bad token'), 404: problem('No such article') },
    }),
    async (c) => {
      const s = c.get('services');
      const p = principal(c);
      const { id } = c.req.valid('param');
      const ninjs = wantsNinjs(c.req.valid('query').format);
      const record = await getArticle(s.db, id);
      const embargoed = record !== null && record.publishedMs > s.clock();
      const visible = record && !record.deleted && (!embargoed || canWriteFor(p, record.owner));
      if (!record || !visible || !canRead(p)) throw new ProblemError('not-found', `no article "${id}"`);
      c.header('ETag', articleEtag(record));
      if (ninjs) {
        const article = toApiArticle(record);
        return c.json(articleToNinjs(s.config, article, await ninjsNames(s, [article]), { createdMs: record.createdMs, embargoed }), 200);
      }
      return c.json(toApiArticle(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/articles/{id}', tags: ['articles'], security,
      summary: 'Create or replace an article; If-Match for optimistic concurrency (412 when stale)',
      request: {
        params: z.object({ id: ArticleId }),
        headers: z.object({ 'if-match': z.string().max(1024).optional() }),
        body: { content: { 'application/json': { schema: ArticleInputSchema } }, required: true },
      },
      responses: { 200: articleResponse('Replaced'), 201: articleResponse('Created'), 412: problem('If-Match does not hold'), ...writeErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { record, created } = await putArticle(c.get('services'), principal(c), id, c.req.valid('json'), c.req.valid('header')['if-match'], backgroundOf(c));
      if (created) c.header('Location', `/api/articles/${encodeURIComponent(record.id)}`);
      c.header('ETag', articleEtag(record));
      return c.json(toApiArticle(record), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/articles/{id}', tags: ['articles'], security,
      summary: 'Delete an article: it leaves every feed; a tombstone stays in the change log',
      request: { params: z.object({ id: ArticleId }), headers: z.object({ 'if-match': z.string().max(1024).optional() }) },
      responses: { 204: { description: 'Deleted' }, 401: problem('No or bad token'), 403: problem('Another institution\'s article'), 404: problem('No such article'), 412: problem('If-Match does not hold') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await deleteArticle(c.get('services'), principal(c), id, c.req.valid('header')['if-match'], backgroundOf(c));
      return c.body(null, 204);
    },
  );
  return app;
}
