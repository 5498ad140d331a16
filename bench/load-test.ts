/**
 * One load measurement: a warm-up run whose numbers are dropped, then the
 * measured run. The generator is wrk (native, Debian package `wrk`) when it
 * is on the PATH: on 2 cores a JavaScript client saturates before a fast
 * server does, so it hides the server's own cost. Without wrk the run falls
 * back to autocannon (in this process) and every figure is marked as a
 * lower bound.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertLoopback } from './http.js';
import { CLIENT_CPU, pinnedCommand } from './cpu-pinning.js';

interface Stat {
  average: number;
  p50: number;
  p97_5: number;
  p99: number;
  total?: number;
}
interface AutocannonResult {
  requests: Stat & { total: number };
  latency: Stat;
  throughput: Stat;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

/** How hard and how long to load. */
export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** wrk threads (ignored by autocannon). */
  threads?: number;
}

/** What one measured run gave. */
export interface LoadResult {
  /** Requests per second over the measured run (wrk: responses / elapsed; autocannon: mean of per-second samples). */
  rps: number;
  /** Latency percentiles, milliseconds (wrk: µs resolution; autocannon: 1 ms). */
  p50: number;
  p99: number;
  requests: number;
  /** Mean response bytes per second. */
  bytesPerSecond: number;
  errors: number;
  /** Responses per status code (wrk: only "ok" (2xx/3xx) and "≥400" are told apart). */
  statuses: Record<string, number>;
  /** Responses whose status was not the expected one. */
  unexpected: number;
  /** Which generator measured it ('harness': calls from the harness itself, no HTTP). */
  generator: 'wrk' | 'autocannon' | 'harness';
}

/** The load generator this run uses: wrk when installed, else autocannon (figures are a lower bound). */
export interface Generator {
  name: 'wrk' | 'autocannon';
  version: string;
  /** True for autocannon: a JavaScript client on the same cores caps what it can show. */
  lowerBound: boolean;
}

let detected: Generator | undefined;

/** Detects wrk once (`wrk -v`); falls back to autocannon. BENCH_GENERATOR=autocannon forces the fallback. */
export function loadGenerator(env: NodeJS.ProcessEnv = process.env): Generator {
  if (detected) return detected;
  if (env.BENCH_GENERATOR !== 'autocannon') {
    try {
      // `wrk -v` prints its version and usage, and exits 1.
      execFileSync('wrk', ['-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const out = `${(err as { stdout?: Buffer }).stdout ?? ''}${(err as { stderr?: Buffer }).stderr ?? ''}`;
      const m = /^wrk (\S+)/m.exec(out);
      if (m) return (detected = { name: 'wrk', version: m[1]!, lowerBound: false });
    }
  }
  const version = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  return (detected = { name: 'autocannon', version, lowerBound: true });
}

/** The line printed at the start of a run saying which generator measures. */
export function generatorNotice(g: Generator): string {
  return g.lowerBound
    ? 'load generator: wrk NOT FOUND, falling back to autocannon (JavaScript, same cores): every req/s below is a LOWER BOUND. Install wrk: apt-get install -y wrk'
    : `load generator: wrk ${g.version} (native)`;
}

// wrk prints this JSON line at the end of a run (latency in µs).
const WRK_SCRIPT = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WARTA_BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;
let scriptPath: string | undefined;

/**
 * The report script plus a `request` function that sends the paths in turn,
 * thread t of T taking the paths at positions t, t + T, t + 2T…, so two
 * threads never ask for the same page: a cold case spread over distinct
 * pages, so that concurrent requests for one document, which Warta renders
 * once for all (src/feeds/serve/document-cache.ts, renderOnce), do not pass for cold renders.
 */
function rotatingScript(paths: string[], threads: number): string {
  const list = paths.map((p) => `"${p.replace(/["\\]/g, '')}"`).join(',');
  return `paths = {${list}}
counter = 0
setup = function(thread)
  thread:set("index", counter)
  counter = counter + 1
end
init = function(args)
  mine = {}
  for k = index + 1, #paths, ${threads} do mine[#mine + 1] = paths[k] end
  i = 0
end
request = function()
  i = (i % #mine) + 1
  return wrk.format(nil, mine[i])
end
${WRK_SCRIPT}`;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  bytes: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50_us: number;
  p99_us: number;
}

function runWrk(url: string, headers: Record<string, string>, connections: number, threads: number, seconds: number, paths?: string[]): Promise<WrkSummary> {
  if (!scriptPath) {
    scriptPath = join(mkdtempSync(join(tmpdir(), 'warta-wrk-')), 'report.lua');
    writeFileSync(scriptPath, WRK_SCRIPT);
  }
  let script = scriptPath;
  if (paths && paths.length > 1) {
    script = join(mkdtempSync(join(tmpdir(), 'warta-wrk-')), 'rotate.lua');
    writeFileSync(script, rotatingScript(paths, Math.min(threads, connections)));
  }
  const args = ['-t', String(Math.min(threads, connections)), '-c', String(connections), '-d', `${Math.max(1, Math.round(seconds))}s`, '--timeout', '30s', '-s', script];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const [command, pinnedArgs] = pinnedCommand('wrk', args, CLIENT_CPU);
    const child = spawn(command, pinnedArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = /^WARTA_BENCH (.*)$/m.exec(out)?.[1];
      if (code !== 0 || !line) return reject(new Error(`bench: wrk exited ${code}: ${out.slice(0, 500)}`));
      resolve(JSON.parse(line) as WrkSummary);
    });
  });
}

