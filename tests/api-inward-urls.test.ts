/**
 * URLs that point inward are refused: an article's `url`, `image.url` and
 * `author.url`, and an institution's `homepage`, naming localhost,
 * loopback, a private, link-local or cloud-metadata address by literal get
 * a 422 naming the field, and nothing is written. (Links and images inside
 * `contentHtml` are dropped instead: see sanitize-real-world-html.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

const INWARD: [string, string][] = [
  ['http://169.254.169.254/latest/meta-data', 'is a link-local address'],
  ['http://localhost:8080/', 'names this machine (localhost)'],
  ['https://127.0.0.1/foto.jpg', 'is a loopback address'],
  ['http://[::1]/foto.jpg', 'is a loopback address'],
  ['http://10.1.2.3/foto.jpg', 'is a private address'],
  ['http://192.168.0.10/foto.jpg', 'is a private address'],
  ['http://[fd12::1]/foto.jpg', 'is a unique-local address'],
  ['http://[::ffff:169.254.169.254]/', 'is a link-local address'],
  ['http://2852039166/latest/meta-data', 'is a link-local address'], // 169.254.169.254 as one number
  ['http://metadata.google.internal/computeMetadata/v1/', 'is an internal name (*.internal)'],
];

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

async function problem(res: Response): Promise<{ status: number; errors: { field: string; reason: string }[] }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { status: number; errors: { field: string; reason: string }[] };
  return body;
}

describe('article URLs', () => {
  it.each(INWARD)('%s is refused in url, image.url and author.url, naming each field', async (target, why) => {
    const res = await w.request('/api/articles', {
      token: ADMIN_TOKEN,
      json: smallArticle(1, { id: 'inward', url: target, image: { url: target, type: 'image/jpeg' }, author: { name: 'Penulis', url: target } }),
    });
    expect(res.status).toBe(422);
    const reason = `must name a public host: its host ${why}`;
    expect((await problem(res)).errors).toEqual([
      { field: 'url', reason },
      { field: 'author.url', reason },
      { field: 'image.url', reason },
    ]);
    expect((await w.request('/api/articles/inward', { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('names the item and field in a batch, and writes the other items', async () => {
    const res = await w.request('/api/articles/batch', {
      token: ADMIN_TOKEN,
      json: { articles: [smallArticle(2, { id: 'batch-ok' }), smallArticle(3, { id: 'batch-inward', image: { url: 'http://169.254.169.254/latest/meta-data', type: 'image/png' } })] },
    });
    const body = (await res.json()) as { results: { status: number; problem?: { errors: { field: string; reason: string }[] } }[] };
    expect(body.results.map((r) => r.status)).toEqual([201, 422]);
    expect(body.results[1]!.problem!.errors).toEqual([{ field: 'articles[1].image.url', reason: 'must name a public host: its host is a link-local address' }]);
    expect((await w.request('/api/articles/batch-inward', { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('accepts public hosts', async () => {
    const res = await w.request('/api/articles', {
      token: ADMIN_TOKEN,
      json: smallArticle(4, { url: 'https://kotamadiun.binmas.id/2023/12/04/x/', image: { url: 'https://cdn.binmas.example/a.jpg', type: 'image/jpeg' }, author: { name: 'P', url: 'https://8.8.8.8/' } }),
    });
    expect(res.status).toBe(201);
  });
});

describe('institution homepages', () => {
  it.each(INWARD)('%s is refused as a homepage', async (target, why) => {
    const res = await w.request('/api/institutions/rutan-madiun', {
      method: 'PUT',
      token: ADMIN_TOKEN,
      json: { name: 'Rutan Madiun', kind: 'Rutan', region: 'Madiun', homepage: target },
    });
    expect(res.status).toBe(422);
    expect((await problem(res)).errors).toEqual([{ field: 'homepage', reason: `must name a public host: its host ${why}` }]);
    expect((await w.request('/institutions/rutan-madiun')).status).toBe(404);
  });
});
