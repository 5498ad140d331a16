/**
 * Files browsers and crawlers ask every site for: `/favicon.ico` and Warta's
 * own square icon `/icon.png` (used by the feeds of Warta's own slices).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { FAVICON_ICO, FAVICON_PATH, WARTA_ICON_PATH, WARTA_ICON_PNG } from '../pages/warta-icons.js';

const STATIC_HEADERS = { 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': '*' };

/** Routes of the site-wide files. */
export function siteFileRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(FAVICON_PATH, () => new Response(FAVICON_ICO, { headers: { 'Content-Type': 'image/x-icon', ...STATIC_HEADERS } }));
  app.get(WARTA_ICON_PATH, () => new Response(WARTA_ICON_PNG, { headers: { 'Content-Type': 'image/png', ...STATIC_HEADERS } }));
  return app;
}
