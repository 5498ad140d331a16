/**
 * Whatever characters a stored article holds (`]]>`, HTML entities, markup, emoji, every C0
 * control, U+FFFE, lone surrogates, RTL overrides, CR, a 1 MB body), every format stays
 * well-formed and valid, and what independent parsers read back is the input minus the
 * characters XML 1.0 forbids — markup in a title included, as literal text.
 * Set FEED_ADVERSARIAL_DIR=/some/dir to also write the documents there (for ../shared/check-feed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHTML } from 'entities';
import { renderFeed } from '../src/feeds/render/render.js';
import { renderAtom } from '../src/feeds/render/render-atom.js';
import type { FeedDocument, FeedEntry, FeedFormat } from '../src/feeds/render/types.js';
import { makeLapasFeedDocument, makeSeedEntry } from './support/feed-fixtures.js';
import {
  assertValidAtomRng, assertValidJsonFeed, assertWellFormedXml, attr, child, children, childText, NS, parseWithFeedsmith, type XmlElement,
} from './support/feed-validators.js';

const ALL_C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
const CORPUS = [
  'a ]]> b ]]]]><![CDATA[ c ]]>',
  '&nbsp; &amp; &#160; &lt; &bogus; &',
  '<script>alert(1)</script>',
  '</content></entry></feed>',
  '</description>]]></item>',
  '🇮🇩👮‍♂️ 𝕎𝕒𝕣𝕥𝕒',
  ALL_C0,
  '\u007F\u0085\u009F',
  '\uFFFE\uFFFF',
  'lone \uD800 \uDFFF x\uDBFF',
  '\u202Eمرحبا بالعالم שלום עולם\u202C',
  '\u2028\u2029',
  'cr\r\nlf\rend',
  '"quoted" \'single\' <!-- comment --> <?pi x?>',
];
const EVIL = CORPUS.join(' | ');
/** What every parser must read back. */
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
const BIG_BODY = `<p>${'Lapas &amp; Polres &nbsp; ]]> 🇮🇩 <b>Kamtibmas</b>\u0001 '.repeat(20_000)}</p>`; // ≈ 1 MB

function evilEntry(): FeedEntry {
  const e = makeSeedEntry();
  e.title = `${EVIL} title`;
  e.summary = EVIL;
  e.contentHtml = `<p>${EVIL}</p>${BIG_BODY}`;
  e.author = { ...e.author, name: `${EVIL} author`, email: 'evil]]>&<x>"\'@example.com', url: "https://warta.example/a?x=1&y='2'" };
  e.category = { ...e.category, name: `${EVIL} category` };
  e.institutions = [{ ...e.institutions[0]!, name: `${EVIL} institution` }];
  e.tags = [{ slug: 'a&b<c>"d]]>', name: `${EVIL} tag`, url: 'https://warta.example/tags/a&b%3Cc%3E' }];
  e.image = { ...e.image!, alt: `${EVIL} alt`, url: "https://cdn.example/i.jpg?a=1&b='2'" };
  e.link = 'https://warta.example/articles/x?utm=a&b=%3C';
  e.language = 'ar';
  return e;
}

function evilDoc(format: FeedFormat): FeedDocument {
  return {
    ...makeLapasFeedDocument(format),
    title: `${EVIL} feed`,
    description: EVIL,
    rights: `© ${EVIL}`,
    generator: { name: `${EVIL} generator`, version: '1.0 <beta> & "rc"', url: 'https://warta.example/?a=1&b=2' },
  };
}

const rendered: Record<FeedFormat, { text: string; ms: number }> = Object.fromEntries(
  (['rss', 'atom', 'json'] as FeedFormat[]).map((f) => {
    const t0 = performance.now();
    const text = renderFeed(evilDoc(f), [evilEntry()], f);
    return [f, { text, ms: performance.now() - t0 }];
  }),
) as Record<FeedFormat, { text: string; ms: number }>;

if (process.env.FEED_ADVERSARIAL_DIR) {
  mkdirSync(process.env.FEED_ADVERSARIAL_DIR, { recursive: true });
  for (const [f, { text }] of Object.entries(rendered)) writeFileSync(join(process.env.FEED_ADVERSARIAL_DIR, `adversarial.${f}`), text);
}

