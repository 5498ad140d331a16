import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { signIn, type ConsoleClient } from './support/console.js';
import { smallArticle } from './support/articles.js';

const NOW = Date.parse('2026-12-07T09:00:00+07:00');
let w: TestWarta;
let lapas: ConsoleClient;
let polres: ConsoleClient;
let lapasToken: string;
beforeAll(async () => {
  w = await startTestWarta({ clock: () => NOW });
  await w.registerDemoRegistries();
  lapasToken = (await w.createKey('publisher', ['lapas-kelas-i-madiun'], 'Humas Lapas')).token;
  lapas = await signIn(w, lapasToken);
  polres = await signIn(w, (await w.createKey('publisher', ['polres-madiun-kota'], 'Humas Polres')).token);
});
afterAll(() => w.close());

const lapasArticle = (id: string, publishedAt: string, overrides: Record<string, unknown> = {}) =>
  smallArticle(1, { id, title: `Berita ${id}`, institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan', publishedAt, ...overrides });
const list = async (c: ConsoleClient, query: string) => {
  const res = await c.call('GET', `/articles?${query}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { articles: { id: string; status: string; editable: boolean }[]; next?: string };
  return { ids: body.articles.map((a) => a.id), body };
};

describe('console article list', () => {
  beforeAll(async () => {
    for (const [id, at, extra] of [
      ['pub-old', '2026-12-01T10:00:00+07:00', {}],
      ['pub-new', '2026-12-06T10:00:00+07:00', {}],
      ['pub-binmas', '2026-12-05T10:00:00+07:00', { category: 'binmas' }],
      ['sched-1', '2026-12-09T10:00:00+07:00', {}],
      ['sched-2', '2026-12-08T10:00:00+07:00', {}],
      ['gone', '2026-12-03T10:00:00+07:00', {}],
    ] as const) {
      expect((await lapas.call('POST', '/articles', { json: lapasArticle(id, at, extra) })).status).toBe(201);
    }
    const read = await lapas.call('GET', '/articles/gone');
    expect((await lapas.call('DELETE', '/articles/gone', { headers: { 'if-match': read.headers.get('etag')! } })).status).toBe(204);
    expect((await polres.call('POST', '/articles', { json: smallArticle(2, { id: 'polres-1', publishedAt: '2026-12-06T11:00:00+07:00' }) })).status).toBe(201);
  });

  it('lists published, scheduled and withdrawn articles of the institution, newest first', async () => {
    expect((await list(lapas, 'institution=lapas-kelas-i-madiun&status=published')).ids).toEqual(['pub-new', 'pub-binmas', 'pub-old']);
    expect((await list(lapas, 'institution=lapas-kelas-i-madiun&status=scheduled')).ids).toEqual(['sched-1', 'sched-2']);
    const withdrawn = await list(lapas, 'institution=lapas-kelas-i-madiun&status=withdrawn');
    expect(withdrawn.body.articles).toEqual([{ id: 'gone', title: 'Berita gone', publishedAt: '2026-12-03T10:00:00+07:00', category: 'pembinaan', owner: 'lapas-kelas-i-madiun', status: 'withdrawn', editable: false }]);
  });

  it('filters by category', async () => {
    expect((await list(lapas, 'institution=lapas-kelas-i-madiun&status=published&category=binmas')).ids).toEqual(['pub-binmas']);
    expect((await list(lapas, 'institution=lapas-kelas-i-madiun&status=withdrawn&category=binmas')).ids).toEqual([]);
  });

  it('reads one page with one Query and one BatchGetItem besides the session and key reads (no Scan)', async () => {
    const before = w.services.db.requests.count;
    await list(lapas, 'institution=lapas-kelas-i-madiun&status=published');
    expect(w.services.db.requests.count - before).toBe(4);
  });

  it('pages 20 at a time with a cursor', async () => {
    for (let n = 0; n < 23; n++) {
      const day = String(10 + Math.floor(n / 10)).padStart(2, '0');
      await lapas.call('POST', '/articles', { json: lapasArticle(`p-${String(n).padStart(2, '0')}`, `2026-11-${day}T0${n % 10}:00:00+07:00`, { category: 'lalu-lintas' }) });
    }
    const first = await list(lapas, 'institution=lapas-kelas-i-madiun&status=published&category=lalu-lintas');
    expect(first.ids).toHaveLength(20);
    expect(first.ids[0]).toBe('p-22');
    expect(first.body.next).toMatch(/^\d{15}#p-03$/);
    const second = await list(lapas, `institution=lapas-kelas-i-madiun&status=published&category=lalu-lintas&cursor=${encodeURIComponent(first.body.next!)}`);
    expect(second.ids).toEqual(['p-02', 'p-01', 'p-00']);
    expect(second.body.next).toBeUndefined();
  });

  it('takes a withdrawn article off the withdrawn list when it is published again', async () => {
    await lapas.call('POST', '/articles', { json: lapasArticle('back', '2026-12-02T10:00:00+07:00') });
    const read = await lapas.call('GET', '/articles/back');
    await lapas.call('DELETE', '/articles/back', { headers: { 'if-match': read.headers.get('etag')! } });
    expect((await list(lapas, 'institution=lapas-kelas-i-madiun&status=withdrawn')).ids).toEqual(['gone', 'back']);
    expect((await w.request('/api/articles/back', { method: 'PUT', token: lapasToken, json: lapasArticle('back', '2026-12-02T10:00:00+07:00') })).status).toBe(201);
    expect((await list(lapas, 'institution=lapas-kelas-i-madiun&status=withdrawn')).ids).toEqual(['gone']);
  });

  it('refuses bad list parameters with 422 naming each', async () => {
    const res = await lapas.call('GET', '/articles?institution=Bad!&status=draft&cursor=zzz');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown }).errors).toEqual([
      { field: 'institution', reason: 'must be an institution slug' },
      { field: 'status', reason: 'must be published, scheduled or withdrawn' },
      { field: 'cursor', reason: 'is not a cursor of this list' },
    ]);
  });
});

describe('another institution\'s key', () => {
  it('cannot list, read, change, withdraw or preview Lapas articles', async () => {
    expect((await polres.call('GET', '/articles?institution=lapas-kelas-i-madiun&status=published')).status).toBe(403);
    expect((await polres.call('GET', '/articles/pub-new')).status).toBe(404);
    expect((await polres.call('PUT', '/articles/pub-new', { json: lapasArticle('pub-new', '2026-12-06T10:00:00+07:00', { title: 'diubah' }), headers: { 'if-match': '"v1"' } })).status).toBe(404);
    expect((await polres.call('DELETE', '/articles/pub-new', { headers: { 'if-match': '"v1"' } })).status).toBe(404);
    expect((await polres.call('POST', '/preview', { json: lapasArticle('x', '2026-12-06T10:00:00+07:00') })).status).toBe(403);
    expect((await polres.call('POST', '/articles', { json: lapasArticle('polres-as-lapas', '2026-12-06T10:00:00+07:00') })).status).toBe(403);
    expect((await list(polres, 'institution=polres-madiun-kota&status=published')).ids).toEqual(['polres-1']);
    const read = await lapas.call('GET', '/articles/pub-new');
    expect(((await read.json()) as { article: { title: string; version: number } }).article).toMatchObject({ title: 'Berita pub-new', version: 1 });
  });
});

describe('console edits', () => {
  it('needs If-Match (428), refuses a stale one (412) without writing, and saves with the current one', async () => {
    await lapas.call('POST', '/articles', { json: lapasArticle('edit-1', '2026-12-06T12:00:00+07:00') });
    expect((await lapas.call('PUT', '/articles/edit-1', { json: lapasArticle('edit-1', '2026-12-06T12:00:00+07:00', { title: 'A' }) })).status).toBe(428);
    const ok = await lapas.call('PUT', '/articles/edit-1', { json: lapasArticle('edit-1', '2026-12-06T12:00:00+07:00', { title: 'A' }), headers: { 'if-match': '"v1"' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"v2"');
    const stale = await lapas.call('PUT', '/articles/edit-1', { json: lapasArticle('edit-1', '2026-12-06T12:00:00+07:00', { title: 'B' }), headers: { 'if-match': '"v1"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const read = (await (await lapas.call('GET', '/articles/edit-1')).json()) as { article: { title: string; version: number } };
    expect(read.article).toMatchObject({ title: 'A', version: 2 });
    expect((await lapas.call('DELETE', '/articles/edit-1', { headers: { 'if-match': '"v1"' } })).status).toBe(412);
  });

  it('validates with the API schemas and names each field', async () => {
    const res = await lapas.call('POST', '/articles', { json: { ...lapasArticle('bad', 'yesterday'), title: '   ', contentHtml: '', author: { name: '' } } });
    expect(res.status).toBe(422);
    const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['author.name', 'contentHtml', 'publishedAt', 'title']);
    expect((await lapas.call('GET', '/articles/bad')).status).toBe(404);
  });
});

describe('console preview', () => {
  it('renders the sanitized article as the HTML page and as RSS, Atom and JSON Feed items, writing nothing', async () => {
    const input = lapasArticle('prev-1', '2026-12-07T08:30:00+07:00', { title: 'Pratinjau <uji>', contentHtml: '<p>Halo <b>dunia</b><script>alert(1)</script></p><figure><img src="https://example.org/a.jpg" alt="Foto"><figcaption>Keterangan <small>Humas</small></figcaption></figure>' });
    const res = await lapas.call('POST', '/preview', { json: input });
    expect(res.status).toBe(200);
    const p = (await res.json()) as { html: string; rss: string; atom: string; json: string };
    expect(p.html).toContain('<h1>Pratinjau &lt;uji&gt;</h1>');
    expect(p.html).toContain('<div class="content"><p>Halo <b>dunia</b></p><figure><img src="https://example.org/a.jpg" alt="Foto"><figcaption>Keterangan <small>Humas</small></figcaption></figure></div>');
    expect(p.html).not.toContain('alert(1)');
    expect(p.rss.startsWith('<item>') && p.rss.endsWith('</item>')).toBe(true);
    // RSS plain text is written with hex references, as the RSS Board profile advises.
    expect(p.rss).toContain('<title>Pratinjau &#x3C;uji&#x3E;</title>');
    expect(p.rss).toContain('<pubDate>Mon, 07 Dec 2026 08:30:00 +0700</pubDate>');
    expect(p.atom.startsWith('<entry>') && p.atom.endsWith('</entry>')).toBe(true);
    expect(p.atom).toContain('<published>2026-12-07T08:30:00+07:00</published>');
    const item = JSON.parse(p.json) as Record<string, unknown>;
    expect(item).toMatchObject({ title: 'Pratinjau <uji>', date_published: '2026-12-07T08:30:00+07:00', content_html: '<p>Halo <b>dunia</b></p><figure><img src="https://example.org/a.jpg" alt="Foto"><figcaption>Keterangan <small>Humas</small></figcaption></figure>' });
    expect((await lapas.call('GET', '/articles/prev-1')).status).toBe(404);
  });
});
