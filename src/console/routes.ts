/**
 * The newsroom console at /console/: the page (Indonesian or English), its
 * script and stylesheet under content-hashed paths, and its JSON API. The
 * CSP is the public pages' strictness: scripts and styles only from this
 * origin (plus the hash of the public pages' inline stylesheet, for the
 * preview frame), nothing third-party, no inline script.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { pageCssHash } from '../pages/layout.js';
import { CONSOLE_CSS, CONSOLE_CSS_HASH, CONSOLE_JS, CONSOLE_JS_HASH } from './assets/bundle.js';
import { consoleApiRoutes } from './api-routes.js';
import { pickLanguage } from './i18n.js';
import { renderConsolePage } from './page.js';
import { isPlainLoopback, type ConsoleEnv } from './session.js';

/** Paths of the hashed assets. */
export const CONSOLE_ASSETS = {
  script: `/console/assets/console-${CONSOLE_JS_HASH}.js`,
  style: `/console/assets/console-${CONSOLE_CSS_HASH}.css`,
  icon: '/console/assets/icon.svg',
};

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M3 4h2l1.5 6L8 4h0l1.5 6L11 4h2l-2.5 8h-2L8 7.5 6.5 12h-2z" fill="#fff"/></svg>';
const LANG_COOKIE = 'warta_console_lang';
const encoder = new TextEncoder();
const JS_BYTES = encoder.encode(CONSOLE_JS) as Uint8Array<ArrayBuffer>;
const CSS_BYTES = encoder.encode(CONSOLE_CSS) as Uint8Array<ArrayBuffer>;

/** The console page's security headers. */
export async function consoleSecurityHeaders(): Promise<Record<string, string>> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      `style-src 'self' ${await pageCssHash()}`,
      'img-src https: http:',
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

const asset = (body: Uint8Array<ArrayBuffer> | string, type: string, immutable: boolean) => async () =>
  new Response(body, {
    headers: {
      'Content-Type': type,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  });

/** Routes of /console (mounted at the root: every path is absolute, nothing else is touched). */
export function consoleRoutes(): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/', async (c) => {
    const query = c.req.query('lang');
    if (query === 'id' || query === 'en') {
      setCookie(c, LANG_COOKIE, query, { path: '/console', sameSite: 'Strict', secure: !isPlainLoopback(c.req.url), maxAge: 365 * 86400 });
    }
    const lang = pickLanguage(query ?? getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
    const page = renderConsolePage(lang, CONSOLE_ASSETS);
    for (const [k, v] of Object.entries(await consoleSecurityHeaders())) c.header(k, v);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Language', lang);
    c.header('Vary', 'Accept-Language, Cookie');
    return c.html(page);
  });
  app.get(CONSOLE_ASSETS.script, asset(JS_BYTES, 'text/javascript; charset=utf-8', true));
  app.get(CONSOLE_ASSETS.style, asset(CSS_BYTES, 'text/css; charset=utf-8', true));
  app.get(CONSOLE_ASSETS.icon, asset(ICON, 'image/svg+xml', false));
  app.route('/console/api', consoleApiRoutes());
  return app;
}
