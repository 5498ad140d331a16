/** Category and institution registries: admin writes, public reads. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { authenticate, requireAdmin } from '../auth/middleware.js';
import { jsonBody, newRouter } from '../http/router.js';
import { CategoryInputSchema, CategorySchema, InstitutionInputSchema, InstitutionSchema, ProblemSchema, Slug } from '../model/schemas.js';
import { listRegistry, putRegistryEntry } from '../store/registries.js';
import { stripXmlForbidden } from '../model/text.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];

/** Routes under /api for categories and institutions. */
export function registryRoutes() {
  const app = newRouter();
  app.use('/categories/:slug', jsonBody(() => 64 * 1024));
  app.use('/institutions/:slug', jsonBody(() => 64 * 1024));
  app.on('PUT', ['/categories/:slug', '/institutions/:slug'], authenticate(), async (c, next) => {
    requireAdmin(c);
    await next();
  });

  app.openapi(
    createRoute({
      method: 'put', path: '/categories/{slug}', tags: ['registries'], security,
      summary: 'Create or replace a category (admin)',
      request: { params: z.object({ slug: Slug }), body: { content: { 'application/json': { schema: CategoryInputSchema } }, required: true } },
      responses: { 200: { content: { 'application/json': { schema: CategorySchema } }, description: 'Stored' }, 401: problem('No or bad token'), 403: problem('Not admin'), 422: problem('Invalid') },
    }),
    async (c) => {
      const { slug } = c.req.valid('param');
      const input = c.req.valid('json');
      const entry = { slug, name: stripXmlForbidden(input.name), description: stripXmlForbidden(input.description) };
      await putRegistryEntry(c.get('services').db, 'category', entry);
      return c.json(entry, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/institutions/{slug}', tags: ['registries'], security,
      summary: 'Create or replace an institution (admin)',
      request: { params: z.object({ slug: Slug }), body: { content: { 'application/json': { schema: InstitutionInputSchema } }, required: true } },
      responses: { 200: { content: { 'application/json': { schema: InstitutionSchema } }, description: 'Stored' }, 401: problem('No or bad token'), 403: problem('Not admin'), 422: problem('Invalid') },
    }),
    async (c) => {
      const { slug } = c.req.valid('param');
      const input = c.req.valid('json');
      const entry = {
        slug,
        name: stripXmlForbidden(input.name),
        description: stripXmlForbidden(input.description),
        kind: stripXmlForbidden(input.kind),
        region: stripXmlForbidden(input.region),
        ...(input.homepage ? { homepage: input.homepage } : {}),
        ...(input.license ? { license: input.license } : {}),
        ...(input.icon ? { icon: input.icon } : {}),
        ...(input.logo ? { logo: input.logo } : {}),
      };
      await putRegistryEntry(c.get('services').db, 'institution', entry);
      return c.json(entry, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/categories', tags: ['registries'], summary: 'Every category',
      responses: { 200: { content: { 'application/json': { schema: z.object({ categories: z.array(CategorySchema) }) } }, description: 'The registry' } },
    }),
    async (c) => c.json({ categories: await listRegistry(c.get('services').db, 'category') }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/institutions', tags: ['registries'], summary: 'Every institution',
      responses: { 200: { content: { 'application/json': { schema: z.object({ institutions: z.array(InstitutionSchema) }) } }, description: 'The registry' } },
    }),
    async (c) => c.json({ institutions: await listRegistry(c.get('services').db, 'institution') }, 200),
  );
  return app;
}

export type { AppEnv };
