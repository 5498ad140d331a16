/**
 * The crash run behind `npm run crash` (and its short CI version): the Node
 * server as a child process on a persistent embedded store, writers
 * creating, moving (institution, category, date) and deleting articles
 * through HTTP, SIGKILLs at seeded random moments with a restart on the same
 * data directory each time; then every acknowledged write is read back,
 * every feed is checked for articles that were deleted or moved out of it,
 * and check:store runs on the data directory (report, then repair).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStore, type StoreReport } from '../../src/store/consistency.js';
import { repairStore, type RepairResult } from '../../src/store/consistency-repair.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { openStoreFromEnv } from './store-env.js';
import { seededRandom } from './stats.js';
import { WriteTracker, type ArticleState, type Verification } from './write-tracker.js';
import { demoSlices, verifyWritesAndFeeds } from './feed-check.js';

const INSTITUTIONS = ['polres-madiun-kota', 'lapas-kelas-i-madiun', 'polres-ponorogo'];
const CATEGORIES = ['binmas', 'lalu-lintas', 'pembinaan'];
const ADMIN_TOKEN = 'crash-admin-token-0123456789abcdef';

/** How to run. */
export interface CrashOptions {
  kills: number;
  seed: number;
  writers: number;
  articlesPerWriter: number;
  /** Each life of the server lasts a seeded random time in [lifeMinMs, lifeMaxMs]. */
  lifeMinMs: number;
  lifeMaxMs: number;
  keepDataDir?: boolean;
  log?: (line: string) => void;
}

/** What a run did and found. */
export interface CrashResult {
  dataDir: string;
  operations: number;
  acknowledged: number;
  /** Writes whose answer never came (killed in flight) or was 503. */
  uncertain: number;
  /** Answers no write should get (4xx other than a delete's 404, 5xx other than 503). */
  unexpectedAnswers: string[];
  kills: number;
  restartMs: number[];
  writeLatencyMs: number[];
  verification: Verification;
  feedViolations: string[];
  feedDocumentsChecked: number;
  checkBefore: StoreReport;
  repair: RepairResult;
}

type Answer = { status: number; json: unknown } | 'unreachable';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(base: string, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  } catch {
    return 'unreachable';
  }
}

