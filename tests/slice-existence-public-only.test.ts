/**
 * Tag and author slices exist only while they have a public article: an
 * embargoed article must not turn /tags/<new-tag>/feed.rss from 404 into 200
 * (titled with the tag) before its time, nor reveal its author's feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';

let now = Date.parse('2024-06-01T00:00:00Z');
let w: TestWarta;
let key: string;
beforeAll(async () => {
  w = await startTestWarta({ clock: () => now });
  await w.registerDemoRegistries();
  key = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
});
afterAll(() => w.close());

const statuses = async (paths: string[]) => Promise.all(paths.map(async (p) => (await w.request(p)).status));

describe('a tag and an author carried only by an embargoed article', () => {
  it('are 404 (feeds and pages) until the embargo lifts, then 200', async () => {
    const paths = ['/tags/operasi-rahasia/feed.rss', '/tags/operasi-rahasia', '/authors/penulis-rahasia-01e282c2/feed.json', '/authors/penulis-rahasia-01e282c2'];
    expect(await statuses(paths)).toEqual([404, 404, 404, 404]);
    const res = await w.request('/api/articles', {
      token: key,
      json: smallArticle(1, { tags: ['operasi-rahasia'], author: { name: 'Penulis Rahasia' }, publishedAt: '2024-06-02T08:00:00+07:00' }),
    });
    expect(res.status).toBe(201);
    expect(await statuses(paths)).toEqual([404, 404, 404, 404]);
    now = Date.parse('2024-06-02T01:00:01Z');
    expect(await statuses(paths)).toEqual([200, 200, 200, 200]);
    const feed = await (await w.request('/tags/operasi-rahasia/feed.json')).json() as { title: string; items: unknown[] };
    expect([feed.title, feed.items.length]).toEqual(['#operasi-rahasia', 1]);
  });
});
