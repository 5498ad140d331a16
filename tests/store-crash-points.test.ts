/**
 * The crash rule of the write protocol (store/article-writes.ts), at every
 * point of a write: the process "dies" at its n-th DynamoDB request (every
 * later request fails too), for every n. Afterwards no feed shows an
 * article that was deleted or moved out of it, the record is the old or the
 * new version, replaying the intent restores every entry of the current
 * version, and check:store's repair leaves no divergence at all.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db.js';
import { writeArticle, writeArticles, type ArticleWrite, type WriteCondition } from '../src/store/article-writes.js';
import { getArticle, listFeedPage } from '../src/store/articles.js';
import { recoverPendingWrites } from '../src/store/recovery.js';
import { checkStore } from '../src/store/consistency.js';
import { repairStore } from '../src/store/consistency-repair.js';
import type { ArticleRecord } from '../src/store/article-record.js';
import { crashingDb, createTestDb, recordOf, SimulatedCrash, tombstoneOf } from './support/store.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const LATER = NOW + 60_000;
const BIG = `<p>${'Isi panjang. '.repeat(7_500)}</p>`; // ~97k characters: two content chunks
let db: Db;

/** A scenario: the state before (written whole), and the write that is interrupted. */
interface Scenario {
  name: string;
  before: (k: number) => ArticleRecord[];
  write: (k: number, before: ArticleRecord[]) => { writes: ArticleWrite[]; condition?: WriteCondition };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a create with chunked content',
    before: () => [],
    write: (k) => ({ writes: [{ prev: null, next: recordOf(`create-${k}`, 1, { contentHtml: BIG, tags: [] }, null, NOW) }], condition: { absent: true } }),
  },
  {
    name: 'an update that moves the article to another institution and category, re-dates it, and drops its chunks',
    before: (k) => [recordOf(`move-${k}`, 2, { contentHtml: BIG }, null, NOW - 10_000)],
    write: (k, [prev]) => ({
      writes: [{ prev: prev!, next: recordOf(`move-${k}`, 3, { institutions: ['polres-ponorogo'], category: 'lalu-lintas', tags: ['operasi'] }, prev!, NOW) }],
      condition: { version: 1 },
    }),
  },
  {
    name: 'a delete',
    before: (k) => [recordOf(`delete-${k}`, 4, { institutions: ['lapas-kelas-i-madiun', 'polres-madiun-kota'], tags: [] }, null, NOW - 10_000)],
    write: (_k, [prev]) => ({ writes: [{ prev: prev!, next: tombstoneOf(prev!, NOW) }], condition: { version: 1 } }),
  },
  {
    name: 'a batch that creates one article, moves another and deletes a third',
    before: (k) => [recordOf(`batch-move-${k}`, 5, { tags: [] }, null, NOW - 10_000), recordOf(`batch-del-${k}`, 6, { category: 'pembinaan', tags: [] }, null, NOW - 10_000)],
    write: (k, [move, del]) => ({
      writes: [
        { prev: null, next: recordOf(`batch-new-${k}`, 7, { institutions: ['lapas-kelas-i-madiun'], tags: [] }, null, NOW) },
        { prev: move!, next: recordOf(`batch-move-${k}`, 8, { institutions: ['lapas-kelas-i-madiun'], category: 'pembinaan', tags: [] }, move!, NOW) },
        { prev: del!, next: tombstoneOf(del!, NOW) },
      ],
    }),
  },
];

async function run(target: Db, s: { writes: ArticleWrite[]; condition?: WriteCondition }): Promise<void> {
  if (s.condition) await writeArticle(target, s.writes[0]!, s.condition, NOW);
  else await writeArticles(target, s.writes, NOW);
}

/** Feeds showing article `id` at `nowMs`, among `feeds`. */
async function feedsShowing(id: string, feeds: string[], nowMs: number): Promise<string[]> {
  const out: string[] = [];
  for (const feed of feeds) {
    const page = await listFeedPage(db, feed, { limit: 100, nowMs });
    if (page.articles.some((a) => a.id === id)) out.push(feed);
  }
  return out.sort();
}

describe('a write interrupted at each of its DynamoDB requests', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: no feed shows a deleted or moved article; recovery and repair restore every entry`, async () => {
      db = await createTestDb();
      // How many requests the whole write takes.
      const probe = crashingDb(db, Number.POSITIVE_INFINITY);
      const beforeProbe = scenario.before(0);
      for (const r of beforeProbe) await writeArticle(db, { prev: null, next: r }, { absent: true }, r.updatedMs);
      await run(probe, scenario.write(0, beforeProbe));
      const total = probe.sent();
      expect(total).toBeGreaterThan(4);

      for (let k = 1; k <= total; k++) {
        const before = scenario.before(k);
        for (const r of before) await writeArticle(db, { prev: null, next: r }, { absent: true }, r.updatedMs);
        const write = scenario.write(k, before);
        await expect(run(crashingDb(db, k), write)).rejects.toBeInstanceOf(SimulatedCrash);

        for (const { prev, next } of write.writes) {
          const current = await getArticle(db, next.id);
          // The record is the old version or the new one, never anything else.
          const at = current?.version ?? null;
          expect([prev?.version ?? null, next.version], `crash at ${k}: ${next.id}`).toContain(at);
          // Every feed the article was or would be in, but is not in now, must not show it.
          const allowed = current && !current.deleted ? current.feeds : [];
          const forbidden = [...new Set([...(prev?.feeds ?? []), ...next.feeds])].filter((f) => !allowed.includes(f));
          expect(await feedsShowing(next.id, forbidden, LATER), `crash at ${k}: ${next.id} shown outside its feeds`).toEqual([]);
        }

        const replayed = await recoverPendingWrites(db, LATER, 10_000);
        // The intent is the first request: a crash there leaves nothing to replay.
        expect(replayed, `crash at ${k}`).toBe(k === 1 ? 0 : 1);
        const afterReplay = await checkStore(db, { nowMs: LATER });
        // Replay restores entries and change entries; counts are advisory and old chunks wait for the repair.
        expect(afterReplay.divergences.filter((d) => d.kind !== 'count-mismatch' && d.kind !== 'orphan-chunk'), `crash at ${k}`).toEqual([]);
      }
      // check:store's repair brings counts and chunks in line too: nothing is left.
      const repair = await repairStore(db, { nowMs: LATER });
      expect(repair.after.divergences).toEqual([]);
    });
  }
});
