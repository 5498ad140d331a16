/**
 * Opens the store the way `npm start` does (WARTA_STORE): the embedded
 * dynalite persisted under WARTA_DATA_DIR (default ./.warta), the
 * DYNAMODB_ENDPOINT, or AWS by AWS_REGION; table WARTA_TABLE. For operator
 * scripts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { readStoreKind, type Bindings, type StoreKind } from '../../src/config.js';
import { createDb, type Db } from '../../src/store/db.js';
import { ensureTable } from '../../src/store/table.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/embedded/dynalite.js';

/** An open store and how to let it go. */
export interface OpenStore {
  db: Db;
  /** Where it is: the endpoint, the data directory of the embedded store, or the AWS region. */
  where: string;
  kind: StoreKind;
  /** Whether the table was created by this call (only with `create`). */
  created: boolean;
  close(): Promise<void>;
}

/** The environment variables read here. */
export type StoreEnv = Record<string, string | undefined>;

/**
 * Opens the store named by `env`; throws (prefixed "scripts:") when it
 * cannot, e.g. no table. With `create` a missing table (and a missing
 * embedded store) is created instead, with TTL on.
 */
export async function openStoreFromEnv(env: StoreEnv, options: { create?: boolean } = {}): Promise<OpenStore> {
  let store: EmbeddedStore | undefined;
  const kind = readStoreKind(env as Bindings, 'embedded');
  let endpoint = kind === 'endpoint' ? env.DYNAMODB_ENDPOINT : undefined;
  let where = kind === 'aws' ? `AWS ${env.AWS_REGION}` : (endpoint ?? '');
  if (kind === 'embedded') {
    const path = join(env.WARTA_DATA_DIR || './.warta', 'dynalite');
    if (!options.create && !existsSync(path)) throw new Error(`scripts: no embedded store at ${path} (set WARTA_DATA_DIR, or WARTA_STORE and DYNAMODB_ENDPOINT / AWS_REGION)`);
    store = await startEmbeddedStore({ path });
    endpoint = store.endpoint;
    where = path;
  }
  const aws = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY;
  const db = createDb({
    table: env.WARTA_TABLE || 'warta',
    region: env.AWS_REGION || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    ...(store
      ? { credentials: store.credentials }
      : aws
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : !endpoint || endpoint.startsWith('https://') ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  const close = async () => {
    db.raw.destroy();
    await store?.close();
  };
  // dynalite throws outside any promise when LevelDB cannot be opened (another process holds its lock).
  let onUncaught: ((err: Error) => void) | undefined;
  const storeFailure = new Promise<never>((_, reject) => {
    onUncaught = (err) => reject(err);
    if (store) process.on('uncaughtException', onUncaught);
  });
  let created = false;
  try {
    if (options.create) created = await Promise.race([ensureTable(db), storeFailure]);
    else await Promise.race([db.raw.send(new DescribeTableCommand({ TableName: db.table })), storeFailure]);
  } catch (err) {
    await close().catch(() => {});
    const hint = store ? ' (is `npm start` still running on this data directory? stop it first)' : '';
    throw new Error(`scripts: cannot open table "${db.table}" at ${where}${hint}: ${(err as Error).message}`, { cause: err });
  } finally {
    if (onUncaught) process.off('uncaughtException', onUncaught);
  }
  return { db, where, kind, created, close };
}
