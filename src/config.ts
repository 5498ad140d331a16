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
  WARTA_WEBSUB_VERIFY_CONCURRENCY?: string;
  WARTA_WEBSUB_QUEUE_MAX?: string;
  WARTA_WEBSUB_ANON_PER_HOUR?: string;
  WARTA_WEBSUB_KEY_PER_HOUR?: string;
  WARTA_WEBSUB_HOST_PER_HOUR?: string;
  WARTA_WEBSUB_PENDING_PER_CLIENT?: string;
  WARTA_WEBSUB_PENDING_PER_HOST?: string;
  WARTA_WEBSUB_HOST_SUBSCRIPTIONS?: string;
  WEBSUB_HUB_URL?: string;
  WARTA_AUTH_FAILURES_PER_MINUTE?: string;
  WARTA_STORE?: string;
  WARTA_LOG_LEVEL?: string;
  WARTA_CREATE_TABLE?: string;
  WARTA_CONSOLE_SESSION_HOURS?: string;
  WARTA_SUBREQUEST_LIMIT?: string;
  WARTA_SOURCES_ALLOW_PRIVATE?: string;
  WARTA_CONTENT_ALLOW_PRIVATE?: string;
  WARTA_SOURCES_TICK_MS?: string;
  WARTA_SOURCES_TIMEOUT_MS?: string;
  WARTA_SOURCES_MAX_BYTES?: string;
  DYNAMODB_ENDPOINT?: string;
  AWS_REGION?: string;
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  AWS_SESSION_TOKEN?: string;
}

/** The configuration's fields (see Config). */
interface ConfigFields {
  /** Public origin of this service, used in every absolute URL of feeds and pages. */
  baseUrl: string;
  /** Authority of `tag:` URIs (the host of baseUrl): ids stay stable across processes. */
  tagAuthority: string;
  adminToken?: string;
  cursorSecret: string;
  table: string;
  /** Which DynamoDB: the embedded dynalite (Node), an endpoint URL, or AWS by region. */
  store: StoreKind;
  /** Whether start-up may create the table (DescribeTable/CreateTable); off, it only checks the table answers a GetItem. */
  createTable: boolean;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxBodyBytes: number;
  maxBatchBodyBytes: number;
  changesSettleMs: number;
  feedCache: boolean;
  /** Article records and rendered items cached per version (WARTA_FEED_CACHE=items keeps these and drops the document cache). */
  itemCache: boolean;
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
    /** Verifications in flight at once per process: a queue of their own, so deliveries and verifications never wait for each other. */
    verifyConcurrency: number;
    /** Jobs waiting at most in each queue (subscriber keys); beyond it a delivery is dropped and recorded, a hub request refused. */
    queueMax: number;
  };
  /** What the hub accepts per client, per key and per callback host, checked before any request leaves (src/websub/limits.ts). */
  websubLimits: {
    /** Hub requests per hour from one address without a key. */
    anonymousPerHour: number;
    /** Hub requests per hour with one key (any role). */
    keyPerHour: number;
    /** Hub requests per hour naming callbacks on one host, whoever sends them. */
    hostPerHour: number;
    /** Verifications queued or running for one client (address or key). */
    pendingPerClient: number;
    /** Verifications queued or running for one callback host. */
    pendingPerHost: number;
    /** Stored subscriptions with callbacks on one host. */
    hostSubscriptions: number;
  };
  authFailuresPerMinute: number;
  /** Subrequests one request may make (Cloudflare Workers: 50 Free, 1000 Paid); 0 = no limit (Node). Batches are sized to fit. */
  subrequestLimit: number;
  /** Lifetime of a newsroom console session (hours from sign-in). */
  consoleSessionHours: number;
  /** `debug` and `info` write access lines; `warn` and `error` only problems. */
  logLevel: LogLevel;
  /** Accept article URLs (permalinks, images, links) naming loopback or private networks: intranets and rehearsals only. */
  contentAllowPrivate: boolean;
  /** Registered sources pulled by the scheduler (src/ingest/scheduler.ts). */
  sources: {
    /** Allow sources (and their hubs) on loopback and private networks: tests, intranets. */
    allowPrivate: boolean;
    /** How often Node looks for due sources (0 = never; Workers use the cron trigger). */
    tickMs: number;
    timeoutMs: number;
    maxBytes: number;
  };
}

/**
 * Typed configuration, final once read: readConfig freezes it, and the runtime entries know
 * everything it says (the Node server binds its socket first) before services are built from it.
 */
export type Config = Readonly<ConfigFields>;

/** Log levels; access lines are `info`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'];

/** WARTA_LOG_LEVEL, default `info`; throws on another value. */
export function readLogLevel(value: string | undefined): LogLevel {
  const level = (value ?? '').trim().toLowerCase() || 'info';
  if (!LOG_LEVELS.includes(level)) throw new Error(`config: WARTA_LOG_LEVEL must be debug, info, warn or error, got "${value}"`);
  return level as LogLevel;
}

/** Where the table lives: `embedded` dynalite started by Node, any `endpoint` URL, or `aws` by region and credentials. */
export type StoreKind = 'embedded' | 'endpoint' | 'aws';
const STORE_KINDS: readonly string[] = ['embedded', 'endpoint', 'aws'];

/**
 * The store choice in `b`: WARTA_STORE, else `endpoint` when DYNAMODB_ENDPOINT
 * is set, else `fallback` (Node: embedded; Workers: aws). Throws on a
 * contradiction, naming the variables.
 */
