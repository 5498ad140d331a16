/**
 * The independent checkers in tests/support/feed-validators.ts are only worth something if
 * they fail on bad documents: each one is shown rejecting a document it must reject.
 */
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../src/feeds/render/render-atom.js';
import { renderJsonFeed } from '../src/feeds/render/render-json.js';
import { renderRss } from '../src/feeds/render/render-rss.js';
import { makeLapasEntries, makeLapasFeedDocument } from './support/feed-fixtures.js';
import { assertValidFeed, assertWellFormedXml, parseWithFeedsmith, validateAtomRng, validateJsonFeed } from './support/feed-validators.js';
import { rfc822ToRfc3339 } from './support/feed-facts.js';

const PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n';

describe('assertWellFormedXml (saxes)', () => {
  it.each([
    ['an HTML entity', `${PROLOG}<a>&nbsp;</a>`],
    ['a raw control character', `${PROLOG}<a>\u0001</a>`],
    ['a character reference to NUL', `${PROLOG}<a>&#0;</a>`],
    ['U+FFFE', `${PROLOG}<a>\uFFFE</a>`],
    ['a lone surrogate', `${PROLOG}<a>\uD800</a>`],
    ['an unbound prefix', `${PROLOG}<a><atom:link/></a>`],
    ['a raw < in an attribute', `${PROLOG}<a b="<"/>`],
    ['mismatched tags', `${PROLOG}<a><b></a></b>`],
    ['text after the root', `${PROLOG}<a/>x`],
    ['no XML declaration', '<a/>'],
    ['a non-UTF-8 declaration', '<?xml version="1.0" encoding="iso-8859-1"?><a/>'],
  ])('rejects %s', (_what, xml) => {
    expect(() => assertWellFormedXml(xml)).toThrow(/not well-formed/);
  });

  it('accepts and resolves references, astral characters and CDATA', () => {
    const root = assertWellFormedXml(`${PROLOG}<a x="&#10;&quot;">&lt;b&gt; &#x1F1EE;&#x1F1E9; 👮‍♂️<![CDATA[ <c> ]]></a>`);
    expect(root.text).toBe('<b> 🇮🇩 👮‍♂️ <c> ');
    expect(root.attributes.x?.value).toBe('\n"');
  });
});

describe('validateAtomRng (libxml2, RFC 4287 RELAX NG)', () => {
  const atom = renderAtom(makeLapasFeedDocument('atom'), makeLapasEntries());

  it.each([
    ['a feed without id', (x: string) => x.replace(/<id>tag:warta\.example,2023:feed[^<]*<\/id>/, '')],
    ['an entry without updated', (x: string) => x.replace('<updated>2023-12-01T09:30:00+07:00</updated>', '')],
    ['a date that is not xsd:dateTime', (x: string) => x.replace('2023-12-04T15:14:00+07:00', 'Mon, 04 Dec 2023 15:14:00 +0700')],
    ['a bad xml:lang', (x: string) => x.replace('xml:lang="en"', 'xml:lang="en_US!"')],
    ['an e-mail without @', (x: string) => x.replace('humas@lapasmadiun.example', 'humas')],
    ['an unknown Atom element', (x: string) => x.replace('<icon>', '<iconography>x</iconography><icon>')],
    ['a text construct of an unknown type', (x: string) => x.replace('<title type="text">Lapas', '<title type="markdown">Lapas')],
  ])('rejects %s', async (_what, mutate) => {
    const bad = mutate(atom);
    expect(bad).not.toBe(atom);
    const result = await validateAtomRng(bad);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('accepts the rendered feed', async () => {
    expect(await validateAtomRng(atom)).toEqual({ valid: true, errors: [] });
  });
});

describe('validateJsonFeed (Ajv, JSON Feed 1.1 schema)', () => {
  const good = () => JSON.parse(renderJsonFeed(makeLapasFeedDocument('json'), makeLapasEntries()));

  it.each([
    ['version 1', (f: any) => void (f.version = 'https://jsonfeed.org/version/1')],
    ['no items', (f: any) => void delete f.items],
    ['an unknown top-level key', (f: any) => void (f.updated = '2023-12-04T16:00:00+07:00')],
    ['an item without content', (f: any) => void delete f.items[0].content_html],
    ['an attachment without mime_type', (f: any) => void delete f.items[0].attachments[0].mime_type],
    ['duplicate tags', (f: any) => void f.items[0].tags.push('BINMAS')],
    ['a date without offset', (f: any) => void (f.items[0].date_published = '2023-12-04 15:14')],
    ['a feed_url that is not a URI', (f: any) => void (f.feed_url = 'not a uri')],
    ['a hub without url', (f: any) => void delete f.hubs[0].url],
  ])('rejects %s', (_what, mutate) => {
    const f = good();
    mutate(f);
    expect(validateJsonFeed(f).valid).toBe(false);
  });

  it('accepts the rendered feed', () => {
    expect(validateJsonFeed(good())).toEqual({ valid: true, errors: [] });
  });
});

describe('parseWithFeedsmith and assertValidFeed', () => {
  it('refuse a document of another format', async () => {
    const rss = renderRss(makeLapasFeedDocument('rss'), makeLapasEntries());
    expect(() => parseWithFeedsmith(rss, 'atom')).toThrow(/detected rss/);
    await expect(assertValidFeed(rss, 'atom')).rejects.toThrow(/root element/);
  });
});

describe('rfc822ToRfc3339 (the tests’ own RFC 822 reader)', () => {
  it('converts keeping the offset and checks the day name', () => {
    expect(rfc822ToRfc3339('Mon, 04 Dec 2023 15:14:00 +0700')).toBe('2023-12-04T15:14:00+07:00');
    expect(() => rfc822ToRfc3339('Tue, 04 Dec 2023 15:14:00 +0700')).toThrow(/Mon/);
    expect(() => rfc822ToRfc3339('Mon, 04 Dec 2023 08:14:00 GMT')).toThrow();
  });
});
