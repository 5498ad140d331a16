/**
 * Memory exhaustion through anonymous reads (issue 15, item 5): content limits
 * hold after sanitizing, the tag balancer cannot inflate a body, every feed
 * page is bounded in content and cached however large, and concurrent cold
 * requests for one page share one render.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { assertWellFormedXml, child, children, NS } from './support/feed-validators.js';

let w: TestWarta;
let key: string;
beforeAll(async () => {
  // Feed states trusted for a minute: a second GET is then answered without any store request.
  w = await startTestWarta({ env: { WARTA_FEED_STATE_TTL_MS: '60000' } });
  await w.registerDemoRegistries();
  key = (await w.createKey('publisher', ['polres-madiun-kota'])).token;
});
afterAll(() => w.close());

const publish = async (n: number, contentHtml: string) => w.request('/api/articles', { token: key, json: smallArticle(n, { id: `big-${n}`, contentHtml }) });

describe('content size after sanitizing', () => {
  it('refuses 1.8 M characters of <b> (600,000 tags; the sanitizer took 120 MiB and stored 4.2 M characters): 422, at most 100,000 tags', async () => {
    const res = await publish(1, '<b>'.repeat(600_000));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'contentHtml', reason: 'has 600000 tags, more than 100000' }]);
  });

  it('does not let the tag balancer add an end tag per start tag: nesting past 100 is dropped', async () => {
    const res = await publish(4, '<b>'.repeat(20_000));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { contentHtml: string }).contentHtml).toBe(`${'<b>'.repeat(100)}${'</b>'.repeat(100)}`);
  });

  it('stores bare & as &amp;, so a body of 1.9 M bare & (9.5 M once in XML) is refused by the size limit', async () => {
    const small = await publish(5, '<p>a & b &amp; c &#38; d &x</p>');
    expect(((await small.json()) as { contentHtml: string }).contentHtml).toBe('<p>a &amp; b &amp; c &#38; d &amp;x</p>');
    const res = await publish(6, `<p>${'&'.repeat(1_900_000)}</p>`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['contentHtml']);
  });

  it('refuses (422, contentHtml) a body that grows past 2,000,000 characters once sanitized, alone and in a batch', async () => {
    const contentHtml = `<p>${'>'.repeat(1_000_000)}</p>`; // 1 M characters in, 4 M once `>` is escaped as `&gt;`
    const res = await publish(2, contentHtml);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string; reason: string }[] };
    expect(problem.errors).toEqual([{ field: 'contentHtml', reason: 'is 4000007 characters once sanitized (markup outside the allowlist is kept as escaped text), more than 2000000' }]);
    const batch = await w.request('/api/articles/batch', { token: key, json: { articles: [smallArticle(3, { id: 'big-3', contentHtml })] } });
    const results = ((await batch.json()) as { results: { status: number; problem: { errors: { field: string }[] } }[] }).results;
    expect([results[0]!.status, results[0]!.problem.errors[0]!.field]).toEqual([422, 'articles[0].contentHtml']);
    expect((await w.request('/api/articles/big-2', { token: key })).status).toBe(404);
  });
});

describe('a feed of very large articles', () => {
  beforeAll(async () => {
    for (let n = 10; n < 15; n++) {
      const res = await publish(n, `<p>${String.fromCharCode(97 + n).repeat(1_900_000)}</p>`);
      if (res.status !== 201) throw new Error(`setup: ${res.status}`);
    }
  });

  it('is paged by content (one 1.9 M article a page, a next link) and the page is cached: the second GET reads nothing', async () => {
    const before = w.services.db.requests.count;
    const first = await (await w.request('/institutions/polres-madiun-kota/feed.rss')).text();
    const cold = w.services.db.requests.count - before;
    const again = await (await w.request('/institutions/polres-madiun-kota/feed.rss')).text();
    expect(again).toBe(first);
    expect(w.services.db.requests.count - before - cold).toBe(0);
    const channel = child(assertWellFormedXml(first), NS.none, 'channel');
    expect(children(channel, NS.none, 'item').length).toBe(1);
    expect(children(channel, NS.atom, 'link').map((l) => l.attributes.rel?.value)).toContain('next');
    expect(first.length).toBeLessThan(2_000_000 + 10_000);
  });

  it('renders once for four concurrent cold requests of the same page', async () => {
    const one = w.services.db.requests.count;
    await (await w.request('/institutions/polres-madiun-kota/feed.atom')).text();
    const single = w.services.db.requests.count - one;
    const four = w.services.db.requests.count;
    const bodies = await Promise.all(Array.from({ length: 4 }, async () => (await w.request('/institutions/polres-madiun-kota/feed.json')).text()));
    expect(new Set(bodies).size).toBe(1);
    expect(w.services.db.requests.count - four).toBe(single);
  });
});
