/**
 * The table definition, as code: created on local start (and by
 * `npm run table:create`), and mirrored by infra/dynamodb-table.json for
 * operators (a test keeps the two equal).
 */
import {
  CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { causeMessage, storeErrorCode } from './errors.js';
import { PROBE_KEY } from './keys.js';

/** CreateTable input for a table named `tableName`: single table, on-demand billing. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}

/** The attribute AWS should expire items by (idempotency records, WebSub leases); dynalite ignores it. */
export const TTL_ATTRIBUTE = 'expiresAt';

async function tableStatus(db: Db): Promise<string | null> {
  try {
    const out = await db.raw.send(new DescribeTableCommand({ TableName: db.table }));
    return out.Table?.TableStatus ?? null;
  } catch (err) {
    if (storeErrorCode(err) === 'ResourceNotFoundException') return null;
    throw err;
  }
}

/** TTL state after enableTtl: on, or the store has no TTL (dynalite). */
export type TtlState = 'enabled' | 'unsupported';

/** Turns on expiry by TTL_ATTRIBUTE unless it is on already; dynalite has no TTL and says so. */
export async function enableTtl(db: Db): Promise<TtlState> {
  try {
    const now = await db.raw.send(new DescribeTimeToLiveCommand({ TableName: db.table }));
    const d = now.TimeToLiveDescription;
    if ((d?.TimeToLiveStatus === 'ENABLED' || d?.TimeToLiveStatus === 'ENABLING') && d.AttributeName === TTL_ATTRIBUTE) return 'enabled';
    await db.raw.send(new UpdateTimeToLiveCommand({ TableName: db.table, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }));
    return 'enabled';
  } catch (err) {
    if (storeErrorCode(err) === 'UnknownOperationException') return 'unsupported';
    throw new Error(`store: could not enable TTL on table ${db.table}`, { cause: err });
  }
}

/**
 * Proves the table exists and answers, with one GetItem of a key no item has:
 * the start-up check of a least-privilege deployment (no DescribeTable).
 */
export async function checkTable(db: Db): Promise<void> {
  try {
    await db.doc.send(new GetCommand({ TableName: db.table, Key: PROBE_KEY, ConsistentRead: true }));
  } catch (err) {
    if (storeErrorCode(err) === 'ResourceNotFoundException') {
      throw new Error(`store: table ${db.table} does not exist (create it with \`npm run table:create\`, or let Warta create it: WARTA_CREATE_TABLE=1)`, { cause: err });
    }
    throw new Error(`store: table ${db.table} does not answer: ${causeMessage(err)}`, { cause: err });
  }
}

/** Start-up: creates the table when allowed (WARTA_CREATE_TABLE), else only checks it answers. */
export async function prepareTable(db: Db, create: boolean): Promise<void> {
  if (create) await ensureTable(db);
  else await checkTable(db);
}

/** Creates the table when it does not exist (with TTL on) and waits until it is ACTIVE; returns whether it was created. */
export async function ensureTable(db: Db, timeoutMs = 60_000): Promise<boolean> {
  let created = false;
  if ((await tableStatus(db)) === null) {
    try {
      await db.raw.send(new CreateTableCommand(tableDefinition(db.table)));
      created = true;
    } catch (err) {
      if (storeErrorCode(err) !== 'ResourceInUseException') throw err;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; (await tableStatus(db)) !== 'ACTIVE'; wait = Math.min(wait * 2, 1000)) {
    if (Date.now() > deadline) throw new Error(`store: table ${db.table} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, wait));
  }
  if (created) await enableTtl(db);
  return created;
}
