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

/** Creates the table when it does not exist; returns whether it was created. */
export async function ensureTable(db: Db): Promise<boolean> {
  try {
    await db.raw.send(new DescribeTableCommand({ TableName: db.table }));
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  try {
    await db.raw.send(new CreateTableCommand(tableDefinition(db.table)));
  } catch (err) {
    if ((err as Error).name !== 'ResourceInUseException') throw err;
    return false;
  }
  return true;
}
