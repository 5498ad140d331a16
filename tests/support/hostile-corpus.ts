/**
 * The fixed hostile corpus: malformed JSON, invalid dates, slugs and URLs,
 * and HTML from an XSS corpus, with an independent checker for sanitized
 * HTML (it shares nothing with src/model/sanitize.ts).
 */

/** Bodies that are not JSON at all (each must be a 400 malformed-json). */
export const MALFORMED_JSON: { name: string; body: string }[] = [
  { name: 'empty body', body: '' },
  { name: 'whitespace only', body: ' \n\t ' },
  { name: 'truncated object', body: '{"title": "x"' },
  { name: 'missing value', body: '{"title":}' },
  { name: 'trailing comma', body: '{"title": "x",}' },
  { name: 'single quotes', body: "{'title': 'x'}" },
  { name: 'unquoted key', body: '{title: "x"}' },
  { name: 'comment', body: '/* c */ {"title": "x"}' },
  { name: 'NaN literal', body: '{"n": NaN}' },
  { name: 'undefined literal', body: '{"title": undefined}' },
  { name: 'bad escape', body: '{"title": "\\x41"}' },
  { name: 'short unicode escape', body: '{"title": "\\u12"}' },
  { name: 'raw control character in a string', body: '{"title": "a\u0001b"}' },
  { name: 'two documents', body: '{"a":1}{"b":2}' },
  { name: 'unclosed deep nesting', body: '['.repeat(10_000) },
  { name: 'unbalanced deep nesting', body: `${'['.repeat(7_000)}${']'.repeat(6_999)}` },
  { name: 'XML instead of JSON', body: '<?xml version="1.0"?><article/>' },
  { name: 'form encoding', body: 'title=x&contentHtml=y' },
];

/** Dates that must be refused (422 on the field). */
export const INVALID_DATES: string[] = [
  '2023-02-30T10:00:00+07:00', // no 30 February
  '2023-02-29T10:00:00+07:00', // 2023 is not a leap year
  '1900-02-29T10:00:00+07:00', // nor is 1900
  '2023-04-31T10:00:00+07:00',
  '2023-13-01T10:00:00+07:00',
  '2023-00-10T10:00:00+07:00',
  '2023-12-00T10:00:00+07:00',
  '2023-12-04T24:00:00+07:00', // T24:00 is not RFC 3339
  '2023-12-04T15:60:00+07:00',
  '2023-12-04T15:14:61+07:00',
  '2023-12-04T15:14:00+25:00', // offset out of range
  '2023-12-04T15:14:00+07:60',
  '2023-12-04T15:14:00+14:01', // valid RFC 3339, but past what xsd:dateTime (Atom) takes
  '2023-12-04T15:14:00-23:59',
  '0000-12-04T15:14:00+07:00', // no year 0000 in xsd:dateTime
  '2023-12-04T15:14:00', // no offset
  '2023-12-04T15:14:00+0700', // offset without colon
  '2023-12-04T15:14+07:00', // no seconds
  '2023-12-04 15:14:00+07:00', // space
  '2023-12-04',
  '2023-12-04T15:14:00.+07:00',
  '2023-12-04T15:14:00+07:00\n',
  ' 2023-12-04T15:14:00+07:00',
  '+002023-12-04T15:14:00+07:00',
  '２０２３-12-04T15:14:00+07:00', // fullwidth digits
  '1701677640',
  'now',
  '',
];

/** Valid dates at the edges, with what the API must store (the offset kept, to the second). */
export const EDGE_DATES: { input: string; stored: string }[] = [
  { input: '2024-02-29T23:59:59+07:00', stored: '2024-02-29T23:59:59+07:00' },
  { input: '2000-02-29T00:00:00Z', stored: '2000-02-29T00:00:00+00:00' },
  { input: '2023-12-04T15:14:00.123456789+07:00', stored: '2023-12-04T15:14:00+07:00' },
  { input: '2023-12-04t15:14:00z', stored: '2023-12-04T15:14:00+00:00' },
  { input: '2023-12-04T15:14:00-03:30', stored: '2023-12-04T15:14:00-03:30' },
  { input: '2023-12-04T15:14:00+14:00', stored: '2023-12-04T15:14:00+14:00' },
  { input: '2023-12-04T15:14:00-12:00', stored: '2023-12-04T15:14:00-12:00' },
  { input: '0001-01-01T00:00:00Z', stored: '0001-01-01T00:00:00+00:00' },
  { input: '0050-06-15T12:00:00+07:00', stored: '0050-06-15T12:00:00+07:00' },
];

/** Slugs that must be refused, in a path or in a body. */
export const INVALID_SLUGS: string[] = [
  '../x',
  '..',
  '%2e%2e',
  'b\u0430nmas', // Cyrillic а
  'binmas\u200b', // zero-width space
  'ｂｉｎｍａｓ', // fullwidth
  'BINMAS',
  'Binmas',
  '',
  'a'.repeat(65),
  'bin mas',
  'bin--mas',
  '-binmas',
  'binmas-',
  'bin_mas',
  'bin.mas',
  'bin/mas',
  'bin\\mas',
  'binmas\n',
  'bin\u0000mas',
  '<script>',
];

