/**
 * The table definition, as code: created on local start, and mirrored by
 * infra/dynamodb-table.json for operators (a test keeps the two equal).
 */
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Db } from './db.js';

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
    if (err instanceof ResourceNotFoundException || (err as Error).name === 'ResourceNotFoundException') return null;
    throw err;
  }
}

/** Creates the table when it does not exist and waits until it is ACTIVE; returns whether it was created. */
export async function ensureTable(db: Db, timeoutMs = 60_000): Promise<boolean> {
  let created = false;
  if ((await tableStatus(db)) === null) {
    try {
      await db.raw.send(new CreateTableCommand(tableDefinition(db.table)));
      created = true;
    } catch (err) {
      if ((err as Error).name !== 'ResourceInUseException') throw err;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; (await tableStatus(db)) !== 'ACTIVE'; wait = Math.min(wait * 2, 1000)) {
    if (Date.now() > deadline) throw new Error(`store: table ${db.table} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, wait));
  }
  return created;
}
