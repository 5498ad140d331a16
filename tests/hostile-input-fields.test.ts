/**
 * Field-level hostility: dates and offsets, slugs (in paths and bodies),
 * URLs, unknown registry entries, text that is empty once XML-forbidden
 * characters are gone. Refusals are 422 problems naming the exact field
 * and write nothing; what is accepted is stored exactly as documented.
 * Properties compare the API with oracles written here, independently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlockList } from 'node:net';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { smallArticle } from './support/articles.js';
import { rawRequest } from './support/raw-http.js';
import { EDGE_DATES, INVALID_DATES, INVALID_SLUGS, INVALID_URLS } from './support/hostile-corpus.js';
import { answerOf, expectProblem } from './support/problems.js';
import { snapshotTable } from './support/store.js';
import { assertFeedsValid } from './support/feeds-valid.js';
import { parseRfc3339 } from '../src/model/time.js';

let w: TestWarta;
beforeAll(async () => {
  w = await startTestWarta();
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

const post = async (json: unknown, path = '/api/articles', method = 'POST') => answerOf(await w.request(path, { method, token: ADMIN_TOKEN, json }));

/** Runs `body` and asserts the table is unchanged by it. */
async function writesNothing(body: () => Promise<void>): Promise<void> {
  const before = await snapshotTable(w.services.db);
  await body();
  expect(await snapshotTable(w.services.db)).toEqual(before);
}

// ---- oracles -------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;

/** Date-time parts, some out of range. */
const dateParts = fc.record({
  year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 25 }), minute: fc.integer({ min: 0, max: 61 }), second: fc.integer({ min: 0, max: 61 }),
  fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
  zone: fc.oneof(fc.constant('Z'), fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 25 }), m: fc.integer({ min: 0, max: 61 }) })),
});
type DateParts = typeof dateParts extends fc.Arbitrary<infer T> ? T : never;

const textOf = (d: DateParts) =>
  `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}${d.fraction !== undefined ? `.${d.fraction}` : ''}` +
  (d.zone === 'Z' ? 'Z' : `${d.zone.sign}${pad(d.zone.h)}:${pad(d.zone.m)}`);

/** Is this a valid RFC 3339 date-time (proleptic Gregorian, leap second allowed)? */
function rfc3339Valid(d: DateParts): boolean {
  const zoneOk = d.zone === 'Z' || (d.zone.h <= 23 && d.zone.m <= 59);
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= monthDays(d.year, d.month) && d.hour <= 23 && d.minute <= 59 && d.second <= 60 && zoneOk;
}

/** What the API must store for these parts, or null when it must refuse them: RFC 3339 within what Atom's xsd:dateTime takes (year 0001 on, offsets within ±14:00). */
function expectedStored(d: DateParts): string | null {
  const zoneOk = d.zone === 'Z' || (d.zone.h <= 23 && d.zone.m <= 59 && d.zone.h * 60 + d.zone.m <= 14 * 60);
  const ok = d.year >= 1 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= monthDays(d.year, d.month) && d.hour <= 23 && d.minute <= 59 && d.second <= 60 && zoneOk;
  if (!ok) return null;
  const offset = d.zone === 'Z' || (d.zone.h === 0 && d.zone.m === 0) ? '+00:00' : `${d.zone.sign}${pad(d.zone.h)}:${pad(d.zone.m)}`;
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(Math.min(d.second, 59))}${offset}`;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const validSlug = (s: string) => s.length >= 1 && s.length <= 64 && SLUG.test(s);

/** Special-purpose blocks (RFC 6890 and successors) a public URL may not name, checked with Node's own BlockList. */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['2001::', 32], ['2001:db8::', 32], ['100::', 64], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]] as const) NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** The eight 16-bit groups of a bracketless IPv6 address as WHATWG URL writes it (compressed, hex only). */
function ipv6Groups(a: string): number[] {
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
}

/** Is this WHATWG hostname this machine, a private network or a special-purpose address (IPv4 embedded in IPv6 included)? */
function inwardHost(name: string): boolean {
  // A fully qualified name (trailing dot) is the same host; `https://.` names none.
  const host = name.endsWith('.') ? name.slice(0, -1) : name;
  if (host === '') return true;
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'internal' || host.endsWith('.internal')) return true;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return NOT_PUBLIC.check(host, 'ipv4');
  if (!host.startsWith('[')) return false;
  const g = ipv6Groups(host.slice(1, -1));
  const v4 = (i: number) => `${g[i]! >> 8}.${g[i]! & 255}.${g[i + 1]! >> 8}.${g[i + 1]! & 255}`;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (NOT_PUBLIC.check(host.slice(1, -1), 'ipv6')) return true;
  if ((zeros(5) && g[5] === 0xffff) || (zeros(4) && g[4] === 0xffff && g[5] === 0) || zeros(6)) return NOT_PUBLIC.check(v4(6), 'ipv4');
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return NOT_PUBLIC.check(v4(6), 'ipv4');
  if (g[0] === 0x2002) return NOT_PUBLIC.check(v4(1), 'ipv4');
  return false;
}

