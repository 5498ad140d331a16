/**
 * Opens the store the way `npm start` does: DYNAMODB_ENDPOINT and
 * WARTA_TABLE when an endpoint is set, otherwise the embedded dynalite
 * persisted under WARTA_DATA_DIR (default ./.warta). For operator scripts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createDb, type Db } from '../../src/store/db.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/embedded/dynalite.js';

/** An open store and how to let it go. */
export interface OpenStore {
  db: Db;
  /** Where it is: the endpoint, or the data directory of the embedded store. */
  where: string;
  close(): Promise<void>;
}

/** The environment variables read here. */
export type StoreEnv = Record<string, string | undefined>;

/** Opens the store named by `env`; throws (prefixed "scripts:") when it cannot, e.g. no table. */
export async function openStoreFromEnv(env: StoreEnv): Promise<OpenStore> {
  let store: EmbeddedStore | undefined;
  let endpoint = env.DYNAMODB_ENDPOINT;
  let where = endpoint ?? '';
  if (!endpoint) {
    const path = join(env.WARTA_DATA_DIR || './.warta', 'dynalite');
    if (!existsSync(path)) throw new Error(`scripts: no embedded store at ${path} (set WARTA_DATA_DIR or DYNAMODB_ENDPOINT)`);
    store = await startEmbeddedStore({ path });
    endpoint = store.endpoint;
    where = path;
  }
  const aws = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY;
  const db = createDb({
    table: env.WARTA_TABLE || 'warta',
    region: env.AWS_REGION || 'us-east-1',
    endpoint,
    ...(store
      ? { credentials: store.credentials }
      : aws
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : endpoint.startsWith('https://') ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
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
  try {
    await Promise.race([db.raw.send(new DescribeTableCommand({ TableName: db.table })), storeFailure]);
  } catch (err) {
    await close().catch(() => {});
    const hint = store ? ' (is `npm start` still running on this data directory? stop it first)' : '';
    throw new Error(`scripts: cannot open table "${db.table}" at ${where}${hint}: ${(err as Error).message}`, { cause: err });
  } finally {
    if (onUncaught) process.off('uncaughtException', onUncaught);
  }
  return { db, where, close };
}
