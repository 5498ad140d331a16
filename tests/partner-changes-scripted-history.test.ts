/**
 * A partner following /api/changes from the start through a scripted
 * history — creates, updates, moves between categories and institutions,
 * deletes, re-creates, embargoes (including a live article pushed back into
 * the future) that lift when the pinned clock moves — holds exactly the
 * live set at every checkpoint: the same ids and the same article JSON as
 * GET /api/articles, for the unfiltered log, a category, an institution,
 * and both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { idsOf, listAll, newPartner, syncPartner, type PartnerState } from './support/partner.js';

const T0 = Date.parse('2025-03-01T03:00:00Z');
const HOUR = 3_600_000;
let now = T0;
let w: TestWarta;
let reader: string;

/** RFC 3339 in WIB (+07:00), to the second. */
const wib = (ms: number) => `${new Date(ms + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;

const FILTERS: Record<string, Record<string, string>> = {
  all: {},
  binmas: { category: 'binmas' },
  lapas: { institution: 'lapas-kelas-i-madiun' },
  lapasPembinaan: { category: 'pembinaan', institution: 'lapas-kelas-i-madiun' },
};
const partners: Record<string, PartnerState> = {};

const article = (n: number, category: string, institutions: string[], extra: Record<string, unknown> = {}) =>
  smallArticle(n, { id: `a${n}`, category, institutions, ...extra });

async function write(method: 'POST' | 'PUT' | 'DELETE', id: string, body?: Record<string, unknown>, expected?: number) {
  const path = method === 'POST' ? '/api/articles' : `/api/articles/${id}`;
  const res = await w.request(path, { method, token: ADMIN_TOKEN, ...(body ? { json: body } : {}) });
  expect(res.status, `${method} ${id}: ${res.status === expected ? '' : await res.clone().text()}`).toBe(expected ?? (method === 'DELETE' ? 204 : method === 'POST' ? 201 : 200));
}

/** Syncs every partner and checks it against the listing and against `expected` ids per filter. */
async function checkpoint(expected: Record<keyof typeof FILTERS, string[]>) {
  for (const [name, query] of Object.entries(FILTERS)) {
    const p = partners[name]!;
    await syncPartner(w, reader, p);
    const listed = await listAll(w, reader, query);
    expect(idsOf(listed.articles), `listing ${name}`).toEqual(expected[name]);
    expect(idsOf(p.articles), `partner ${name}`).toEqual(expected[name]);
    expect(Object.fromEntries(p.articles), `partner ${name} holds the current articles`).toEqual(Object.fromEntries(listed.articles));
  }
}

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now, env: { WARTA_CHANGES_SETTLE_MS: '5000' } });
  await w.registerDemoRegistries();
  reader = (await w.createKey('reader', [])).token;
  for (const name of Object.keys(FILTERS)) partners[name] = newPartner(FILTERS[name]);
});
afterAll(() => w.close());

describe('a partner following /api/changes through a scripted history', () => {
  let lateImporter: PartnerState;

  it('holds the four new articles after they are created', async () => {
    await write('POST', 'a1', article(1, 'binmas', ['polres-madiun-kota']));
    await write('POST', 'a2', article(2, 'pembinaan', ['lapas-kelas-i-madiun']));
    await write('POST', 'a3', article(3, 'lalu-lintas', ['polres-ponorogo']));
    await write('POST', 'a4', article(4, 'binmas', ['lapas-kelas-i-madiun', 'polres-madiun-kota']));
    await checkpoint({ all: ['a1', 'a2', 'a3', 'a4'], binmas: ['a1', 'a4'], lapas: ['a2', 'a4'], lapasPembinaan: ['a2'] });
  });

  it('follows an update, a category move and an institution move', async () => {
    now += 60_000;
    await write('PUT', 'a1', article(1, 'binmas', ['polres-madiun-kota'], { title: 'Berita uji 1, diperbarui' }));
    await write('PUT', 'a2', article(2, 'binmas', ['lapas-kelas-i-madiun']));
    await write('PUT', 'a3', article(3, 'lalu-lintas', ['lapas-kelas-i-madiun']));
    await checkpoint({ all: ['a1', 'a2', 'a3', 'a4'], binmas: ['a1', 'a2', 'a4'], lapas: ['a2', 'a3', 'a4'], lapasPembinaan: [] });
    expect(partners.all!.articles.get('a1')!.title).toBe('Berita uji 1, diperbarui');
    expect(partners.all!.articles.get('a1')!.version).toBe(2);
    // A partner that starts now imports the listing, then follows the log from the cursor handed out with it.
    lateImporter = newPartner({});
    const imported = await listAll(w, reader, {}, 2);
    lateImporter.articles = imported.articles;
    lateImporter.cursor = imported.changesCursor;
  });

  it('drops a deleted article, does not show an embargoed one, and drops a live article pushed back under embargo', async () => {
    // Time passes without writes (beyond the settle window): polling changes nothing.
    now += 60_000;
    await checkpoint({ all: ['a1', 'a2', 'a3', 'a4'], binmas: ['a1', 'a2', 'a4'], lapas: ['a2', 'a3', 'a4'], lapasPembinaan: [] });
    now += 60_000;
    await write('DELETE', 'a4');
    await write('POST', 'a5', article(5, 'binmas', ['lapas-kelas-i-madiun'], { publishedAt: wib(T0 + HOUR) }));
    await write('PUT', 'a1', article(1, 'binmas', ['polres-madiun-kota'], { title: 'Berita uji 1, diperbarui', publishedAt: wib(T0 + 2 * HOUR) }));
    await checkpoint({ all: ['a2', 'a3'], binmas: ['a2'], lapas: ['a2', 'a3'], lapasPembinaan: [] });
  });

  it('takes back a re-created article (same id, new category) and an article moved back', async () => {
    now += 60_000;
    await write('POST', 'a4', article(4, 'pembinaan', ['lapas-kelas-i-madiun', 'polres-madiun-kota'], { title: 'Berita uji 4, terbit ulang' }));
    await write('PUT', 'a3', article(3, 'lalu-lintas', ['polres-ponorogo']));
    await checkpoint({ all: ['a2', 'a3', 'a4'], binmas: ['a2'], lapas: ['a2', 'a4'], lapasPembinaan: ['a4'] });
    expect(partners.lapas!.articles.get('a4')!.title).toBe('Berita uji 4, terbit ulang');
  });

  it('receives the embargoed article when the clock passes its publication time', async () => {
    now = T0 + HOUR + 1_000;
    await checkpoint({ all: ['a2', 'a3', 'a4', 'a5'], binmas: ['a2', 'a5'], lapas: ['a2', 'a4', 'a5'], lapasPembinaan: ['a4'] });
  });

  it('receives the re-embargoed article when its new time comes, and the last deletion', async () => {
    now = T0 + 3 * HOUR;
    await write('DELETE', 'a2');
    await checkpoint({ all: ['a1', 'a3', 'a4', 'a5'], binmas: ['a1', 'a5'], lapas: ['a4', 'a5'], lapasPembinaan: ['a4'] });
  });

  it('converges the same way for a partner that imported the listing midway, and for one starting from scratch now', async () => {
    const live = await listAll(w, reader, {});
    await syncPartner(w, reader, lateImporter, 3);
    expect(Object.fromEntries(lateImporter.articles)).toEqual(Object.fromEntries(live.articles));
    const fresh = newPartner({});
    await syncPartner(w, reader, fresh, 2);
    expect(Object.fromEntries(fresh.articles)).toEqual(Object.fromEntries(live.articles));
    // The deletion of a2 happened at the current time, inside the settle window: the next poll delivers it again…
    const poll = async (since: string) => (await w.request(`/api/changes?since=${encodeURIComponent(since)}`, { token: reader })).json();
    const a2Gone = { id: 'a2', deleted: true, deletedAt: '2025-03-01T13:00:00+07:00' };
    expect(await poll(fresh.cursor!)).toEqual({ changes: [a2Gone], next: fresh.cursor, hasMore: false });
    // …until the window has passed; then the cursor moves past it and nothing comes any more.
    now += 5_000;
    const settled = (await poll(fresh.cursor!)) as { changes: unknown[]; next: string; hasMore: boolean };
    expect(settled.changes).toEqual([a2Gone]);
    expect(settled.next).not.toBe(fresh.cursor);
    expect(await poll(settled.next)).toEqual({ changes: [], next: settled.next, hasMore: false });
  });
});
