/**
 * OPML 2.0 subscription lists: well-formed, readable by feedsmith, outlines grouped by
 * category in order of first appearance, dateCreated in RFC 822 at the publisher's offset;
 * `version` only where the W3C validator knows it (RSS2), JSON Feed typed as FreshRSS reads it.
 */
import { describe, expect, it } from 'vitest';
import { renderOpml, type OpmlOutline } from '../src/feeds/render/render-opml.js';
import { BASE_URL } from './support/feed-fixtures.js';
import { assertWellFormedXml, attr, child, children, childText, NS, parseOpmlWithFeedsmith } from './support/feed-validators.js';

const feed = (slug: string, title: string, type: OpmlOutline['type'], category?: string): OpmlOutline => ({
  title,
  htmlUrl: `${BASE_URL}/institutions/${slug}`,
  xmlUrl: `${BASE_URL}/institutions/${slug}/feed.${type}?limit=20&lang=id`,
  type,
  category,
});

const OUTLINES: OpmlOutline[] = [
  feed('polres-madiun-kota', 'Polres Madiun Kota', 'rss', 'Kepolisian'),
  feed('lapas-kelas-i-madiun', 'Lapas Kelas I Madiun', 'atom', 'Pemasyarakatan'),
  feed('polres-madiun', 'Polres Madiun', 'json', 'Kepolisian'),
  { ...feed('warta', 'Semua berita', 'rss'), description: 'Semua berita & pengumuman' },
];
const META = { title: 'Warta: institusi', ownerName: 'Warta', dateCreated: '2023-12-04T16:00:00+07:00' };

describe('renderOpml', () => {
  const xml = renderOpml(META, OUTLINES);
  const opml = assertWellFormedXml(xml);

  it('writes an OPML 2.0 head with an RFC 822 dateCreated keeping +0700', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">')).toBe(true);
    const head = child(opml, NS.none, 'head');
    expect(childText(head, NS.none, 'title')).toBe('Warta: institusi');
    expect(childText(head, NS.none, 'ownerName')).toBe('Warta');
    expect(childText(head, NS.none, 'dateCreated')).toBe('Mon, 04 Dec 2023 16:00:00 +0700');
    expect(childText(head, NS.none, 'docs')).toBe('http://opml.org/spec2.opml');
  });

  it('nests subscriptions under their category, in order of first appearance', () => {
    const body = child(opml, NS.none, 'body');
    const top = children(body, NS.none, 'outline');
    expect(top.map((o) => attr(o, 'text'))).toEqual(['Kepolisian', 'Pemasyarakatan', 'Semua berita']);
    const sub = (o: (typeof top)[0]) => children(o, NS.none, 'outline').map((c) => [attr(c, 'text'), attr(c, 'type'), attr(c, 'version'), attr(c, 'xmlUrl')]);
    expect(sub(top[0]!)).toEqual([
      ['Polres Madiun Kota', 'rss', 'RSS2', `${BASE_URL}/institutions/polres-madiun-kota/feed.rss?limit=20&lang=id`],
      ['Polres Madiun', 'JSONFeed', undefined, `${BASE_URL}/institutions/polres-madiun/feed.json?limit=20&lang=id`],
    ]);
    expect(sub(top[1]!)).toEqual([
      ['Lapas Kelas I Madiun', 'rss', undefined, `${BASE_URL}/institutions/lapas-kelas-i-madiun/feed.atom?limit=20&lang=id`],
    ]);
    expect(attr(top[1]!, 'type')).toBeUndefined(); // a group is not a subscription
    expect([attr(top[2]!, 'description'), attr(top[2]!, 'htmlUrl')]).toEqual(['Semua berita & pengumuman', `${BASE_URL}/institutions/warta`]);
  });

  it('reads back with feedsmith', () => {
    const doc = parseOpmlWithFeedsmith(xml);
    expect(doc.head?.title).toBe('Warta: institusi');
    expect(doc.head?.dateCreated).toBe('Mon, 04 Dec 2023 16:00:00 +0700');
    expect(doc.body?.outlines?.map((o) => [o.text, o.outlines?.map((c) => c.xmlUrl)])).toEqual([
      ['Kepolisian', [OUTLINES[0]!.xmlUrl, OUTLINES[2]!.xmlUrl]],
      ['Pemasyarakatan', [OUTLINES[1]!.xmlUrl]],
      ['Semua berita', undefined],
    ]);
  });

  it('stays well-formed with hostile names and keeps their text', () => {
    const evil = 'Lapas <b>&nbsp;</b> ]]> "x"\u0001\uFFFE\uD800 🇮🇩 \u202Eעברית\r\n';
    const out = assertWellFormedXml(renderOpml({ title: evil, dateCreated: '2023-12-04T16:00:00Z' }, [{ ...feed('x', evil, 'rss', evil) }]));
    const expected = 'Lapas <b>&nbsp;</b> ]]> "x" 🇮🇩 \u202Eעברית\r\n';
    expect(childText(child(out, NS.none, 'head'), NS.none, 'title')).toBe(expected);
    expect(children(child(out, NS.none, 'head'), NS.none, 'ownerName')).toHaveLength(0);
    const group = child(child(out, NS.none, 'body'), NS.none, 'outline');
    expect([attr(group, 'text'), attr(child(group, NS.none, 'outline'), 'title')]).toEqual([expected, expected]);
  });
});
