/**
 * Article HTML as newsrooms' CMSs really write it: lazy-loaded images with a
 * `data:` placeholder in `src`, `<noscript>` fallbacks, relative links,
 * links without a target, links to this machine or a private network. What
 * is stored keeps every picture and link a reader can use, with absolute
 * URLs, and no element without its required attribute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../src/model/sanitize.js';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

const BASE = { baseUrl: 'https://portal.example/berita/2023/12/artikel.html' };

describe('sanitizer: lazy images', () => {
  it.each([
    ['data-src over a data: placeholder', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://portal.example/foto.jpg" alt="Foto">', '<img src="https://portal.example/foto.jpg" alt="Foto">'],
    ['data-lazy-src, relative', '<img class="lazyload" src="data:image/svg+xml,%3Csvg%3E" data-lazy-src="foto.jpg">', '<img src="https://portal.example/berita/2023/12/foto.jpg">'],
    ['data-srcset: the widest candidate', '<img data-srcset="/a-300.jpg 300w, /a-1024.jpg 1024w, /a-600.jpg 600w" src="data:,">', '<img src="https://portal.example/a-1024.jpg">'],
    ['data-src over a real low-resolution placeholder', '<img src="/blur.jpg" data-src="/full.jpg" width="640" height="480">', '<img src="https://portal.example/full.jpg" width="640" height="480">'],
    ['srcset only', '<img srcset="/b-1x.jpg 1x, /b-2x.jpg 2x">', '<img src="https://portal.example/b-2x.jpg">'],
    ['a data: image with nothing else is removed', '<p>a<img src="data:image/png;base64,iVBORw0KGgo=">b</p>', '<p>ab</p>'],
    ['an empty src is removed', '<p>a<img src="" alt="x">b<img>c</p>', '<p>abc</p>'],
  ])('%s', (_name, html, stored) => {
    expect(sanitizeHtml(html, BASE)).toBe(stored);
  });

  it('keeps the <noscript> copy when the lazy image has no real picture, and only one image when it has', () => {
    expect(sanitizeHtml('<img src="data:," class="js-lazy"><noscript><img src="/n.jpg" alt="n"><p>JS mati</p></noscript>', BASE)).toBe(
      '<img src="https://portal.example/n.jpg" alt="n">',
    );
    expect(sanitizeHtml('<img src="data:," data-src="/n.jpg" alt="n"><noscript><img src="https://portal.example/n.jpg" alt="n"></noscript>', BASE)).toBe(
      '<img src="https://portal.example/n.jpg" alt="n">',
    );
    expect(sanitizeHtml('<img src="/a.jpg"><noscript><img src="/b.jpg"></noscript>', BASE)).toBe(
      '<img src="https://portal.example/a.jpg"><img src="https://portal.example/b.jpg">',
    );
  });

  it('drops what a <noscript> holds besides images, and scripts inside it', () => {
    expect(sanitizeHtml('<noscript><script>x()</script><iframe src="https://t.example/"></iframe></noscript><p>isi</p>', BASE)).toBe('<p>isi</p>');
  });
});

describe('sanitizer: links and other URLs', () => {
  it.each([
    ['relative link made absolute against the article URL', '<a href="../lain.html?a=1&amp;b=2">lain</a>', '<a href="https://portal.example/berita/2023/lain.html?a=1&amp;b=2">lain</a>'],
    ['root-relative link', '<a href="/kontak">kontak</a>', '<a href="https://portal.example/kontak">kontak</a>'],
    ['protocol-relative image', '<img src="//cdn.example/i.png">', '<img src="https://cdn.example/i.png">'],
    ['a link without href keeps its text', '<p><a name="atas">judul</a> dan <a href="">kosong</a></p>', '<p>judul dan kosong</p>'],
    ['a javascript: link keeps its text', '<a href="javascript:alert(1)">klik</a>', 'klik'],
    ['a fragment link points into the article page', '<a href="#">atas</a>', '<a href="https://portal.example/berita/2023/12/artikel.html#">atas</a>'],
    ['an empty cite is dropped, a relative one resolved', '<blockquote cite="">a</blockquote><q cite="/sumber">b</q>', '<blockquote>a</blockquote><q cite="https://portal.example/sumber">b</q>'],
    ['empty attributes are left out, alt="" is kept', '<img src="/a.jpg" alt="" title="" width=""><a href="/x" title="">x</a>', '<img src="https://portal.example/a.jpg" alt=""><a href="https://portal.example/x">x</a>'],
    ['mailto links stay', '<a href="mailto:humas@polres.example">surat</a>', '<a href="mailto:humas@polres.example">surat</a>'],
  ])('%s', (_name, html, stored) => {
    expect(sanitizeHtml(html, BASE)).toBe(stored);
  });

  it('without an article URL, relative links lose their target and relative images go', () => {
    expect(sanitizeHtml('<a href="/x">x</a><img src="foto.jpg"><img src="//cdn.example/i.png">')).toBe('x<img src="https://cdn.example/i.png">');
  });

  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://127.0.0.1:8080/admin',
    'http://localhost/',
    'http://[::1]/',
    'http://10.0.0.5/intranet',
    'http://192.168.1.1/',
    'http://[fd00::1]/',
    'http://2130706433/',
    'http://metadata.internal/',
  ])('links and images to %s are dropped (the link keeps its text)', (target) => {
    expect(sanitizeHtml(`<p><a href="${target}">tautan</a><img src="${target}x.png" alt="g"></p>`, BASE)).toBe('<p>tautan</p>');
  });

  it('is stable: sanitizing stored HTML again changes nothing', () => {
    const once = sanitizeHtml('<img src="data:," data-src="a.jpg"><noscript><img src="a.jpg"></noscript><a href="b?x=1&y=2">b</a><a>c</a>', BASE);
    expect(once).toBe('<img src="https://portal.example/berita/2023/12/a.jpg"><a href="https://portal.example/berita/2023/12/b?x=1&amp;y=2">b</a>c');
    expect(sanitizeHtml(once, BASE)).toBe(once);
    expect(sanitizeHtml(once)).toBe(once);
  });
});

describe('through the publishing API', () => {
  let w: TestWarta;
  let publisher: string;
  beforeAll(async () => {
    w = await startTestWarta();
    await w.registerDemoRegistries();
    publisher = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
  });
  afterAll(() => w.close());

  it('stores lazy images restored and relative URLs absolute against the article url', async () => {
    const res = await w.request('/api/articles', {
      token: publisher,
      json: smallArticle(1, {
        url: 'https://kotamadiun.binmas.id/2023/12/04/berita/',
        contentHtml: '<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-lazy-src="/wp-content/uploads/foto.jpg" alt="Foto"><a href="../../05/lain/">lain</a> <a>tanpa tautan</a> <a href="http://169.254.169.254/latest/meta-data">meta</a></p>',
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { contentHtml: string };
    expect(body.contentHtml).toBe(
      '<p><img src="https://kotamadiun.binmas.id/wp-content/uploads/foto.jpg" alt="Foto"><a href="https://kotamadiun.binmas.id/2023/12/05/lain/">lain</a> tanpa tautan meta</p>',
    );
  });
});
