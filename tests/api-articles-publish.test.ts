import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';

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

describe('publishing the seed article', () => {
  it('is created by a Lapas Kelas I Madiun publisher and read back with its offset and both institutions', async () => {
    const res = await w.request('/api/articles', { token: lapas, json: seedArticle() });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get('location')).toBe(`/api/articles/${created.id}`);
    expect(res.headers.get('etag')).toBe('"v1"');
    const read = await w.request(`/api/articles/${created.id}`, { token: lapas });
    expect(read.status).toBe(200);
    const body = (await read.json()) as Record<string, unknown>;
    expect(body.publishedAt).toBe('2023-12-04T15:14:00+07:00');
    expect(body.institutions).toEqual(['lapas-kelas-i-madiun', 'polres-madiun-kota']);
    expect(body.owner).toBe('lapas-kelas-i-madiun');
    expect(body.category).toBe('binmas');
    expect(body.version).toBe(1);
    expect((body.updatedAt as string).endsWith('+07:00')).toBe(true);
  });

  it('refuses a publisher of another institution with 403 and writes nothing', async () => {
    const res = await w.request('/api/articles', { token: ponorogo, json: seedArticle({ id: 'seed-by-ponorogo' }) });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const read = await w.request('/api/articles/seed-by-ponorogo', { token: ADMIN_TOKEN });
    expect(read.status).toBe(404);
  });
});
