/**
 * `npm run crash [-- --kills 8 --seed 1 --writers 4 --articles 12 --life-min 400 --life-max 1500 --keep]`
 * (or CRASH_KILLS, CRASH_SEED, ...): SIGKILLs the Node server (and the embedded
 * store inside it) at seeded random moments under a stream of writes, restarts it
 * on the same data directory, and checks that no acknowledged write was lost, no
 * feed shows a deleted or moved article, and check:store finds (after repair) nothing.
 * Exit status 0 when all holds, 1 otherwise.
 */
import { runCrash } from './support/crash-run.js';
import { option, percentile, table } from './support/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const kinds = (divergences: { kind: string }[]) => {
  const m = new Map<string, number>();
  for (const d of divergences) m.set(d.kind, (m.get(d.kind) ?? 0) + 1);
  return m.size ? [...m].map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
};

async function main(): Promise<number> {
  const options = {
    kills: option('kills', 'CRASH_KILLS', 8),
    seed: option('seed', 'CRASH_SEED', 1),
    writers: option('writers', 'CRASH_WRITERS', 4),
    articlesPerWriter: option('articles', 'CRASH_ARTICLES', 12),
    lifeMinMs: option('life-min', 'CRASH_LIFE_MIN_MS', 400),
    lifeMaxMs: option('life-max', 'CRASH_LIFE_MAX_MS', 1500),
    keepDataDir: process.argv.includes('--keep'),
    log: (line: string) => console.log(`crash: ${line}`),
  };
  if (options.kills > 50 || options.writers > 32) throw new Error('scripts: at most 50 kills and 32 writers');
  const started = Date.now();
  const r = await runCrash(options);
  const lost = r.verification.lost.length;
  console.log('');
  console.log(table(['measure', 'value'], [
    ['operations', r.operations],
    ['acknowledged', r.acknowledged],
    ['uncertain (in flight at a kill, or 503)', r.uncertain],
    ['lost acknowledged writes', lost],
    ['unexplained states', r.verification.unexplained.length],
    ['unexpected answers', r.unexpectedAnswers.length],
    ['kills (SIGKILL)', r.kills],
    ['restart to listening p50 / max (ms)', `${percentile(r.restartMs, 50)} / ${Math.max(...r.restartMs)}`],
    ['write latency p50 / p99 (ms)', `${percentile(r.writeLatencyMs, 50)} / ${percentile(r.writeLatencyMs, 99)}`],
    ['articles verified', r.verification.checked],
    ['feed documents checked', r.feedDocumentsChecked],
    ['feeds showing deleted/moved articles', r.feedViolations.length],
    ['check:store before repair', kinds(r.checkBefore.divergences)],
    ['check:store after repair', kinds(r.repair.after.divergences)],
    ['duration (s)', Math.round((Date.now() - started) / 100) / 10],
  ]));
  for (const line of [...r.verification.lost, ...r.verification.unexplained, ...r.unexpectedAnswers, ...r.feedViolations].slice(0, 50)) console.log(`  ! ${line}`);
  if (options.keepDataDir) console.log(`data kept in ${r.dataDir}`);
  const ok = lost === 0 && !r.verification.unexplained.length && !r.unexpectedAnswers.length && !r.feedViolations.length && !r.repair.after.divergences.length;
  console.log(ok ? 'crash: OK' : 'crash: FAILED');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
