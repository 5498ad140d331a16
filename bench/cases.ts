/**
 * The HTTP cases: warm feeds (cached documents), conditional requests
 * answered 304, cold renders (no document cache), a deep page, and the
 * partner change API. Each is probed once (a 404 means the route has not
 * landed yet: the case is skipped with that reason), then loaded after a
 * warm-up; warm and 304 cases are followed by the same load on the static
 * baseline serving the bytes captured from the probe.
 */
import type { CannedResponse } from './baseline-server.js';
import { loadTest, type LoadResult, type LoadSettings } from './load-test.js';
import { nextPageOf, send, sendJson, type RawResponse } from './http.js';
import type { BenchChild } from './processes.js';
import { BENCH_CATEGORY, CATEGORIES } from './corpus.js';

/** What the server child reports. */
export interface ServerStats {
  rss: number;
  heapUsed: number;
  /** V8 heap reserved (used + free + young-generation space). */
  heapTotal: number;
  /** Memory of C++ objects bound to JS (Buffers among them), and of ArrayBuffers alone. */
  external: number;
  arrayBuffers: number;
  dbRequests: number;
}

/** The outcome of one case. */
export interface CaseResult {
  id: string;
  group: 'warm' | 'not-modified' | 'cold' | 'store' | 'deep' | 'changes' | 'publish';
  title: string;
  path?: string;
  /** Why the case did not run ("not available yet (404)", filtered out…). */
  skipped?: string;
  failed?: string;
  load?: LoadResult;
  baseline?: LoadResult;
  /** load.rps / baseline.rps. */
  ratio?: number;
  /** DynamoDB requests the server sent per HTTP request during the measured run. */
  storeRequestsPerRequest?: number;
  /** Size of the response body (as sent: gzip when gzip). */
  bodyBytes?: number;
  extra?: Record<string, number | string | boolean>;
}

/** Where and how the cases run. */
export interface CaseEnv {
  server: BenchChild<{ url: string }>;
  baseline: BenchChild<{ url: string }>;
  settings: LoadSettings;
  selected: (id: string) => boolean;
  log: (line: string) => void;
}

