/** Errors raised by the store, prefixed "store:", carrying their cause. */

/** A store failure; `retryable` when DynamoDB was unreachable or throttling (maps to 503). */
export class StoreError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreError';
    this.retryable = options.retryable ?? false;
  }
}

/** A conditional write lost: the item changed since it was read (maps to 412 or a retry). */
export class ConflictError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
]);

/** Is this error DynamoDB being unreachable or throttling, rather than a bug or a bad request? */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreError) return err.retryable;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown } | null;
  if (!e) return false;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && RETRYABLE_NAMES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (/ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|Network connection lost/i.test(String((e as Error).message ?? ''))) return true;
  return e.cause ? isUnavailable(e.cause) : false;
}

/** Is this DynamoDB's "condition not met" answer to a conditional write? */
export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
