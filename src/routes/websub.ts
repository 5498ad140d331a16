/**
 * The WebSub hub at `POST /websub` (form-encoded, as WebSub §5.1 requires)
 * and the admin's view of a topic's subscriptions and dropped deliveries
 * at `GET /api/websub/subscriptions?topic=<feed URL>`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { authenticate, clientAddress, requireAdmin } from '../auth/middleware.js';
import { ProblemError } from '../http/problem.js';
import { backgroundOf, newRouter } from '../http/router.js';
import { ProblemSchema } from '../model/schemas.js';
import { formatRfc3339 } from '../model/time.js';
import { acceptHubRequest } from '../websub/hub.js';
import type { HubClient } from '../websub/limits.js';
import { listDeliveryFailures, listTopicSubscriptions } from '../websub/subscriptions.js';
import { isTopic, parseTopic } from '../websub/topics.js';

const MAX_FORM_BYTES = 16 * 1024;

/** `POST /websub`: subscribe and unsubscribe requests; 202 then asynchronous verification. */
export function websubRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    '/websub',
    async (c, next) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        throw new ProblemError('unsupported-media-type', `send Content-Type: application/x-www-form-urlencoded (got "${type || 'none'}")`);
      }
      await next();
    },
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: () => {
        throw new ProblemError('payload-too-large', `the body is larger than ${MAX_FORM_BYTES} bytes`);
      },
    }),
    // A key (any role) is optional: with one, the hub's limits are the key's, not the address's (src/websub/limits.ts).
    async (c, next) => (c.req.header('authorization') === undefined ? next() : authenticate()(c, next)),
    async (c) => {
      const form = new URLSearchParams(await c.req.text());
      const p = c.get('principal');
      const client: HubClient = p ? { kind: 'key', id: p.id } : { kind: 'address', address: clientAddress(c) };
      await acceptHubRequest(c.get('services'), form, backgroundOf(c), client);
      return c.body(null, 202, { 'Cache-Control': 'no-store' });
    },
  );
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/websub', () => {
    throw new ProblemError('method-not-allowed', 'the hub takes POST (application/x-www-form-urlencoded) only', { headers: { Allow: 'POST' } });
  });
  return app;
}

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });

const SubscriptionView = z
  .object({
    callback: z.string(),
    leaseSeconds: z.number().int(),
    leaseExpiresAt: z.string(),
    verifiedAt: z.string(),
    signed: z.boolean(),
  })
  .openapi('WebSubSubscription');
const FailureView = z
  .object({ callback: z.string(), dropped: z.number().int(), lastError: z.string(), lastAttempts: z.number().int(), lastFailedAt: z.string() })
  .openapi('WebSubDeliveryFailures');

/** `GET /api/websub/subscriptions?topic=`: a topic's active subscriptions and given-up deliveries (admin). */
export function websubAdminRoutes() {
  const app = newRouter();
  app.use('/websub/*', authenticate());
  app.openapi(
    createRoute({
      method: 'get', path: '/websub/subscriptions', tags: ['websub'], security: [{ bearer: [] }],
      summary: 'Subscriptions of a topic and the deliveries given up (admin); secrets are never shown',
      request: { query: z.object({ topic: z.string().max(2048) }) },
      responses: {
        200: { content: { 'application/json': { schema: z.object({ topic: z.string(), subscriptions: z.array(SubscriptionView), failures: z.array(FailureView) }) } }, description: 'The topic' },
        400: problem('Not a topic of this hub'), 401: problem('No or bad token'), 403: problem('Not admin'),
      },
    }),
    async (c) => {
      requireAdmin(c);
      const s = c.get('services');
      const topic = parseTopic(c.req.valid('query').topic, s.config.baseUrl);
      if (!isTopic(topic)) throw new ProblemError('bad-request', `not a topic of this hub: ${topic.reason}`, { errors: [{ field: 'topic', reason: topic.reason }] });
      const [subs, failures] = await Promise.all([listTopicSubscriptions(s.db, topic.feed, topic.path), listDeliveryFailures(s.db, topic.feed, topic.path)]);
      const at = (ms: number) => formatRfc3339(ms, 0);
      return c.json(
        {
          topic: topic.url,
          subscriptions: subs.map((x) => ({ callback: x.callback, leaseSeconds: x.leaseSeconds, leaseExpiresAt: at(x.leaseExpiresMs), verifiedAt: at(x.verifiedMs), signed: Boolean(x.sealedSecret) })),
          failures: failures.map((f) => ({ callback: f.callback, dropped: f.dropped, lastError: f.lastError, lastAttempts: f.lastAttempts, lastFailedAt: at(f.lastFailedMs) })),
        },
        200,
      );
    },
  );
  return app;
}