describe('adversarial text', () => {
  const e = evilEntry();
  const expected = {
    title: clean(e.title),
    summary: clean(e.summary),
    content: clean(e.contentHtml),
    author: clean(e.author.name),
    category: clean(e.category.name),
    institution: clean(e.institutions[0]!.name),
    tag: clean(e.tags[0]!.name),
    alt: clean(e.image!.alt!),
    feedTitle: clean(`${EVIL} feed`),
  };

  it('renders a 1 MB body quickly in every format', () => {
    expect(e.contentHtml.length).toBeGreaterThan(1_000_000);
    for (const { ms } of Object.values(rendered)) expect(ms).toBeLessThan(1500);
  });

  it('RSS: well-formed, and a strict parser reads back every text exactly', () => {
    const channel = child(assertWellFormedXml(rendered.rss.text), NS.none, 'channel');
    const item = child(channel, NS.none, 'item');
    expect(childText(channel, NS.none, 'title')).toBe(expected.feedTitle);
    // description is HTML to readers: decoded once more as HTML, it is the plain text again.
    expect(decodeHTML(childText(channel, NS.none, 'description'))).toBe(clean(EVIL));
    expect(childText(channel, NS.none, 'copyright')).toBe(clean(`© ${EVIL}`));
    expect(childText(item, NS.none, 'title')).toBe(expected.title);
    expect(decodeHTML(childText(item, NS.none, 'description'))).toBe(expected.summary);
    expect(childText(item, NS.content, 'encoded')).toBe(expected.content);
    expect(children(item, NS.dc, 'creator')).toHaveLength(0); // an author with an e-mail is RSS <author> only
    expect(childText(item, NS.none, 'author')).toBe(`evil]]>&<x>"'@example.com (${expected.author})`);
    expect(children(item, NS.none, 'category').map((c) => c.text)).toEqual([expected.category, expected.institution, expected.tag]);
    expect(childText(child(item, NS.media, 'content'), NS.media, 'description')).toBe(expected.alt);
    expect(attr(child(item, NS.none, 'enclosure'), 'url')).toBe("https://cdn.example/i.jpg?a=1&b='2'");
    expect(childText(item, NS.dc, 'language')).toBe('ar');
  });

  it('Atom: well-formed, valid against RFC 4287 RELAX NG, texts read back exactly', async () => {
    await assertValidAtomRng(rendered.atom.text);
    const feed = assertWellFormedXml(rendered.atom.text);
    const entry = child(feed, NS.atom, 'entry');
    expect(childText(feed, NS.atom, 'title')).toBe(expected.feedTitle);
    expect(childText(feed, NS.atom, 'rights')).toBe(clean(`© ${EVIL}`));
    expect(attr(child(feed, NS.atom, 'generator'), 'version')).toBe('1.0 <beta> & "rc"');
    expect(attr(entry, 'xml:lang')).toBe('ar');
    expect(childText(entry, NS.atom, 'title')).toBe(expected.title);
    expect(childText(entry, NS.atom, 'summary')).toBe(expected.summary);
    expect(childText(entry, NS.atom, 'content')).toBe(expected.content);
    const author = child(entry, NS.atom, 'author');
    expect([childText(author, NS.atom, 'name'), childText(author, NS.atom, 'email')]).toEqual([expected.author, 'evil]]>&<x>"\'@example.com']);
    const cats = children(entry, NS.atom, 'category');
    expect(cats.map((c) => attr(c, 'label'))).toEqual([expected.category, expected.institution, expected.tag]);
    expect(attr(cats[2] as XmlElement, 'term')).toBe('a&b<c>"d]]>');
    const enclosure = children(entry, NS.atom, 'link').find((l) => attr(l, 'rel') === 'enclosure') as XmlElement;
    expect(attr(enclosure, 'title')).toBe(expected.alt); // CR, LF and TAB survive in attributes too
  });

  it('JSON Feed: valid against the 1.1 schema, same texts as the XML formats', () => {
    const feed = JSON.parse(rendered.json.text);
    assertValidJsonFeed(feed);
    const item = feed.items[0];
    expect(feed.title).toBe(expected.feedTitle);
    expect([item.title, item.summary, item.content_html, item.authors[0].name]).toEqual([expected.title, expected.summary, expected.content, expected.author]);
    expect(item.tags).toEqual([expected.category, expected.institution, expected.tag]);
    expect(item.attachments[0].title).toBe(expected.alt);
    expect(item._warta.tags[0].slug).toBe('a&b<c>"d]]>');
    expect(item.language).toBe('ar');
    expect(rendered.json.text).toContain('\u2028\u2029'); // valid JSON as they are; JSON.parse read them back above
  });

  it('feedsmith reads the same titles, authors and categories in all three formats', () => {
    const rss = parseWithFeedsmith(rendered.rss.text, 'rss').items?.[0];
    const atom = parseWithFeedsmith(rendered.atom.text, 'atom').entries?.[0];
    const json = parseWithFeedsmith(rendered.json.text, 'json').items?.[0];
    // feedsmith trims text values; everything else must be identical.
    for (const title of [rss?.title, atom?.title?.value, json?.title]) expect(title).toBe(expected.title.trim());
    // RSS carries this author as `<author>e-mail (name)</author>`, read back exactly by the strict parser above.
    for (const author of [atom?.authors?.[0]?.name, json?.authors?.[0]?.name]) expect(author).toBe(expected.author.trim());
    expect(rss?.categories?.map((c) => c.name)).toEqual([expected.category, expected.institution, expected.tag].map((s) => s.trim()));
    expect(atom?.categories?.map((c) => c.label)).toEqual([expected.category, expected.institution, expected.tag].map((s) => s.trim()));
    expect(rss?.content?.encoded).toBe(expected.content.trim());
    expect(atom?.content?.value).toBe(expected.content.trim());
  });
});

describe('values Atom constrains beyond text', () => {
  it('leaves out an invalid language tag, e-mail or media type instead of producing an invalid document', async () => {
    const e = makeSeedEntry();
    e.language = 'not a tag!';
    e.author = { ...e.author, email: 'someone@\nexample.com' };
    e.image = { ...e.image!, type: 'jpeg' };
    const doc = { ...makeLapasFeedDocument('atom'), language: 'x_y' };
    const xml = renderAtom(doc, [e]);
    await assertValidAtomRng(xml);
    const feed = assertWellFormedXml(xml);
    const entry = child(feed, NS.atom, 'entry');
    expect(attr(feed, 'xml:lang')).toBeUndefined();
    expect(attr(entry, 'xml:lang')).toBeUndefined();
    expect(children(child(entry, NS.atom, 'author'), NS.atom, 'email')).toHaveLength(0);
    const enclosure = children(entry, NS.atom, 'link').find((l) => attr(l, 'rel') === 'enclosure') as XmlElement;
    expect([attr(enclosure, 'type'), attr(enclosure, 'length')]).toEqual([undefined, '48213']);
  });
});
