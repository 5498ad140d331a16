/**
 * Feed URLs: every slice in RSS 2.0, Atom 1.0 and JSON Feed 1.1. A plain
 * Hono router (no validation hook, no middleware): the warm path of a feed
 * request must stay minimal. HEAD is served by the GET handlers (Hono
 * drops the body); OPTIONS answers CORS preflights of conditional requests.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { answerFeed, feedAnswerResponse } from '../feeds/serve/answer-feed.js';
import { backgroundOf } from '../http/router.js';
import { feedRoutePaths, SLICE_KINDS } from '../model/feed-address.js';

const PREFLIGHT: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
});

/** Path and query of a request URL. */
const targetOf = (url: string) => url.slice(url.indexOf('/', url.indexOf('//') + 2));

/**
 * Routes of every feed URL (`/feed.rss`, `/categories/:slug/feed.atom`, …), generated from the
 * slice table (src/model/feed-address.ts); the handler is answerFeed, as on Node's socket and
 * Workers' app.fetch (which answer cached pages before routing).
 */
export function feedRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const slice of SLICE_KINDS) {
    for (const { path } of feedRoutePaths(slice)) {
      app.get(path, async (c) => {
        const s = c.get('services');
        const answer = await answerFeed(s, targetOf(c.req.url), c.req.raw, { background: backgroundOf(c) });
        return feedAnswerResponse(s.config, answer, c.get('requestId'));
      });
      app.options(path, () => new Response(null, { status: 204, headers: PREFLIGHT }));
    }
  }
  return app;
}
