import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { CONSOLE_ASSETS } from '../src/console/routes.js';
import { CONSOLE_CSS, CONSOLE_JS } from '../src/console/assets/bundle.js';
import { BUNDLE_MODULE, consoleBundleSource } from '../scripts/build-console.js';
import { pageCssHash } from '../src/pages/layout.js';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
});
afterAll(() => w.close());

describe('console page and assets', () => {
  it('serves /console/ with a strict CSP: scripts and styles only from this origin, no inline script', async () => {
    const res = await w.request('/console/', { headers: { 'accept-language': 'id-ID,id;q=0.9,en;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self' ${await pageCssHash()}; img-src https: http:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="id">');
    expect(html.match(/<script\b[^>]*>/g)).toEqual([`<script type="module" src="${CONSOLE_ASSETS.script}">`]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const label of ['Token', 'Masuk', 'Tulis berita', 'Judul', 'Isi', 'Ringkasan', 'Kategori', 'Lembaga', 'Tag', 'Penulis', 'Waktu terbit', 'Pratinjau', 'Terbitkan', 'Simpan', 'Tarik']) {
      expect(html).toMatch(new RegExp(`>${label}</(label|button|span)>`));
    }
  });

  it('answers in English when the browser prefers it, and keeps an explicit choice in a cookie', async () => {
    expect(await (await w.request('/console/', { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text()).toContain('<html lang="en">');
    const chosen = await w.request('/console/?lang=id', { headers: { 'accept-language': 'en-GB' } });
    expect(await chosen.text()).toContain('<html lang="id">');
    expect(chosen.headers.get('set-cookie')).toBe('warta_console_lang=id; Max-Age=31536000; Path=/console; SameSite=Strict');
    expect(await (await w.request('/console/', { headers: { 'accept-language': 'en-GB', cookie: 'warta_console_lang=id' } })).text()).toContain('<html lang="id">');
  });

  it('serves the bundled script and stylesheet from this origin under content-hashed, immutable paths', async () => {
    const js = await w.request(CONSOLE_ASSETS.script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe(CONSOLE_JS);
    const css = await w.request(CONSOLE_ASSETS.style);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe(CONSOLE_CSS);
    expect((await w.request('/console', { headers: {} })).status).toBe(200); // fetch follows the 301 to /console/
  });

  it('has a committed bundle built from the current sources (run npm run build:console)', async () => {
    expect(readFileSync(BUNDLE_MODULE, 'utf8')).toBe(await consoleBundleSource());
  });
});
