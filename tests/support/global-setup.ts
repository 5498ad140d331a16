/**
 * The store of the whole test run. By default one in-memory dynalite on
 * loopback; with WARTA_TEST_DYNAMODB_ENDPOINT (set by
 * `npm run test:dynamodb-local`) an outside DynamoDB on loopback instead,
 * whose tables made by the run are deleted at the end. Each test file
 * creates its own table in it (see warta.ts), so files run in parallel
 * without sharing data.
 */
import type { TestProject } from 'vitest/node';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startEmbeddedStore } from '../../src/embedded/dynalite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The embedded store's credential: it answers nothing else. */
    dynamoCredentials: { accessKeyId: string; secretAccessKey: string };
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function listTables(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** Uses the outside endpoint: only on loopback; deletes, at the end, every table that was not there at the start. */
async function outsideStore(project: TestProject, endpoint: string): Promise<() => Promise<void>> {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    throw new Error(`tests: WARTA_TEST_DYNAMODB_ENDPOINT must be http:// on loopback (the tests create and delete tables), got "${endpoint}"`);
  }
  // DynamoDB Local takes any credential (with -sharedDb every one sees the same tables).
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  const before = new Set(await listTables(client));
  project.provide('dynamoEndpoint', endpoint);
  project.provide('dynamoCredentials', credentials);
  return async () => {
    try {
      const made = (await listTables(client)).filter((name) => !before.has(name));
      for (const name of made) await client.send(new DeleteTableCommand({ TableName: name }));
      console.log(`tests: deleted the ${made.length} tables this run made on ${endpoint}`);
    } finally {
      client.destroy();
    }
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const outside = process.env.WARTA_TEST_DYNAMODB_ENDPOINT;
  if (outside) return outsideStore(project, outside);
  const store = await startEmbeddedStore();
  project.provide('dynamoEndpoint', store.endpoint);
  project.provide('dynamoCredentials', store.credentials);
  return () => store.close();
}