/** URLs that must be refused wherever an http(s) URL is expected. */
export const INVALID_URLS: string[] = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://example.com/x',
  'mailto:humas@example.com',
  '/relative/path',
  '//evil.example/x',
  'example.com/x',
  'http://user:pass@example.com/',
  'https://user@example.com/',
  'http://',
  'https://exa mple.com/',
  'http://[::1',
  `https://example.com/${'a'.repeat(2100)}`,
];

/** Article HTML from an XSS corpus; each must be accepted and stored sanitized. */
export const XSS_CORPUS: { name: string; html: string }[] = [
  { name: 'script element', html: '<script>alert(1)</script><p>ok</p>' },
  { name: 'script with src', html: '<SCRIPT SRC=//evil.example/x.js></SCRIPT><p>ok</p>' },
  { name: 'nested script evasion', html: '<scr<script>ipt>alert(1)</scr</script>ipt><p>ok</p>' },
  { name: 'double open bracket', html: '<<script>alert(1);//<</script><p>ok</p>' },
  { name: 'NUL inside a tag name', html: '<scr\u0000ipt>alert(1)</script><p>ok</p>' },
  { name: 'img onerror', html: '<img src=x onerror=alert(1)><p>ok</p>' },
  { name: 'img onerror entity-encoded', html: '<img src=x onerror=&#x61;lert(1)><p>ok</p>' },
  { name: 'img eval(src)', html: '<img src=x:alert(alt) onerror=eval(src) alt=0>' },
  { name: 'img javascript src', html: '<img src="javascript:alert(1)">' },
  { name: 'img srcset', html: '<img src="https://ok.example/a.png" srcset="javascript:alert(1)">' },
  { name: 'javascript link', html: '<a href="javascript:alert(1)">x</a>' },
  { name: 'javascript link mixed case', html: '<a href="JaVaScRiPt:alert(1)">x</a>' },
  { name: 'javascript link leading space', html: '<a href=" javascript:alert(1)">x</a>' },
  { name: 'javascript link decimal entities', html: '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>' },
  { name: 'javascript link hex entities without semicolons', html: '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>' },
  { name: 'javascript link zero-padded entities', html: '<a href="&#0000106&#0000097vascript:alert(1)">x</a>' },
  { name: 'javascript link with tab entity', html: '<a href="jav&#x09;ascript:alert(1)">x</a>' },
  { name: 'javascript link with &colon;', html: '<a href="javascript&colon;alert(1)">x</a>' },
  { name: 'javascript link with &NewLine;', html: '<a href="java&NewLine;script:alert(1)">x</a>' },
  { name: 'data link', html: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>' },
  { name: 'vbscript link', html: '<a href="vbscript:msgbox(1)">x</a>' },
  { name: 'link with credentials', html: '<a href="http://user:pass@evil.example/">x</a>' },
  { name: 'onclick on a good link', html: '<a href="https://ok.example/" onclick="alert(1)">ok</a>' },
  { name: 'attribute break-out', html: '<a href="https://ok.example/" title="x&quot; onmouseover=&quot;alert(1)">x</a>' },
  { name: 'unquoted attribute break-out', html: '<a href=https://ok.example/ title=x onmouseover=alert(1)>x</a>' },
  { name: 'event attributes', html: '<div onmouseover="alert(1)">x</div><p ONCLICK=alert(1)>y</p><body onload=alert(1)>' },
  { name: 'svg onload', html: '<svg onload=alert(1)><p>ok</p>' },
  { name: 'svg script', html: '<svg><script>alert(1)</script></svg><p>ok</p>' },
  { name: 'svg xlink', html: '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>' },
  { name: 'math mXSS', html: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: 'style element', html: '<style>body{background:url(javascript:alert(1))}</style><p>ok</p>' },
  { name: 'style attribute', html: '<p style="background:url(javascript:alert(1))">x</p>' },
  { name: 'iframe srcdoc', html: '<iframe srcdoc="<script>alert(1)</script>"></iframe><p>ok</p>' },
  { name: 'iframe javascript', html: '<iframe src="javascript:alert(1)"></iframe>' },
  { name: 'object and embed', html: '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">' },
  { name: 'early close', html: '<p>x</p></div></article></body></html><script>alert(1)</script>' },
  { name: 'textarea escape', html: '</textarea><script>alert(1)</script>' },
  { name: 'title escape', html: '</title><script>alert(1)</script>' },
  { name: 'CDATA end', html: ']]><script>alert(1)</script><p>ok</p>' },
  { name: 'comment', html: '<!--<script>alert(1)</script>--><p>ok</p>' },
  { name: 'comment trick', html: '<!--><img src=x onerror=alert(1)>--><p>ok</p>' },
  { name: 'conditional comment', html: '<!--[if IE]><script>alert(1)</script><![endif]--><p>ok</p>' },
  { name: 'base href', html: '<base href="https://evil.example/"><a href="/x">x</a>' },
  { name: 'meta refresh', html: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>ok</p>' },
  { name: 'link stylesheet', html: '<link rel="stylesheet" href="https://evil.example/x.css"><p>ok</p>' },
  { name: 'form', html: '<form action="https://evil.example/"><input name="x"><button formaction="javascript:alert(1)">go</button></form><p>ok</p>' },
  { name: 'template', html: '<template><script>alert(1)</script></template><p>ok</p>' },
  { name: 'noscript break-out', html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>' },
  { name: 'xmp', html: '<xmp><script>alert(1)</script></xmp>' },
  { name: 'isindex', html: '<isindex action="javascript:alert(1)" type="image">' },
  { name: 'escaped text stays text', html: '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>' },
  { name: 'unclosed markup', html: '<div><p>unclosed <b>bold' },
  { name: 'stray angle brackets', html: '<p>a < b > c <</p>' },
];

const NAMED: Record<string, string> = {
  colon: ':', tab: '\t', newline: '\n', amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', lpar: '(', rpar: ')', sol: '/', period: '.', nbsp: '\u00a0',
};

/** Decodes character references the way a browser would in an attribute value. */
export function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Math.min(parseInt(d, 10), 0x10ffff)))
    .replace(/&([a-z]+);?/gi, (m, n: string) => NAMED[n.toLowerCase()] ?? m);
}

