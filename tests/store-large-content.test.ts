import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';
import { CHUNK_CHARS } from '../src/store/article-writes.js';
import { queryPartition } from '../src/store/query.js';
import { assertWellFormedXml } from './support/feed-validators.js';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta({ env: { WARTA_MAX_BODY_BYTES: String(8 * 1024 * 1024) } });
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

/** About 1 MB of HTML with an emoji (a surrogate pair) straddling the first chunk boundary. */
function bigContent(marker: string): string {
  const head = `<p>${'a'.repeat(CHUNK_CHARS - 4)}😀`;
  const paragraph = `<p>Kegiatan pembinaan ${marker} 👮‍♂️ berjalan lancar.</p>`;
  return head + '</p>' + paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));
}

const chunkItems = (id: string) => queryPartition(w.services.db, `A#${id}`, { prefix: 'C#' });

describe('an article body past DynamoDB\'s 400 KB item limit', () => {
  it('is stored in chunks and read back exactly, in the API and in every feed format', async () => {
    const content = bigContent('pertama');
    const put = await w.request('/api/articles/besar', { method: 'PUT', token: ADMIN_TOKEN, json: seedArticle({ contentHtml: content }) });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { contentHtml: string }).contentHtml).toBe(content);
    const read = (await (await w.request('/api/articles/besar', { token: ADMIN_TOKEN })).json()) as { contentHtml: string };
    expect(read.contentHtml).toBe(content);
    const chunks = await chunkItems('besar');
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.map((c) => String(c.text)).join('')).toBe(content);
    // No chunk ends inside a surrogate pair (each chunk is valid UTF-16 on its own).
    for (const c of chunks) {
      expect(/[\uD800-\uDBFF]$/.test(String(c.text))).toBe(false);
      expect(/^[\uDC00-\uDFFF]/.test(String(c.text))).toBe(false);
    }

    const json = (await (await w.request('/institutions/lapas-kelas-i-madiun/feed.json')).json()) as { items: { content_html: string }[] };
    expect(json.items[0]!.content_html).toBe(content);
    const atom = await (await w.request('/institutions/lapas-kelas-i-madiun/feed.atom')).text();
    assertWellFormedXml(atom);
    expect(atom.length).toBeGreaterThan(content.length);
  });

  it('replaces the chunks of the old version on update, and leaves none after a small rewrite', async () => {
    const second = bigContent('kedua');
    expect((await w.request('/api/articles/besar', { method: 'PUT', token: ADMIN_TOKEN, json: seedArticle({ contentHtml: second }) })).status).toBe(200);
    const read = (await (await w.request('/api/articles/besar', { token: ADMIN_TOKEN })).json()) as { contentHtml: string; version: number };
    expect(read.version).toBe(2);
    expect(read.contentHtml).toBe(second);
    expect((await chunkItems('besar')).every((i) => String(i.sk).startsWith('C#0000000002#'))).toBe(true);

    expect((await w.request('/api/articles/besar', { method: 'PUT', token: ADMIN_TOKEN, json: seedArticle({ contentHtml: '<p>Pendek.</p>' }) })).status).toBe(200);
    expect(((await (await w.request('/api/articles/besar', { token: ADMIN_TOKEN })).json()) as { contentHtml: string }).contentHtml).toBe('<p>Pendek.</p>');
    expect(await chunkItems('besar')).toEqual([]);
  });
});
