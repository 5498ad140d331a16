/**
 * `npm run bench`: the Warta benchmark (see BENCHMARKS.md). For each N it
 * loads the corpus into a fresh dynalite (own process, temp dir), times the
 * pure renderers, runs the cold cases on a server without document cache,
 * then the warm, 304, deep-page, change-API and publishing cases on a
 * default server (each server its own process; autocannon runs here), and
 * compares with the static baseline (another process). Prints a table,
 * writes bench/results/latest.{json,md}. Everything on 127.0.0.1.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { randomBytes } from 'node:crypto';
import { cpus, totalmem, platform, release } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOptions } from './options.js';
import type { EmbeddedCredentials } from '../src/embedded/dynalite.js';
import { installCleanup, makeTempDir, removeTempDir, startChild, type BenchChild } from './processes.js';
import { START_NODE_FLAGS, startWartaServer } from './warta-server.js';
import { benchDb, loadArticles, prepareStore, type LoadStats } from './load-store.js';
import { measureRenderTimes } from './render-times.js';
import { runChangesCase, runColdCases, runDeepCase, runNotModifiedCases, runWarmCases, serverStats, type CaseEnv, type CaseResult } from './cases.js';
import { runPublishCase } from './publish.js';
import { runStoreCeiling } from './store-ceiling.js';
import { closeAgent } from './http.js';
import { generatorNotice, loadGenerator } from './load-test.js';
import { CLIENT_CPU, enablePinning, pinProcess, SERVER_CPU } from './cpu-pinning.js';
import { resolve as resolvePath } from 'node:path';
import { finishReport, formatText, writeResults } from './report.js';
import type { MemoryAtPeak, SizeResult } from './targets.js';

type Server = BenchChild<{ url: string }>;

const options = readOptions(process.argv.slice(2), process.env);
installCleanup();
const t0 = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
const selected = (id: string) => !options.cases || options.cases.test(id);
const settings = { connections: options.connections, threads: options.threads, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds };
const generator = loadGenerator();
const ADMIN_TOKEN = `bench-admin-${randomBytes(18).toString('base64url')}`;
const CURSOR_SECRET = randomBytes(32).toString('base64url');
const TABLE = 'warta-bench';

/** Samples a server's memory every 250 ms; `stop` returns the highest RSS and heap seen, and the breakdown at that RSS. */
function trackPeakMemory(server: Server): { stop: () => Promise<{ rss: number; heapUsed: number; atPeak?: MemoryAtPeak }> } {
  const peak: { rss: number; heapUsed: number; atPeak?: MemoryAtPeak } = { rss: 0, heapUsed: 0 };
  const sample = () =>
    serverStats(server).then(
      (s) => {
        if (s.rss > peak.rss) peak.atPeak = { heapUsed: s.heapUsed, heapTotal: s.heapTotal, external: s.external, arrayBuffers: s.arrayBuffers };
        peak.rss = Math.max(peak.rss, s.rss);
        peak.heapUsed = Math.max(peak.heapUsed, s.heapUsed);
      },
      () => undefined,
    );
  const timer = setInterval(sample, 250);
  return {
    stop: async () => {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}

function notePeak(rss: SizeResult['rss'], peak: { rss: number; heapUsed: number; atPeak?: MemoryAtPeak }): void {
  if (peak.rss > rss.peak && peak.atPeak) rss.atPeak = peak.atPeak;
  rss.peak = Math.max(rss.peak, peak.rss);
  rss.peakHeapUsed = Math.max(rss.peakHeapUsed ?? 0, peak.heapUsed);
}

/** `feedCache` false: the cold server (no rendered documents; records and items held per version, as in production). */
function startServer(name: string, endpoint: string, dir: string, feedCache: boolean, credentials: EmbeddedCredentials): Promise<Server> {
  const execArgv = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', resolvePath(options.profileDir, feedCache ? 'warm' : 'cold')] : [];
  return startWartaServer({ name, endpoint, credentials, table: TABLE, adminToken: ADMIN_TOKEN, cursorSecret: CURSOR_SECRET, dir, feedCache, execArgv, ...(options.serverFlags ? { nodeFlags: options.serverFlags } : {}) }).then((server) => {
    pinProcess(server.pid, SERVER_CPU);
    return server;
  });
}

async function runSize(n: number, baseline: Server): Promise<SizeResult> {
  const dir = makeTempDir('warta-bench-');
  log(`N=${n.toLocaleString('en-US')}: starting dynalite under ${dir}`);
  const kept = options.storeDir ? join(resolvePath(options.storeDir), `n${n}`) : undefined;
  const loadedNote = kept ? `${kept}.loaded.json` : undefined;
  const store = await startChild<{ endpoint: string; credentials: EmbeddedCredentials }>('dynalite', './store-child.ts', { BENCH_STORE_DIR: kept ?? join(dir, 'dynalite'), BENCH_TEMP_DIR: dir });
  pinProcess(store.pid, CLIENT_CPU);
  const db = benchDb(store.ready.endpoint, TABLE, store.ready.credentials);
  try {
    let load: LoadStats;
    if (loadedNote && existsSync(loadedNote)) {
      load = JSON.parse(readFileSync(loadedNote, 'utf8')) as LoadStats;
      log(`N=${n.toLocaleString('en-US')}: reusing the store loaded earlier under ${kept} (load figures are that load's)`);
    } else {
      await prepareStore(db);
      load = await loadArticles(db, n, options.loadParallel);
      if (loadedNote) writeFileSync(loadedNote, JSON.stringify(load));
    }
    log(`N=${n.toLocaleString('en-US')}: loaded in ${load.seconds.toFixed(1)} s; timing the renderers`);
    const render = await measureRenderTimes(db);
    const cases: CaseResult[] = await runStoreCeiling(db, settings, selected, log);
    const rss: SizeResult['rss'] = { peak: 0 };

    const cold = await startServer('warta (no document cache, WARTA_FEED_CACHE=items)', store.ready.endpoint, dir, false, store.ready.credentials);
    const coldPeak = trackPeakMemory(cold);
    rss.idle = (await serverStats(cold)).rss;
    try {
      const env: CaseEnv = { server: cold, baseline, settings, selected, log };
      cases.push(...(await runColdCases(env)), ...(await runDeepCase(env, 'cold')));
      rss.cold = (await serverStats(cold)).rss;
    } finally {
      notePeak(rss, await coldPeak.stop());
      await cold.stop();
    }

    const warm = await startServer('warta', store.ready.endpoint, dir, true, store.ready.credentials);
    const warmPeak = trackPeakMemory(warm);
    try {
      const env: CaseEnv = { server: warm, baseline, settings, selected, log };
      cases.push(...(await runWarmCases(env)), ...(await runNotModifiedCases(env)), ...(await runDeepCase(env, 'warm')), ...(await runChangesCase(env, ADMIN_TOKEN, n)));
      rss.warmAfterReads = (await serverStats(warm)).rss;
      // Last: publishing adds articles to the store.
      if (selected('publish-batch-100')) {
        cases.push(await runPublishCase({ server: warm, db, adminToken: ADMIN_TOKEN, seconds: options.publishSeconds, connections: options.publishConnections, poolBatches: 60, log }));
        rss.warmAfterPublish = (await serverStats(warm)).rss;
      }
    } finally {
      notePeak(rss, await warmPeak.stop());
      await warm.stop();
    }
    const storeRss = (await store.call<{ rss: number }>('stats')).rss;
    return { n, load, render, cases, rss, storeRss };
  } finally {
    db.raw.destroy();
    await store.stop();
    removeTempDir(dir);
  }
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  log(generatorNotice(generator));
  process.stdout.write(`${generatorNotice(generator)}\n`);
  log(`server node flags [${(options.serverFlags ?? START_NODE_FLAGS).join(' ')}]`);
  if (options.pin) {
    enablePinning();
    const line = `pinned: servers on CPU ${SERVER_CPU}; wrk, dynalite and the harness on CPU ${CLIENT_CPU}`;
    log(line);
    process.stdout.write(`${line}\n`);
  }
  log(`sizes ${options.sizes.join(', ')}; ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per run${options.cases ? `; cases ${options.cases}` : ''}`);
  const baseline = await startChild<{ url: string }>('static baseline', './baseline-server.ts', {});
  pinProcess(baseline.pid, SERVER_CPU);
  const sizes: SizeResult[] = [];
  let failure: unknown;
  try {
    for (const n of options.sizes) sizes.push(await runSize(n, baseline));
  } catch (err) {
    failure = err;
  } finally {
    await baseline.stop();
    closeAgent();
  }
  if (sizes.length) {
    const cpu = cpus();
    const { cases: caseFilter, ...rest } = options;
    const report = finishReport({
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.versions.node, platform: `${platform()} ${release()}` },
      options: { ...rest, ...(caseFilter ? { cases: caseFilter.source } : {}) },
      generator,
      sizes,
      note: failure
        ? `PARTIAL RUN: stopped by an error (${String((failure as Error).message)}); sizes done: ${sizes.map((s) => s.n).join(', ')}.`
        : 'Numbers depend on the machine and on everything else running on it; compare ratios, and rerun on a quiet machine before quoting.',
    });
    process.stdout.write(`${formatText(report)}\n`);
    for (const file of writeResults(report, options.outDir)) log(`wrote ${file}`);
  }
  if (failure) throw failure;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: failed: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
