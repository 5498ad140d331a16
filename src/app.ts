/**
 * The Warta application: one Hono app for Node and Workers. The runtime
 * entry hands in a function that returns the Services for a request; the
 * core never touches runtime APIs.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { AppEnv, Services } from './app-env.js';
import { problemBody, ProblemError, type ProblemType } from './http/problem.js';
import { causeMessage, isUnavailable, StoreError } from './store/errors.js';
import { articleRoutes } from './routes/api-articles.js';
import { keyRoutes } from './routes/api-keys.js';
import { registryRoutes } from './routes/api-registries.js';
import { answerFeed, CACHED_ONLY, feedAnswerResponse, requestIdOf } from './feeds/serve/answer-feed.js';
import { feedRoutes } from './routes/feeds.js';
import { pageRoutes } from './routes/pages.js';
import { siteFileRoutes } from './routes/site-files.js';
import { changeRoutes } from './routes/api-changes.js';
import { websubAdminRoutes, websubRoutes } from './routes/websub.js';
import { webSubHub } from './websub/hub.js';
import { healthRoutes } from './routes/health.js';
import { compressText } from './http/compress-text.js';
import { consoleRoutes } from './console/routes.js';
import { sourceRoutes } from './routes/api-sources.js';
import { sourceWebSubRoutes } from './routes/source-websub.js';
import { WARTA_VERSION } from './version.js';
import { log } from './log.js';

/** Warta's version (one constant, in version.ts). */
export { WARTA_VERSION } from './version.js';

/** How the app gets its services: built once by the entry, or per isolate from the bindings. */
export type ServicesResolver = (env: AppEnv['Bindings']) => Services | Promise<Services>;

function problemResponse(c: Context<AppEnv>, type: ProblemType, detail: string, extra: { errors?: { field: string; reason: string }[]; headers?: Record<string, string> } = {}) {
  const body = problemBody({ type, detail, ...(extra.errors ? { errors: extra.errors } : {}) }, c.req.path, c.get('requestId') ?? '');
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Request-Id': body.requestId, ...extra.headers };
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

/** Did the client go away mid-request (its body cut off), rather than the store failing? */
function clientAborted(c: Context<AppEnv>, err: unknown): boolean {
  if (c.req.raw.signal?.aborted) return true;
  if (err instanceof StoreError) return false;
  const e = err as { message?: string; code?: string } | null;
  // Node's message for a request stream whose client disconnected (a store request's failure is a StoreError).
  return !!e && e.message === 'aborted' && e.code === 'ECONNRESET';
}

/** Maps any error to a problem document: the one place errors become HTTP. */
export function errorResponse(err: unknown, c: Context<AppEnv>): Response {
  if (err instanceof ProblemError) {
    return problemResponse(c, err.type, err.message, { ...(err.errors ? { errors: err.errors } : {}), ...(err.headers ? { headers: err.headers } : {}) });
  }
  if (err instanceof HTTPException) {
    if (err.status === 400) return problemResponse(c, 'malformed-json', 'the body is not valid JSON');
    if (err.status === 413) return problemResponse(c, 'payload-too-large', 'the body is too large');
    return problemResponse(c, err.status === 404 ? 'not-found' : 'bad-request', err.message);
  }
  const requestId = c.get('requestId');
  if (clientAborted(c, err)) {
    // The client closed the connection while sending its body: nobody reads the answer, and it is no outage.
    log.info('client closed the connection before its body was read', { requestId, path: c.req.path });
    return problemResponse(c, 'bad-request', 'the request body was cut off: the client closed the connection');
  }
  if (isUnavailable(err)) {
    log.error('store unavailable', { requestId, path: c.req.path, error: String((err as Error).message), cause: causeMessage(err) });
    return problemResponse(c, 'unavailable', 'the article store is unavailable; retry later', { headers: { 'Retry-After': '5' } });
  }
  log.error('unhandled error', { requestId, path: c.req.path, error: String((err as Error)?.stack ?? err) });
  return problemResponse(c, 'internal', 'an internal error occurred; quote the requestId when reporting it');
}

/**
 * Builds the app. `fetchWarmPath: false` when the runtime answers warm feed requests itself,
 * before the app (Node); `compressText: true` where the platform does not gzip HTML and JSON
 * itself (Node; Workers do, and feeds and OPML are precompressed everywhere).
 */
export function createApp(resolveServices: ServicesResolver, options: { fetchWarmPath?: boolean; compressText?: boolean } = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use(requestId({ headerName: 'X-Request-Id', generator: () => crypto.randomUUID() }));
  app.use(async (c, next) => {
    await next();
    // Routes answering with a Response of their own (feeds, pages, 304s) skip the header set above.
    if (!c.res.headers.has('X-Request-Id')) c.header('X-Request-Id', c.get('requestId'));
  });
  if (options.compressText) app.use(compressText());
  app.use(async (c, next) => {
    c.set('services', await resolveServices(c.env));
    await next();
  });
  app.use(webSubHub((request, env) => app.fetch(request, env as AppEnv['Bindings'])));

  const api = new OpenAPIHono<AppEnv>();
  api.route('/', registryRoutes());
  api.route('/', articleRoutes());
  api.route('/', keyRoutes());
  api.route('/', changeRoutes());
  api.route('/', websubAdminRoutes());
  api.route('/', sourceRoutes());
  app.route('/api', api);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Warta publishing API', version: WARTA_VERSION, description: 'Publish institutional news; read it as feeds.' },
  });

  app.route('/', healthRoutes(WARTA_VERSION));
  app.route('/', feedRoutes());
  app.route('/', pageRoutes());
  app.route('/', siteFileRoutes());
  app.route('/', websubRoutes());
  app.route('/', consoleRoutes());
  app.route('/', sourceWebSubRoutes());
  app.notFound((c) => problemResponse(c, 'not-found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(errorResponse);

  // Warm feed requests are answered from the process caches before routing (answerFeed, CACHED_ONLY).
  if (options.fetchWarmPath === false) return app;
  const routed = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    if (request.method === 'GET') {
      try {
        const services = resolveServices(env as AppEnv['Bindings']);
        const url = request.url;
        const warm = services instanceof Promise ? null : answerFeed(services, url.slice(url.indexOf('/', url.indexOf('//') + 2)), request, CACHED_ONLY);
        if (warm) return feedAnswerResponse((services as Services).config, warm, requestIdOf(request.headers.get('x-request-id') ?? undefined));
      } catch {
        // A configuration error: the routed app answers it as a problem document.
      }
    }
    return routed(request, env, executionCtx);
  };
  return app;
}
