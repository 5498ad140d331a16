/** Key management (admin only): create a key (token shown once), list, revoke. */
import { createRoute, z } from '@hono/zod-openapi';
import { authenticate, forgetKey, requireAdmin } from '../auth/middleware.js';
import { newKeyToken } from '../auth/tokens.js';
import { jsonBody, newRouter } from '../http/router.js';
import { ProblemError } from '../http/problem.js';
import { KeyInputSchema, KeySchema, ProblemSchema } from '../model/schemas.js';
import { formatRfc3339 } from '../model/time.js';
import { listKeys, putKey, revokeKey } from '../store/api-keys.js';
import { getRegistryEntries } from '../store/registries.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];

/** Routes under /api/keys. */
export function keyRoutes() {
  const app = newRouter();
  app.use('/keys', jsonBody(() => 16 * 1024));
  app.use('/keys', authenticate());
  app.use('/keys/*', authenticate());
  app.use('/keys', async (c, next) => (requireAdmin(c), next()));
  app.use('/keys/*', async (c, next) => (requireAdmin(c), next()));

  app.openapi(
    createRoute({
      method: 'post', path: '/keys', tags: ['keys'], security,
      summary: 'Create a publisher or reader key; the token is in this response only',
      request: { body: { content: { 'application/json': { schema: KeyInputSchema } }, required: true } },
      responses: {
        201: { content: { 'application/json': { schema: KeySchema.extend({ token: z.string() }) } }, description: 'The key and its token' },
        401: problem('No or bad token'), 403: problem('Not admin'), 422: problem('Invalid or unknown institution'),
      },
    }),
    async (c) => {
      const s = c.get('services');
      const input = c.req.valid('json');
      const known = await getRegistryEntries(s.db, 'institution', input.institutions);
      const errors = input.institutions.flatMap((slug, i) => (known.has(slug) ? [] : [{ field: `institutions[${i}]`, reason: `unknown institution "${slug}"` }]));
      if (errors.length) throw new ProblemError('unknown-reference', errors.map((e) => e.reason).join('; '), { errors });
      const { id, token, secretHash } = await newKeyToken();
      const key = { id, role: input.role, institutions: [...new Set(input.institutions)], label: input.label, createdAt: formatRfc3339(s.clock(), 0) };
      await putKey(s.db, { ...key, secretHash });
      c.header('Location', `/api/keys/${id}`);
      c.header('Cache-Control', 'no-store');
      return c.json({ ...key, token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/keys', tags: ['keys'], security, summary: 'Every key (never the tokens)',
      responses: { 200: { content: { 'application/json': { schema: z.object({ keys: z.array(KeySchema) }) } }, description: 'Keys' }, 401: problem('No or bad token'), 403: problem('Not admin') },
    }),
    async (c) => c.json({ keys: await listKeys(c.get('services').db) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/keys/{id}', tags: ['keys'], security, summary: 'Revoke a key',
      request: { params: z.object({ id: z.string().regex(/^[0-9a-z]{26}$/, 'must be a key id') }) },
      responses: { 204: { description: 'Revoked' }, 401: problem('No or bad token'), 403: problem('Not admin'), 404: problem('No such key') },
    }),
    async (c) => {
      const s = c.get('services');
      const { id } = c.req.valid('param');
      if (!(await revokeKey(s.db, id, formatRfc3339(s.clock(), 0)))) throw new ProblemError('not-found', `no key "${id}"`);
      forgetKey(s, id);
      return c.body(null, 204);
    },
  );
  return app;
}