/** An http(s) URL without credentials or whitespace, at most 2048 characters, that WHATWG URL parses, on a public host. */
function validWebUrl(s: string): boolean {
  if (s.length > 2048 || /\s/.test(s) || !/^https?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return u.username === '' && u.password === '' && !inwardHost(u.hostname.replace(/\.$/, '').toLowerCase());
  } catch {
    return false;
  }
}

// ---- dates ---------------------------------------------------------------

describe('dates and offsets', () => {
  it('refuses every invalid date of the corpus on publishedAt (POST, PUT and batch) and writes nothing', async () => {
    await writesNothing(async () => {
      for (const date of INVALID_DATES) {
        expectProblem(await post(smallArticle(1, { publishedAt: date })), 422, 'validation-failed', ['publishedAt']);
        expectProblem(await post(smallArticle(1, { publishedAt: date }), '/api/articles/bad-date', 'PUT'), 422, 'validation-failed', ['publishedAt']);
        const batch = await post({ articles: [smallArticle(1, { publishedAt: date })] }, '/api/articles/batch');
        expect((batch.json as { results: { status: number; problem: { errors: { field: string }[] } }[] }).results.map((r) => [r.status, r.problem.errors.map((e) => e.field)])).toEqual([[422, ['articles[0].publishedAt']]]);
      }
    });
  });

  it('stores edge dates with their offset, to the second', async () => {
    for (const { input, stored } of EDGE_DATES) {
      const res = await post(smallArticle(2, { publishedAt: input }));
      expect(res.status, input).toBe(201);
      expect((res.json as { publishedAt: string }).publishedAt, input).toBe(stored);
    }
  });

  it('parses exactly the date-times the oracle accepts, keeping the wall time and offset (property, parser)', () => {
    fc.assert(
      fc.property(dateParts, (d) => {
        const parsed = parseRfc3339(textOf(d));
        const valid = rfc3339Valid(d);
        expect(parsed === null, textOf(d)).toBe(!valid);
        if (parsed && valid) {
          const wall = new Date(parsed.epochMs + parsed.offsetMinutes * 60_000);
          expect([wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()]).toEqual([d.year, d.month, d.day, d.hour, d.minute, Math.min(d.second, 59)]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly the date-times the oracle accepts and stores them normalized (property, HTTP)', async () => {
    await fc.assert(
      fc.asyncProperty(dateParts, async (d) => {
        const res = await post(smallArticle(3, { publishedAt: textOf(d), tags: [] }), '/api/articles/date-property', 'PUT');
        const want = expectedStored(d);
        if (want === null) return void expectProblem(res, 422, 'validation-failed', ['publishedAt']);
        expect(res.status, textOf(d)).toBeLessThan(300);
        expect((res.json as { publishedAt: string }).publishedAt).toBe(want);
      }),
      { numRuns: 40 },
    );
  });
});

// ---- slugs ---------------------------------------------------------------

describe('slugs', () => {
  it('refuses invalid slugs in registry paths with 422 on slug, and path traversal never reaches a handler', async () => {
    await writesNothing(async () => {
      for (const slug of INVALID_SLUGS.filter((s) => s !== '')) {
        for (const kind of ['categories', 'institutions']) {
          const res = await rawRequest(w.url, { method: 'PUT', path: `/api/${kind}/${encodeURIComponent(slug)}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'X', kind: 'Polres', region: 'R' }) });
          // A bare `..` segment is resolved by URL parsing (`/api/categories/..` is `/api/`): no route.
          if (slug === '..') expectProblem(res, 404, 'not-found');
          else expectProblem(res, 422, 'validation-failed', ['slug']);
        }
      }
      for (const path of ['/api/categories/../keys', '/api/categories/..%2fkeys', '/api/categories/%2e%2e', '/api/categories/', '/api/institutions/./x', '/api/categories/%2e%2e/%2e%2e/keys']) {
        const res = await rawRequest(w.url, { method: 'PUT', path, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"X"}' });
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
        expect(res.headers['content-type'], path).toBe('application/problem+json');
      }
    });
  });

  it('refuses invalid slugs in article bodies, naming the exact field', async () => {
    await writesNothing(async () => {
      for (const slug of INVALID_SLUGS) {
        expectProblem(await post(smallArticle(1, { category: slug })), 422, 'validation-failed', ['category']);
        expectProblem(await post(smallArticle(1, { institutions: ['polres-madiun-kota', slug] })), 422, 'validation-failed', ['institutions[1]']);
        expectProblem(await post(smallArticle(1, { tags: [slug] })), 422, 'validation-failed', ['tags[0]']);
        expectProblem(await post(smallArticle(1, { owner: slug })), 422, 'validation-failed', ['owner']);
        expectProblem(await post({ role: 'publisher', institutions: [slug], label: 'x' }, '/api/keys'), 422, 'validation-failed', ['institutions[0]']);
      }
    });
  });

  it('refuses unknown but well-formed categories and institutions with unknown-reference, naming each', async () => {
    await writesNothing(async () => {
      expectProblem(await post(smallArticle(1, { category: 'tidak-ada' })), 422, 'unknown-reference', ['category']);
      expectProblem(await post(smallArticle(1, { institutions: ['polres-madiun-kota', 'lapas-tidak-ada', 'polres-ponorogo', 'rutan-x'] })), 422, 'unknown-reference', ['institutions[1]', 'institutions[3]']);
      expectProblem(await post(smallArticle(1, { category: 'tidak-ada' }), '/api/articles/unknown-ref', 'PUT'), 422, 'unknown-reference', ['category']);
      expectProblem(await post({ role: 'publisher', institutions: ['polres-madiun-kota', 'lapas-tidak-ada'], label: 'x' }, '/api/keys'), 422, 'unknown-reference', ['institutions[1]']);
      const batch = await post({ articles: [smallArticle(1, { category: 'tidak-ada' })] }, '/api/articles/batch');
      expect((batch.json as { results: { status: number; problem: { errors: { field: string }[] } }[] }).results.map((r) => [r.status, r.problem.errors.map((e) => e.field)])).toEqual([[422, ['articles[0].category']]]);
      expectProblem(await post(smallArticle(1, { owner: 'polres-ponorogo' })), 422, 'validation-failed', ['owner']);
      expectProblem(await post(smallArticle(1, { institutions: ['polres-ponorogo', 'polres-ponorogo'] })), 422, 'validation-failed', ['institutions']);
    });
  });

  it('tells malformed from unknown for any string as a category (property)', async () => {
    await writesNothing(async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[a-z0-9-]{1,70}$/)), async (slug) => {
          fc.pre(!['binmas', 'lalu-lintas', 'pembinaan'].includes(slug));
          const res = await post(smallArticle(1, { category: slug }));
          if (validSlug(slug)) expectProblem(res, 422, 'unknown-reference', ['category']);
          else expectProblem(res, 422, 'validation-failed', ['category']);
        }),
        { numRuns: 200 },
      );
    });
  });

  it('stores a category under exactly the path slugs the oracle accepts (property)', async () => {
    const accepted = new Set(['binmas', 'lalu-lintas', 'pembinaan']);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1, maxLength: 70 }), fc.stringMatching(/^[a-z0-9-]{1,66}$/)), async (slug) => {
        const res = await rawRequest(w.url, { method: 'PUT', path: `/api/categories/${encodeURIComponent(slug)}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"Kategori"}' });
        if (validSlug(slug)) {
          expect(res.status, slug).toBe(200);
          accepted.add(slug);
        } else if (slug === '.' || slug === '..') expectProblem(res, 404, 'not-found'); // dot segments are resolved away
        else expectProblem(res, 422, 'validation-failed', ['slug']);
      }),
      { numRuns: 150 },
    );
    const listed = ((await (await w.request('/api/categories')).json()) as { categories: { slug: string }[] }).categories.map((c) => c.slug);
    expect(listed.sort()).toEqual([...accepted].sort());
  });
});

// ---- URLs ----------------------------------------------------------------

describe('URLs', () => {
  it('refuses every invalid URL of the corpus in each URL field, naming it', async () => {
    await writesNothing(async () => {
      for (const url of INVALID_URLS) {
        expectProblem(await post(smallArticle(1, { url })), 422, 'validation-failed', ['url']);
        expectProblem(await post(smallArticle(1, { author: { name: 'A', url } })), 422, 'validation-failed', ['author.url']);
        expectProblem(await post(smallArticle(1, { image: { url, type: 'image/jpeg' } })), 422, 'validation-failed', ['image.url']);
        expectProblem(await post({ name: 'L', kind: 'Polres', region: 'R', homepage: url }, '/api/institutions/url-test', 'PUT'), 422, 'validation-failed', ['homepage']);
      }
    });
  });

  it('accepts exactly the http(s) URLs without credentials the oracle accepts (property)', async () => {
    const urls = fc.oneof(
      fc.webUrl({ validSchemes: ['http', 'https', 'HTTP', 'ftp', 'file', 'javascript', 'data'], withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv6: true } }),
      fc.string({ maxLength: 40 }).map((s) => `https://${s}`),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(urls, async (url) => {
        const res = await post({ name: 'Lembaga', kind: 'Polres', region: 'R', homepage: url }, '/api/institutions/url-property', 'PUT');
        if (validWebUrl(url)) {
          expect(res.status, url).toBe(200);
          expect((res.json as { homepage: string }).homepage).toBe(url);
        } else expectProblem(res, 422, 'validation-failed', ['homepage']);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- text ----------------------------------------------------------------

describe('plain text', () => {
  it('refuses titles, names and kinds that are empty once XML-forbidden characters and spaces are gone', async () => {
    const invisible = ['\u0000', '\u0001\u0002 \u0003', '\uFFFE\uFFFF', '\u000B\u000C', ' \t\n '];
    await writesNothing(async () => {
      for (const text of invisible) {
        expectProblem(await post(smallArticle(1, { title: text })), 422, 'validation-failed', ['title']);
        expectProblem(await post(smallArticle(1, { author: { name: text } })), 422, 'validation-failed', ['author.name']);
        expectProblem(await post({ name: text }, '/api/categories/teks', 'PUT'), 422, 'validation-failed', ['name']);
        expectProblem(await post({ name: 'L', kind: text, region: text }, '/api/institutions/teks', 'PUT'), 422, 'validation-failed', ['kind', 'region']);
      }
    });
    // A lone surrogate arrives as a JSON escape; with visible text around it, the text is kept and the surrogate dropped.
    const res = await w.request('/api/articles', { token: ADMIN_TOKEN, body: JSON.stringify(smallArticle(1)).replace('"Berita uji 1"', '"Berita \\ud800uji"'), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { title: string }).title).toBe('Berita uji');
  });
});

describe('after the hostile fields', () => {
  it('the feeds holding what was accepted (edge dates, odd URLs, many categories) are valid, and so is the OPML list', async () => {
    const checked = await assertFeedsValid(w, ['/feed', '/categories/binmas/feed', '/institutions/polres-madiun-kota/feed', '/institutions/url-property/feed', '/authors/penulis-uji-01e282c2/feed']);
    expect(checked).toBe(5 * 3 + 1);
  });
});
