/**
 * The sustained load behind `npm run load`: the Node server as a child
 * process on a fresh embedded store (demo registries), publishers writing
 * through the API with several keys (POST, PUT that move articles, DELETE)
 * and readers (autocannon) on every feed slice and on the partner API, all
 * on loopback for a fixed duration. Then: every acknowledged write read
 * back, every feed parsed, no feed showing a deleted or moved article, and
 * check:store on the data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { checkStore, type StoreReport } from '../../src/store/consistency.js';
import { startChildServer } from './child-server.js';
import { openStoreFromEnv } from './store-env.js';
import { percentile, seededRandom } from './stats.js';
import { WriteTracker, type ArticleState, type Verification } from './write-tracker.js';
import { demoSlices, verifyWritesAndFeeds } from './feed-check.js';

/** The part of autocannon's programmatic API used here (it ships no types). */
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const INSTITUTIONS = ['polres-madiun-kota', 'lapas-kelas-i-madiun', 'polres-ponorogo'];
const CATEGORIES = ['binmas', 'lalu-lintas', 'pembinaan'];
const ADMIN_TOKEN = 'load-admin-token-0123456789abcdef';
const KEY_INSTITUTIONS = [[INSTITUTIONS[0]!], [INSTITUTIONS[1]!], [INSTITUTIONS[2]!], INSTITUTIONS];

/** How to run. */
export interface LoadOptions {
  durationS: number;
  publishers: number;
  feedConnections: number;
  apiConnections: number;
  seed: number;
  log?: (line: string) => void;
}

/** Throughput and latency of one kind of request. */
export interface KindStats {
  kind: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors5xx: number;
  /** Other answers than 2xx/304 that are not errors here (a 404 on an article deleted meanwhile). */
  other: number;
}

/** What a run measured and found. */
export interface LoadResult {
  durationS: number;
  kinds: KindStats[];
  verification: Verification;
  feedViolations: string[];
  feedDocumentsChecked: number;
  unexpectedAnswers: string[];
  check: StoreReport;
}

interface Tally {
  latencies: number[];
  errors5xx: number;
  other: number;
}

async function call(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, ms: performance.now() - started };
}

const statsOf = (kind: string, t: Tally, seconds: number): KindStats => ({
  kind,
  requests: t.latencies.length,
  perSecond: t.latencies.length / seconds,
  p50: percentile(t.latencies, 50),
  p99: percentile(t.latencies, 99),
  errors5xx: t.errors5xx,
  other: t.other,
});

