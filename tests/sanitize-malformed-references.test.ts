/**
 * A numeric character reference that names no character (`&#x110000;`, a
 * surrogate, twenty digits) in an href or src made the sanitizer throw
 * (String.fromCodePoint) and the publish a 500. It is text: kept as written,
 * and the URL check still judges the value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { decodeNumericReferences } from '../src/model/sanitize.js';

let w: TestWarta;
let key: string;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  key = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
});
afterAll(() => w.close());

describe('malformed character references in URLs of article HTML', () => {
  it('are stored as text (201), not a 500, and javascript: spelled with references is still refused', async () => {
    const contentHtml =
      '<p><a href="https://example.org/&#x110000;x">l</a> <a href="https://example.org/a&#55296;b">m</a> ' +
      '<a href="https://example.org/&#99999999999999999999;">n</a> <a href="&#x6A;avascript:alert(1)">j</a> ' +
      '<img src="https://example.org/&#x41;.png"></p>';
    const res = await w.request('/api/articles', { token: key, json: smallArticle(1, { contentHtml }) });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { contentHtml: string }).contentHtml).toBe(
      '<p><a href="https://example.org/&#x110000;x">l</a> <a href="https://example.org/a&#55296;b">m</a> ' +
        '<a href="https://example.org/&amp;#99999999999999999999;">n</a> <a href>j</a> <img src="https://example.org/A.png"></p>',
    );
  });

  it('decode only when they name a character', () => {
    expect(decodeNumericReferences('&#x10FFFF;|&#x110000;|&#xDFFF;|&#0;|&#65|&#X42;')).toBe('\u{10FFFF}|&#x110000;|&#xDFFF;| |A|B');
  });
});
