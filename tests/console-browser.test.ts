/**
 * The newsroom console in a real Chromium: a Lapas Kelas I Madiun publisher
 * signs in, writes (typing, toolbar, pasted Word and Google Docs HTML, a
 * figure by URL), previews, publishes, sees the article in the feeds, edits,
 * meets a conflict, withdraws; another institution's key cannot see or
 * change it; the page logs no console error and no CSP violation.
 * Skipped, with the reason, when this machine has no Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { CHROMIUM_ARGS, chromiumPath, SKIP_REASON } from './support/browser.js';

if (SKIP_REASON) console.warn(SKIP_REASON);

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body><!--StartFragment--><p class=MsoNormal style='margin-bottom:0cm'><span style='font-family:"Calibri",sans-serif;mso-fareast-language:IN'>Warga binaan mengikuti <b>pelatihan</b> las.<o:p></o:p></span></p><!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]--><h2 class=MsoTitle>Jadwal kegiatan</h2><ul><li class=MsoListParagraph style='mso-list:l0 level1 lfo1'>Senin: las</li><li>Selasa: menjahit</li></ul><img src="file:///C:/Users/humas/AppData/Local/Temp/msohtmlclip1/01/clip_image001.jpg"><!--EndFragment--></body></html>`;
const DOCS_HTML = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5b2c1f"><blockquote style="margin-left:36pt"><p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;font-family:Arial;color:#000000;background-color:transparent;font-weight:400;vertical-align:baseline;">Kami ingin warga binaan </span><span style="font-size:11pt;font-weight:700;">siap kerja</span><span style="font-weight:400">.</span></p></blockquote></b>`;

const PHOTO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="280" viewBox="0 0 640 280"><rect width="640" height="280" fill="#8a9aa9"/><rect x="40" y="150" width="560" height="20" fill="#4a5560"/><circle cx="320" cy="110" r="40" fill="#f5a623"/></svg>';
const SCREENSHOT = process.env.WARTA_UPDATE_SCREENSHOT ? fileURLToPath(new URL('../docs/console-editor.png', import.meta.url)) : null;

let w: TestWarta;
// The institution's photo, served on loopback under a name only the test's browser resolves (it reaches no other host).
let photos: Server;
let photoUrl = '';
let browser: Browser;
let lapasToken: string;
let polresToken: string;

interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function open(locale: string): Promise<Watched> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 1400 }, baseURL: w.url });
  // Runs before the page's own script (injected by the driver, so the page's CSP does not apply to it).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return { context, page, errors };
}

async function signInWith(page: Page, token: string): Promise<void> {
  await page.goto('/console/');
  const field = page.getByLabel('Token', { exact: true });
  await poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
  await field.fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Tulis berita', exact: true }).waitFor();
}

/** Presses Tab until the focused element's accessible name is `name` (keyboard-only use). */
async function tabTo(page: Page, name: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const reached = await page.evaluate((wanted) => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el || el === document.body) return false;
      const by = el.getAttribute('aria-labelledby');
      const text = el.getAttribute('aria-label') ?? (by ? document.getElementById(by)?.textContent : el.labels?.[0]?.textContent) ?? el.textContent;
      return text?.trim() === wanted;
    }, name);
    if (reached) return;
  }
  throw new Error(`test: Tab never reached "${name}"`);
}