/** Runs the load; findings are in the result, only a broken setup throws. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'warta-load-'));
  const server = await startChildServer({ WARTA_DATA_DIR: dataDir, WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_AUTH_FAILURES_PER_MINUTE: '100000' });
  try {
    const base = server.url;
    log(`server up at ${base} (data ${dataDir})`);
    const keys: string[] = [];
    for (const institutions of KEY_INSTITUTIONS) {
      const r = await call(base, 'POST', '/api/keys', ADMIN_TOKEN, { role: 'publisher', institutions, label: `load ${institutions.join('+')}` });
      if (r.status !== 201) throw new Error(`scripts: could not create a key: ${r.status}`);
      keys.push((r.json as { token: string }).token);
    }
    const reader = (await call(base, 'POST', '/api/keys', ADMIN_TOKEN, { role: 'reader', institutions: [], label: 'load reader' })).json as { token: string };

    const tracker = new WriteTracker();
    const tallies = { POST: { latencies: [], errors5xx: 0, other: 0 }, PUT: { latencies: [], errors5xx: 0, other: 0 }, DELETE: { latencies: [], errors5xx: 0, other: 0 } } as Record<'POST' | 'PUT' | 'DELETE', Tally>;
    const unexpectedAnswers: string[] = [];
    const recentIds: string[] = [];
    const deadline = Date.now() + o.durationS * 1000;
    const started = Date.now();

    const publisher = async (p: number) => {
      const rng = seededRandom(o.seed * 104_729 + p);
      const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
      const token = keys[p % keys.length]!;
      const mine = KEY_INSTITUTIONS[p % keys.length]!;
      const live: string[] = [];
      for (let n = 0; Date.now() < deadline; n++) {
        const r = rng();
        const op: 'POST' | 'PUT' | 'DELETE' = live.length < 3 || r < 0.4 ? 'POST' : r < 0.85 ? 'PUT' : 'DELETE';
        const id = op === 'POST' ? `load-p${p}-${n}` : pick(live);
        const institutions = [...new Set([pick(mine), pick(mine)])];
        const category = pick(CATEGORIES);
        const body = {
          ...(op === 'POST' ? { id } : {}),
          title: `Berita beban ${id} operasi ${n}`,
          contentHtml: `<p>Operasi ${n} atas ${id}: ${'isi berita '.repeat(20)}</p>`,
          author: { name: `Penulis ${p}` },
          category,
          institutions,
          tags: rng() < 0.3 ? ['beban'] : [],
          publishedAt: `2024-03-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}T${String(Math.floor(rng() * 24)).padStart(2, '0')}:${String(Math.floor(rng() * 60)).padStart(2, '0')}:00+07:00`,
        };
        const a = await call(base, op, op === 'POST' ? '/api/articles' : `/api/articles/${id}`, token, op === 'DELETE' ? undefined : body);
        const tally = tallies[op];
        if (a.status >= 500) {
          tally.errors5xx++;
          tracker.uncertain(id, { version: -1, deleted: op === 'DELETE', title: body.title, institutions, category });
          unexpectedAnswers.push(`${op} ${id}: ${a.status}`);
          continue;
        }
        if (a.status >= 300) {
          tally.other++;
          unexpectedAnswers.push(`${op} ${id}: ${a.status} ${JSON.stringify(a.json).slice(0, 160)}`);
          continue;
        }
        tally.latencies.push(a.ms);
        if (op === 'DELETE') {
          const prev = tracker.acked(id)!;
          tracker.acknowledge(id, { ...prev, version: prev.version + 1, deleted: true });
          live.splice(live.indexOf(id), 1);
        } else {
          const state: ArticleState = { version: (a.json as { version: number }).version, deleted: false, title: body.title, institutions, category };
          tracker.acknowledge(id, state);
          if (op === 'POST') {
            live.push(id);
            recentIds.push(id);
            if (recentIds.length > 2000) recentIds.splice(0, 1000);
          }
        }
      }
    };

    const slices = demoSlices(CATEGORIES, INSTITUTIONS).map((s) => s.path);
    const formats = ['rss', 'atom', 'json'];
    const readRng = seededRandom(o.seed);
    const feedReads = autocannon({
      url: base,
      connections: o.feedConnections,
      duration: o.durationS,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, method: 'GET', path: `${slices[Math.floor(readRng() * slices.length)]}.${formats[Math.floor(readRng() * 3)]}` }) }],
    });
    const apiPaths = () => {
      const r = readRng();
      if (r < 0.6 && recentIds.length) return `/api/articles/${recentIds[Math.floor(readRng() * recentIds.length)]}`;
      return r < 0.8 ? '/api/changes?limit=50' : '/api/articles?limit=20';
    };
    const apiReads = autocannon({
      url: base,
      connections: o.apiConnections,
      duration: o.durationS,
      headers: { authorization: `Bearer ${reader.token}` },
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, method: 'GET', path: apiPaths() }) }],
    });
    const [feedResult, apiResult] = await Promise.all([feedReads, apiReads, ...Array.from({ length: o.publishers }, (_, p) => publisher(p))]);
    const seconds = (Date.now() - started) / 1000;
    log(`load done after ${seconds.toFixed(1)} s; verifying`);

    const readerStats = (kind: string, r: AutocannonResult): KindStats => {
      const codes = r.statusCodeStats;
      let errors5xx = 0, other = 0;
      for (const [code, { count }] of Object.entries(codes)) {
        if (Number(code) >= 500) errors5xx += count;
        else if (Number(code) >= 300 && code !== '304') other += count;
      }
      return { kind, requests: r.requests.total, perSecond: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors5xx: errors5xx + r.errors, other };
    };
    const writes: Tally = {
      latencies: [...tallies.POST.latencies, ...tallies.PUT.latencies, ...tallies.DELETE.latencies],
      errors5xx: tallies.POST.errors5xx + tallies.PUT.errors5xx + tallies.DELETE.errors5xx,
      other: tallies.POST.other + tallies.PUT.other + tallies.DELETE.other,
    };
    const kinds = [
      statsOf('write POST (create)', tallies.POST, seconds),
      statsOf('write PUT (update/move)', tallies.PUT, seconds),
      statsOf('write DELETE', tallies.DELETE, seconds),
      statsOf('writes, all', writes, seconds),
      readerStats('read feeds (16 slices x 3 formats)', feedResult),
      readerStats('read API (article, changes, listing)', apiResult),
    ];

    const { verification, feedViolations, feedDocumentsChecked } = await verifyWritesAndFeeds(
      base,
      tracker,
      (path) => call(base, 'GET', path, ADMIN_TOKEN),
      demoSlices(CATEGORIES, INSTITUTIONS),
    );
    await server.stop();
    const store = await openStoreFromEnv({ WARTA_DATA_DIR: dataDir });
    let check: StoreReport;
    try {
      check = await checkStore(store.db, { nowMs: Date.now() });
    } finally {
      await store.close();
    }
    return { durationS: seconds, kinds, verification, feedViolations, feedDocumentsChecked, unexpectedAnswers, check };
  } finally {
    server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