/** Runs the crash test; never throws for findings (they are in the result), only for a broken setup. */
export async function runCrash(o: CrashOptions): Promise<CrashResult> {
  const log = o.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'warta-crash-'));
  const env = { WARTA_DATA_DIR: dataDir, WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_AUTH_FAILURES_PER_MINUTE: '100000' };
  let server: ChildServer = await startChildServer(env);
  log(`server up at ${server.url} (data ${dataDir})`);
  const key = await send(server.url, 'POST', '/api/keys', ADMIN_TOKEN, { role: 'publisher', institutions: INSTITUTIONS, label: 'crash publisher' });
  if (key === 'unreachable' || key.status !== 201) throw new Error(`scripts: could not create a key: ${JSON.stringify(key)}`);
  const tokens = [(key.json as { token: string }).token, ADMIN_TOKEN];

  const tracker = new WriteTracker();
  const result = { operations: 0, acknowledged: 0, uncertain: 0, unexpectedAnswers: [] as string[], writeLatencyMs: [] as number[] };
  let up: Promise<void> = Promise.resolve();
  let stop = false;
  let seq = 0;

  const writer = async (w: number) => {
    const rng = seededRandom(o.seed * 7919 + w);
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
    while (!stop) {
      await up;
      const id = `crash-w${w}-${Math.floor(rng() * o.articlesPerWriter)}`;
      const token = tokens[w % tokens.length]!;
      const acked = tracker.acked(id);
      const n = ++seq;
      const base = server.url;
      if (acked && !acked.deleted && rng() < 0.25) {
        const started = Date.now();
        const a = await send(base, 'DELETE', `/api/articles/${id}`, token);
        result.operations++;
        const gone: ArticleState = { ...acked, version: acked.version + 1, deleted: true };
        if (a !== 'unreachable' && (a.status === 204 || a.status === 404)) {
          tracker.acknowledge(id, gone);
          result.acknowledged++;
          result.writeLatencyMs.push(Date.now() - started);
        } else if (a === 'unreachable' || a.status === 503) {
          tracker.uncertain(id, gone);
          result.uncertain++;
        } else result.unexpectedAnswers.push(`DELETE ${id}: ${a.status} ${JSON.stringify(a.json).slice(0, 200)}`);
        continue;
      }
      const institutions = [...new Set([pick(INSTITUTIONS), ...(rng() < 0.3 ? [pick(INSTITUTIONS)] : [])])];
      const category = pick(CATEGORIES);
      const day = 1 + Math.floor(rng() * 28);
      const body = {
        title: `Berita uji crash ${id} operasi ${n}`,
        contentHtml: `<p>Operasi ${n} atas ${id}.</p>`,
        author: { name: 'Penulis Crash' },
        category,
        institutions,
        tags: rng() < 0.5 ? ['crash'] : [],
        publishedAt: `2024-02-${String(day).padStart(2, '0')}T${String(Math.floor(rng() * 24)).padStart(2, '0')}:00:00+07:00`,
      };
      const started = Date.now();
      const a = await send(base, 'PUT', `/api/articles/${id}`, token, body);
      result.operations++;
      const state = (version: number): ArticleState => ({ version, deleted: false, title: body.title, institutions, category });
      if (a !== 'unreachable' && (a.status === 200 || a.status === 201)) {
        tracker.acknowledge(id, state((a.json as { version: number }).version));
        result.acknowledged++;
        result.writeLatencyMs.push(Date.now() - started);
      } else if (a === 'unreachable' || a.status === 503) {
        tracker.uncertain(id, state(-1));
        result.uncertain++;
      } else result.unexpectedAnswers.push(`PUT ${id}: ${a.status} ${JSON.stringify(a.json).slice(0, 200)}`);
    }
  };

  const killer = async () => {
    const rng = seededRandom(o.seed);
    const restartMs: number[] = [];
    for (let k = 0; k < o.kills; k++) {
      await sleep(o.lifeMinMs + rng() * (o.lifeMaxMs - o.lifeMinMs));
      let release!: () => void;
      up = new Promise((r) => (release = r));
      server.kill('SIGKILL');
      await server.exited;
      server = await startChildServer(env);
      restartMs.push(server.startMs);
      const replayed = server.lines.find((l) => l.includes('replayed interrupted writes'));
      log(`kill ${k + 1}/${o.kills} after ${seq} writes; restarted in ${server.startMs} ms${replayed ? ` (${JSON.parse(replayed).count} interrupted writes replayed)` : ''}`);
      release();
    }
    // One more life after the last restart, then the writers stop.
    await sleep(o.lifeMinMs);
    stop = true;
    return restartMs;
  };

  const [restartMs] = await Promise.all([killer(), ...Array.from({ length: o.writers }, (_, w) => writer(w))]);

  // Every acknowledged write read back; no feed shows an article deleted or moved out of it.
  const { verification, feedViolations, feedDocumentsChecked } = await verifyWritesAndFeeds(
    server.url,
    tracker,
    async (path) => {
      const a = await send(server.url, 'GET', path, ADMIN_TOKEN);
      if (a === 'unreachable') throw new Error('scripts: the server went away during verification');
      return a;
    },
    demoSlices(CATEGORIES, INSTITUTIONS),
  );
  await server.stop();

  // check:store on the data directory, then the repair.
  const store = await openStoreFromEnv({ WARTA_DATA_DIR: dataDir });
  let checkBefore: StoreReport;
  let repair: RepairResult;
  try {
    checkBefore = await checkStore(store.db, { nowMs: Date.now() });
    repair = await repairStore(store.db, { nowMs: Date.now() });
  } finally {
    await store.close();
  }
  if (!o.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  return { dataDir, ...result, kills: o.kills, restartMs, verification, feedViolations, feedDocumentsChecked, checkBefore, repair };
}
