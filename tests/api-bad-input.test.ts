import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';
import { listFeedPage } from '../src/store/articles.js';

let w: TestWarta;
let lapas: string;
beforeAll(async () => {
  w = await startTestWarta({ env: { WARTA_MAX_BODY_BYTES: '65536' } });
  await w.registerDemoRegistries();
  lapas = (await w.createKey('publisher', ['lapas-kelas-i-madiun'])).token;
});
afterAll(() => w.close());

const problem = async (res: Response) => {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, any>;
  expect(body.status).toBe(res.status);
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  return body;
};
const nothingWritten = async () => expect((await listFeedPage(w.services.db, 'all', { limit: 5, nowMs: Date.now() })).articles).toEqual([]);

describe('bad input to POST /api/articles', () => {
  it('malformed JSON → 400', async () => {
    const res = await w.request('/api/articles', { token: lapas, body: '{"title": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect((await problem(res)).type).toBe('tag:warta,2026:problem:malformed-json');
    await nothingWritten();
  });

  it('schema violations → 422 listing every bad field', async () => {
    const res = await w.request('/api/articles', {
      token: lapas,
      json: seedArticle({ title: '', url: 'javascript:alert(1)', publishedAt: '2023-02-30T10:00:00+07:00', category: 'BINMAS', institutions: [], color: 'red', author: { name: 'A', email: 'not-an-email' } }),
    });
    expect(res.status).toBe(422);
    const body = await problem(res);
    expect(body.errors).toEqual([
      { field: 'title', reason: 'Too small: expected string to have >=1 characters' },
      { field: 'url', reason: 'must be an absolute http(s) URL without credentials' },
      { field: 'author.email', reason: 'Invalid email address' },
      { field: 'category', reason: 'must be lowercase letters, digits and single hyphens (e.g. "polres-madiun-kota")' },
      { field: 'institutions', reason: 'Too small: expected array to have >=1 items' },
      { field: 'publishedAt', reason: 'must be an RFC 3339 date-time with an offset, e.g. 2023-12-04T15:14:00+07:00' },
      { field: 'color', reason: 'is not a known field' },
      { field: 'owner', reason: 'must be one of institutions' },
    ]);
    await nothingWritten();
  });

  it('unknown category and institution → 422 naming each', async () => {
    const res = await w.request('/api/articles', { token: lapas, json: seedArticle({ category: 'kriminal', institutions: ['lapas-kelas-i-madiun', 'rutan-madiun'] }) });
    expect(res.status).toBe(422);
    const body = await problem(res);
    expect(body.errors).toEqual([
      { field: 'category', reason: 'unknown category "kriminal"' },
      { field: 'institutions[1]', reason: 'unknown institution "rutan-madiun"' },
    ]);
    await nothingWritten();
  });

  it('a body over the limit → 413', async () => {
    const res = await w.request('/api/articles', { token: lapas, json: seedArticle({ contentHtml: `<p>${'a'.repeat(70_000)}</p>` }) });
    expect(res.status).toBe(413);
    await problem(res);
    await nothingWritten();
  });

  it('a wrong content type → 415', async () => {
    const res = await w.request('/api/articles', { token: lapas, body: JSON.stringify(seedArticle()), headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    await problem(res);
    await nothingWritten();
  });

  it('an unknown route → 404 problem', async () => {
    const res = await w.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await problem(res)).detail).toBe('no route for GET /api/nothing-here');
  });
});

describe('stored text is cleaned', () => {
  it('sanitizes contentHtml with the allowlist and strips XML-forbidden characters from every text field', async () => {
    const res = await w.request('/api/articles', {
      token: lapas,
      json: seedArticle({
        title: 'Judul\u0001 dengan\u0008kontrol',
        author: { name: 'Achmad\u000b Sarjono' },
        contentHtml: '<p onclick="steal()">Isi <a href="javascript:alert(1)">tautan</a> <a href="https://kotamadiun.binmas.id/">portal</a></p><script>alert(1)</script><img src="https://kotamadiun.binmas.id/x.jpg" onerror="x()" alt="foto"><iframe src="https://evil.example/"></iframe>',
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, any>;
    expect(body.title).toBe('Judul denganKontrol'.replace('K', 'k'));
    expect(body.author.name).toBe('Achmad Sarjono');
    expect(body.contentHtml).toBe('<p>Isi tautan <a href="https://kotamadiun.binmas.id/">portal</a></p><img src="https://kotamadiun.binmas.id/x.jpg" alt="foto">');
    expect(body.summary).toBe('Isi tautan portal');
  });
});
