/**
 * `npm run table:create`: creates Warta's table where WARTA_STORE points
 * (see scripts/support/store-env.ts) with expiry by `expiresAt` (TTL) on,
 * for operators who let Warta make it; an existing table only gets TTL
 * turned on. Needs dynamodb:CreateTable, DescribeTable, DescribeTimeToLive
 * and UpdateTimeToLive: run it with the operator's credentials, not the
 * service's. Exit status 0 done, 2 error.
 */
import { enableTtl, TTL_ATTRIBUTE } from '../src/store/table.js';
import { openStoreFromEnv } from './support/store-env.js';
import { runCommand } from './support/run-command.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const store = await openStoreFromEnv(process.env, { create: true });
  try {
    const ttl = await enableTtl(store.db);
    const what = store.created ? 'created' : 'exists';
    const ttlText = ttl === 'enabled' ? `TTL on ${TTL_ATTRIBUTE}` : 'TTL unsupported by this store (dynalite)';
    console.log(`table:create ${store.where} table ${store.db.table}: ${what}, ACTIVE, ${ttlText}`);
  } finally {
    await store.close();
  }
}

runCommand(main);
