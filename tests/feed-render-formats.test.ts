/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 renderings of the Lapas Kelas I Madiun feed page:
 * each is valid for independent parsers and schemas, says what the product requires with
 * the values it requires, and the three carry the same information.
 */
import { describe, expect, it } from 'vitest';
import { FEED_CONTENT_TYPES, FEED_MEDIA_TYPES, renderFeed } from '../src/feeds/render/render.js';
import { renderRss } from '../src/feeds/render/render-rss.js';
import { atomCategoryScheme, renderAtom } from '../src/feeds/render/render-atom.js';
import { renderJsonFeed } from '../src/feeds/render/render-json.js';
import type { FeedDocument, FeedEntry, FeedFormat } from '../src/feeds/render/types.js';
import { makeLapasEntries, makeLapasFeedDocument, makeSecondEntry, makeSeedEntry, SEED_PARAGRAPHS, SEED_TITLE } from './support/feed-fixtures.js';
import {
  assertValidAtomRng, assertValidFeed, assertWellFormedXml, attr, child, children, childText, NS, parseWithFeedsmith, validateJsonFeed,
} from './support/feed-validators.js';
import { feedFacts, type FeedFacts } from './support/feed-facts.js';

const FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];
const IMG = 'https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg';
const LAPAS = 'https://warta.example/institutions/lapas-kelas-i-madiun';
const render = (format: FeedFormat, doc: FeedDocument = makeLapasFeedDocument(format), entries = makeLapasEntries()) =>
  renderFeed(doc, entries, format);

