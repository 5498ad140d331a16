import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';
import { listFeedPage } from '../src/store/articles.js';
import { getFeedStates, visibleFeedState } from '../src/store/feed-state.js';
import { tableDefinition } from '../src/store/table.js';

let w: TestWarta;
const NOW = Date.parse('2026-01-01T00:00:00Z');
const clock = { now: NOW };
beforeAll(async () => {
  w = await startTestWarta({ clock: () => clock.now });
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

const ids = async (feed: string) => (await listFeedPage(w.services.db, feed, { limit: 50, nowMs: clock.now })).articles.map((a) => a.id);
const put = (id: string, body: Record<string, unknown>) => w.request(`/api/articles/${id}`, { method: 'PUT', token: 'test-admin-token-0123456789', json: body });

describe('feed membership', () => {
  it('puts the seed article in every feed it belongs to', async () => {
    expect((await put('seed', seedArticle())).status).toBe(201);
    for (const feed of ['all', 'cat:binmas', 'inst:lapas-kelas-i-madiun', 'inst:polres-madiun-kota', 'instcat:lapas-kelas-i-madiun:binmas', 'instcat:polres-madiun-kota:binmas', 'author:achmad-sarjono-6349bdf3', 'tag:kamtibmas', 'tag:kehumasan']) {
      expect(await ids(feed)).toEqual(['seed']);
    }
    const states = await getFeedStates(w.services.db, ['inst:lapas-kelas-i-madiun', 'author:achmad-sarjono-6349bdf3']);
    expect(visibleFeedState(states.get('inst:lapas-kelas-i-madiun')!, clock.now).count).toBe(1);
    expect(states.get('author:achmad-sarjono-6349bdf3')!.name).toBe('Achmad Sarjono');
  });

  it('moves an article out of the old institution and category feeds on update', async () => {
    await put('mover', seedArticle({ title: 'Pindah' }));
    const res = await put('mover', seedArticle({ title: 'Pindah', institutions: ['polres-ponorogo'], owner: 'polres-ponorogo', category: 'lalu-lintas', tags: [] }));
    expect(res.status).toBe(200);
    expect(await ids('inst:lapas-kelas-i-madiun')).toEqual(['seed']);
    expect(await ids('cat:binmas')).toEqual(['seed']);
    expect(await ids('inst:polres-ponorogo')).toEqual(['mover']);
    expect(await ids('instcat:polres-ponorogo:lalu-lintas')).toEqual(['mover']);
    const states = await getFeedStates(w.services.db, ['inst:lapas-kelas-i-madiun', 'inst:polres-ponorogo']);
    expect(states.get('inst:lapas-kelas-i-madiun')!.count).toBe(1);
    expect(states.get('inst:polres-ponorogo')!.count).toBe(1);
  });

  it('keeps an embargoed article out of feeds until its time, then shows it without a write', async () => {
    const future = new Date(NOW + 3600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
    expect((await put('embargo', seedArticle({ publishedAt: future, institutions: ['polres-ponorogo'], owner: 'polres-ponorogo', category: 'pembinaan', tags: [] }))).status).toBe(201);
    expect(await ids('cat:pembinaan')).toEqual([]);
    const before = visibleFeedState((await getFeedStates(w.services.db, ['cat:pembinaan'])).get('cat:pembinaan')!, clock.now);
    expect(before.count).toBe(0);
    expect(before.nextEmbargoMs).toBe(NOW + 3600_000);
    clock.now = NOW + 3600_000;
    expect(await ids('cat:pembinaan')).toEqual(['embargo']);
    const after = visibleFeedState((await getFeedStates(w.services.db, ['cat:pembinaan'])).get('cat:pembinaan')!, clock.now);
    expect(after.count).toBe(1);
    expect(after.tag).not.toBe(before.tag);
    expect(after.lastModifiedMs).toBe(NOW + 3600_000);
    clock.now = NOW;
  });

  it('re-dating an article moves its entry in every feed', async () => {
    await put('redate', seedArticle({ publishedAt: '2023-01-01T10:00:00+07:00', institutions: ['polres-ponorogo'], owner: 'polres-ponorogo', category: 'lalu-lintas', tags: [] }));
    await put('redate', seedArticle({ publishedAt: '2025-01-01T10:00:00+07:00', institutions: ['polres-ponorogo'], owner: 'polres-ponorogo', category: 'lalu-lintas', tags: [] }));
    expect(await ids('inst:polres-ponorogo')).toEqual(['redate', 'mover']);
  });
});

describe('the table definition', () => {
  it('is the same in code and in the operator file infra/dynamodb-table.json', () => {
    const file = JSON.parse(readFileSync(new URL('../infra/dynamodb-table.json', import.meta.url), 'utf8'));
    expect(tableDefinition('warta')).toEqual(file);
  });
});
