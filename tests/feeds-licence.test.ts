/**
 * Licence: an institution's default licence (SPDX id or URL) applies to its
 * articles, an article's own licence overrides it, and every format says
 * which: RSS dc:rights and creativeCommons:license, Atom rights and
 * link rel="license" (RFC 4946), JSON Feed `_warta.license`. An article of
 * an institution without a default carries none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertValidFeed, assertWellFormedXml, attr, child, children, NS } from './support/feed-validators.js';

const CC = 'http://backend.userland.com/creativeCommonsRssModule';
const BY = 'https://creativecommons.org/licenses/by/4.0/';
const OWN = 'https://polres.example/hak-cipta';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  const put = await w.request('/api/institutions/polres-madiun-kota', {
    method: 'PUT',
    token: ADMIN_TOKEN,
    json: { name: 'Polres Madiun Kota', kind: 'Polres', region: 'Kota Madiun, Jawa Timur', license: 'CC-BY-4.0' },
  });
  expect(put.status).toBe(200);
  expect(((await put.json()) as { license: string }).license).toBe('CC-BY-4.0');
  const posts = [
    smallArticle(1, { id: 'bawaan', tags: ['lisensi'] }),
    smallArticle(2, { id: 'sendiri', tags: ['lisensi'], license: OWN }),
    smallArticle(3, { id: 'tanpa', tags: ['lisensi'], institutions: ['lapas-kelas-i-madiun'] }),
  ];
  for (const json of posts) expect((await w.request('/api/articles', { token: ADMIN_TOKEN, json })).status).toBe(201);
});
afterAll(() => w.close());

const byId = <T>(list: T[], id: (t: T) => string) => new Map(list.map((x) => [id(x).replace(/^.*article\//, ''), x]));

describe('licences in every format', () => {
  it('RSS: dc:rights and creativeCommons:license, from the institution or the article', async () => {
    const text = await (await w.request('/tags/lisensi/feed.rss')).text();
    await assertValidFeed(text, 'rss');
    const items = byId(children(child(assertWellFormedXml(text), NS.none, 'channel'), NS.none, 'item'), (i) => child(i, NS.none, 'guid').text);
    const licence = (id: string) => [children(items.get(id)!, NS.dc, 'rights').map((e) => e.text), children(items.get(id)!, CC, 'license').map((e) => e.text)];
    expect(licence('bawaan')).toEqual([[`Lisensi CC-BY-4.0 (${BY})`], [BY]]);
    expect(licence('sendiri')).toEqual([[`Lisensi: ${OWN}`], [OWN]]);
    expect(licence('tanpa')).toEqual([[], []]);
  });

  it('Atom: rights and link rel="license"', async () => {
    const text = await (await w.request('/tags/lisensi/feed.atom')).text();
    await assertValidFeed(text, 'atom');
    const entries = byId(children(assertWellFormedXml(text), NS.atom, 'entry'), (e) => child(e, NS.atom, 'id').text);
    const licence = (id: string) => [
      children(entries.get(id)!, NS.atom, 'link').filter((l) => attr(l, 'rel') === 'license').map((l) => attr(l, 'href')),
      children(entries.get(id)!, NS.atom, 'rights').map((e) => e.text),
    ];
    expect(licence('bawaan')).toEqual([[BY], [`Lisensi CC-BY-4.0 (${BY})`]]);
    expect(licence('sendiri')).toEqual([[OWN], [`Lisensi: ${OWN}`]]);
    expect(licence('tanpa')).toEqual([[], []]);
  });

  it('JSON Feed: _warta.license with the SPDX id, URL and statement', async () => {
    const text = await (await w.request('/tags/lisensi/feed.json')).text();
    await assertValidFeed(text, 'json');
    const items = byId(JSON.parse(text).items as { id: string; _warta: { license?: unknown } }[], (i) => i.id);
    expect(items.get('bawaan')!._warta.license).toEqual({ id: 'CC-BY-4.0', url: BY, statement: `Lisensi CC-BY-4.0 (${BY})` });
    expect(items.get('sendiri')!._warta.license).toEqual({ url: OWN, statement: `Lisensi: ${OWN}` });
    expect('license' in items.get('tanpa')!._warta).toBe(false);
  });

  it('refuses an institution licence that is neither an SPDX id nor a URL', async () => {
    const res = await w.request('/api/institutions/polres-madiun-kota', {
      method: 'PUT',
      token: ADMIN_TOKEN,
      json: { name: 'Polres Madiun Kota', kind: 'Polres', region: 'R', license: 'boleh dipakai' },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'license', reason: 'must be an SPDX licence id such as "CC-BY-4.0" or an http(s) URL' }]);
  });
});
