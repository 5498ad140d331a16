/**
 * Article HTML from an XSS corpus, and markup in plain-text fields: all of
 * it is accepted, and what is stored is safe — no script, no event
 * attributes, no javascript: (or other non-http) URLs, no markup that
 * closes the element it is embedded in. Afterwards every feed is valid and
 * the article pages carry nothing executable from the articles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { eventAttributes, unbalancedTags, unsafeHtml, XSS_CORPUS } from './support/hostile-corpus.js';
import { assertFeedsValid, feedSlices } from './support/feeds-valid.js';
import { sanitizeHtml } from '../src/model/sanitize.js';

const FRAGMENT = fc.oneof(
  fc.constantFrom(...XSS_CORPUS.map((c) => c.html)),
  fc.constantFrom('<p>', '</p>', '<div>', '</div>', '<b>', '</i>', '<a href="https://ok.example/">', '</a>', '<img src="https://ok.example/a.png">', '<table><tr><td>', '</td></tr></table>', '<!--', '-->', '"', "'", '<', '>', '&', '&#106;', 'javascript:', ' onerror=alert(1) '),
  fc.string({ maxLength: 12 }),
);

let w: TestWarta;
let publisher: string;
const ids: string[] = [];
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  publisher = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
});
afterAll(() => w.close());

/** Publishes `contentHtml` (and overrides) as the Polres Madiun Kota publisher; returns the stored article. */
async function publish(contentHtml: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; contentHtml: string; title: string; summary: string }> {
  const res = await w.request('/api/articles', { token: publisher, json: smallArticle(ids.length, { contentHtml, tags: ['xss'], ...overrides }) });
  const body = (await res.json()) as { id: string; contentHtml: string; title: string; summary: string };
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(201);
  ids.push(body.id);
  const read = (await (await w.request(`/api/articles/${body.id}`, { token: publisher })).json()) as { contentHtml: string };
  expect(read.contentHtml).toBe(body.contentHtml);
  return body;
}

describe('article HTML from an XSS corpus', () => {
  it.each(XSS_CORPUS)('$name: stored without anything executable, and balanced', async ({ html }) => {
    const stored = await publish(html, { title: 'Korpus XSS' });
    expect(unsafeHtml(stored.contentHtml)).toEqual([]);
    expect(unbalancedTags(stored.contentHtml)).toEqual([]);
    expect(eventAttributes(stored.contentHtml)).toEqual([]);
    expect(stored.contentHtml).not.toMatch(/<\s*script/i);
  });

  it('keeps the safe parts: text, allowed elements and http(s) links', async () => {
    const stored = await publish('<p onclick="x()">Halo <a href="https://polres.example/berita?id=1&amp;p=2" onmouseover="x()">tautan</a> <strong>tebal</strong></p><script>x()</script>');
    expect(stored.contentHtml).toBe('<p>Halo <a href="https://polres.example/berita?id=1&amp;p=2">tautan</a> <strong>tebal</strong></p>');
  });

  it('stores any mix of corpus fragments, tags and text safely and balanced (property, sanitizer)', () => {
    fc.assert(
      fc.property(fc.array(FRAGMENT, { minLength: 1, maxLength: 10 }).map((parts) => parts.join('')), (html) => {
        const stored = sanitizeHtml(html);
        expect(unsafeHtml(stored), html).toEqual([]);
        expect(unbalancedTags(stored), html).toEqual([]);
        expect(sanitizeHtml(stored), html).toBe(stored);
      }),
      { numRuns: 300 },
    );
  });

  it('stores any mix of corpus fragments safely through the API (property, HTTP)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(FRAGMENT, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')), async (html) => {
        fc.pre(html !== ''); // an empty body is a 422 on contentHtml (tests/hostile-input-bodies.test.ts)
        const stored = await publish(html, { title: 'Campuran' });
        expect(unsafeHtml(stored.contentHtml), html).toEqual([]);
        expect(unbalancedTags(stored.contentHtml), html).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('markup in plain-text fields', () => {
  it('is kept as text (escaped on output), with XML-forbidden characters removed', async () => {
    const title = '<script>alert(1)</script> ]]> &amp; "kutip" \u202Ekanan\u202C 🇮🇩\u0000\uFFFE';
    const stored = await publish('<p>isi</p>', {
      title,
      summary: '<img src=x onerror=alert(1)> ringkasan',
      author: { name: '<b>Penulis</b> & "Rekan"' },
      image: { url: 'https://polres.example/foto.jpg', type: 'image/jpeg', alt: '"><script>alert(1)</script>' },
    });
    expect(stored.title).toBe('<script>alert(1)</script> ]]> &amp; "kutip" \u202Ekanan\u202C 🇮🇩');
    expect(stored.summary).toBe('<img src=x onerror=alert(1)> ringkasan');
  });
});

describe('after the corpus', () => {
  it('every feed (all, categories, institutions, the tag and the author) is valid', async () => {
    const checked = await assertFeedsValid(w, await feedSlices(w, ['/tags/xss/feed', '/authors/penulis-uji-01e282c2/feed']));
    expect(checked).toBe(3 * 9 + 1);
  });

  it('article pages carry no script, event attribute or javascript: URL from the articles', async () => {
    const benign = await publish('<p>Berita biasa.</p>', { title: 'Biasa' });
    const baseline = await (await w.request(`/articles/${benign.id}`)).text();
    const executable = (page: string) => ({
      scripts: (page.match(/<script\b/gi) ?? []).length,
      handlers: eventAttributes(page).length,
      javascriptUrls: (page.match(/(?:href|src|action)\s*=\s*["']?\s*javascript:/gi) ?? []).length,
      frames: (page.match(/<(iframe|object|embed|base|meta\s+http-equiv|form)\b/gi) ?? []).length,
    });
    for (const id of ids.slice(0, XSS_CORPUS.length + 2)) {
      const res = await w.request(`/articles/${id}`);
      expect(res.status).toBe(200);
      // No script-src: default-src 'none' forbids every script, inline or not.
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
      expect(res.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
      expect(executable(await res.text()), id).toEqual(executable(baseline));
    }
  });
});