const SAFE_TAGS = new Set([
  'a', 'img', 'p', 'br', 'hr', 'span', 'div', 'strong', 'b', 'em', 'i', 'u', 's', 'small', 'sub', 'sup', 'mark',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q', 'cite', 'pre', 'code',
  'figure', 'figcaption', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'time',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'action', 'formaction', 'poster', 'background', 'data', 'srcset', 'xlink:href']);
const TAG = /^<\/?([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*"[^"]*")?)*)\s*\/?>$/;

/**
 * What is unsafe in sanitized HTML: every `<` must open a well-formed tag from
 * a safe list, with no event handler or style attribute, and every URL
 * attribute must decode to http(s) (or mailto: on a link). Empty when safe.
 */
export function unsafeHtml(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<[^>]*>?/g)) {
    const markup = m[0];
    const tag = TAG.exec(markup);
    if (!tag) {
      problems.push(`raw markup ${JSON.stringify(markup.slice(0, 60))}`);
      continue;
    }
    const name = tag[1]!.toLowerCase();
    if (/javascript:/i.test(decodeAttribute(markup).replace(/[\u0000-\u0020]/g, ''))) problems.push(`javascript: in <${name}>`);
    if (!SAFE_TAGS.has(name)) problems.push(`element <${name}>`);
    for (const a of tag[2]!.matchAll(/([^\s"'>\/=]+)(?:\s*=\s*"([^"]*)")?/g)) {
      const attr = a[1]!.toLowerCase();
      const value = decodeAttribute(a[2] ?? '');
      if (attr.startsWith('on') || attr === 'style' || attr === 'srcdoc' || attr === 'srcset') problems.push(`attribute ${attr} on <${name}>`);
      if (URL_ATTRIBUTES.has(attr)) {
        const url = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        // An empty value (`<a href>`) points nowhere; anything else must be http(s).
        const ok = url === '' || /^https?:\/\/[^@]*$/.test(url) || (name === 'a' && attr === 'href' && url.startsWith('mailto:'));
        if (!ok) problems.push(`${attr}="${value}" on <${name}>`);
      }
    }
  }
  return problems;
}

const VOID_TAGS = new Set(['br', 'hr', 'img']);

/** End tags that close nothing and elements left open: markup that could escape the element it is embedded in. */
export function unbalancedTags(html: string): string[] {
  const open: string[] = [];
  const problems: string[] = [];
  for (const m of html.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9]*)[^>]*>/g)) {
    const name = m[2]!.toLowerCase();
    if (VOID_TAGS.has(name)) continue;
    if (!m[1]) open.push(name);
    else if (open.at(-1) === name) open.pop();
    else problems.push(`</${name}> closes ${open.length ? `<${open.at(-1)}>` : 'nothing'}`);
  }
  for (const name of open) problems.push(`<${name}> left open`);
  return problems;
}

/** Names of event-handler attributes (`on*`) on any tag of `html`, attribute values tokenized properly. */
export function eventAttributes(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<[A-Za-z][A-Za-z0-9]*((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g)) {
    for (const a of m[1]!.matchAll(/([^\s"'>\/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/g)) {
      if (/^on/i.test(a[1]!)) found.push(a[1]!.toLowerCase());
    }
  }
  return found;
}