describe('RSS 2.0 rendering', () => {
  const xml = render('rss');
  const rss = assertWellFormedXml(xml);
  const channel = child(rss, NS.none, 'channel');
  const items = children(channel, NS.none, 'item');

  it('starts with the UTF-8 prolog and declares exactly the namespaces it uses', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" ')).toBe(true);
    const decls = [...xml.slice(0, xml.indexOf('>', 40)).matchAll(/xmlns:(\w+)="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(decls)).toEqual({ atom: NS.atom, content: NS.content, dc: NS.dc, dcterms: NS.dcterms, media: NS.media, creativeCommons: 'http://backend.userland.com/creativeCommonsRssModule', sy: NS.sy });
    const empty = renderRss(makeLapasFeedDocument('rss'), []);
    expect(empty).not.toMatch(/xmlns:(content|dcterms|media)=/);
    expect(renderRss(makeLapasFeedDocument('rss'), [makeSecondEntry()])).not.toMatch(/xmlns:(media|creativeCommons)=/);
  });

  it('has the channel metadata, dates at the publisher offset, paging and hub links', () => {
    expect(childText(channel, NS.none, 'title')).toBe('Lapas Kelas I Madiun');
    expect(childText(channel, NS.none, 'link')).toBe(LAPAS);
    expect(childText(channel, NS.none, 'description')).toBe('Berita Lapas Kelas I Madiun, disindikasikan oleh Warta');
    expect(childText(channel, NS.none, 'language')).toBe('id');
    expect(childText(channel, NS.none, 'copyright')).toBe('© 2023 Lapas Kelas I Madiun dan kontributor Warta');
    expect(childText(channel, NS.none, 'lastBuildDate')).toBe('Mon, 04 Dec 2023 16:00:00 +0700');
    expect(children(channel, NS.none, 'pubDate')).toHaveLength(0);
    expect(childText(channel, NS.none, 'generator')).toBe('Warta 0.1.0 (https://warta.example/)');
    expect(childText(channel, NS.none, 'docs')).toBe('https://www.rssboard.org/rss-specification');
    expect(childText(channel, NS.dc, 'identifier')).toBe('tag:warta.example,2023:feed:institutions:lapas-kelas-i-madiun');
    const image = child(channel, NS.none, 'image');
    expect([childText(image, NS.none, 'url'), childText(image, NS.none, 'title'), childText(image, NS.none, 'link')])
      .toEqual(['https://lapasmadiun.example/ikon-512.png', 'Lapas Kelas I Madiun', LAPAS]);
    expect([childText(channel, NS.none, 'ttl'), childText(channel, NS.sy, 'updatePeriod'), childText(channel, NS.sy, 'updateFrequency')]).toEqual(['1440', 'daily', '1']);
    const links = children(channel, NS.atom, 'link').map((l) => [attr(l, 'rel'), attr(l, 'href'), attr(l, 'type')]);
    expect(links).toEqual([
      ['self', `${LAPAS}/feed.rss?limit=2`, 'application/rss+xml'],
      ['first', `${LAPAS}/feed.rss?limit=2`, 'application/rss+xml'],
      ['next', `${LAPAS}/feed.rss?limit=2&cursor=01HGN2Q4C8ZK7T5V3B9X6W1R2D`, 'application/rss+xml'],
      ['hub', 'https://warta.example/websub', undefined],
    ]);
  });

  it('writes each item with guid, RFC 822 pubDate +0700, dcterms:modified, creator and categories', () => {
    const [seed, second] = items as [(typeof items)[0], (typeof items)[0]];
    expect(childText(seed, NS.none, 'title')).toBe(SEED_TITLE);
    const guid = child(seed, NS.none, 'guid');
    expect([guid.text, attr(guid, 'isPermaLink')]).toEqual(['tag:warta.example,2023:article:01HGVW5E9Q7R4Y3S8C2X1N6M0K', 'false']);
    expect(childText(seed, NS.none, 'link')).toBe('https://warta.example/articles/01HGVW5E9Q7R4Y3S8C2X1N6M0K');
    expect(childText(seed, NS.none, 'description')).toBe(SEED_PARAGRAPHS[0]);
    expect(childText(seed, NS.content, 'encoded')).toBe(makeSeedEntry().contentHtml);
    expect(childText(seed, NS.none, 'pubDate')).toBe('Mon, 04 Dec 2023 15:14:00 +0700');
    expect(childText(seed, NS.dcterms, 'modified')).toBe('2023-12-04T16:00:00+07:00');
    expect(childText(seed, NS.dc, 'creator')).toBe('Achmad Sarjono');
    expect(childText(seed, NS.dc, 'rights')).toBe('Lisensi CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)');
    expect(childText(seed, 'http://backend.userland.com/creativeCommonsRssModule', 'license')).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(children(second, NS.dc, 'rights')).toHaveLength(0);
    expect(children(seed, NS.none, 'author')).toHaveLength(0); // no e-mail: no <author>
    expect(childText(second, NS.none, 'author')).toBe('humas@lapasmadiun.example (Humas Lapas Madiun)');
    expect(children(second, NS.dc, 'creator')).toHaveLength(0); // an e-mail: <author> only, never both
    expect(children(seed, NS.dc, 'language')).toHaveLength(0); // same as the channel
    expect(children(seed, NS.none, 'category').map((c) => [attr(c, 'domain'), c.text])).toEqual([
      ['https://warta.example/categories/binmas', 'BINMAS'],
      ['https://warta.example/institutions/polres-madiun-kota', 'Polres Madiun Kota'],
      ['https://warta.example/institutions/lapas-kelas-i-madiun', 'Lapas Kelas I Madiun'],
      ['https://warta.example/tags/kehumasan', 'Kehumasan'],
      ['https://warta.example/tags/kamtibmas', 'Kamtibmas'],
    ]);
    expect(childText(second, NS.none, 'author')).toBe('humas@lapasmadiun.example (Humas Lapas Madiun)');
    expect(childText(second, NS.dc, 'language')).toBe('en');
    expect(childText(second, NS.none, 'pubDate')).toBe('Fri, 01 Dec 2023 09:30:00 +0700');
    expect(children(second, NS.none, 'enclosure')).toHaveLength(0);
  });

  it('writes the image as an enclosure with the real type and length, and as Media RSS', () => {
    const seed = items[0] as (typeof items)[0];
    const enclosure = child(seed, NS.none, 'enclosure');
    expect(enclosure.attributes).toMatchObject({ url: { value: IMG }, type: { value: 'image/jpeg' }, length: { value: '48213' } });
    const media = child(seed, NS.media, 'content');
    expect([attr(media, 'url'), attr(media, 'type'), attr(media, 'medium'), attr(media, 'fileSize')]).toEqual([IMG, 'image/jpeg', 'image', '48213']);
    expect(childText(media, NS.media, 'description')).toBe('Pertemuan kehumasan');
    expect(childText(media, NS.media, 'credit')).toBe('Humas Polres Madiun Kota');
    const license = child(media, NS.media, 'license');
    expect([license.text, attr(license, 'type'), attr(license, 'href')]).toEqual(['CC-BY-4.0', 'text/html', 'https://creativecommons.org/licenses/by/4.0/']);
    expect(attr(child(media, NS.media, 'thumbnail'), 'url')).toBe(IMG);
    const noLength = makeSeedEntry();
    delete noLength.image!.length;
    const out = assertWellFormedXml(renderRss(makeLapasFeedDocument('rss'), [noLength]));
    const item = child(child(out, NS.none, 'channel'), NS.none, 'item');
    expect(attr(child(item, NS.none, 'enclosure'), 'length')).toBe('0'); // required by RSS: 0 means unknown
    expect(attr(child(item, NS.media, 'content'), 'fileSize')).toBeUndefined();
  });

  it('reads the same through feedsmith', () => {
    const feed = parseWithFeedsmith(xml, 'rss');
    expect(feed.items?.map((i) => [i.guid?.value, i.guid?.isPermaLink, i.pubDate, i.dcterms?.modified?.[0], i.dc?.creators?.[0]])).toEqual([
      ['tag:warta.example,2023:article:01HGVW5E9Q7R4Y3S8C2X1N6M0K', false, 'Mon, 04 Dec 2023 15:14:00 +0700', '2023-12-04T16:00:00+07:00', 'Achmad Sarjono'],
      ['tag:warta.example,2023:article:01HGN2Q4C8ZK7T5V3B9X6W1R2D', false, 'Fri, 01 Dec 2023 09:30:00 +0700', '2023-12-01T09:30:00+07:00', undefined],
    ]);
    expect(feed.items?.[1]?.authors).toEqual([{ name: 'Humas Lapas Madiun', email: 'humas@lapasmadiun.example' }]);
    expect(feed.items?.[0]?.enclosures).toEqual([{ url: IMG, type: 'image/jpeg', length: 48213 }]);
  });
});

describe('Atom 1.0 rendering', () => {
  const xml = render('atom');
  const feed = assertWellFormedXml(xml);
  const entries = children(feed, NS.atom, 'entry');

  it('is valid against the RFC 4287 RELAX NG schema, with and without optional parts', async () => {
    await assertValidAtomRng(xml);
    const bare: FeedDocument = { ...makeLapasFeedDocument('atom'), nextUrl: undefined, hubUrls: [], iconUrl: undefined, logoUrl: undefined, freshness: undefined, rights: undefined };
    await assertValidAtomRng(renderAtom(bare, []));
  });

  it('has the feed metadata with xml:lang, the offset kept, paging and hub links', () => {
    expect(feed.uri).toBe(NS.atom);
    expect(attr(feed, 'xml:lang')).toBe('id');
    expect(childText(feed, NS.atom, 'id')).toBe('tag:warta.example,2023:feed:institutions:lapas-kelas-i-madiun');
    expect(attr(child(feed, NS.atom, 'title'), 'type')).toBe('text');
    expect(childText(feed, NS.atom, 'subtitle')).toBe('Berita Lapas Kelas I Madiun, disindikasikan oleh Warta');
    expect(childText(feed, NS.atom, 'updated')).toBe('2023-12-04T16:00:00+07:00');
    expect(children(feed, NS.atom, 'link').map((l) => [attr(l, 'rel'), attr(l, 'href'), attr(l, 'type')])).toEqual([
      ['self', `${LAPAS}/feed.atom?limit=2`, 'application/atom+xml'],
      ['alternate', LAPAS, 'text/html'],
      ['first', `${LAPAS}/feed.atom?limit=2`, 'application/atom+xml'],
      ['next', `${LAPAS}/feed.atom?limit=2&cursor=01HGN2Q4C8ZK7T5V3B9X6W1R2D`, 'application/atom+xml'],
      ['hub', 'https://warta.example/websub', undefined],
    ]);
    const generator = child(feed, NS.atom, 'generator');
    expect([generator.text, attr(generator, 'uri'), attr(generator, 'version')]).toEqual(['Warta', 'https://warta.example/', '0.1.0']);
    expect(childText(feed, NS.atom, 'icon')).toBe('https://lapasmadiun.example/ikon-512.png');
    expect(childText(feed, NS.atom, 'logo')).toBe('https://lapasmadiun.example/logo.png');
    expect(childText(feed, NS.atom, 'rights')).toBe('© 2023 Lapas Kelas I Madiun dan kontributor Warta');
  });

  it('writes entries with text titles, html content, both dates as given, author and categories', () => {
    const [seed, second] = entries as [(typeof entries)[0], (typeof entries)[0]];
    expect(attr(seed, 'xml:lang')).toBeUndefined();
    expect(attr(second, 'xml:lang')).toBe('en');
    expect(childText(seed, NS.atom, 'id')).toBe('tag:warta.example,2023:article:01HGVW5E9Q7R4Y3S8C2X1N6M0K');
    expect([childText(seed, NS.atom, 'title'), attr(child(seed, NS.atom, 'title'), 'type')]).toEqual([SEED_TITLE, 'text']);
    expect([childText(seed, NS.atom, 'summary'), attr(child(seed, NS.atom, 'summary'), 'type')]).toEqual([SEED_PARAGRAPHS[0], 'text']);
    expect([childText(seed, NS.atom, 'content'), attr(child(seed, NS.atom, 'content'), 'type')]).toEqual([makeSeedEntry().contentHtml, 'html']);
    expect(childText(seed, NS.atom, 'published')).toBe('2023-12-04T15:14:00+07:00');
    expect(childText(seed, NS.atom, 'updated')).toBe('2023-12-04T16:00:00+07:00');
    expect(children(seed, NS.atom, 'link').map((l) => l.attributes)).toEqual([
      { rel: expect.objectContaining({ value: 'alternate' }), type: expect.objectContaining({ value: 'text/html' }), href: expect.objectContaining({ value: 'https://warta.example/articles/01HGVW5E9Q7R4Y3S8C2X1N6M0K' }) },
      {
        rel: expect.objectContaining({ value: 'enclosure' }), type: expect.objectContaining({ value: 'image/jpeg' }), length: expect.objectContaining({ value: '48213' }),
        title: expect.objectContaining({ value: 'Pertemuan kehumasan' }), href: expect.objectContaining({ value: IMG }),
      },
      { rel: expect.objectContaining({ value: 'license' }), type: expect.objectContaining({ value: 'text/html' }), href: expect.objectContaining({ value: 'https://creativecommons.org/licenses/by/4.0/' }) },
    ]);
    expect(childText(seed, NS.atom, 'rights')).toBe('Lisensi CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)');
    expect(children(second, NS.atom, 'rights')).toHaveLength(0);
    const author = (e: typeof seed) => child(e, NS.atom, 'author').children.map((c) => [c.local, c.text]);
    expect(author(seed)).toEqual([['name', 'Achmad Sarjono'], ['uri', 'https://warta.example/authors/achmad-sarjono']]);
    expect(author(second)).toEqual([['name', 'Humas Lapas Madiun'], ['uri', 'https://lapasmadiun.example/'], ['email', 'humas@lapasmadiun.example']]);
    expect(children(seed, NS.atom, 'category').map((c) => [attr(c, 'term'), attr(c, 'scheme'), attr(c, 'label')])).toEqual([
      ['binmas', 'https://warta.example/categories/', 'BINMAS'],
      ['polres-madiun-kota', 'https://warta.example/institutions/', 'Polres Madiun Kota'],
      ['lapas-kelas-i-madiun', 'https://warta.example/institutions/', 'Lapas Kelas I Madiun'],
      ['kehumasan', 'https://warta.example/tags/', 'Kehumasan'],
      ['kamtibmas', 'https://warta.example/tags/', 'Kamtibmas'],
    ]);
  });

  it('derives a category scheme that identifies the vocabulary, falling back to the term URL', () => {
    expect(atomCategoryScheme({ slug: 'binmas', name: 'BINMAS', url: 'https://warta.example/categories/binmas' })).toBe('https://warta.example/categories/');
    expect(atomCategoryScheme({ slug: 'ñandú', name: 'Ñandú', url: 'https://warta.example/tags/%C3%B1and%C3%BA' })).toBe('https://warta.example/tags/');
    expect(atomCategoryScheme({ slug: 'x', name: 'X', url: 'https://warta.example/tags?slug=x' })).toBe('https://warta.example/tags?slug=x');
    expect(atomCategoryScheme({ slug: 'mas', name: 'Mas', url: 'https://warta.example/categories/binmas' })).toBe('https://warta.example/categories/binmas');
  });
});

describe('JSON Feed 1.1 rendering', () => {
  const text = render('json');
  const feed = JSON.parse(text) as Record<string, any>;

  it('is compact, valid against the JSON Feed 1.1 schema and declares version 1.1', () => {
    expect(text).toBe(JSON.stringify(feed));
    expect(validateJsonFeed(feed)).toEqual({ valid: true, errors: [] });
    expect(Object.keys(feed)[0]).toBe('version');
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
  });

  it('has the feed metadata, next_url, WebSub hubs and the _warta extension', () => {
    expect(feed).toMatchObject({
      title: 'Lapas Kelas I Madiun',
      home_page_url: LAPAS,
      feed_url: `${LAPAS}/feed.json?limit=2`,
      description: 'Berita Lapas Kelas I Madiun, disindikasikan oleh Warta',
      language: 'id',
      icon: 'https://lapasmadiun.example/ikon-512.png',
      favicon: 'https://lapasmadiun.example/ikon-512.png',
      next_url: `${LAPAS}/feed.json?limit=2&cursor=01HGN2Q4C8ZK7T5V3B9X6W1R2D`,
      hubs: [{ type: 'WebSub', url: 'https://warta.example/websub' }],
      _warta: {
        id: 'tag:warta.example,2023:feed:institutions:lapas-kelas-i-madiun',
        updated: '2023-12-04T16:00:00+07:00',
        first_url: `${LAPAS}/feed.json?limit=2`,
        generator: { name: 'Warta', version: '0.1.0', url: 'https://warta.example/' },
        rights: '© 2023 Lapas Kelas I Madiun dan kontributor Warta',
      },
    });
  });

  it('writes items with authors, tags, image, attachments, both dates and _warta terms', () => {
    const [seed, second] = feed.items;
    expect(seed).toEqual({
      id: 'tag:warta.example,2023:article:01HGVW5E9Q7R4Y3S8C2X1N6M0K',
      url: 'https://warta.example/articles/01HGVW5E9Q7R4Y3S8C2X1N6M0K',
      title: SEED_TITLE,
      summary: SEED_PARAGRAPHS[0],
      content_html: makeSeedEntry().contentHtml,
      image: IMG,
      banner_image: IMG,
      date_published: '2023-12-04T15:14:00+07:00',
      date_modified: '2023-12-04T16:00:00+07:00',
      language: 'id',
      authors: [{ name: 'Achmad Sarjono', url: 'https://warta.example/authors/achmad-sarjono' }],
      tags: ['BINMAS', 'Polres Madiun Kota', 'Lapas Kelas I Madiun', 'Kehumasan', 'Kamtibmas'],
      attachments: [{ url: IMG, mime_type: 'image/jpeg', size_in_bytes: 48213, title: 'Pertemuan kehumasan' }],
      _warta: {
        category: { slug: 'binmas', name: 'BINMAS', url: 'https://warta.example/categories/binmas' },
        institutions: [
          { slug: 'polres-madiun-kota', name: 'Polres Madiun Kota', url: 'https://warta.example/institutions/polres-madiun-kota' },
          { slug: 'lapas-kelas-i-madiun', name: 'Lapas Kelas I Madiun', url: LAPAS },
        ],
        tags: [
          { slug: 'kehumasan', name: 'Kehumasan', url: 'https://warta.example/tags/kehumasan' },
          { slug: 'kamtibmas', name: 'Kamtibmas', url: 'https://warta.example/tags/kamtibmas' },
        ],
        author: { slug: 'achmad-sarjono', name: 'Achmad Sarjono', page_url: 'https://warta.example/authors/achmad-sarjono' },
        license: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/', statement: 'Lisensi CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)' },
        images: [{ url: IMG, alt: 'Pertemuan kehumasan', credit: 'Humas Polres Madiun Kota', license: 'CC-BY-4.0', license_url: 'https://creativecommons.org/licenses/by/4.0/' }],
      },
    });
    expect(second.language).toBe('en');
    expect(second.authors).toEqual([{ name: 'Humas Lapas Madiun', url: 'https://lapasmadiun.example/' }]);
    expect(second._warta.author.email).toBe('humas@lapasmadiun.example');
    expect('image' in second || 'banner_image' in second || 'attachments' in second || 'images' in second._warta || 'license' in second._warta).toBe(false);
  });

  it('keeps tags unique when a tag has the name of the category or an institution', () => {
    const e = makeSeedEntry();
    e.tags = [{ slug: 'binmas', name: 'BINMAS', url: 'https://warta.example/tags/binmas' }, ...e.tags];
    const out = JSON.parse(renderJsonFeed(makeLapasFeedDocument('json'), [e]));
    expect(out.items[0].tags).toEqual(['BINMAS', 'Polres Madiun Kota', 'Lapas Kelas I Madiun', 'Kehumasan', 'Kamtibmas']);
    expect(out.items[0]._warta.tags).toHaveLength(3);
    expect(validateJsonFeed(out).valid).toBe(true);
  });
});

