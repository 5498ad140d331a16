/**
 * The DynamoDB connection: one document client per process (or Worker
 * isolate), built from configuration handed in by the runtime entry.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toStoreError } from './errors.js';

/** Where the table lives and how to reach it. */
export interface DbConfig {
  table: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts per request, including the first (retries with backoff). */
  maxAttempts?: number;
}

/** The store's handle: the document client, the raw client, the table, and a request counter. */
export interface Db {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  table: string;
  /** Number of DynamoDB requests sent so far (benchmarks read it). */
  requests: { count: number };
}

/** `GetItemCommand` → `GetItem`: DynamoDB's name of the operation, for error messages. */
const operationOf = (commandName: string | undefined) => (commandName ?? 'request').replace(/Command$/, '');

/** Builds a Db; the SDK retries throttling and 5xx with its standard backoff, then failures are wrapped as store errors. */
export function createDb(config: DbConfig): Db {
  const raw = new DynamoDBClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    maxAttempts: config.maxAttempts ?? 4,
  });
  const requests = { count: 0 };
  raw.middlewareStack.add(
    (next) => async (args) => {
      requests.count++;
      return next(args);
    },
    { step: 'initialize', name: 'wartaRequestCounter' },
  );
  // Outermost, after the SDK's retries: every failure leaves the store as a StoreError or ConflictError.
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        throw toStoreError(err, operationOf(context.commandName));
      }
    },
    { step: 'initialize', priority: 'high', name: 'wartaStoreErrors' },
  );
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, raw, table: config.table, requests };
}
