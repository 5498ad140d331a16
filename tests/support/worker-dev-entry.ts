/**
 * The Worker as the tests bundle it: src/index.ts plus the one thing
 * `wrangler dev` adds when it bundles from source (its
 * `ensure-req-body-drained` middleware): the request body is drained after
 * the response. The tests serve a prebuilt bundle with `--no-bundle` (so no
 * source file is watched while other work goes on), which leaves that
 * middleware out; without it, a response sent before the body was read
 * (401, 413, 415) breaks wrangler's local proxy, which then answers the next
 * request with a 503 "Your worker restarted mid-request". The edge needs no
 * such thing.
 */
import worker from '../../src/index.js';
import type { Bindings } from '../../src/config.js';

type Ctx = Parameters<typeof worker.fetch>[2];

/** src/index.ts with request bodies drained after each response. */
export default {
  ...worker,
  async fetch(request: Request, env: Bindings, ctx: Ctx): Promise<Response> {
    try {
      return await worker.fetch(request, env, ctx);
    } finally {
      if (request.body !== null && !request.bodyUsed) {
        try {
          const reader = request.body.getReader();
          while (!(await reader.read()).done) {
            // discard
          }
        } catch {
          // the client went away
        }
      }
    }
  },
};
