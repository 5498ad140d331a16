/**
 * Media: an article with several images (the first is the lead), each with
 * its caption, credit and licence, published through the API and read back
 * in every format — RSS one enclosure plus Media RSS for every image, Atom
 * an enclosure link per image plus Media RSS credits, JSON Feed `image`,
 * `banner_image`, an attachment per image and the credits under `_warta` —
 * all of it valid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertValidFeed, assertWellFormedXml, attr, child, children, childText, NS, parseWithFeedsmith } from './support/feed-validators.js';

const LEAD = { url: 'https://kotamadiun.binmas.id/foto/lead.jpg', type: 'image/jpeg', length: 120_000, alt: 'Rapat koordinasi', caption: 'Kapolres dan Kalapas dalam rapat koordinasi', credit: 'Humas Polres Madiun Kota', license: 'CC-BY-4.0' };
const SECOND = { url: 'https://kotamadiun.binmas.id/foto/kedua.png', type: 'image/png', credit: 'Antara Foto', license: 'https://antarafoto.example/lisensi' };

let w: TestWarta;
const text: Record<string, string> = {};
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  const res = await w.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1, { id: 'bergambar', tags: ['media'], images: [LEAD, SECOND] }) });
  expect(res.status).toBe(201);
  for (const format of ['rss', 'atom', 'json']) text[format] = await (await w.request(`/tags/media/feed.${format}`)).text();
});
afterAll(() => w.close());

describe('an article with several credited images', () => {
  it('is stored with the lead as image and every image in images', async () => {
    const body = (await (await w.request('/api/articles/bergambar', { token: ADMIN_TOKEN })).json()) as { image: unknown; images: unknown[] };
    expect(body.image).toEqual(LEAD);
    expect(body.images).toEqual([LEAD, SECOND]);
  });

  it('RSS: one enclosure (the lead) and a media:content per image with description, credit, licence and thumbnail', async () => {
    await assertValidFeed(text.rss!, 'rss');
    const item = child(child(assertWellFormedXml(text.rss!), NS.none, 'channel'), NS.none, 'item');
    expect(children(item, NS.none, 'enclosure').map((e) => [attr(e, 'url'), attr(e, 'type'), attr(e, 'length')])).toEqual([[LEAD.url, 'image/jpeg', '120000']]);
    const media = children(item, NS.media, 'content');
    expect(
      media.map((m) => [
        attr(m, 'url'),
        children(m, NS.media, 'description').map((d) => d.text),
        childText(m, NS.media, 'credit'),
        attr(child(m, NS.media, 'license'), 'href'),
        attr(child(m, NS.media, 'thumbnail'), 'url'),
      ]),
    ).toEqual([
      [LEAD.url, [LEAD.caption], LEAD.credit, 'https://creativecommons.org/licenses/by/4.0/', LEAD.url],
      [SECOND.url, [], SECOND.credit, SECOND.license, SECOND.url],
    ]);
    expect(parseWithFeedsmith(text.rss!, 'rss').items?.[0]?.media?.contents?.map((c) => c.url)).toEqual([LEAD.url, SECOND.url]);
  });

  it('Atom: an enclosure link per image, titled with the caption, and Media RSS credits', async () => {
    await assertValidFeed(text.atom!, 'atom');
    const entry = child(assertWellFormedXml(text.atom!), NS.atom, 'entry');
    const enclosures = children(entry, NS.atom, 'link').filter((l) => attr(l, 'rel') === 'enclosure');
    expect(enclosures.map((l) => [attr(l, 'href'), attr(l, 'type'), attr(l, 'length'), attr(l, 'title')])).toEqual([
      [LEAD.url, 'image/jpeg', '120000', LEAD.caption],
      [SECOND.url, 'image/png', undefined, undefined],
    ]);
    expect(children(entry, NS.media, 'content').map((m) => childText(m, NS.media, 'credit'))).toEqual([LEAD.credit, SECOND.credit]);
  });

  it('JSON Feed: image and banner_image are the lead, an attachment per image, credits under _warta', async () => {
    const feed = JSON.parse(text.json!);
    await assertValidFeed(text.json!, 'json');
    const item = feed.items[0];
    expect([item.image, item.banner_image]).toEqual([LEAD.url, LEAD.url]);
    expect(item.attachments).toEqual([
      { url: LEAD.url, mime_type: 'image/jpeg', size_in_bytes: 120000, title: LEAD.caption },
      { url: SECOND.url, mime_type: 'image/png' },
    ]);
    expect(item._warta.images).toEqual([
      { url: LEAD.url, alt: LEAD.alt, caption: LEAD.caption, credit: LEAD.credit, license: 'CC-BY-4.0', license_url: 'https://creativecommons.org/licenses/by/4.0/' },
      { url: SECOND.url, credit: SECOND.credit, license: SECOND.license, license_url: SECOND.license },
    ]);
  });
});

describe('bad media input', () => {
  it('refuses image and images together, and a licence that is neither an SPDX id nor a URL, naming the fields', async () => {
    const res = await w.request('/api/articles', {
      token: ADMIN_TOKEN,
      json: smallArticle(2, { image: LEAD, images: [{ ...SECOND, license: 'bebas dipakai' }] }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; reason: string }[] };
    expect(body.errors).toEqual([
      { field: 'images[0].license', reason: 'must be an SPDX licence id such as "CC-BY-4.0" or an http(s) URL' },
      { field: 'images', reason: 'give either image or images (whose first is the lead), not both' },
    ]);
    const all = (await (await w.request('/feed.json')).json()) as { items: { id: string }[] };
    expect(all.items.map((i) => i.id)).toEqual(['tag:127.0.0.1,2026:article/bergambar']); // nothing else was written
  });
});