describe('the three formats', () => {
  it('carry the same information, read back by independent parsers', () => {
    const facts = Object.fromEntries(FORMATS.map((f) => [f, feedFacts(render(f), f)])) as Record<FeedFormat, FeedFacts>;
    const sameAcross = (f: FeedFacts) => ({ ...f, selfUrl: f.selfUrl.replace(/feed\.\w+/, 'feed.X'), firstUrl: f.firstUrl.replace(/feed\.\w+/, 'feed.X'), nextUrl: f.nextUrl?.replace(/feed\.\w+/, 'feed.X') });
    expect(sameAcross(facts.atom)).toEqual(sameAcross(facts.rss));
    expect(sameAcross(facts.json)).toEqual(sameAcross(facts.rss));
    expect(facts.rss.items.map((i) => [i.published, i.updated, i.language, i.authorEmail])).toEqual([
      ['2023-12-04T15:14:00+07:00', '2023-12-04T16:00:00+07:00', 'id', undefined],
      ['2023-12-01T09:30:00+07:00', '2023-12-01T09:30:00+07:00', 'en', 'humas@lapasmadiun.example'],
    ]);
    expect(facts.rss.items[0]?.image).toEqual({ url: IMG, type: 'image/jpeg', length: 48213, alt: 'Pertemuan kehumasan' });
    expect(facts.atom.items[1]?.categories).toEqual([
      { name: 'Pemasyarakatan', url: 'https://warta.example/categories/pemasyarakatan' },
      { name: 'Lapas Kelas I Madiun', url: LAPAS },
      { name: 'Kunjungan Keluarga', url: 'https://warta.example/tags/kunjungan-keluarga' },
    ]);
  });

  it.each(FORMATS)('%s: leaves out next, hubs, icon and rights when the document has none, and stays valid', async (format) => {
    const doc: FeedDocument = { ...makeLapasFeedDocument(format), nextUrl: undefined, hubUrls: [], iconUrl: undefined, logoUrl: undefined, freshness: undefined, rights: undefined };
    for (const entries of [[], makeLapasEntries()] as FeedEntry[][]) {
      const out = renderFeed(doc, entries, format);
      await assertValidFeed(out, format);
      // Entry-level rights come from the articles' licences (the seed entry has one); the document has none of its own.
      const docPart = format === 'json' ? out.replace(/"items":.*$/, '') : out.replace(/<(item|entry)[ >][\s\S]*$/, '');
      expect(docPart).not.toMatch(/rel="(next|hub)"|next_url|"hubs"|<image>|<icon>|<logo>|"icon"|"favicon"|<ttl>|sy:|copyright|rights/);
    }
  });

  it.each(FORMATS)('%s: is pure — same bytes every time, inputs untouched', (format) => {
    const freeze = <T>(o: T): T => {
      if (o && typeof o === 'object') for (const v of Object.values(o)) freeze(v);
      return Object.freeze(o);
    };
    const doc = freeze(makeLapasFeedDocument(format));
    const entries = freeze(makeLapasEntries());
    expect(renderFeed(doc, entries, format)).toBe(renderFeed(doc, entries, format));
    expect(entries).toEqual(makeLapasEntries());
  });

  it.each(FORMATS)('%s: refuses a date that is not RFC 3339 instead of writing a wrong one', (format) => {
    const e = makeSeedEntry();
    e.updatedAt = '04/12/2023 16:00';
    expect(() => renderFeed(makeLapasFeedDocument(format), [e], format)).toThrow(RangeError);
    expect(() => renderFeed({ ...makeLapasFeedDocument(format), updated: '2023-12-04 16:00:00' }, [], format)).toThrow(RangeError);
  });

  it('renderFeed dispatches on the format and FEED_CONTENT_TYPES names each one', () => {
    const doc = makeLapasFeedDocument('rss');
    const entries = makeLapasEntries();
    expect(renderFeed(doc, entries, 'rss')).toBe(renderRss(doc, entries));
    expect(renderFeed(doc, entries, 'atom')).toBe(renderAtom(doc, entries));
    expect(renderFeed(doc, entries, 'json')).toBe(renderJsonFeed(doc, entries));
    expect(() => renderFeed(doc, entries, 'html' as FeedFormat)).toThrow(TypeError);
    expect(FEED_CONTENT_TYPES).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
    expect(FEED_MEDIA_TYPES).toEqual({ rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' });
  });
});
