/**
 * 1,000 random operations (seeded, so a failure replays exactly): creates,
 * edits, moves between categories and institutions, deletions,
 * re-creations, embargoes and re-dating into the future, with the pinned
 * clock moving between rounds. Partners polling /api/changes every few
 * rounds (unfiltered, by category, by institution, by both) hold exactly
 * the live set each time — the ids the test's own model expects and the
 * articles GET /api/articles returns — and so does a partner replaying the
 * whole log at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { idsOf, listAll, newPartner, syncPartner, type PartnerState } from './support/partner.js';
import { buildTombstone } from '../src/publishing/article-service.js';
import { getArticles } from '../src/store/articles.js';
import { writeArticles } from '../src/store/article-writes.js';
import { seededRandom } from '../scripts/support/stats.js';

const SEED = 20250301;
const OPERATIONS = 1_000;
const PER_ROUND = 100;
const POOL = 250;
const T0 = Date.parse('2025-03-01T03:00:00Z');
const MINUTE = 60_000;
const CATEGORIES = ['binmas', 'lalu-lintas', 'pembinaan'];
const INSTITUTIONS = ['polres-madiun-kota', 'lapas-kelas-i-madiun', 'polres-ponorogo'];
const FILTERS: Record<string, { category?: string; institution?: string }> = {
  all: {},
  binmas: { category: 'binmas' },
  lapas: { institution: 'lapas-kelas-i-madiun' },
  madiunLaluLintas: { category: 'lalu-lintas', institution: 'polres-madiun-kota' },
};

interface ModelArticle {
  category: string;
  institutions: string[];
  publishedMs: number;
  title: string;
  deleted: boolean;
}

let now = T0;
let w: TestWarta;
const wib = (ms: number) => `${new Date(ms + 7 * 60 * MINUTE).toISOString().slice(0, 19)}+07:00`;

beforeAll(async () => {
  w = await startTestWarta({ clock: () => now, env: { WARTA_CHANGES_SETTLE_MS: '5000' } });
  await w.registerDemoRegistries();
});
afterAll(() => w.close());

describe('replaying a random history of 1,000 operations', () => {
  it(`converges on exactly the live set at every checkpoint (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const model = new Map<string, ModelArticle>();
    const partners = Object.fromEntries(Object.entries(FILTERS).map(([k, q]) => [k, newPartner(q as Record<string, string>)])) as Record<string, PartnerState>;
    const counts = { create: 0, recreate: 0, edit: 0, moveCategory: 0, moveInstitutions: 0, embargo: 0, redate: 0, delete: 0 };

    const randomInstitutions = () => {
      const first = pick(INSTITUTIONS);
      const second = random() < 0.3 ? pick(INSTITUTIONS) : first;
      return first === second ? [first] : [first, second];
    };
    const pastMs = () => now - Math.floor(random() * 30 * 24 * 60) * MINUTE;
    const futureMs = () => now + (1 + Math.floor(random() * 120)) * MINUTE;

    const expectedIds = (f: { category?: string; institution?: string }) =>
      [...model]
        .filter(([, a]) => !a.deleted && a.publishedMs <= now)
        .filter(([, a]) => !f.category || a.category === f.category)
        .filter(([, a]) => !f.institution || a.institutions.includes(f.institution))
        .map(([id]) => id)
        .sort();

    const checkpoint = async (label: string) => {
      for (const [name, filter] of Object.entries(FILTERS)) {
        const p = partners[name]!;
        await syncPartner(w, ADMIN_TOKEN, p, 200);
        const listed = await listAll(w, ADMIN_TOKEN, filter as Record<string, string>);
        const expected = expectedIds(filter);
        expect(idsOf(listed.articles), `${label}: listing ${name}`).toEqual(expected);
        expect(idsOf(p.articles), `${label}: partner ${name}`).toEqual(expected);
        expect(Object.fromEntries(p.articles), `${label}: partner ${name} holds the current articles`).toEqual(Object.fromEntries(listed.articles));
      }
    };

    for (let done = 0, round = 0; done < OPERATIONS; round++) {
      const ids = Array.from({ length: POOL }, (_, i) => `r${i}`).sort(() => random() - 0.5).slice(0, Math.min(PER_ROUND, OPERATIONS - done));
      const puts: Record<string, unknown>[] = [];
      const deletes: string[] = [];
      for (const id of ids) {
        const current = model.get(id);
        let next: ModelArticle;
        if (!current || current.deleted) {
          counts[current ? 'recreate' : 'create']++;
          next = { category: pick(CATEGORIES), institutions: randomInstitutions(), publishedMs: random() < 0.2 ? futureMs() : pastMs(), title: `Berita ${id} ${round}`, deleted: false };
        } else {
          const r = random();
          if (r < 0.2) {
            counts.delete++;
            deletes.push(id);
            model.set(id, { ...current, deleted: true });
            continue;
          }
          next = { ...current, title: `Berita ${id} ${round}` };
          if (r < 0.4) {
            counts.moveCategory++;
            next.category = pick(CATEGORIES.filter((c) => c !== current.category));
          } else if (r < 0.55) {
            counts.moveInstitutions++;
            next.institutions = randomInstitutions();
          } else if (r < 0.65) {
            counts.embargo++;
            next.publishedMs = futureMs();
          } else if (r < 0.75) {
            counts.redate++;
            next.publishedMs = pastMs();
          } else counts.edit++;
        }
        model.set(id, next);
        puts.push({
          id,
          title: next.title,
          contentHtml: `<p>${next.title}</p>`,
          author: { name: 'Penulis Acak' },
          category: next.category,
          tags: [],
          institutions: next.institutions,
          publishedAt: wib(next.publishedMs),
        });
      }
      if (puts.length) {
        const res = await w.request('/api/articles/batch', { token: ADMIN_TOKEN, json: { articles: puts } });
        expect(res.status).toBe(200);
        const { results } = (await res.json()) as { results: { status: number }[] };
        expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      }
      if (deletes.length) {
        // Deletions in one batched write through the same crash-safe protocol DELETE uses (HTTP DELETE is one article per request).
        const prevs = await getArticles(w.services.db, deletes, true);
        expect(prevs.size).toBe(deletes.length);
        await writeArticles(w.services.db, [...prevs.values()].map((prev) => ({ prev, next: buildTombstone(prev, now) })), now);
      }
      done += ids.length;
      now += Math.floor(random() * 20) * MINUTE;
      if (round % 3 === 2) await checkpoint(`after ${done} operations`);
    }
    now += 3 * 60 * MINUTE; // every embargo has lifted
    await checkpoint('at the end');

    const replay = newPartner({});
    await syncPartner(w, ADMIN_TOKEN, replay, 500);
    expect(idsOf(replay.articles)).toEqual(expectedIds({}));
    expect(Object.fromEntries(replay.articles)).toEqual(Object.fromEntries((await listAll(w, ADMIN_TOKEN, {})).articles));
    // The history exercised every kind of operation.
    for (const [kind, n] of Object.entries(counts)) expect(n, kind).toBeGreaterThan(20);
  }, 180_000);
});
