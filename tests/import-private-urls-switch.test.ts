/**
 * A portal on an intranet or loopback (a rehearsal on 127.0.0.1): its
 * permalinks and images are refused by default (issue 12) and the importer
 * leaves them out, saying how many and how to keep them; with the server's
 * WARTA_CONTENT_ALLOW_PRIVATE=1 and the importer's --keep-private-urls they
 * are kept. Either switch alone is not enough. (The API's default refusal of
 * such URLs is proved in api-inward-urls.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedSite, startWordPressFixture, type WordPressFixture } from './support/wordpress-fixture.js';
import { runImportCommand } from './support/import-run.js';
import { articleIdOf, sourceIdentity } from '../src/ingest/ids.js';
import { smallArticle } from './support/articles.js';

let site: WordPressFixture;
beforeAll(async () => {
  // Permalinks and relative content URLs name the fixture's own loopback address.
  site = await startWordPressFixture(seedSite(), { home: 'self' });
});
afterAll(() => site.close());

const idOf = (postId: number) => articleIdOf(sourceIdentity(site.url), String(postId));
const args = (warta: TestWarta, ...extra: string[]) => [`${site.url}/`, '--institution', 'polres-madiun-kota', '--target', warta.url, '--token', ADMIN_TOKEN, ...extra];
const article = async (warta: TestWarta, id: string) => (await (await warta.request(`/api/articles/${id}`, { token: ADMIN_TOKEN })).json()) as Record<string, unknown>;

// The switch is process-wide (set when a server builds its services): each block starts its own Warta, one after the other.
describe('a Warta with WARTA_CONTENT_ALLOW_PRIVATE=1', () => {
  let warta: TestWarta;
  beforeAll(async () => {
    warta = await startTestWarta({ env: { WARTA_CONTENT_ALLOW_PRIVATE: '1' } });
    await warta.registerDemoRegistries();
  });
  afterAll(() => warta.close());

  it('without --keep-private-urls: the permalinks and loopback content URLs are left out, and the summary says how many and how to keep them', async () => {
    const run = await runImportCommand(args(warta));
    expect(run.status).toBe(0);
    expect(run.stdout).toEqual([
      'left out 6 URLs on loopback or private networks (permalinks, images, links) of 3 posts: to keep them, run Warta with WARTA_CONTENT_ALLOW_PRIVATE=1 and import with --keep-private-urls',
      'imported 3, updated 0, unchanged 0, skipped 1, failed 0',
    ]);
    const body = await article(warta, idOf(101));
    expect(body.url).toBeUndefined();
    expect(body.contentHtml).not.toContain(site.url);
  });

  it('with --keep-private-urls: every permalink on 127.0.0.1 is kept (an update of the articles above), and a second run changes nothing', async () => {
    const run = await runImportCommand(args(warta, '--keep-private-urls'));
    expect(run.stdout).toEqual(['imported 0, updated 3, unchanged 0, skipped 1, failed 0']);
    expect(run.status).toBe(0);
    for (const id of [101, 102, 103]) expect((await article(warta, idOf(id))).url).toBe(`${site.url}/?p=${id}`);
    // The lazy image and the relative link, resolved against the loopback permalink, survive the sanitizer.
    expect(await article(warta, idOf(101))).toMatchObject({ contentHtml: expect.stringContaining(`<a href="${site.url}/2023/12/05/zebra/">Baca juga</a>`) });
    expect((await article(warta, idOf(101))).contentHtml).toContain(`<img src="${site.url}/wp-content/uploads/2023/12/lazy.jpg" alt="Lazy">`);
    const again = await runImportCommand(args(warta, '--keep-private-urls'));
    expect(again.summary).toBe('imported 0, updated 0, unchanged 3, skipped 1, failed 0');
  });

  it('the publishing API accepts a url on 127.0.0.1', async () => {
    const res = await warta.request('/api/articles', { token: ADMIN_TOKEN, json: smallArticle(1, { url: 'http://127.0.0.1:8090/?p=5' }) });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { url: string }).url).toBe('http://127.0.0.1:8090/?p=5');
  });
});

describe('a Warta with the default (private content URLs refused)', () => {
  let warta: TestWarta;
  beforeAll(async () => {
    warta = await startTestWarta();
    await warta.registerDemoRegistries();
  });
  afterAll(() => warta.close());

  it('--keep-private-urls alone: the server refuses each article with a loopback permalink, and nothing of them is written', async () => {
    const run = await runImportCommand(args(warta, '--keep-private-urls'));
    expect(run.status).toBe(1);
    expect(run.summary).toBe('imported 0, updated 0, unchanged 0, skipped 1, failed 3');
    expect(run.stdout.slice(0, 3)).toEqual([101, 102, 103].map((id) => `failed ${idOf(id)}: HTTP 422: url: must name a public host: its host is a loopback address`));
    expect((await warta.request(`/api/articles/${idOf(101)}`, { token: ADMIN_TOKEN })).status).toBe(404);
  });
});
