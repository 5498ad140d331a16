/**
 * RSS readers render `<description>` as HTML. A summary is plain text, so it
 * must reach them HTML-escaped: the derived summary of content
 * `<p>&lt;img src=x onerror=alert(1)&gt;</p>` is the text `<img …>`, and the
 * reader must get `&lt;img …&gt;` (escaped once more for XML), never a live
 * element. Plain-text elements use the RSS Board profile's `&#x26;` `&#x3C;`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertWellFormedXml, child, childText, NS } from './support/feed-validators.js';

let w: TestWarta;
let rss: string;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  const key = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
  const res = await w.request('/api/articles', {
    token: key,
    json: smallArticle(1, { id: 'xss-summary', title: 'Tom & Jerry <b>', contentHtml: '<p>&lt;img src=x onerror=alert(1)&gt;</p>' }),
  });
  if (res.status !== 201) throw new Error(`setup: ${res.status} ${await res.text()}`);
  rss = await (await w.request('/feed.rss')).text();
});
afterAll(() => w.close());

describe('RSS description of a plain-text summary', () => {
  it('hands the reader HTML that shows the markup as text: &lt;img …&gt;, no element', () => {
    const item = child(child(assertWellFormedXml(rss), NS.none, 'channel'), NS.none, 'item');
    // What an XML parser gives the reader's HTML renderer:
    expect(childText(item, NS.none, 'description')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(rss).toContain('<description>&amp;lt;img src=x onerror=alert(1)&amp;gt;</description>');
  });

  it('writes the plain-text title with &#x26; &#x3C; &#x3E; and it still parses to the original text', () => {
    const item = child(child(assertWellFormedXml(rss), NS.none, 'channel'), NS.none, 'item');
    expect(childText(item, NS.none, 'title')).toBe('Tom & Jerry <b>');
    expect(rss).toContain('<title>Tom &#x26; Jerry &#x3C;b&#x3E;</title>');
  });
});
