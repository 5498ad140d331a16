/**
 * Command-line options of `npm run bench` (also readable from BENCH_*
 * environment variables):
 *
 *   --n 1000,100000      corpus sizes (default 1,000 and 100,000)
 *   --quick              N = 1,000 and 10,000, 1 s warm-up, 5 s per run
 *   --duration 10        seconds measured per run   --warmup 2   seconds of warm-up
 *   --connections 32     connections of the load generator (wrk, else autocannon)
 *   --threads 2          wrk threads
 *   --profile <dir>      run the server children with `node --cpu-prof`, profiles written to <dir>
 *   --publish-connections 4   concurrent batch POSTs (and raw baseline workers)
 *   --load-parallel 4    writeArticles calls in flight while loading
 *   --cases <regex>      only the cases whose id matches (e.g. "warm-rss|cold")
 *   --server-flags=<flags>  Node flags of the server children instead of those of `npm start`
 *                        (e.g. --server-flags="--max-semi-space-size=8"; --server-flags= for none)
 *   --store-dir <dir>    keep each N's loaded dynalite under <dir>/n<N> and reuse it on the next run
 *                        (skips the load; the articles published by earlier runs stay in it)
 *   --pin                servers on CPU 1, wrk, dynalite and the harness on CPU 0 (taskset; see cpu-pinning.ts)
 *   --out bench/results  where latest.json and latest.md go
 */
import { parseArgs } from 'node:util';

/** Resolved options. */
export interface BenchOptions {
  sizes: number[];
  quick: boolean;
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
  threads: number;
  /** Where the server children write their CPU profiles (`--cpu-prof-dir`); none when absent. */
  profileDir?: string;
  publishConnections: number;
  publishSeconds: number;
  loadParallel: number;
  cases?: RegExp;
  outDir: string;
  /** Node flags of the server children, instead of those of `npm start`. */
  serverFlags?: string[];
  /** Where loaded stores are kept between runs; none: a fresh temp store per N. */
  storeDir?: string;
  /** Servers on one core, the generator and the store on the other (taskset). */
  pin: boolean;
}

const positive = (name: string, raw: string | undefined, fallback: number, allowZero = false): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`bench: --${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  return n;
};

/** Parses argv (after the script name) and BENCH_* variables. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      quick: { type: 'boolean' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      profile: { type: 'string' },
      'publish-connections': { type: 'string' },
      'publish-seconds': { type: 'string' },
      'load-parallel': { type: 'string' },
      cases: { type: 'string' },
      out: { type: 'string' },
      'store-dir': { type: 'string' },
      'server-flags': { type: 'string' },
      pin: { type: 'boolean' },
    },
    strict: true,
  });
  const quick = Boolean(values.quick ?? /^(1|true|yes)$/i.test(env.BENCH_QUICK ?? ''));
  const rawN = values.n ?? env.BENCH_N;
  const sizes = rawN
    ? rawN.split(',').map((s) => positive('n', s.replace(/_/g, '').trim(), 0))
    : quick
      ? [1_000, 10_000]
      : [1_000, 100_000];
  const durationSeconds = positive('duration', values.duration ?? env.BENCH_DURATION, quick ? 5 : 10);
  return {
    sizes: [...new Set(sizes.map((n) => Math.floor(n)))].sort((a, b) => a - b),
    quick,
    warmupSeconds: positive('warmup', values.warmup ?? env.BENCH_WARMUP, quick ? 1 : 2, true),
    durationSeconds,
    connections: positive('connections', values.connections ?? env.BENCH_CONNECTIONS, 32),
    threads: positive('threads', values.threads ?? env.BENCH_THREADS, 2),
    ...(values.profile ?? env.BENCH_PROFILE ? { profileDir: values.profile ?? env.BENCH_PROFILE! } : {}),
    publishConnections: positive('publish-connections', values['publish-connections'] ?? env.BENCH_PUBLISH_CONNECTIONS, 4),
    publishSeconds: positive('publish-seconds', values['publish-seconds'] ?? env.BENCH_PUBLISH_SECONDS, durationSeconds),
    loadParallel: positive('load-parallel', values['load-parallel'] ?? env.BENCH_LOAD_PARALLEL, 4),
    ...(values.cases ?? env.BENCH_CASES ? { cases: new RegExp(values.cases ?? env.BENCH_CASES!) } : {}),
    outDir: values.out ?? env.BENCH_OUT ?? 'bench/results',
    pin: Boolean(values.pin ?? /^(1|true|yes)$/i.test(env.BENCH_PIN ?? '')),
    ...(values['server-flags'] !== undefined ? { serverFlags: values['server-flags'].split(/\s+/).filter(Boolean) } : {}),
    ...(values['store-dir'] ?? env.BENCH_STORE_DIR_KEEP ? { storeDir: values['store-dir'] ?? env.BENCH_STORE_DIR_KEEP! } : {}),
  };
}
