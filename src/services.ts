/** Builds the Services the core runs on, from configuration (runtime-free). */
import type { ChangeListener, Services } from './app-env.js';
import type { Config } from './config.js';
import { fetchConnector } from './net/fetch-connector.js';
import { createOutboundFetch, type Connector } from './net/public-fetch.js';
import { createDb } from './store/db.js';
import { newHubState } from './websub/runtime.js';
import { newAuthState } from './auth/middleware.js';
import { newHealthMemo } from './routes/health.js';
import { setPrivateContentUrlsAllowed } from './model/html-urls.js';
import { newDocumentCache } from './feeds/serve/document-cache.js';
import { feedStateListener, newFeedStateCache } from './feeds/serve/state-cache.js';
import { newRegistryCache } from './feeds/serve/registry-cache.js';
import { newItemCache } from './feeds/serve/item-cache.js';

/** Services for `config`; `clock` defaults to Date.now, `connector` (how outbound requests are sent) to the runtime's fetch. */
export function buildServices(
  config: Config,
  options: { clock?: () => number; listeners?: ChangeListener[]; maxAttempts?: number; connector?: Connector } = {},
): Services {
  // Validation and the sanitizer are pure functions of their input: the one process-wide switch follows the configuration.
  setPrivateContentUrlsAllowed(config.contentAllowPrivate);
  const db = createDb({
    table: config.table,
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    // dynalite and DynamoDB Local accept any credentials; AWS needs real ones (or the default chain on Node).
    ...(config.credentials ? { credentials: config.credentials } : config.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  const clock = options.clock ?? Date.now;
  const feedStates = newFeedStateCache();
  const listeners = options.listeners ?? [];
  listeners.push(feedStateListener(feedStates));
  const itemCache = newItemCache(config);
  return {
    config,
    db,
    clock,
    listeners,
    outbound: createOutboundFetch(options.connector ?? fetchConnector),
    hub: newHubState(),
    auth: newAuthState(),
    health: newHealthMemo(),
    feedsOpml: {},
    feedStates,
    feedDocuments: newDocumentCache(),
    registryCache: newRegistryCache(),
    warmTargets: new Map(),
    ...(itemCache ? { itemCache } : {}),
  };
}
