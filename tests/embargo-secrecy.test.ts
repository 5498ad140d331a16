/**
 * Another institution's embargoed article stays secret through every write
 * route: an idempotent POST retry never returns it, and no refusal names its
 * owner; DELETE answers exactly as for an id that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');
const SECRET_TITLE = 'Rencana razia rahasia';
const SECRET_BODY = 'Isi embargo yang belum boleh terbit';

let w: TestWarta;
let lapas: string;
let ponorogo: string;
beforeAll(async () => {
  w = await startTestWarta({ clock: () => NOW });
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
  ponorogo = (await w.createKey('publisher', ['polres-ponorogo'])).token;
  const res = await w.request('/api/articles', {
    token: lapas,
    json: smallArticle(1, { id: 'embargo-lapas', title: SECRET_TITLE, contentHtml: `<p>${SECRET_BODY}</p>`, institutions: ['lapas-kelas-i-madiun'], publishedAt: '2024-12-01T08:00:00+07:00' }),
  });
  if (res.status !== 201) throw new Error(`setup: ${res.status} ${await res.text()}`);
});
afterAll(() => w.close());

const leaks = (text: string) => text.includes(SECRET_TITLE) || text.includes(SECRET_BODY) || text.includes('lapas-kelas-i-madiun');

describe('an embargoed article of another institution', () => {
  it('is not returned by an idempotent POST retry naming its id: both attempts are 403 without title, content or owner', async () => {
    const body = smallArticle(2, { id: 'embargo-lapas', institutions: ['polres-ponorogo'] });
    const headers = { 'idempotency-key': 'probe-1' };
    const answers: { status: number; text: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await w.request('/api/articles', { token: ponorogo, json: body, headers });
      answers.push({ status: res.status, text: await res.text() });
    }
    expect(answers.map((a) => a.status)).toEqual([403, 403]);
    for (const a of answers) {
      expect(leaks(a.text)).toBe(false);
      expect(JSON.parse(a.text).detail).toBe('this key may not write article "embargo-lapas"');
    }
    const stored = (await (await w.request('/api/articles/embargo-lapas', { token: ADMIN_TOKEN })).json()) as { title: string; owner: string; version: number };
    expect([stored.title, stored.owner, stored.version]).toEqual([SECRET_TITLE, 'lapas-kelas-i-madiun', 1]);
  });

  it('answers DELETE exactly as an id that does not exist (404, same detail but the id)', async () => {
    const secret = await w.request('/api/articles/embargo-lapas', { method: 'DELETE', token: ponorogo });
    const none = await w.request('/api/articles/no-such-article', { method: 'DELETE', token: ponorogo });
    const [a, b] = [(await secret.json()) as { status: number; detail: string; type: string }, (await none.json()) as { status: number; detail: string; type: string }];
    expect([secret.status, a.type, a.detail]).toEqual([404, b.type, 'no article "embargo-lapas"']);
    expect([none.status, b.detail]).toEqual([404, 'no article "no-such-article"']);
  });

  it('is refused on PUT and in a batch without naming its owner', async () => {
    const put = await w.request('/api/articles/embargo-lapas', { method: 'PUT', token: ponorogo, json: smallArticle(3, { institutions: ['polres-ponorogo'] }) });
    const putText = await put.text();
    expect(put.status).toBe(403);
    expect(leaks(putText)).toBe(false);
    const batch = await w.request('/api/articles/batch', { token: ponorogo, json: { articles: [smallArticle(4, { id: 'embargo-lapas', institutions: ['polres-ponorogo'] })] } });
    const batchText = await batch.text();
    expect(batch.status).toBe(200);
    expect(JSON.parse(batchText).results[0].status).toBe(403);
    expect(leaks(batchText)).toBe(false);
  });

  it('still lets its owner retry an idempotent POST and get the article it created', async () => {
    const body = smallArticle(5, { id: 'own-embargo', institutions: ['lapas-kelas-i-madiun'], publishedAt: '2024-12-02T08:00:00+07:00' });
    const headers = { 'idempotency-key': 'own-1' };
    const first = await w.request('/api/articles', { token: lapas, json: body, headers });
    const retry = await w.request('/api/articles', { token: lapas, json: body, headers });
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(((await retry.json()) as { id: string }).id).toBe('own-embargo');
  });
});
