/**
 * `npm run load [-- --duration 60 --publishers 4 --feed-connections 8 --api-connections 4 --seed 1]`
 * (or LOAD_DURATION_S, LOAD_PUBLISHERS, ...): sustained publishing and reading against the
 * Node server with a fresh embedded store, on loopback; stops by itself after the duration.
 * Prints throughput and latency per kind of request, then checks: zero 5xx, zero lost
 * acknowledged writes, every feed parses, no feed shows a deleted or moved article, and
 * check:store finds nothing. Exit status 0 when all holds, 1 otherwise.
 */
import { runLoad } from './support/load-run.js';
import { option, table } from './support/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<number> {
  const options = {
    durationS: option('duration', 'LOAD_DURATION_S', 60),
    publishers: option('publishers', 'LOAD_PUBLISHERS', 4),
    feedConnections: option('feed-connections', 'LOAD_FEED_CONNECTIONS', 8),
    apiConnections: option('api-connections', 'LOAD_API_CONNECTIONS', 4),
    seed: option('seed', 'LOAD_SEED', 1),
    log: (line: string) => console.log(`load: ${line}`),
  };
  if (options.durationS < 1 || options.durationS > 3600) throw new Error('scripts: --duration must be 1 to 3600 seconds');
  if (options.publishers > 64 || options.feedConnections > 256 || options.apiConnections > 256) throw new Error('scripts: too many publishers or connections');
  console.log(`load: ${options.durationS} s, ${options.publishers} publishers, ${options.feedConnections} feed and ${options.apiConnections} API reader connections, loopback only`);
  const r = await runLoad(options);
  console.log('');
  console.log(table(['kind', 'requests', 'per s', 'p50 ms', 'p99 ms', '5xx', 'other non-2xx'], r.kinds.map((k) => [k.kind, k.requests, k.perSecond, k.p50, k.p99, k.errors5xx, k.other])));
  const errors5xx = r.kinds.filter((k) => k.kind !== 'writes, all').reduce((n, k) => n + k.errors5xx, 0);
  console.log('');
  console.log(table(['check', 'value'], [
    ['5xx answers', errors5xx],
    ['acknowledged articles read back', r.verification.checked],
    ['lost acknowledged writes', r.verification.lost.length],
    ['unexplained states', r.verification.unexplained.length],
    ['unexpected write answers', r.unexpectedAnswers.length],
    ['feed documents parsed', r.feedDocumentsChecked],
    ['feeds showing deleted/moved articles', r.feedViolations.length],
    ['check:store divergences', r.check.divergences.length],
  ]));
  for (const line of [...r.verification.lost, ...r.verification.unexplained, ...r.unexpectedAnswers, ...r.feedViolations, ...r.check.divergences.map((d) => `${d.kind} ${d.key.pk} ${d.key.sk} ${d.detail}`)].slice(0, 50)) console.log(`  ! ${line}`);
  const ok = errors5xx === 0 && !r.verification.lost.length && !r.verification.unexplained.length && !r.unexpectedAnswers.length && !r.feedViolations.length && !r.check.divergences.length;
  console.log(ok ? 'load: OK' : 'load: FAILED');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exit(2);
  },
);