/** Formats and limits of the feed cases. */
export const FORMATS = ['rss', 'atom', 'json'] as const;
export const WARM_LIMITS = [20, 100];
/** How many pages back the deep-page case goes (page 50 = 49 next links). */
export const DEEP_PAGE = 50;
/** Pages before the deep page that its cold case loads in turn with it. */
const DEEP_ROTATE = 33;
const GZIP = { 'accept-encoding': 'gzip' };
const DROP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The category feed path at `limit` (default 20 is left out, as the server's own links do). */
export const categoryFeedPath = (format: string, limit: number) => `/categories/${BENCH_CATEGORY}/feed.${format}${limit === 20 ? '' : `?limit=${limit}`}`;

/** A captured response as the baseline replays it. */
export function cannedFrom(res: RawResponse): CannedResponse {
  return { status: res.status, headers: res.rawHeaders.filter(([k]) => !DROP.has(k.toLowerCase())), bodyBase64: res.body.toString('base64') };
}

/** The server's RSS and DynamoDB request count now. */
export const serverStats = (server: BenchChild<{ url: string }>) => server.call<ServerStats>('stats');

interface HttpCase {
  id: string;
  group: CaseResult['group'];
  title: string;
  path: string;
  headers: Record<string, string>;
  expect: number;
  withBaseline: boolean;
  /** The probe already made (to avoid a second one). */
  probe?: RawResponse;
  /**
   * Distinct pages requested in turn with `path` (cases without a baseline only): concurrent
   * requests for one document share one render, so a cold case loads many pages.
   */
  rotate?: string[];
}

/**
 * wrk counts only statuses ≥ 400, so the bytes per response tell a 200 (at least the probe's
 * body) from a 304 (headers only, well under 2 KiB); undefined when they fit `expect`.
 */
function wrongSize(load: LoadResult, expect: number, bodyBytes: number): string | undefined {
  if (load.generator !== 'wrk' || !load.requests) return undefined;
  const perResponse = load.bytesPerSecond / load.rps;
  if (expect === 304 && perResponse > 2048) return `responses averaged ${Math.round(perResponse)} bytes: not 304s`;
  if (expect === 200 && perResponse < bodyBytes) return `responses averaged ${Math.round(perResponse)} bytes, less than the ${bodyBytes}-byte body: not all 200s`;
  return undefined;
}

/** Runs one HTTP case (probe, load, baseline). */
export async function runHttpCase(env: CaseEnv, c: HttpCase): Promise<CaseResult> {
  const out: CaseResult = { id: c.id, group: c.group, title: c.title, path: c.path };
  const probe = c.probe ?? (await send(env.server.ready.url, c.path, { headers: c.headers }));
  if (probe.status === 404) return { ...out, skipped: 'not available yet (404)' };
  if (probe.status !== c.expect) return { ...out, failed: `expected ${c.expect}, the probe got ${probe.status}: ${probe.body.toString('utf8').slice(0, 200)}` };
  let bodyBytes = probe.body.length;
  for (const path of c.rotate ?? []) {
    const other = await send(env.server.ready.url, path, { headers: c.headers });
    if (other.status !== c.expect) return { ...out, failed: `expected ${c.expect}, the probe of ${path} got ${other.status}` };
    bodyBytes = Math.min(bodyBytes, other.body.length);
  }
  const paths = c.rotate?.length ? [c.path, ...c.rotate] : undefined;
  env.log(`case ${c.id}: ${c.path}${paths ? ` and ${paths.length - 1} more pages in turn` : ''}`);
  const wartaUrl = env.server.ready.url + c.path;
  let load: LoadResult;
  let before: ServerStats;
  let after: ServerStats;
  if (c.withBaseline) {
    // Warta and the baseline alternate (W B W B, half the duration each) so that a change in the
    // machine's load during the case weighs on both alike.
    const baselineUrl = env.baseline.ready.url + (await env.baseline.call<string>('set', { name: c.id, response: cannedFrom(probe) }));
    const half = { ...env.settings, warmupSeconds: 0, durationSeconds: Math.max(1, env.settings.durationSeconds / BASELINE_ROUNDS) };
    if (env.settings.warmupSeconds > 0) {
      const warmup = { ...env.settings, warmupSeconds: 0, durationSeconds: env.settings.warmupSeconds };
      await loadTest(wartaUrl, c.headers, warmup, c.expect);
      await loadTest(baselineUrl, c.headers, warmup, c.expect);
    }
    const wartaRuns: LoadResult[] = [];
    const baselineRuns: LoadResult[] = [];
    before = await serverStats(env.server);
    for (let round = 0; round < BASELINE_ROUNDS; round++) {
      wartaRuns.push(await loadTest(wartaUrl, c.headers, half, c.expect));
      baselineRuns.push(await loadTest(baselineUrl, c.headers, half, c.expect));
    }
    after = await serverStats(env.server);
    load = combine(wartaRuns);
    out.baseline = combine(baselineRuns);
    out.ratio = out.baseline.rps > 0 ? load.rps / out.baseline.rps : 0;
  } else {
    let measuredFrom: ServerStats | undefined;
    load = await loadTest(
      wartaUrl,
      c.headers,
      env.settings,
      c.expect,
      async () => {
        measuredFrom = await serverStats(env.server);
      },
      paths,
    );
    before = measuredFrom!;
    after = await serverStats(env.server);
  }
  out.load = load;
  out.storeRequestsPerRequest = load.requests ? (after.dbRequests - before.dbRequests) / load.requests : 0;
  out.bodyBytes = probe.body.length;
  if (paths) out.extra = { ...out.extra, pages: paths.length };
  const encoding = probe.headers['content-encoding'];
  if (c.headers['accept-encoding'] && probe.status === 200) out.extra = { gzipServed: encoding === 'gzip' };
  if (load.unexpected > load.requests * 0.01) out.failed = `${load.unexpected} responses were not ${c.expect}: ${JSON.stringify(load.statuses)}`;
  out.failed ??= wrongSize(load, c.expect, bodyBytes);
  if (out.baseline) {
    const bad = wrongSize(out.baseline, c.expect, probe.body.length);
    if (bad) out.failed ??= `baseline: ${bad}`;
  }
  return out;
}

/** Measured runs per side of a case with a baseline (alternating). */
export const BASELINE_ROUNDS = 2;

/** Several measured runs as one: requests over total time; p50 the mean, p99 the worst. */
function combine(runs: LoadResult[]): LoadResult {
  const requests = runs.reduce((a, r) => a + r.requests, 0);
  const seconds = runs.reduce((a, r) => a + (r.rps > 0 ? r.requests / r.rps : 0), 0);
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    rps: seconds > 0 ? requests / seconds : 0,
    p50: runs.reduce((a, r) => a + r.p50, 0) / runs.length,
    p99: Math.max(...runs.map((r) => r.p99)),
    requests,
    bytesPerSecond: seconds > 0 ? runs.reduce((a, r) => a + (r.rps > 0 ? (r.bytesPerSecond * r.requests) / r.rps : 0), 0) / seconds : 0,
    errors: runs.reduce((a, r) => a + r.errors, 0),
    statuses,
    unexpected: runs.reduce((a, r) => a + r.unexpected, 0),
    generator: runs[0]!.generator,
  };
}

