/**
 * Shared pieces of every API route group: a router whose validation
 * failures become 422 problem documents, content-type and body-size
 * guards, and the background-task hook.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.js';
import { fieldErrors, ProblemError } from './problem.js';
import { errorText, log } from '../log.js';

/** A route group with Warta's validation hook: every schema violation is a 422 listing each field. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = fieldErrors(result.error.issues as never);
        throw new ProblemError('validation-failed', `${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, { errors });
      }
    },
  });
}

/** Writes must send JSON: anything else is 415 before the body is read; a body over `limit` is 413. */
export function jsonBody(limit: (c: Context<AppEnv>) => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return next();
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
      throw new ProblemError('unsupported-media-type', `send Content-Type: application/json (got "${type || 'none'}")`);
    }
    const max = limit(c);
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ProblemError('payload-too-large', `the body is larger than ${max} bytes`);
      },
    })(c, next);
  };
}

/** Runs a promise after the response: `waitUntil` on Workers, detached on Node; failures are logged. */
export function backgroundOf(c: Context<AppEnv>): (task: Promise<unknown>) => void {
  let waitUntil: ((p: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = ctx.waitUntil.bind(ctx);
  } catch {
    waitUntil = undefined;
  }
  const requestId = c.get('requestId');
  return (task) => {
    const guarded = task.catch((err: unknown) =>
      log.error('background task failed', { requestId, error: errorText(err) }),
    );
    waitUntil?.(guarded);
  };
}
