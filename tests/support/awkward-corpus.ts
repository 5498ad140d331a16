/**
 * Articles as Indonesian newsroom CMSs really write them (WordPress with
 * lazy-loading plugins, page builders, copy-pasted share buttons): the
 * awkward-HTML corpus the zero-warning tests publish, and an independent
 * checker for the HTML the W3C Feed Validation Service calls "Invalid HTML".
 */

/** One article of the corpus: the HTML as sent and what else differs from a plain article. */
export interface AwkwardArticle {
  name: string;
  contentHtml: string;
  url?: string;
  author: { name: string; email?: string };
}

/** The corpus: each entry is one way real content went wrong in a feed. */
export const AWKWARD_CORPUS: AwkwardArticle[] = [
  {
    name: 'WP Rocket lazy image (data-lazy-src) with a data: SVG placeholder and a noscript copy',
    url: 'https://kotamadiun.binmas.id/2023/12/04/sinergitas/',
    author: { name: 'Achmad Sarjono' },
    contentHtml:
      '<p>KOTA MADIUN - Koordinasi humas.</p><figure class="wp-block-image"><img width="800" height="533" src="data:image/svg+xml,%3Csvg%20xmlns=\'http://www.w3.org/2000/svg\'%20viewBox=\'0%200%20800%20533\'%3E%3C/svg%3E" data-lazy-src="/wp-content/uploads/2023/12/foto.jpg" alt="Koordinasi"><noscript><img width="800" height="533" src="https://kotamadiun.binmas.id/wp-content/uploads/2023/12/foto.jpg" alt="Koordinasi"></noscript><figcaption>Foto: Humas</figcaption></figure>',
  },
  {
    name: 'lazysizes: data-src and data-srcset, a 1x1 GIF placeholder',
    url: 'https://polresmadiunkota.example/berita/patroli.html',
    author: { name: 'Humas Polres', email: 'humas@polresmadiunkota.example' },
    contentHtml:
      '<p>Patroli malam.</p><img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" data-src="img/patroli-640.jpg" data-srcset="img/patroli-640.jpg 640w, img/patroli-1280.jpg 1280w" alt="Patroli">',
  },
  {
    name: 'Jetpack lazy image: only the noscript copy has the picture',
    url: 'https://lapasmadiun.example/2023/12/01/kunjungan/',
    author: { name: 'Humas Lapas Madiun', email: 'humas@lapasmadiun.example' },
    contentHtml: '<p>Kunjungan keluarga.</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="jetpack-lazy-image"><noscript><img src="/wp-content/uploads/kunjungan.jpg" alt="Kunjungan"></noscript>',
  },
  {
    name: 'relative links and images, protocol-relative CDN image',
    url: 'https://kotamadiun.binmas.id/2023/12/05/pembinaan/',
    author: { name: 'Achmad Sarjono' },
    contentHtml: '<p>Baca juga <a href="../../04/sinergitas/">Sinergitas</a> dan <a href="/tag/kamtibmas/">kamtibmas</a>.</p><p><img src="//cdn.binmas.example/2023/12/pembinaan.jpg" alt="Pembinaan"> <img src="uploads/lampiran.png" alt="Lampiran"></p>',
  },
  {
    name: 'share buttons and anchors: javascript:, empty href, no href',
    url: 'https://polresmadiunkota.example/berita/share.html',
    author: { name: 'Humas Polres', email: 'humas@polresmadiunkota.example' },
    contentHtml:
      '<p><a name="atas"></a>Isi berita.</p><p><a href="javascript:void(0)" onclick="share()">Bagikan</a> | <a href="">Cetak</a> | <a>Tutup</a> | <a href="#komentar">Komentar</a></p>',
  },
  {
    name: 'empty src, empty alt and empty attributes from a page builder',
    author: { name: 'Redaksi' },
    contentHtml: '<div class="elementor"><p title="" dir="">Teks</p><img src="" alt=""><img alt="Tanpa gambar"><img src="https://cdn.binmas.example/ok.jpg" alt="" width="" height="300"></div>',
  },
  {
    name: 'links and images pointing inward (metadata, loopback, private) among good ones',
    author: { name: 'Redaksi', email: 'redaksi@binmas.example' },
    contentHtml:
      '<p><a href="http://169.254.169.254/latest/meta-data/">meta</a> <a href="http://localhost:8080/admin">admin</a> <img src="http://10.0.0.7/cam.jpg" alt="kamera"> <img src="http://[::1]/x.png" alt="x"> <a href="https://kotamadiun.binmas.id/">portal</a></p>',
  },
  {
    name: 'relative URLs without an article url (dropped, text kept)',
    author: { name: 'Redaksi' },
    contentHtml: '<p>Lihat <a href="/arsip">arsip</a>.</p><img src="/foto.jpg" alt="foto"><blockquote cite="">kutipan</blockquote>',
  },
];

/** Attributes that are URLs, per element, and must hold an absolute http(s) (or mailto:) URL. */
const URL_ATTRIBUTES: Record<string, string[]> = { a: ['href'], img: ['src'], blockquote: ['cite'], q: ['cite'] };
/** What an element must carry to be valid HTML. */
const REQUIRED: Record<string, string> = { img: 'src', a: 'href' };

/**
 * Why `html` would be "Invalid HTML" to a feed validator, one string per problem: an element
 * without its required attribute (img src, a href), an attribute written without a value
 * (but `alt`, which may be empty), a URL attribute that is not absolute http(s)/mailto
 * (relative, data:, javascript:) or names localhost or a private address. Independent of Warta.
 */
export function htmlWarnings(html: string): string[] {
  const out: string[] = [];
  const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g;
  for (const m of html.matchAll(TAG)) {
    const tag = m[1]!.toLowerCase();
    const attrs = new Map<string, string | null>();
    for (const a of m[2]!.matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
      attrs.set(a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? null);
    }
    const required = REQUIRED[tag];
    if (required && !attrs.get(required)) out.push(`<${tag}> without ${required}: ${m[0]}`);
    for (const [name, value] of attrs) {
      if (value === null || (value === '' && name !== 'alt')) out.push(`${name} without a value: ${m[0]}`);
    }
    for (const name of URL_ATTRIBUTES[tag] ?? []) {
      const value = attrs.get(name);
      if (!value) continue;
      const url = value.replace(/&amp;/g, '&');
      if (/^mailto:/i.test(url)) continue;
      if (!/^https?:\/\//i.test(url)) {
        out.push(`${name} is not absolute http(s): ${m[0]}`);
        continue;
      }
      const host = new URL(url).hostname;
      if (/^(localhost|127\.|10\.|192\.168\.|169\.254\.|\[::1\]|\[f[cd])/i.test(host)) out.push(`${name} points inward: ${m[0]}`);
    }
  }
  return out;
}