/** Runs the listed cases in order, skipping unselected ones and turning errors into failed results. */
async function runAll(env: CaseEnv, cases: HttpCase[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    if (!env.selected(c.id)) continue;
    try {
      results.push(await runHttpCase(env, c));
    } catch (err) {
      results.push({ id: c.id, group: c.group, title: c.title, path: c.path, failed: String((err as Error).message) });
    }
  }
  return results;
}

/** Warm category feeds in each format at limit 20 and 100, identity and gzip, each against its baseline. */
export function runWarmCases(env: CaseEnv): Promise<CaseResult[]> {
  const cases: HttpCase[] = [];
  for (const limit of WARM_LIMITS) {
    for (const format of FORMATS) {
      for (const gzip of [false, true]) {
        cases.push({
          id: `warm-${format}-${limit}${gzip ? '-gzip' : ''}`,
          group: 'warm',
          title: `warm ${format.toUpperCase()} ${limit} items${gzip ? ', gzip' : ''}`,
          path: categoryFeedPath(format, limit),
          headers: gzip ? { ...GZIP } : {},
          expect: 200,
          withBaseline: true,
        });
      }
    }
  }
  return runAll(env, cases);
}

/** Conditional requests (If-None-Match with the page's ETag) answered 304, identity and gzip, against the baseline's 304. */
export async function runNotModifiedCases(env: CaseEnv): Promise<CaseResult[]> {
  const cases: HttpCase[] = [];
  for (const format of FORMATS) {
    for (const gzip of [false, true]) {
      const id = `304-${format}-20${gzip ? '-gzip' : ''}`;
      if (!env.selected(id)) continue;
      const path = categoryFeedPath(format, 20);
      const first = await send(env.server.ready.url, path, { headers: gzip ? { ...GZIP } : {} });
      const etag = first.headers.etag;
      const base = { id, group: 'not-modified' as const, title: `304 ${format.toUpperCase()}${gzip ? ', gzip' : ''}`, path, expect: 304, withBaseline: true };
      if (first.status === 404) {
        cases.push({ ...base, headers: {}, probe: first });
        continue;
      }
      const headers: Record<string, string> = { ...(gzip ? GZIP : {}), ...(etag ? { 'if-none-match': etag } : {}) };
      cases.push({ ...base, headers });
    }
  }
  return runAll(env, cases);
}

/** Pages of 20 items loaded in turn by a cold case: more than the load's connections, so few requests meet one in flight for their page. */
export const COLD_PAGES = 34;

/**
 * Full 20-item pages of the category feeds in `format`: each category's first page, then the
 * pages its next links lead to, up to COLD_PAGES (the last, partial page of a category left out).
 */
export async function coldPagePaths(base: string, format: string): Promise<string[]> {
  const paths: string[] = [];
  const perCategory = Math.ceil(COLD_PAGES / CATEGORIES.length);
  for (const category of CATEGORIES) {
    let path: string | undefined = `/categories/${category.slug}/feed.${format}`;
    for (let k = 0; path && k < perCategory && paths.length < COLD_PAGES; k++) {
      const res = await send(base, path);
      if (res.status !== 200) break;
      const next = nextPageOf(res);
      if (!next) break;
      paths.push(path);
      path = next;
    }
  }
  return paths;
}

/**
 * Cold renders (the server runs with WARTA_FEED_CACHE=items: no document cache) of 20-item
 * category pages in each format, spread over COLD_PAGES distinct pages; the case's path is the
 * BINMAS category's first page.
 */
