/**
 * `npm run check:store [-- --repair] [--json] [--grace-ms N]`: compares the
 * article records with every derived item (feed entries, change entries,
 * feed counts and embargo sets), lists interrupted writes and orphan content
 * chunks; with --repair replays the interrupted writes and fixes the rest.
 * Reads the same environment as `npm start` (see scripts/support/store-env.ts).
 * Exit status: 0 consistent (after repair, if asked), 1 divergences left, 2 error.
 */
import { checkStore, type StoreReport } from '../src/store/consistency.js';
import { repairStore } from '../src/store/consistency-repair.js';
import { INTENT_GRACE_MS } from '../src/store/recovery.js';
import { openStoreFromEnv } from './support/store-env.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[i + 1] ?? '');
}
const has = (name: string) => process.argv.slice(2).includes(name);

function summary(r: StoreReport): string {
  const byKind = new Map<string, number>();
  for (const d of r.divergences) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
  return `${r.scannedItems} items, ${r.articles} articles, ${r.tombstones} tombstones, ${r.feeds} feeds, ${r.inFlight} in flight; ` +
    `${r.divergences.length} divergence${r.divergences.length === 1 ? '' : 's'}${kinds ? ` (${kinds})` : ''}`;
}

function list(r: StoreReport, max = 200): void {
  for (const d of r.divergences.slice(0, max)) console.log(`  ${d.kind.padEnd(16)} ${d.key.pk} ${d.key.sk}  ${d.detail}`);
  if (r.divergences.length > max) console.log(`  ... and ${r.divergences.length - max} more (use --json for all)`);
}

async function main(): Promise<number> {
  const repair = has('--repair');
  const json = has('--json');
  const grace = flag('--grace-ms');
  const graceMs = grace === undefined ? INTENT_GRACE_MS : Number(grace);
  if (!Number.isInteger(graceMs) || graceMs < 0) throw new Error(`scripts: --grace-ms must be a non-negative integer, got "${grace}"`);
  const store = await openStoreFromEnv(process.env);
  try {
    const options = { nowMs: Date.now(), graceMs };
    if (!repair) {
      const report = await checkStore(store.db, options);
      if (json) console.log(JSON.stringify({ store: store.where, table: store.db.table, report }, null, 2));
      else {
        console.log(`check:store ${store.where} table ${store.db.table}: ${summary(report)}`);
        list(report);
      }
      return report.divergences.length ? 1 : 0;
    }
    const result = await repairStore(store.db, options);
    if (json) console.log(JSON.stringify({ store: store.where, table: store.db.table, ...result }, null, 2));
    else {
      console.log(`check:store ${store.where} table ${store.db.table}`);
      console.log(`before: ${summary(result.before)}`);
      list(result.before);
      console.log(`repair: ${result.replayed} interrupted write${result.replayed === 1 ? '' : 's'} replayed, ${result.fixed} item${result.fixed === 1 ? '' : 's'} fixed`);
      console.log(`after:  ${summary(result.after)}`);
      list(result.after);
    }
    return result.after.divergences.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
