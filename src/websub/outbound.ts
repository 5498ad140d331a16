/**
 * Every request the hub sends to a subscriber goes through here: the
 * callback is checked first (callback-url.ts, with the runtime's resolver),
 * redirects are not followed (a public callback could redirect to a private
 * one), and each request has a timeout.
 */
import type { Services } from '../app-env.js';
import { checkCallbackUrl, isRefusal } from './callback-url.js';
import type { HubRuntime } from './runtime.js';

/** A request the hub could not send or that did not succeed. */
export class OutboundError extends Error {
  /** A refusal of the callback itself: retrying cannot help. */
  readonly refused: boolean;
  constructor(message: string, options: { cause?: unknown; refused?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OutboundError';
    this.refused = options.refused ?? false;
  }
}

/** Sends `init` to `url` after checking it; the response is returned whatever its status (redirects included, unfollowed). */
export async function sendToCallback(s: Services, rt: HubRuntime, url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const checked = await checkCallbackUrl(url, { allowPrivate: s.config.websub.allowPrivateCallbacks, ...(rt.resolve ? { resolve: rt.resolve } : {}) });
  if (isRefusal(checked)) throw new OutboundError(`websub: callback refused: ${checked.reason}`, { refused: true });
  const timeoutMs = s.config.websubDelivery.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (cause) {
    const timedOut = timeout.aborted;
    throw new OutboundError(timedOut ? `websub: no response within ${timeoutMs} ms` : `websub: request failed: ${describe(cause)}`, { cause });
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/** Reads at most `maxBytes` of a body as UTF-8; null when it is longer. */
export async function readLimitedText(res: Response, maxBytes: number): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** A callback for log lines: origin and path only (a query may carry the subscriber's own token). */
export function callbackForLog(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(unparsable)';
  }
}

/** Discards a response body so the connection can be reused. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}
