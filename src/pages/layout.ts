/**
 * The frame of every HTML page: Indonesian, mobile-friendly, one inline
 * stylesheet (allowed by its hash in the Content-Security-Policy), no
 * external assets, no script. Also the security headers and the feed links
 * every page shows.
 */
import { FEED_MEDIA_TYPES } from '../feeds/render/render.js';
import { FEED_FORMATS, FORMAT_LABELS, feedPathOf, type FeedRef } from '../model/feed-address.js';
import { html, raw, type RawHtml } from './html.js';

/** The only stylesheet: inline, hashed into the CSP. */
export const PAGE_CSS = [
  ':root{color-scheme:light dark;--fg:#1b1f23;--muted:#5a6570;--bg:#fff;--line:#d8dee4;--accent:#0b5cad}',
  '@media (prefers-color-scheme:dark){:root{--fg:#e6e8ea;--muted:#9aa5b1;--bg:#14171a;--line:#2d333b;--accent:#6cb6ff}}',
  '*{box-sizing:border-box}',
  'body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}',
  'header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}',
  'header{padding-top:1rem;border-bottom:1px solid var(--line)}',
  'header a.home{font-weight:700;text-decoration:none;color:var(--fg)}',
  'a{color:var(--accent)}',
  'h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .5rem}',
  'h2{font-size:1.2rem;margin:1.5rem 0 .5rem}',
  '.muted,.meta{color:var(--muted);font-size:.9rem}',
  '.feeds a{margin-right:.6rem;white-space:nowrap}',
  'ul.list{list-style:none;padding:0;margin:0}',
  'ul.list>li{padding:.6rem 0;border-bottom:1px solid var(--line)}',
  'article img,figure img{max-width:100%;height:auto}',
  'figure{margin:1rem 0}',
  'figcaption{color:var(--muted);font-size:.9rem}',
  '.content{overflow-wrap:anywhere}',
  'footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid var(--line)}',
].join('\n');

let cssHash: Promise<string> | undefined;

/** `'sha256-…'` of PAGE_CSS, computed once with Web Crypto. */
export function pageCssHash(): Promise<string> {
  cssHash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(PAGE_CSS)).then((d) => {
    let bin = '';
    for (const b of new Uint8Array(d)) bin += String.fromCharCode(b);
    return `'sha256-${btoa(bin)}'`;
  });
  return cssHash;
}

/** Security headers of every HTML response: a strict CSP (no script at all), nosniff, referrer policy. */
export async function pageSecurityHeaders(): Promise<Record<string, string>> {
  return {
    'Content-Security-Policy': `default-src 'none'; style-src ${await pageCssHash()}; img-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
  };
}

/** An HTML response with the security headers. */
export async function htmlResponse(body: RawHtml, status: number, cacheControl: string): Promise<Response> {
  return new Response(body.value, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': cacheControl, ...(await pageSecurityHeaders()) },
  });
}

/** What the frame needs to know about a page. */
export interface PageFrame {
  baseUrl: string;
  title: string;
  description?: string;
  /** The feed this page has `<link rel="alternate">` tags for. */
  feed?: { ref: FeedRef; title: string };
  canonical?: string;
  /** More of `<head>` (Open Graph tags, JSON-LD), already safe HTML. */
  head?: RawHtml;
}

/** `<link rel="alternate">` for each format of a feed. */
export function alternateLinks(baseUrl: string, ref: FeedRef, title: string): RawHtml {
  return html`${FEED_FORMATS.map(
    (f) => html`<link rel="alternate" type="${FEED_MEDIA_TYPES[f]}" title="${title} (${FORMAT_LABELS[f]})" href="${baseUrl}${feedPathOf(ref, f)}">\n`,
  )}`;
}

/** The three subscribe links of a feed, for page bodies. */
export function feedLinks(baseUrl: string, ref: FeedRef): RawHtml {
  return html`<span class="feeds">${FEED_FORMATS.map((f) => html`<a href="${baseUrl}${feedPathOf(ref, f)}" type="${FEED_MEDIA_TYPES[f]}">${FORMAT_LABELS[f]}</a>`)}</span>`;
}

/** A whole document around `body`. */
export function layout(frame: PageFrame, body: RawHtml): RawHtml {
  return html`<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title}</title>
${frame.description ? html`<meta name="description" content="${frame.description}">\n` : ''}${frame.canonical ? html`<link rel="canonical" href="${frame.canonical}">\n` : ''}${frame.feed ? alternateLinks(frame.baseUrl, frame.feed.ref, frame.feed.title) : ''}${frame.head ?? ''}<style>${raw(PAGE_CSS)}</style>
</head>
<body>
<header><a class="home" href="${frame.baseUrl}/">Warta</a> <span class="muted">· berita lembaga, siap disindikasikan</span></header>
<main>
${body}
</main>
<footer class="muted"><p>Semua umpan: <a href="${frame.baseUrl}/feeds.opml">daftar OPML</a> · ${FEED_FORMATS.map((f, i) => html`${i ? ' · ' : ''}<a href="${frame.baseUrl}${feedPathOf({ kind: 'all' }, f)}">${FORMAT_LABELS[f]}</a>`)}</p></footer>
</body>
</html>
`;
}

/** The page shown for an unknown slug or article. */
export function notFoundPage(baseUrl: string, what: string): RawHtml {
  return layout(
    { baseUrl, title: 'Tidak ditemukan · Warta' },
    html`<h1>Tidak ditemukan</h1><p>${what} tidak ada, sudah dihapus, atau belum terbit.</p><p><a href="${baseUrl}/">Kembali ke beranda</a></p>`,
  );
}
