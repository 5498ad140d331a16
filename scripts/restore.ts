/**
 * `npm run restore -- <file> [--force]`: loads a backup made by
 * `npm run backup` into the table where WARTA_STORE points, creating it
 * (with TTL) when missing. Refuses a table that already holds items unless
 * --force (items of the backup then overwrite those with the same key;
 * others stay). Exit 0 done, 1 refused, 2 error.
 */
import { restoreTable, tableIsEmpty, type Progress } from './support/backup.js';
import { openStoreFromEnv } from './support/store-env.js';
import { runCommand } from './support/run-command.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

class Refused extends Error {}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('scripts: usage: npm run restore -- <file.jsonl.gz> [--force]');
  const store = await openStoreFromEnv(process.env, { create: true });
  try {
    if (!force && !(await tableIsEmpty(store.db))) {
      throw new Refused(`scripts: table ${store.db.table} at ${store.where} is not empty; restore only into an empty table, or add --force to write over it`);
    }
    const done = await restoreTable(store.db, file, (p: Progress) => console.error(`restore: ${p.items} items written`));
    console.log(`restore: ${done.items} items of table ${done.header.table} (backup of ${done.header.startedAt}) written to ${store.where} table ${store.db.table}`);
  } finally {
    await store.close();
  }
}

runCommand(main, (err) => (err instanceof Refused ? 1 : 2));
