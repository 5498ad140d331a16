/**
 * Registered sources (admin only): `PUT /api/sources/:id` registers or
 * changes a portal or feed that the scheduler pulls continuously,
 * `GET /api/sources[/:id]` shows each with its last fetch, status, counts
 * and last error, `DELETE /api/sources/:id` stops pulling it (and
 * unsubscribes from its hub).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { authenticate, requireAdmin } from '../auth/middleware.js';
import { backgroundOf, jsonBody, newRouter } from '../http/router.js';
import { ProblemError } from '../http/problem.js';
import { ProblemSchema, Slug } from '../model/schemas.js';
import { isSafeContentUrl } from '../model/sanitize.js';
import { formatRfc3339 } from '../model/time.js';
import { targetRefusal } from '../net/public-fetch.js';
import { getRegistryEntries } from '../store/registries.js';
import { deleteSource, getSource, listSources, putSource, type SourceRecord } from '../store/sources.js';
import { requestSubscription } from '../ingest/websub-subscriber.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];

/** A source's id in the URL: a lowercase slug of up to 64 characters. */
export const SourceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1–64 lowercase letters, digits or hyphens').openapi({ example: 'polres-madiun-kota-portal' });

/** A source's address: absolute http(s) without credentials; whether its host may be private is checked by the route (WARTA_SOURCES_ALLOW_PRIVATE). */
const SourceUrl = z.string().max(2048).refine((v) => v === v.trim() && isSafeContentUrl(v, false), 'must be an absolute http(s) URL without credentials').openapi({ example: 'https://kotamadiun.binmas.id/' });

/** What `PUT /api/sources/:id` accepts (every field checked, unknown ones refused). */
export const SourceInputSchema = z
  .object({
    url: SourceUrl,
    kind: z.enum(['auto', 'wordpress', 'feed']).default('auto'),
    institution: Slug,
    categoryMap: z.record(z.string().max(200), Slug).default({}).refine((m) => Object.keys(m).length <= 200, 'at most 200 entries'),
    defaultCategory: Slug.default('berita'),
    intervalMinutes: z.number().int().min(1).max(10_080).default(30),
  })
  .strict()
  .openapi('SourceInput');

const SourceSchema = z.object({
  id: z.string(), url: z.string(), kind: z.string(), institution: z.string(), categoryMap: z.record(z.string(), z.string()), defaultCategory: z.string(), intervalMinutes: z.number(),
  createdAt: z.string(), updatedAt: z.string(),
  lastFetchAt: z.string().optional(), status: z.string(), lastError: z.string().optional(), nextFetchAt: z.string(),
  lastCounts: z.record(z.string(), z.number()).optional(), totals: z.record(z.string(), z.number()),
  resolvedKind: z.string().optional(), resolvedUrl: z.string().optional(),
  websub: z.object({ hub: z.string(), topic: z.string(), state: z.string(), leaseUntil: z.string().optional() }).optional(),
}).openapi('Source');

/** The public view of a source: never its validators' internals or the subscription nonce. */
export function sourceView(r: SourceRecord) {
  const st = r.state;
  return {
    id: r.id, url: r.url, kind: r.kind, institution: r.institution, categoryMap: r.categoryMap, defaultCategory: r.defaultCategory, intervalMinutes: r.intervalMinutes,
    createdAt: r.createdAt, updatedAt: r.updatedAt,
    ...(st.lastFetchAt ? { lastFetchAt: st.lastFetchAt } : {}), status: st.status, ...(st.lastError ? { lastError: st.lastError } : {}),
    nextFetchAt: formatRfc3339(st.nextDueMs, 420),
    ...(st.lastCounts ? { lastCounts: st.lastCounts } : {}), totals: st.totals,
    ...(st.resolvedKind ? { resolvedKind: st.resolvedKind } : {}), ...(st.resolvedUrl ? { resolvedUrl: st.resolvedUrl } : {}),
    ...(st.hub ? { websub: { hub: st.hub.url, topic: st.hub.topic, state: st.hub.state, ...(st.hub.leaseUntilMs ? { leaseUntil: formatRfc3339(st.hub.leaseUntilMs, 420) } : {}) } } : {}),
  };
}

