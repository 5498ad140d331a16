/**
 * The XML helpers make any string safe as character data or attribute value: what a strict
 * parser reads back is the input minus the characters XML 1.0 forbids.
 */
import { describe, expect, it } from 'vitest';
import { attrs, escapeXmlAttr, escapeXmlText, stripXmlForbiddenChars, textElement } from '../src/feeds/render/xml.js';
import { assertWellFormedXml } from './support/feed-validators.js';

const ALL_C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
const PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n';

describe('stripXmlForbiddenChars', () => {
  it('removes C0 controls but TAB/LF/CR, U+FFFE/FFFF and lone surrogates only', () => {
    expect(stripXmlForbiddenChars(`a${ALL_C0}b`)).toBe('a\t\n\rb');
    expect(stripXmlForbiddenChars('x\uFFFEy\uFFFFz')).toBe('xyz');
    expect(stripXmlForbiddenChars('\uD800a\uDC00b\uDBFF')).toBe('ab');
    expect(stripXmlForbiddenChars('\uDC00\uD800')).toBe(''); // reversed pair: two lone halves
    const keep = '🇮🇩👮‍♂️ \u0085\u009F \u202Eعربى עברית\u202C \u2028\u2029 \uFFFD \u{10FFFF} &<>"';
    expect(stripXmlForbiddenChars(keep)).toBe(keep);
  });

  it('returns a clean string as it is', () => {
    const s = 'Lapas Kelas I Madiun';
    expect(stripXmlForbiddenChars(s)).toBe(s);
    expect(escapeXmlText(s)).toBe(s);
    expect(escapeXmlAttr(s)).toBe(s);
  });
});

describe('escapeXmlText / escapeXmlAttr', () => {
  it('escape markup characters; text keeps TAB/LF, attributes encode them', () => {
    expect(escapeXmlText('a]]>b & <c> "d"\t\n\r')).toBe('a]]&gt;b &amp; &lt;c&gt; "d"\t\n&#13;');
    expect(escapeXmlAttr('a]]>b & <c> "d"\t\n\r')).toBe('a]]&gt;b &amp; &lt;c&gt; &quot;d&quot;&#9;&#10;&#13;');
    expect(escapeXmlText('&nbsp;&amp;')).toBe('&amp;nbsp;&amp;amp;');
  });

  it('round-trip any string through a strict parser, minus forbidden characters', () => {
    const nasty = `${ALL_C0}]]></a><![CDATA[x]]>&nbsp;&amp;<script>alert(1)</script>\uFFFE\uD800 🇮🇩👮‍♂️ \u202Eשלום مرحبا\r\n\r end `;
    const root = assertWellFormedXml(`${PROLOG}<a${attrs([['v', nasty], ['n', 3], ['skip', undefined]])}>${escapeXmlText(nasty)}</a>`);
    const expected = stripXmlForbiddenChars(nasty);
    expect(root.text).toBe(expected);
    expect(root.attributes.v?.value).toBe(expected);
    expect(root.attributes.n?.value).toBe('3');
    expect(root.attributes.skip).toBeUndefined();
  });

  it('textElement wraps escaped text', () => {
    expect(textElement('title', '<b>&', ' type="text"')).toBe('<title type="text">&lt;b&gt;&amp;</title>');
  });

  it('escapes a 1.7 MB input whole, every repetition the same (no timing here: speed is for npm run bench)', () => {
    const unit = '<p>a &amp; b</p>\u0001';
    const big = unit.repeat(100_000); // 1.7 MB
    const out = escapeXmlText(big);
    expect(out).toBe(escapeXmlText(unit).repeat(100_000));
    expect(out.length).toBe(big.length + 100_000 * (3 + 3 + 4 + 3 + 3 - 1));
  });
});