async function wrkLoad(url: string, headers: Record<string, string>, settings: LoadSettings, beforeMeasure?: () => Promise<void>, paths?: string[]): Promise<LoadResult> {
  const threads = settings.threads ?? 2;
  if (settings.warmupSeconds > 0) await runWrk(url, headers, settings.connections, threads, settings.warmupSeconds, paths);
  await beforeMeasure?.();
  const r = await runWrk(url, headers, settings.connections, threads, settings.durationSeconds, paths);
  const seconds = r.duration_us / 1e6;
  const errors = r.connect + r.read + r.write + r.timeout;
  return {
    rps: r.requests / seconds,
    p50: r.p50_us / 1000,
    p99: r.p99_us / 1000,
    requests: r.requests,
    bytesPerSecond: r.bytes / seconds,
    errors,
    statuses: { ok: r.requests - r.status, '>=400': r.status },
    unexpected: r.status,
    generator: 'wrk',
  };
}

async function autocannonLoad(url: string, headers: Record<string, string>, settings: LoadSettings, expectStatus: number, beforeMeasure?: () => Promise<void>, paths?: string[]): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const base = { url, headers, connections: settings.connections, pipelining: 1, timeout: 30, ...(paths && paths.length > 1 ? { requests: paths.map((path) => ({ path })) } : {}) };
  if (settings.warmupSeconds > 0) await autocannon({ ...base, duration: settings.warmupSeconds });
  await beforeMeasure?.();
  const r = await autocannon({ ...base, duration: settings.durationSeconds });
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
  const expected = statuses[String(expectStatus)] ?? 0;
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    bytesPerSecond: r.throughput.average,
    errors: r.errors,
    statuses,
    unexpected: answered - expected,
    generator: 'autocannon',
  };
}

/**
 * Loads `url` (loopback only) with `headers`; `expectStatus` is what every response should be
 * (with wrk, which only counts statuses ≥ 400, the caller also checks bytes per response);
 * `beforeMeasure` runs between warm-up and measurement; `paths`, when given, are requested in
 * turn on `url`'s origin instead of `url`'s own path.
 */
export async function loadTest(
  url: string,
  headers: Record<string, string>,
  settings: LoadSettings,
  expectStatus = 200,
  beforeMeasure?: () => Promise<void>,
  paths?: string[],
): Promise<LoadResult> {
  assertLoopback(url);
  return loadGenerator().name === 'wrk' ? wrkLoad(url, headers, settings, beforeMeasure, paths) : autocannonLoad(url, headers, settings, expectStatus, beforeMeasure, paths);
}
