/**
 * Errors raised by the store, prefixed "store:", carrying their cause. Every
 * DynamoDB request goes through `createDb`'s client, whose outermost middleware
 * hands any failure to `toStoreError`: callers see a ConflictError (a condition
 * not met) or a StoreError whose `retryable` was decided once, here.
 */

/** A store failure; `retryable` when DynamoDB was unreachable or throttling (maps to 503); `code` is the SDK's error name. */
export class StoreError extends Error {
  readonly retryable: boolean;
  readonly code: string | undefined;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean; code?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreError';
    this.retryable = options.retryable ?? false;
    this.code = options.code;
  }
}

/** A conditional write lost: the item changed since it was read (maps to 412 or a retry). */
export class ConflictError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** DynamoDB's answers that say "later" (throttling, its own failures) and the network's that say "unreachable". */
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
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** A runtime's network failure without a code: undici's "fetch failed" wraps its cause, Workers say "Network connection lost". */
const CODELESS_NETWORK_FAILURE = /^(fetch failed|Network connection lost|socket hang up)/i;

type SdkLikeError = { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown } | null | undefined;

/** Is this SDK or network error DynamoDB being unreachable or throttling (worth a retry later), rather than a bug or a bad request? */
export function isRetryableSdkError(err: unknown, depth = 0): boolean {
  const e = err as SdkLikeError;
  if (!e || typeof e !== 'object' || depth > 4) return false;
  if ((e.name && RETRYABLE_NAMES.has(e.name)) || (e.code && RETRYABLE_NAMES.has(e.code))) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  if (typeof e.message === 'string' && CODELESS_NETWORK_FAILURE.test(e.message)) return true;
  return isRetryableSdkError(e.cause, depth + 1);
}

/**
 * The store's error for a failed DynamoDB request: ConflictError for ConditionalCheckFailedException,
 * else StoreError "store: <operation> failed" with the SDK's error as cause. Store errors pass unchanged.
 */
export function toStoreError(err: unknown, operation: string): StoreError | ConflictError {
  if (err instanceof StoreError || err instanceof ConflictError) return err;
  const name = (err as SdkLikeError)?.name;
  if (name === 'ConditionalCheckFailedException') return new ConflictError(`store: ${operation}: the condition does not hold`, { cause: err });
  const code = (err as SdkLikeError)?.code;
  return new StoreError(`store: ${operation} failed`, { cause: err, retryable: isRetryableSdkError(err), code: name && name !== 'Error' ? name : code });
}

/** Is this error DynamoDB being unreachable or throttling (a StoreError that says so, itself or as a cause)? */
export function isUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreError) return e.retryable;
  }
  return false;
}

/** Is this DynamoDB's "condition not met" answer to a conditional write? */
export function isConditionFailed(err: unknown): boolean {
  return err instanceof ConflictError;
}

/** The SDK's name for a store failure (`ResourceNotFoundException`, ...), undefined for any other error. */
export function storeErrorCode(err: unknown): string | undefined {
  return err instanceof StoreError ? err.code : undefined;
}

/** What the SDK or the network said, under a StoreError's own "store: <operation> failed" (for logs and start-up messages). */
export function causeMessage(err: unknown): string {
  const cause = err instanceof StoreError || err instanceof ConflictError ? err.cause : err;
  return String((cause as Error | null)?.message ?? cause);
}
