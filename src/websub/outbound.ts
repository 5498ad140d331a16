/**
 * Every request the hub sends to a subscriber goes through the project's
 * outbound fetch (`services.outbound`, src/net/public-fetch.ts): the
 * callback is checked before each connection, and on Node the connection is
 * pinned to the address the check saw (src/server/outbound-node.ts), so a
 * DNS answer that changes between check and connection cannot reach this
 * machine or its network. Redirects are not followed (a subscriber answers
 * itself or not at all), each request has the hub's timeout, and at most
 * `MAX_ANSWER_BYTES` of an answer is read.
 */
import type { Services } from '../app-env.js';
import { OutboundError, type OutboundResponse } from '../net/public-fetch.js';

export { OutboundError };

/** The most of a subscriber's answer the hub reads (a challenge echo is 48 characters). */
export const MAX_ANSWER_BYTES = 4096;

/** Sends `init` to the callback `url`; the answer is returned whatever its status (redirects included, unfollowed). */
export function sendToCallback(s: Services, url: string, init: RequestInit, signal?: AbortSignal): Promise<OutboundResponse> {
  return s.outbound(url, { ...init, ...(signal ? { signal } : {}) }, {
    allowPrivate: s.config.websub.allowPrivateCallbacks,
    timeoutMs: s.config.websubDelivery.timeoutMs,
    maxBytes: MAX_ANSWER_BYTES,
    maxRedirects: 0,
  });
}

/** Why a request to a subscriber failed, for its log line and failure record: the hub's words, never a resolver's answer. */
export function failureReason(err: unknown): string {
  if (err instanceof OutboundError) {
    if (err.kind === 'refused') return 'callback refused: it is not a public address';
    if (err.kind === 'timeout') return 'no answer in time';
    if (err.kind === 'too-large') return 'the answer is too large';
    return 'the callback could not be reached';
  }
  return 'the request failed';
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

/** Discards the body of one of the app's own answers (a self-fetched topic) so its stream is released. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}