/** Routes under /api/sources. */
export function sourceRoutes() {
  const app = newRouter();
  app.use('/sources/:id', jsonBody(() => 64 * 1024));
  app.use('/sources', authenticate());
  app.use('/sources/*', authenticate());
  app.use('/sources', async (c, next) => (requireAdmin(c), next()));
  app.use('/sources/*', async (c, next) => (requireAdmin(c), next()));

  app.openapi(
    createRoute({
      method: 'put', path: '/sources/{id}', tags: ['sources'], security, summary: 'Register or change a source pulled continuously (admin)',
      request: { params: z.object({ id: SourceId }), body: { content: { 'application/json': { schema: SourceInputSchema } }, required: true } },
      responses: { 200: { content: { 'application/json': { schema: SourceSchema } }, description: 'Changed' }, 201: { content: { 'application/json': { schema: SourceSchema } }, description: 'Registered' }, 401: problem('No or bad token'), 403: problem('Not admin'), 422: problem('Invalid') },
    }),
    async (c) => {
      const s = c.get('services');
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const refusal = targetRefusal(new URL(input.url), s.config.sources.allowPrivate);
      if (refusal) throw new ProblemError('validation-failed', `url ${refusal}`, { errors: [{ field: 'url', reason: refusal }] });
      if (!(await getRegistryEntries(s.db, 'institution', [input.institution])).has(input.institution)) {
        throw new ProblemError('unknown-reference', `unknown institution "${input.institution}"`, { errors: [{ field: 'institution', reason: `unknown institution "${input.institution}"` }] });
      }
      const prev = await getSource(s.db, id);
      const now = s.clock();
      const nowText = formatRfc3339(now, 420);
      const sameTarget = prev && prev.url === input.url && prev.kind === input.kind;
      const record: SourceRecord = {
        id, ...input, createdAt: prev?.createdAt ?? nowText, updatedAt: nowText,
        // A new or moved source is due at once and resolved again; a changed interval or map keeps what was learnt.
        state: sameTarget ? { ...prev.state, nextDueMs: Math.min(prev.state.nextDueMs, now + input.intervalMinutes * 60_000) } : { status: 'new', totals: { imported: 0, updated: 0, failed: 0 }, consecutiveFailures: 0, nextDueMs: now },
      };
      await putSource(s.db, record, prev?.state.nextDueMs);
      return c.json(sourceView(record), prev ? 200 : 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/sources/{id}', tags: ['sources'], security, summary: 'One source with its last fetch (admin)',
      request: { params: z.object({ id: SourceId }) },
      responses: { 200: { content: { 'application/json': { schema: SourceSchema } }, description: 'The source' }, 401: problem('No or bad token'), 403: problem('Not admin'), 404: problem('No such source') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const record = await getSource(c.get('services').db, id);
      if (!record) throw new ProblemError('not-found', `no source "${id}"`);
      return c.json(sourceView(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/sources', tags: ['sources'], security, summary: 'Every source with its last fetch, status, counts and last error (admin)',
      responses: { 200: { content: { 'application/json': { schema: z.object({ sources: z.array(SourceSchema) }) } }, description: 'The sources' }, 401: problem('No or bad token'), 403: problem('Not admin') },
    }),
    async (c) => c.json({ sources: (await listSources(c.get('services').db)).map(sourceView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/sources/{id}', tags: ['sources'], security, summary: 'Stop pulling a source (its articles stay) (admin)',
      request: { params: z.object({ id: SourceId }) },
      responses: { 204: { description: 'Deleted' }, 401: problem('No or bad token'), 403: problem('Not admin'), 404: problem('No such source') },
    }),
    async (c) => {
      const s = c.get('services');
      const { id } = c.req.valid('param');
      const record = await getSource(s.db, id);
      if (!record) throw new ProblemError('not-found', `no source "${id}"`);
      await deleteSource(s.db, record);
      if (record.state.hub) backgroundOf(c)(requestSubscription(s, record, 'unsubscribe').catch(() => {}));
      return c.body(null, 204);
    },
  );
  return app;
}
