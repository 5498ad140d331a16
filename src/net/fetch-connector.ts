/**
 * The connector of runtimes without a resolver of their own (Cloudflare
 * Workers): the platform's fetch. Host names are checked as literals by
 * public-fetch.ts; what a name resolves to cannot be checked here, but a
 * Worker's fetch is made from Cloudflare's network, which does not route to
 * the deployment's loopback or private networks (reaching those needs a
 * Tunnel or a service binding, which Warta never uses for outbound fetches).
 */
import type { Connector } from './public-fetch.js';

/** Sends the request with the runtime's global fetch. */
export const fetchConnector: Connector = (url, init) => fetch(url, init);
