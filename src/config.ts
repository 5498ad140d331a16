/**
 * Configuration, read once from the runtime's bindings (Workers vars and
 * secrets, or process.env on Node) by the entry, and handed inward.
 */

/** Bindings and environment variables Warta reads. All strings, as both runtimes give them. */
export interface Bindings {
  WARTA_ADMIN_TOKEN?: string;
  WARTA_BASE_URL?: string;
  WARTA_TABLE?: string;
  WARTA_CURSOR_SECRET?: string;
  WARTA_MAX_BODY_BYTES?: string;
  WARTA_MAX_BATCH_BODY_BYTES?: string;
  WARTA_CHANGES_SETTLE_MS?: string;
  WARTA_FEED_CACHE?: string;
  WARTA_FEED_MAX_AGE?: string;
  WARTA_FEED_STATE_TTL_MS?: string;
  WARTA_WEBSUB_LEASE_DEFAULT?: string;
  WARTA_WEBSUB_LEASE_MAX?: string;
  WARTA_WEBSUB_ALLOW_PRIVATE?: string;
  WARTA_WEBSUB_TIMEOUT_MS?: string;
  WARTA_WEBSUB_RETRY_BASE_MS?: string;
  WARTA_WEBSUB_RETRY_FOR_MS?: string;
  WARTA_WEBSUB_CONCURRENCY?: string;
  WEBSUB_HUB_URL?: string;
  WARTA_AUTH_FAILURES_PER_MINUTE?: string;
  DYNAMODB_ENDPOINT?: string;
  AWS_REGION?: string;
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  AWS_SESSION_TOKEN?: string;
}

/** Typed configuration. */
export interface Config {
  /** Public origin of this service, used in every absolute URL of feeds and pages. */
  baseUrl: string;
  /** Authority of `tag:` URIs (the host of baseUrl): ids stay stable across processes. */
  tagAuthority: string;
  adminToken?: string;
  cursorSecret: string;
  table: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxBodyBytes: number;
  maxBatchBodyBytes: number;
  changesSettleMs: number;
  feedCache: boolean;
  feedMaxAgeSeconds: number;
  /** How long a process trusts its cached copy of a feed's state (writes through this process invalidate at once). */
  feedStateTtlMs: number;
  websub: {
    leaseDefaultSeconds: number;
    leaseMaxSeconds: number;
    allowPrivateCallbacks: boolean;
    externalHubUrl?: string;
  };
  /** How the WebSub hub sends: per-request timeout, retry schedule of failed deliveries, deliveries in flight per process. */
  websubDelivery: {
    /** Timeout of each request the hub sends (verification, delivery). */
    timeoutMs: number;
    /** First retry delay of a failed delivery; doubles while the total stays within retryForMs. */
    retryBaseMs: number;
    retryForMs: number;
    /** Deliveries in flight at once per process (isolate). */
    concurrency: number;
  };
  authFailuresPerMinute: number;
}

const int = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`config: ${name} must be a non-negative integer, got "${value}"`);
  return n;
};
const bool = (value: string | undefined, fallback: boolean) =>
  value === undefined || value === '' ? fallback : !/^(0|false|no|off)$/i.test(value);

/** Builds the configuration; throws with the variable's name when a value is malformed. */
export function readConfig(b: Bindings, defaults: { baseUrl?: string } = {}): Config {
  const baseUrl = (b.WARTA_BASE_URL || defaults.baseUrl || 'http://127.0.0.1:8787').replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch (cause) {
    throw new Error(`config: WARTA_BASE_URL is not a URL: "${baseUrl}"`, { cause });
  }
  // A secret of its own: cursors are public HMACs, so a cursor signed with the admin token
  // would let anyone test guesses of a weak admin token offline.
  const cursorSecret = b.WARTA_CURSOR_SECRET;
  if (!cursorSecret) throw new Error('config: WARTA_CURSOR_SECRET must be set to sign cursors (a secret of its own, not the admin token)');
  if (cursorSecret === b.WARTA_ADMIN_TOKEN) throw new Error('config: WARTA_CURSOR_SECRET must differ from WARTA_ADMIN_TOKEN (cursors are public: they would allow an offline guess of the admin token)');
  return {
    baseUrl,
    tagAuthority: host,
    ...(b.WARTA_ADMIN_TOKEN ? { adminToken: b.WARTA_ADMIN_TOKEN } : {}),
    cursorSecret,
    table: b.WARTA_TABLE || 'warta',
    region: b.AWS_REGION || 'us-east-1',
    ...(b.DYNAMODB_ENDPOINT ? { endpoint: b.DYNAMODB_ENDPOINT } : {}),
    ...(b.AWS_ACCESS_KEY_ID && b.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: b.AWS_ACCESS_KEY_ID,
            secretAccessKey: b.AWS_SECRET_ACCESS_KEY,
            ...(b.AWS_SESSION_TOKEN ? { sessionToken: b.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
    maxBodyBytes: int(b.WARTA_MAX_BODY_BYTES, 4 * 1024 * 1024, 'WARTA_MAX_BODY_BYTES'),
    maxBatchBodyBytes: int(b.WARTA_MAX_BATCH_BODY_BYTES, 16 * 1024 * 1024, 'WARTA_MAX_BATCH_BODY_BYTES'),
    changesSettleMs: int(b.WARTA_CHANGES_SETTLE_MS, 5000, 'WARTA_CHANGES_SETTLE_MS'),
    feedCache: bool(b.WARTA_FEED_CACHE, true),
    feedMaxAgeSeconds: int(b.WARTA_FEED_MAX_AGE, 60, 'WARTA_FEED_MAX_AGE'),
    feedStateTtlMs: int(b.WARTA_FEED_STATE_TTL_MS, 1000, 'WARTA_FEED_STATE_TTL_MS'),
    websub: {
      leaseDefaultSeconds: int(b.WARTA_WEBSUB_LEASE_DEFAULT, 86_400 * 10, 'WARTA_WEBSUB_LEASE_DEFAULT'),
      leaseMaxSeconds: int(b.WARTA_WEBSUB_LEASE_MAX, 86_400 * 30, 'WARTA_WEBSUB_LEASE_MAX'),
      allowPrivateCallbacks: bool(b.WARTA_WEBSUB_ALLOW_PRIVATE, false),
      ...(b.WEBSUB_HUB_URL ? { externalHubUrl: b.WEBSUB_HUB_URL } : {}),
    },
    websubDelivery: {
      timeoutMs: int(b.WARTA_WEBSUB_TIMEOUT_MS, 10_000, 'WARTA_WEBSUB_TIMEOUT_MS'),
      retryBaseMs: int(b.WARTA_WEBSUB_RETRY_BASE_MS, 2_000, 'WARTA_WEBSUB_RETRY_BASE_MS'),
      retryForMs: int(b.WARTA_WEBSUB_RETRY_FOR_MS, 600_000, 'WARTA_WEBSUB_RETRY_FOR_MS'),
      concurrency: Math.max(1, int(b.WARTA_WEBSUB_CONCURRENCY, 16, 'WARTA_WEBSUB_CONCURRENCY')),
    },
    authFailuresPerMinute: int(b.WARTA_AUTH_FAILURES_PER_MINUTE, 30, 'WARTA_AUTH_FAILURES_PER_MINUTE'),
  };
}
