/**
 * `npm run build:worker`: bundles the Worker as `wrangler deploy` would
 * (`--dry-run`, no account) into dist/, and fails (exit 1) when the bundle
 * compressed with gzip (level 9) reaches the budget of 1 MiB, far below the
 * Workers limit (3 MiB Free, 10 MiB Paid, compressed) so growth is noticed
 * early. Run by .ci/run.
 */
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildWorker } from '../src/server/wrangler-dev.js';

/** The gzip budget of the deploy bundle. */
export const GZIP_BUDGET_BYTES = 1024 * 1024;

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<number> {
  rmSync('dist', { recursive: true, force: true });
  const bundle = await buildWorker({ outdir: 'dist' });
  const code = readFileSync(bundle);
  const gzip = gzipSync(code, { level: 9 }).length;
  const within = gzip < GZIP_BUDGET_BYTES;
  console.log(`build:worker ${bundle}: ${code.length} B (${kib(code.length)}) raw, ${gzip} B (${kib(gzip)}) gzip; budget ${kib(GZIP_BUDGET_BYTES)} gzip: ${within ? 'within' : 'OVER BUDGET'}`);
  return within ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
