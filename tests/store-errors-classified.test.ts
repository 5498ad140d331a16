/**
 * SDK and network errors become store errors at the one boundary every DynamoDB
 * request passes (createDb's client): a condition not met is a ConflictError,
 * anything else a StoreError "store: <operation> failed" carrying the SDK's error,
 * with `retryable` (503 and Retry-After) decided there from its name, code or status.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConditionalCheckFailedException, DynamoDBServiceException, InternalServerError, ProvisionedThroughputExceededException, ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, isUnavailable, StoreError, toStoreError } from '../src/store/errors.js';
import { createDb, type Db } from '../src/store/db.js';
import { createTestDb } from './support/store.js';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'r', attempts: 4, totalRetryDelay: 0 });
const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toStoreError', () => {
  it.each([
    ['throttling (ProvisionedThroughputExceededException, 400)', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: meta(400) }), 'ProvisionedThroughputExceededException', true],
    ['throttling (ThrottlingException, 400)', new ThrottlingException({ message: 'rate', $metadata: meta(400) }), 'ThrottlingException', true],
    ['DynamoDB failing (InternalServerError, 500)', new InternalServerError({ message: 'oops', $metadata: meta(500) }), 'InternalServerError', true],
    ['any 5xx, by status (503 without a known name)', new DynamoDBServiceException({ name: 'SomethingNew', $fault: 'server', message: 'x', $metadata: meta(503) }), 'SomethingNew', true],
    ['unreachable (ECONNREFUSED)', nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'ECONNREFUSED', true],
    ['a bad request (ValidationException, 400)', new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message: 'One or more parameter values were invalid', $metadata: meta(400) }), 'ValidationException', false],
    ['a bug (TypeError)', new TypeError('x is not a function'), 'TypeError', false],
  ])('%s', (_, sdkError, code, retryable) => {
    const err = toStoreError(sdkError, 'PutItem');
    expect(err).toBeInstanceOf(StoreError);
    expect({ message: err.message, code: (err as StoreError).code, retryable: (err as StoreError).retryable, cause: err.cause }).toEqual({ message: 'store: PutItem failed', code, retryable, cause: sdkError });
    expect(isUnavailable(err)).toBe(retryable);
  });

  it('makes ConditionalCheckFailedException a ConflictError carrying it', () => {
    const sdkError = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: meta(400) });
    const err = toStoreError(sdkError, 'PutItem');
    expect(err).toBeInstanceOf(ConflictError);
    expect([err.message, err.cause, isUnavailable(err)]).toEqual(['store: PutItem: the condition does not hold', sdkError, false]);
  });

  it('passes a store error through unchanged', () => {
    const inner = new StoreError('store: batch write left unprocessed items', { retryable: true });
    expect(toStoreError(inner, 'BatchWriteItem')).toBe(inner);
  });
});

describe('the boundary', () => {
  let db: Db;
  let closedPort: number;
  beforeAll(async () => {
    db = await createTestDb();
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    closedPort = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
  });
  afterAll(() => db.raw.destroy());

  it('answers a lost condition on a real store with a ConflictError', async () => {
    const put = () => db.doc.send(new PutCommand({ TableName: db.table, Item: { pk: 'errors-test', sk: 'a' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await put();
    const err = await put().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect([(err as Error).message, ((err as Error).cause as Error).name]).toEqual(['store: PutItem: the condition does not hold', 'ConditionalCheckFailedException']);
  });

  it('answers an unreachable store with a retryable StoreError naming the operation', async () => {
    const away = createDb({ table: 'none', region: 'us-east-1', endpoint: `http://127.0.0.1:${closedPort}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    const err = await away.doc.send(new PutCommand({ TableName: 'none', Item: { pk: 'a', sk: 'b' } })).catch((e: unknown) => e);
    away.raw.destroy();
    expect(err).toBeInstanceOf(StoreError);
    expect({ message: (err as StoreError).message, code: (err as StoreError).code, retryable: (err as StoreError).retryable }).toEqual({ message: 'store: PutItem failed', code: 'ECONNREFUSED', retryable: true });
  });
});