export async function runColdCases(env: CaseEnv): Promise<CaseResult[]> {
  const cases: HttpCase[] = [];
  for (const format of FORMATS) {
    const id = `cold-${format}-20`;
    if (!env.selected(id)) continue;
    const path = categoryFeedPath(format, 20);
    const rotate = (await coldPagePaths(env.server.ready.url, format)).filter((p) => p !== path);
    cases.push({ id, group: 'cold', title: `cold ${format.toUpperCase()} 20 items`, path, rotate, headers: {}, expect: 200, withBaseline: false });
  }
  return runAll(env, cases);
}

/** Follows next links from `start` until page `pages` (or the last page); returns its path and depth. */
export async function walkPages(base: string, start: string, pages: number): Promise<{ path: string; depth: number; passed: string[] } | null> {
  let path = start;
  let depth = 1;
  /** The pages walked through before `path`, in order. */
  const passed: string[] = [];
  while (depth < pages) {
    const res = await send(base, path);
    if (res.status !== 200) return null;
    const next = nextPageOf(res);
    if (!next) break;
    passed.push(path);
    path = next;
    depth++;
  }
  return { path, depth, passed };
}

/** Page 50 of the everything feed (RSS, 20 items), reached through its next links, then loaded. */
export async function runDeepCase(env: CaseEnv, label: 'warm' | 'cold'): Promise<CaseResult[]> {
  const id = `deep-${label}-rss-p${DEEP_PAGE}`;
  if (!env.selected(id)) return [];
  const title = `deep page (${label}), RSS 20 items`;
  try {
    const target = await walkPages(env.server.ready.url, '/feed.rss', DEEP_PAGE);
    if (!target) return [{ id, group: 'deep', title, path: '/feed.rss', skipped: 'not available yet (/feed.rss is not 200)' }];
    // Cold: the DEEP_ROTATE pages before it too, each a full page deep in the archive.
    const rotate = label === 'cold' ? target.passed.slice(-DEEP_ROTATE) : [];
    const result = await runHttpCase(env, { id, group: 'deep', title: `${title}, page ${target.depth}`, path: target.path, ...(rotate.length ? { rotate } : {}), headers: {}, expect: 200, withBaseline: false });
    return [{ ...result, extra: { ...result.extra, depth: target.depth } }];
  } catch (err) {
    return [{ id, group: 'deep', title, failed: String((err as Error).message) }];
  }
}

interface ChangesPage {
  next?: string;
  hasMore?: boolean;
  changes?: unknown[];
}

/** A page of 100 changes from a cursor in the middle of the everything log, read with a reader key. */
export async function runChangesCase(env: CaseEnv, adminToken: string, n: number): Promise<CaseResult[]> {
  const id = 'changes-100-mid';
  if (!env.selected(id)) return [];
  const title = 'change API, 100 from the middle';
  const base = env.server.ready.url;
  try {
    const key = await sendJson(base, '/api/keys', adminToken, { role: 'reader', institutions: [], label: 'bench reader' });
    if (key.status !== 201) return [{ id, group: 'changes', title, failed: `could not create a reader key: ${key.status}` }];
    const token = (key.body as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const WALK = 500;
    let page = await sendJson(base, `/api/changes?limit=${WALK}`, token);
    if (page.status === 404) return [{ id, group: 'changes', title, path: '/api/changes', skipped: 'not available yet (404)' }];
    if (page.status !== 200) return [{ id, group: 'changes', title, failed: `GET /api/changes: ${page.status} ${page.raw.body.toString('utf8').slice(0, 200)}` }];
    let walked = ((page.body as ChangesPage).changes ?? []).length;
    while (walked + WALK <= n / 2 && (page.body as ChangesPage).hasMore) {
      page = await sendJson(base, `/api/changes?limit=${WALK}&since=${encodeURIComponent((page.body as ChangesPage).next ?? '')}`, token);
      if (page.status !== 200) return [{ id, group: 'changes', title, failed: `walking /api/changes: ${page.status}` }];
      walked += ((page.body as ChangesPage).changes ?? []).length;
    }
    const since = (page.body as ChangesPage).next;
    if (!since) return [{ id, group: 'changes', title, failed: 'the change API gave no next cursor' }];
    const path = `/api/changes?limit=100&since=${encodeURIComponent(since)}`;
    const result = await runHttpCase(env, { id, group: 'changes', title, path, headers: auth, expect: 200, withBaseline: false });
    return [{ ...result, path: '/api/changes?limit=100&since=<cursor>', extra: { ...result.extra, after: walked } }];
  } catch (err) {
    return [{ id, group: 'changes', title, failed: String((err as Error).message) }];
  }
}
