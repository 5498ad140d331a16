/**
 * A hostile article published through the API (markup, CDATA terminators,
 * entities, emoji, RTL overrides, control characters, broken HTML) keeps
 * every feed format valid and its text intact, and the HTML pages escape it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertValidFeed, type FeedFormatName } from './support/feed-validators.js';
import { feedFacts } from './support/feed-facts.js';

const HOSTILE_TITLE = '<script>alert("x")</script> ]]> &nbsp; &amp; 🇮🇩 مرحبا \u202Eterbalik\u202C \u0001\u0008\u000B akhir';
const HOSTILE_CONTENT =
  '<p>rusak <b>tebal <i>miring</p><div>]]> ]]&gt; &nbsp; &bogus; <img src=x onerror=alert(1)><script>alert(1)</script>' +
  '<a href="javascript:alert(1)">tautan</a><p>tidak ditutup \u0000\u0007 🇮🇩 \u202Eكلمة';

let w: TestWarta;
let stored: { title: string; author: { name: string }; summary: string };
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  const res = await w.request('/api/articles', {
    token: ADMIN_TOKEN,
    json: smallArticle(1, {
      id: 'hostile',
      title: HOSTILE_TITLE,
      summary: 'Ringkasan ]]> <b>tebal</b> \u0007 &lt;',
      contentHtml: HOSTILE_CONTENT,
      author: { name: 'Penulis <i>"Uji"</i> & Co' },
      image: { url: 'https://example.org/a.jpg?x=1&y=2', type: 'image/jpeg', alt: '"><script>alert(1)</script>' },
      institutions: ['lapas-kelas-i-madiun'],
    }),
  });
  expect(res.status).toBe(201);
  stored = (await res.json()) as typeof stored;
});
afterAll(() => w.close());

describe('a hostile article in the feeds', () => {
  it.each(['rss', 'atom', 'json'] as FeedFormatName[])('keeps %s valid, with the stored title, summary and author as text', async (format) => {
    for (const path of ['/feed', '/institutions/lapas-kelas-i-madiun/feed', '/tags/uji/feed']) {
      const res = await w.request(`${path}.${format}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      await assertValidFeed(text, format);
      const item = feedFacts(text, format).items[0]!;
      expect(item.title).toBe(stored.title);
      expect(item.title).toContain('<script>alert("x")</script> ]]> &nbsp; &amp; 🇮🇩 مرحبا');
      expect(item.summary).toBe(stored.summary);
      expect(item.authorName).toBe(stored.author.name);
      expect(item.contentHtml).not.toContain('<script');
      expect(item.contentHtml).not.toContain('javascript:');
      if (format !== 'json') expect(text).not.toContain('<script');
    }
  });
});

describe('a hostile article on the pages', () => {
  it('is escaped on its article page and in lists: no markup from stored text gets through', async () => {
    for (const path of ['/articles/hostile', '/institutions/lapas-kelas-i-madiun', '/authors/penulis-i-uji-i-co-6349bdf3']) {
      const res = await w.request(path);
      expect(res.status, path).toBe(200);
      const page = await res.text();
      // The article page's one JSON-LD data block (never executed) is the only <script>; the stored text cannot close it.
      const blocks = [...page.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)];
      expect(blocks.length, path).toBe(path.startsWith('/articles/') ? 1 : 0);
      expect(page.replace(/<script type="application\/ld\+json">[^<]*<\/script>/, '')).not.toContain('<script');
      if (blocks[0]) expect((JSON.parse(blocks[0][1]!) as { headline: string }).headline).toContain('<script>alert("x")</script> ]]> &nbsp; &amp; 🇮🇩');
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; &amp;nbsp; &amp;amp; 🇮🇩');
    }
    const article = await (await w.request('/articles/hostile')).text();
    expect(article).toContain('Oleh <a href="' + w.url + '/authors/penulis-i-uji-i-co-6349bdf3">Penulis &lt;i&gt;&quot;Uji&quot;&lt;/i&gt; &amp; Co</a>');
    expect(article).toContain('<img src="https://example.org/a.jpg?x=1&amp;y=2" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
  });
});
