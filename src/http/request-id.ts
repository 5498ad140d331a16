/**
 * Request ids for answers that skip the request-id middleware (the warm feed path): a random
 * prefix drawn once per process (or isolate) and a counter, in the UUID's 8-4-4-4-12 shape.
 * Unique per request and across processes (80 random bits), and far cheaper than a random
 * UUID per request. Ids are for correlating logs, never a secret. Runtime-free.
 */

let prefix: string | undefined;
let counter = 0;

/** The next request id, e.g. `3f0c9a1e-7b2d-4c11-9e40-00000000002a`. */
export function nextRequestId(): string {
  // Drawn on first use: Workers allow random values only while handling a request.
  prefix ??= crypto.randomUUID().slice(0, 24);
  counter = (counter + 1) % 0x1000000000000;
  return prefix + counter.toString(16).padStart(12, '0');
}
