/**
 * `npm run backup -- --out <file>`: every item of the table where
 * WARTA_STORE points (scripts/support/store-env.ts), as gzip-compressed JSON
 * lines, with a progress line per Scan page on stderr. Needs dynamodb:Scan
 * and DescribeTable: the operator's credentials. Exit 0 done, 2 error.
 */
import { backupTable, type Progress } from './support/backup.js';
import { openStoreFromEnv } from './support/store-env.js';
import { runCommand } from './support/run-command.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const progressLine = (p: Progress) => `backup: ${p.items} items, ${p.pages} pages, ${(p.bytes / 1024).toFixed(1)} KiB before compression`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === '--out' || a.startsWith('--out='));
  const out = i < 0 ? undefined : args[i]!.includes('=') ? args[i]!.slice(6) : args[i + 1];
  if (!out) throw new Error('scripts: usage: npm run backup -- --out <file.jsonl.gz>');
  const store = await openStoreFromEnv(process.env);
  try {
    const done = await backupTable(store.db, out, (p) => console.error(progressLine(p)));
    console.log(`backup: ${store.where} table ${store.db.table}: ${done.items} items in ${done.pages} pages written to ${out}`);
  } finally {
    await store.close();
  }
}

runCommand(main);
