import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { signIn } from './support/console.js';
import { smallArticle } from './support/articles.js';
import { rawRequest } from './support/raw-http.js';
import { isPlainLoopback } from '../src/console/session.js';
import { pickLanguage } from '../src/console/i18n.js';
import { offsetForRegion } from '../src/console/region-offset.js';

const START = Date.parse('2026-12-07T09:00:00+07:00');
let now = START;
let w: TestWarta;
let lapas: { token: string; id: string };
beforeAll(async () => {
  w = await startTestWarta({ clock: () => now, env: { WARTA_AUTH_FAILURES_PER_MINUTE: '3', WARTA_CONSOLE_SESSION_HOURS: '8' } });
  await w.registerDemoRegistries();
  lapas = await w.createKey('publisher', ['lapas-kelas-i-madiun'], 'Humas Lapas Madiun');
});
afterAll(() => w.close());

const article = (n: number) => smallArticle(n, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan', publishedAt: '2026-12-07T08:00:00+07:00' });

describe('console sign-in', () => {
  it('exchanges a publisher token for an HttpOnly, SameSite=Strict session cookie scoped to /console, without Secure on plain-HTTP loopback', async () => {
    const c = await signIn(w, lapas.token);
    expect(c.setCookie).toMatch(/^warta_console=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(c.me).toMatchObject({ kind: 'key', label: 'Humas Lapas Madiun', institutions: [{ slug: 'lapas-kelas-i-madiun', name: 'Lapas Kelas I Madiun', offsetMinutes: 420 }] });
    expect(JSON.stringify(c.me)).not.toContain(lapas.token);
    const who = await (await c.call('GET', '/session')).json();
    expect(who).toMatchObject({ signedIn: true, kind: 'key', csrf: c.csrf });
  });

  it('sets a Secure cookie (__Secure- prefixed) when the request is not plain-HTTP loopback', async () => {
    // The Node server builds the request URL from the Host header: a public host name is not loopback.
    const res = await rawRequest(w.url, { method: 'POST', path: '/console/api/session', headers: { host: 'warta.example', authorization: `Bearer ${lapas.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(201);
    expect(res.headers['set-cookie']).toMatch(/^__Secure-warta_console=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/console; HttpOnly; Secure; SameSite=Strict$/);
    expect([isPlainLoopback('http://127.0.0.1:8787/x'), isPlainLoopback('http://localhost/x'), isPlainLoopback('http://[::1]:1/'), isPlainLoopback('https://127.0.0.1/'), isPlainLoopback('http://warta.example/')]).toEqual([true, true, true, false, false]);
  });

  it('refuses a reader key with 403 and a bad token with 401, throttled by the same counter as the API', async () => {
    const reader = await w.createKey('reader', [], 'reader');
    expect((await w.request('/console/api/session', { method: 'POST', token: reader.token, json: {} })).status).toBe(403);
    const bad = 'wk_01hzzzzzzzzzzzzzzzzzzzzzzz_' + 'A'.repeat(43);
    expect((await w.request('/api/articles', { token: bad, json: article(1) })).status).toBe(401);
    expect((await w.request('/api/articles', { token: bad, json: article(1) })).status).toBe(401);
    expect((await w.request('/console/api/session', { method: 'POST', token: bad, json: {} })).status).toBe(401);
    const throttled = await w.request('/console/api/session', { method: 'POST', token: lapas.token, json: {} });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    now += 61_000;
    expect((await w.request('/console/api/session', { method: 'POST', token: lapas.token, json: {} })).status).toBe(201);
  });

  it('refuses writes without the CSRF token or from another origin, and nothing is written', async () => {
    const c = await signIn(w, lapas.token);
    const noCsrf = await c.call('POST', '/articles', { json: article(2), csrf: null });
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await c.call('POST', '/articles', { json: article(2), csrf: 'x'.repeat(43) });
    expect(wrongCsrf.status).toBe(403);
    const crossOrigin = await c.call('POST', '/articles', { json: article(2), headers: { origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    expect((await (await c.call('GET', '/articles?institution=lapas-kelas-i-madiun&status=published')).json()).articles).toEqual([]);
    const ok = await c.call('POST', '/articles', { json: article(2), headers: { origin: w.url } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('etag')).toBe('"v1"');
  });

  it('ends the session at sign-out: the old cookie then gets 401', async () => {
    const c = await signIn(w, lapas.token);
    expect((await c.call('DELETE', '/session')).status).toBe(204);
    expect((await c.call('GET', '/me')).status).toBe(401);
    expect(await (await c.call('GET', '/session')).json()).toEqual({ signedIn: false });
  });

  it('ends the session when it expires', async () => {
    const c = await signIn(w, lapas.token);
    now += 8 * 3_600_000 - 1;
    expect((await c.call('GET', '/me')).status).toBe(200);
    now += 1;
    expect((await c.call('GET', '/me')).status).toBe(401);
  });

  it('ends every session of a key when the key is revoked', async () => {
    const key = await w.createKey('publisher', ['lapas-kelas-i-madiun'], 'to revoke');
    const c = await signIn(w, key.token);
    expect((await c.call('GET', '/me')).status).toBe(200);
    expect((await w.request(`/api/keys/${key.id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    expect((await c.call('GET', '/me')).status).toBe(401);
    expect((await c.call('POST', '/articles', { json: article(3) })).status).toBe(401);
  });

  it('signs the admin in for every registered institution', async () => {
    const c = await signIn(w, ADMIN_TOKEN);
    expect(c.me.kind).toBe('admin');
    expect(c.me.institutions.map((i: { slug: string }) => i.slug)).toEqual(['lapas-kelas-i-madiun', 'polres-madiun-kota', 'polres-ponorogo']);
    expect((await c.call('GET', '/articles?institution=polres-ponorogo&status=published')).status).toBe(200);
  });

  it('needs no cookie to tell a signed-out page so (200, signedIn false)', async () => {
    const res = await w.request('/console/api/session');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signedIn: false });
    expect((await w.request('/console/api/me')).status).toBe(401);
  });
});

describe('console helpers', () => {
  it('picks the language from an explicit choice, then Accept-Language, else Indonesian', () => {
    expect(pickLanguage('en', 'id-ID')).toBe('en');
    expect(pickLanguage(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLanguage(undefined, 'de-DE,en;q=0.5,id;q=0.8')).toBe('id');
    expect(pickLanguage(undefined, 'fr-FR')).toBe('id');
    expect(pickLanguage('xx', undefined)).toBe('id');
  });

  it('puts institutions in WIB, WITA or WIT by region', () => {
    expect(['Kota Madiun, Jawa Timur', 'Kota Denpasar, Bali', 'Kota Makassar, Sulawesi Selatan', 'Kabupaten Jayapura, Papua', 'Kota Ambon, Maluku', 'Kota Balikpapan, Kalimantan Timur', 'Kota Pontianak, Kalimantan Barat'].map(offsetForRegion))
      .toEqual([420, 480, 480, 540, 540, 480, 420]);
  });
});
