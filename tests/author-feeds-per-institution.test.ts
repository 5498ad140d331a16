/**
 * Author feeds belong to one institution: another institution's
 * "Áchmad Sàrjono!!" (same slug of the name) must neither join Lapas's
 * author feed nor rename it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

let w: TestWarta;
let lapas: string;
let ponorogo: string;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  ponorogo = (await w.createKey('publisher', ['polres-ponorogo'])).token;
});
afterAll(() => w.close());

type JsonFeed = { title: string; items: { id: string; title: string; _warta: { author: { page_url: string } } }[] };
const feedOf = async (path: string) => (await (await w.request(path)).json()) as JsonFeed;

describe('two institutions with authors of the same name', () => {
  it('get two author feeds: the second neither joins nor renames the first', async () => {
    expect((await w.request('/api/articles', { token: lapas, json: smallArticle(1, { id: 'lapas-1', title: 'Dari Lapas', author: { name: 'Achmad Sarjono' }, institutions: ['lapas-kelas-i-madiun'] }) })).status).toBe(201);
    const lapasAuthor = (await feedOf('/institutions/lapas-kelas-i-madiun/feed.json')).items[0]!._warta.author.page_url;
    expect(lapasAuthor).toBe(`${w.url}/authors/achmad-sarjono-6349bdf3`);
    expect((await w.request('/api/articles', { token: ponorogo, json: smallArticle(2, { id: 'ponorogo-1', title: 'Dari Ponorogo', author: { name: 'Áchmad Sàrjono!!' }, institutions: ['polres-ponorogo'] }) })).status).toBe(201);
    const ponorogoAuthor = (await feedOf('/institutions/polres-ponorogo/feed.json')).items[0]!._warta.author.page_url;
    expect(ponorogoAuthor).not.toBe(lapasAuthor);

    const path = new URL(lapasAuthor).pathname;
    const feed = await feedOf(`${path}/feed.json`);
    expect([feed.title, feed.items.map((i) => i.title)]).toEqual(['Achmad Sarjono', ['Dari Lapas']]);
    const other = await feedOf(`${new URL(ponorogoAuthor).pathname}/feed.json`);
    expect([other.title, other.items.map((i) => i.title)]).toEqual(['Áchmad Sàrjono!!', ['Dari Ponorogo']]);
  });
});
