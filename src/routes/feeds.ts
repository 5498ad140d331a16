/**
 * Feed URLs: every slice in RSS 2.0, Atom 1.0 and JSON Feed 1.1. A plain
 * Hono router (no validation hook, no middleware): the warm path of a feed
 * request must stay minimal. HEAD is served by the GET handlers (Hono
 * drops the body); OPTIONS answers CORS preflights of conditional requests.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { feedRefusalProblem, serveFeed } from '../feeds/serve/feed-service.js';
import { feedRoutePaths, isFeedRefusal, matchFeedPath, SLICE_KINDS } from '../model/feed-address.js';

const PREFLIGHT: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
});

/** The query of a request URL, without `?` (`''` when none). */
function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/**
 * Routes of every feed URL (`/feed.rss`, `/categories/:slug/feed.atom`, …), generated from the
 * slice table (src/model/feed-address.ts); the handler reads the request with `matchFeedPath`,
 * the same parser as the warm path and WebSub topics.
 */
export function feedRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const slice of SLICE_KINDS) {
    for (const { path } of feedRoutePaths(slice)) {
      app.get(path, (c) => {
        const match = matchFeedPath(c.req.path, queryOf(c.req.url));
        if (isFeedRefusal(match)) throw feedRefusalProblem(match.refusal, c.req.path);
        return serveFeed(c, match);
      });
      app.options(path, () => new Response(null, { status: 204, headers: PREFLIGHT }));
    }
  }
  return app;
}
