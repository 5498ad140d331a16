/**
 * The DynamoDB connection: one document client per process (or Worker
 * isolate), built from configuration handed in by the runtime entry.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

/** Builds a Db; the SDK retries throttling and 5xx with its standard backoff. */
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
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, raw, table: config.table, requests };
}
