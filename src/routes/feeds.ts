/**
 * Feed URLs: every slice in RSS 2.0, Atom 1.0 and JSON Feed 1.1. A plain
 * Hono router (no validation hook, no middleware): the warm path of a feed
 * request must stay minimal. HEAD is served by the GET handlers (Hono
 * drops the body); OPTIONS answers CORS preflights of conditional requests.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { serveFeed } from '../feeds/feed-service.js';
import { FEED_FORMATS } from '../feeds/feed-slices.js';
import type { FeedFormat } from '../feeds/types.js';
import type { FeedRef } from '../store/keys.js';

type RefOf = (c: Context<AppEnv>) => FeedRef;

const SLICES: [string, RefOf][] = [
  ['/feed', () => ({ kind: 'all' })],
  ['/categories/:slug/feed', (c) => ({ kind: 'cat', slug: c.req.param('slug')! })],
  ['/institutions/:slug/feed', (c) => ({ kind: 'inst', slug: c.req.param('slug')! })],
  ['/institutions/:slug/categories/:cat/feed', (c) => ({ kind: 'instcat', slug: c.req.param('slug')!, category: c.req.param('cat')! })],
  ['/authors/:slug/feed', (c) => ({ kind: 'author', slug: c.req.param('slug')! })],
  ['/tags/:slug/feed', (c) => ({ kind: 'tag', slug: c.req.param('slug')! })],
];

const PREFLIGHT: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
});

/** Routes of every feed URL (`/feed.rss`, `/categories/:slug/feed.atom`, …). */
export function feedRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [base, refOf] of SLICES) {
    for (const format of FEED_FORMATS as FeedFormat[]) {
      const path = `${base}.${format}`;
      app.get(path, (c) => serveFeed(c, refOf(c), format));
      app.options(path, () => new Response(null, { status: 204, headers: PREFLIGHT }));
    }
  }
  return app;
}