export function readStoreKind(b: Bindings, fallback: StoreKind): StoreKind {
  const raw = (b.WARTA_STORE ?? '').trim().toLowerCase();
  const kind = raw || (b.DYNAMODB_ENDPOINT ? 'endpoint' : fallback);
  if (!STORE_KINDS.includes(kind)) throw new Error(`config: WARTA_STORE must be embedded, endpoint or aws, got "${b.WARTA_STORE}"`);
  if (kind === 'endpoint' && !b.DYNAMODB_ENDPOINT) throw new Error('config: WARTA_STORE=endpoint needs DYNAMODB_ENDPOINT');
  if (kind === 'aws' && b.DYNAMODB_ENDPOINT) throw new Error('config: WARTA_STORE=aws takes no DYNAMODB_ENDPOINT (the SDK uses the regional endpoint of AWS_REGION)');
  if (raw === 'aws' && !b.AWS_REGION) throw new Error('config: WARTA_STORE=aws needs AWS_REGION');
  if (kind === 'embedded' && b.DYNAMODB_ENDPOINT) throw new Error('config: WARTA_STORE=embedded takes no DYNAMODB_ENDPOINT (use WARTA_STORE=endpoint)');
  return kind as StoreKind;
}

const int = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`config: ${name} must be a non-negative integer, got "${value}"`);
  return n;
};
const bool = (value: string | undefined, fallback: boolean) =>
  value === undefined || value === '' ? fallback : !/^(0|false|no|off)$/i.test(value);

/**
 * Builds the configuration; throws with the variable's name when a value is
 * malformed. `embeddedEndpoint` is where the runtime started the embedded
 * store (Node only); without it WARTA_STORE=embedded is refused.
 */
export function readConfig(b: Bindings, defaults: { baseUrl?: string; embeddedEndpoint?: string } = {}): Config {
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
  const store = readStoreKind(b, defaults.embeddedEndpoint ? 'embedded' : 'aws');
  if (store === 'embedded' && !defaults.embeddedEndpoint) throw new Error('config: WARTA_STORE=embedded runs only on Node (npm start); on Workers use endpoint or aws');
  const endpoint = store === 'embedded' ? defaults.embeddedEndpoint : b.DYNAMODB_ENDPOINT;
  return Object.freeze({
    baseUrl,
    tagAuthority: host,
    ...(b.WARTA_ADMIN_TOKEN ? { adminToken: b.WARTA_ADMIN_TOKEN } : {}),
    cursorSecret,
    table: b.WARTA_TABLE || 'warta',
    store,
    createTable: bool(b.WARTA_CREATE_TABLE, store !== 'aws'),
    region: b.AWS_REGION || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
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
    feedCache: bool(b.WARTA_FEED_CACHE, true) && !/^items$/i.test(b.WARTA_FEED_CACHE ?? ''),
    itemCache: bool(b.WARTA_FEED_CACHE, true),
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
      verifyConcurrency: Math.max(1, int(b.WARTA_WEBSUB_VERIFY_CONCURRENCY, 8, 'WARTA_WEBSUB_VERIFY_CONCURRENCY')),
      queueMax: Math.max(1, int(b.WARTA_WEBSUB_QUEUE_MAX, 10_000, 'WARTA_WEBSUB_QUEUE_MAX')),
    },
    websubLimits: {
      anonymousPerHour: int(b.WARTA_WEBSUB_ANON_PER_HOUR, 10, 'WARTA_WEBSUB_ANON_PER_HOUR'),
      keyPerHour: int(b.WARTA_WEBSUB_KEY_PER_HOUR, 1_000, 'WARTA_WEBSUB_KEY_PER_HOUR'),
      hostPerHour: int(b.WARTA_WEBSUB_HOST_PER_HOUR, 60, 'WARTA_WEBSUB_HOST_PER_HOUR'),
      pendingPerClient: Math.max(1, int(b.WARTA_WEBSUB_PENDING_PER_CLIENT, 4, 'WARTA_WEBSUB_PENDING_PER_CLIENT')),
      pendingPerHost: Math.max(1, int(b.WARTA_WEBSUB_PENDING_PER_HOST, 4, 'WARTA_WEBSUB_PENDING_PER_HOST')),
      hostSubscriptions: int(b.WARTA_WEBSUB_HOST_SUBSCRIPTIONS, 100, 'WARTA_WEBSUB_HOST_SUBSCRIPTIONS'),
    },
    authFailuresPerMinute: int(b.WARTA_AUTH_FAILURES_PER_MINUTE, 30, 'WARTA_AUTH_FAILURES_PER_MINUTE'),
    logLevel: readLogLevel(b.WARTA_LOG_LEVEL),
    consoleSessionHours: Math.max(1, int(b.WARTA_CONSOLE_SESSION_HOURS, 8, 'WARTA_CONSOLE_SESSION_HOURS')),
    subrequestLimit: int(b.WARTA_SUBREQUEST_LIMIT, 0, 'WARTA_SUBREQUEST_LIMIT'),
    contentAllowPrivate: bool(b.WARTA_CONTENT_ALLOW_PRIVATE, false),
    sources: {
      allowPrivate: bool(b.WARTA_SOURCES_ALLOW_PRIVATE, false),
      tickMs: int(b.WARTA_SOURCES_TICK_MS, 60_000, 'WARTA_SOURCES_TICK_MS'),
      timeoutMs: int(b.WARTA_SOURCES_TIMEOUT_MS, 20_000, 'WARTA_SOURCES_TIMEOUT_MS'),
      maxBytes: int(b.WARTA_SOURCES_MAX_BYTES, 10 * 1024 * 1024, 'WARTA_SOURCES_MAX_BYTES'),
    },
  });
}