/** Waits for a value the page shows after a request (generous: the machine may be busy). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const feedItems = async (path: string) => ((await (await w.request(path)).json()) as { items: { id: string; title: string; content_html: string; summary: string }[] }).items;

describe.skipIf(!chromiumPath)(SKIP_REASON || 'newsroom console in Chromium', () => {
  beforeAll(async () => {
    w = await startTestWarta();
    await w.registerDemoRegistries();
    lapasToken = (await w.createKey('publisher', ['lapas-kelas-i-madiun'], 'Humas Lapas Kelas I Madiun')).token;
    polresToken = (await w.createKey('publisher', ['polres-madiun-kota'], 'Humas Polres Madiun Kota')).token;
    photos = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(PHOTO_SVG));
    await new Promise<void>((resolve) => photos.listen(0, '127.0.0.1', resolve));
    // Warta drops images on loopback addresses, so the photo has a public-looking name that only this browser maps to the loopback server.
    photoUrl = 'http://foto.humas.example/foto/las.jpg';
    const photoPort = (photos.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP foto.humas.example:80 127.0.0.1:${photoPort}`],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
    photos?.close();
  });

  let articleId = '';

  it('signs in, writes with the editor, previews and publishes into the institution\'s feeds', async () => {
    const { page, errors, context } = await open('id-ID');
    await signInWith(page, lapasToken);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).toBe('{}{}');

    await page.getByRole('button', { name: 'Tulis berita', exact: true }).click();
    const label = (name: string) => page.getByLabel(name, { exact: true });
    expect(await label('Lembaga').inputValue()).toBe('lapas-kelas-i-madiun');
    expect(await label('Zona waktu').inputValue()).toBe('420');
    const defaultTime = await label('Waktu terbit').inputValue();
    const shown = Date.parse(`${defaultTime}:00+07:00`);
    expect(Math.abs(shown - Date.now())).toBeLessThan(120_000);

    await label('Judul').fill('Warga binaan Lapas Madiun ikut pelatihan las');
    const body = label('Isi');
    await body.click();
    await page.getByRole('button', { name: 'Bagian (H2)', exact: true }).click();
    // The toolbar hands the focus back to the editor; typing before it is back loses keys on a busy machine.
    await page.waitForFunction(() => {
      const editor = document.activeElement?.closest('[contenteditable="true"]');
      return !!editor && editor.querySelector('h2') !== null;
    });
    await page.keyboard.type('Pelatihan kerja');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Lapas Kelas I Madiun membuka kelas las. ');
    const paste = (html: string) =>
      body.evaluate((el, data) => {
        const dt = new DataTransfer();
        dt.setData('text/html', data);
        dt.setData('text/plain', 'x');
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, html);
    await paste(WORD_HTML);
    // The pasted fragment ends in a paragraph of its own (the dropped local image): continue there.
    await page.keyboard.press('Control+End');
    await paste(DOCS_HTML);
    await page.keyboard.press('Control+End');
    await page.getByRole('button', { name: 'Gambar', exact: true }).click();
    await label('Alamat gambar').fill(photoUrl);
    await label('Teks alternatif').fill('Warga binaan mengelas rangka besi');
    await label('Keterangan').fill('Kelas las di bengkel kerja');
    await label('Kredit').fill('Humas Lapas Madiun');
    await page.getByRole('button', { name: 'Sisipkan', exact: true }).click();
    // Tiptap focuses the editor in a later animation frame after inserting: wait for the figure and
    // that focus, or the summary typed next would land in the editor on a busy machine.
    await page.waitForFunction(() => {
      const editor = document.activeElement?.closest('[contenteditable="true"]');
      return !!editor && editor.querySelector('figure img') !== null;
    });
    await label('Ringkasan').fill('Dua puluh warga binaan mengikuti pelatihan las bersertifikat.');
    await label('Kategori').selectOption('pembinaan');
    await label('Tag').fill('pelatihan, kemandirian');
    await label('Penulis').fill('Humas Lapas Madiun');
    await label('Waktu terbit').fill('2026-12-01T09:30');

    await page.getByRole('button', { name: 'Pratinjau', exact: true }).click();
    await page.locator('#preview-rss').filter({ hasText: '<item>' }).waitFor();
    expect(await page.locator('#preview-rss').textContent()).toContain('<title>Warga binaan Lapas Madiun ikut pelatihan las</title>');
    expect(await page.locator('#preview-atom').textContent()).toContain('<published>2026-12-01T09:30:00+07:00</published>');
    expect(JSON.parse((await page.locator('#preview-json').textContent())!)).toMatchObject({ title: 'Warga binaan Lapas Madiun ikut pelatihan las', date_published: '2026-12-01T09:30:00+07:00' });
    await poll(() => page.frameLocator('#preview-page').locator('h1').textContent()).toBe('Warga binaan Lapas Madiun ikut pelatihan las');
    if (SCREENSHOT) {
      mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: SCREENSHOT, clip: { x: 0, y: 0, width: 1100, height: 1180 } });
    }

    await page.getByRole('button', { name: 'Terbitkan', exact: true }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('Berita diterbitkan.');
    const items = await feedItems('/institutions/lapas-kelas-i-madiun/feed.json');
    expect(items.map((i) => i.title)).toEqual(['Warga binaan Lapas Madiun ikut pelatihan las']);
    const all = await feedItems('/feed.json');
    expect(all.map((i) => i.title)).toEqual(['Warga binaan Lapas Madiun ikut pelatihan las']);
    articleId = all[0]!.id.split('/').pop()!;
    const html = all[0]!.content_html;
    expect(html).toBe(
      `<h2>Pelatihan kerja</h2><p>Lapas Kelas I Madiun membuka kelas las. Warga binaan mengikuti <strong>pelatihan</strong> las.</p><h2>Jadwal kegiatan</h2><ul><li><p>Senin: las</p></li><li><p>Selasa: menjahit</p></li></ul><blockquote><p>Kami ingin warga binaan <strong>siap kerja</strong>.</p></blockquote><figure><img src="${photoUrl}" alt="Warga binaan mengelas rangka besi"><figcaption>Kelas las di bengkel kerja <small>Humas Lapas Madiun</small></figcaption></figure>`,
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('edits with the ETag, shows a conflict instead of overwriting, and withdraws after one confirmation', async () => {
    const { page, errors, context } = await open('id-ID');
    await signInWith(page, lapasToken);
    await page.getByRole('button', { name: 'Ubah: Warga binaan Lapas Madiun ikut pelatihan las', exact: true }).click();
    const label = (name: string) => page.getByLabel(name, { exact: true });
    await poll(() => label('Judul').inputValue()).toBe('Warga binaan Lapas Madiun ikut pelatihan las');
    await label('Judul').fill('Warga binaan Lapas Madiun lulus pelatihan las');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('Perubahan disimpan.');
    expect((await feedItems('/feed.json')).map((i) => i.title)).toEqual(['Warga binaan Lapas Madiun lulus pelatihan las']);

    // Someone else saves through the API meanwhile.
    const current = await w.request(`/api/articles/${articleId}`, { token: lapasToken });
    const other = { ...((await current.json()) as Record<string, unknown>) };
    for (const k of ['id', 'updatedAt', 'version']) delete other[k];
    expect((await w.request(`/api/articles/${articleId}`, { method: 'PUT', token: lapasToken, headers: { 'if-match': current.headers.get('etag')! }, json: { ...other, title: 'Judul dari tempat lain' } })).status).toBe(200);
    await label('Ringkasan').fill('Ringkasan yang tidak boleh menimpa.');
    const before = errors.length;
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'sudah diubah di tempat lain' });
    await conflict.waitFor();
    // The only message is the browser's own note of the 412 answer.
    expect(errors.splice(before)).toEqual([expect.stringMatching(/^error: Failed to load resource: the server responded with a status of 412/)]);
    expect((await feedItems('/feed.json')).map((i) => [i.title, i.summary])).toEqual([['Judul dari tempat lain', 'Dua puluh warga binaan mengikuti pelatihan las bersertifikat.']]);
    await page.getByRole('button', { name: 'Muat versi terbaru', exact: true }).click();
    await poll(() => label('Judul').inputValue()).toBe('Judul dari tempat lain');

    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.getByRole('button', { name: 'Tarik', exact: true }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('Berita ditarik.');
    expect(dialogs).toEqual(['Tarik berita ini? Berita akan hilang dari semua umpan.']);
    expect(await feedItems('/feed.json')).toEqual([]);
    await page.getByLabel('Status', { exact: true }).selectOption('withdrawn');
    await poll(() => page.locator('#rows tr td:first-child').allTextContents()).toEqual(['Judul dari tempat lain']);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('does not let another institution\'s key see or change a Lapas article', async () => {
    const { page, errors, context } = await open('id-ID');
    await signInWith(page, polresToken);
    expect(await page.getByLabel('Filter lembaga', { exact: true }).locator('option').allTextContents()).toEqual(['Polres Madiun Kota']);
    await page.getByRole('button', { name: 'Tulis berita', exact: true }).click();
    expect(await page.getByLabel('Lembaga', { exact: true }).locator('option').allTextContents()).toEqual(['Polres Madiun Kota']);
    expect(errors).toEqual([]);
    // The same session, used directly: reads and writes of the Lapas article are refused.
    const session = (await (await context.request.get('/console/api/session')).json()) as { csrf: string };
    const headers = { 'x-warta-csrf': session.csrf, origin: w.url };
    expect((await context.request.get('/console/api/articles?institution=lapas-kelas-i-madiun&status=withdrawn')).status()).toBe(403);
    expect((await context.request.get(`/console/api/articles/${articleId}`)).status()).toBe(404);
    expect((await context.request.put(`/console/api/articles/${articleId}`, { headers: { ...headers, 'if-match': '"v1"' }, data: { title: 'x' } })).status()).toBe(404);
    expect((await context.request.delete(`/console/api/articles/${articleId}`, { headers: { ...headers, 'if-match': '"v1"' } })).status()).toBe(404);
    await context.close();
  }, 120_000);

  it('publishes with the keyboard alone', async () => {
    const { page, errors, context } = await open('id-ID');
    await signInWith(page, lapasToken);
    await tabTo(page, 'Tulis berita');
    await page.keyboard.press('Enter');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-title');
    // An empty form: the API's own validation answers, each error beside its field, focus on the first.
    await tabTo(page, 'Terbitkan');
    const before = errors.length;
    await page.keyboard.press('Enter');
    await page.locator('#e-f-title').filter({ hasText: /./ }).waitFor();
    expect(errors.splice(before)).toEqual([expect.stringMatching(/^error: Failed to load resource: the server responded with a status of 422/)]);
    const shown = await page.evaluate(() => ['e-f-title', 'e-f-content', 'e-f-author', 'e-f-summary'].map((id) => document.getElementById(id)!.textContent !== ''));
    expect(shown).toEqual([true, true, true, false]);
    expect(await page.getByLabel('Judul', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-title');
    await page.keyboard.type('Ditulis tanpa tetikus');
    await tabTo(page, 'Isi');
    await page.keyboard.type('Isi berita dari papan ketik.');
    await tabTo(page, 'Penulis');
    await page.keyboard.type('Humas Lapas Madiun');
    await tabTo(page, 'Terbitkan');
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('status').textContent()).toBe('Berita diterbitkan.');
    const item = (await feedItems('/institutions/lapas-kelas-i-madiun/feed.json'))[0]!;
    expect([item.title, item.content_html]).toEqual(['Ditulis tanpa tetikus', '<p>Isi berita dari papan ketik.</p>']);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('speaks English by the browser\'s language, and switches back to Indonesian', async () => {
    const { page, errors, context } = await open('en-US');
    await page.goto('/console/');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByLabel('Token', { exact: true }).count()).toBe(1);
    await page.getByRole('link', { name: 'Bahasa Indonesia', exact: true }).click();
    await page.getByRole('button', { name: 'Masuk', exact: true }).waitFor();
    await page.goto('/console/');
    await page.getByRole('button', { name: 'Masuk', exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
