/**
 * Polite fetching of a source: every request through the outbound fetch
 * (address-checked, bounded in time, size and redirects), a User-Agent that
 * names Warta, and retries with exponential backoff on 429, 5xx and network
 * failures, honouring `Retry-After`. Refusals and oversized bodies are never
 * retried.
 */
import { OutboundError, type OutboundFetch, type OutboundLimits, type OutboundResponse } from '../net/public-fetch.js';

/** The User-Agent of every request Warta sends to a source. */
export const INGEST_USER_AGENT = 'Warta-Ingest/0.1 (+https://github.com/warta-news/warta)';

/** How a source is fetched. */
export interface SourceFetcher {
  /** GET `url`; the answer of the last attempt (any status), or the last error thrown. */
  get(url: string, headers?: Record<string, string>): Promise<OutboundResponse>;
}

/** Settings of a SourceFetcher. */
export interface FetcherOptions {
  outbound: OutboundFetch;
  limits: OutboundLimits;
  /** Attempts per request, first included (default 5). */
  maxAttempts?: number;
  /** First backoff delay, doubled each attempt (default 500 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 60 s). */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told before each retry, for progress output. */
  onRetry?: (url: string, attempt: number, delayMs: number, why: string) => void;
}

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const retryable = (status: number) => status === 429 || status === 408 || (status >= 500 && status <= 599);

/** Builds a polite fetcher. */
export function createFetcher(options: FetcherOptions): SourceFetcher {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async get(url, headers = {}) {
      for (let attempt = 1; ; attempt++) {
        const backoff = Math.min(maxDelay, base * 2 ** (attempt - 1));
        try {
          const res = await options.outbound(url, { headers: { 'User-Agent': INGEST_USER_AGENT, Accept: '*/*', ...headers } }, options.limits);
          if (!retryable(res.status) || attempt >= maxAttempts) return res;
          const asked = retryAfterMs(res.headers.get('retry-after'), Date.now());
          await res.discard();
          const delay = Math.min(maxDelay, asked ?? backoff);
          options.onRetry?.(url, attempt, delay, `HTTP ${res.status}`);
          await sleep(delay);
        } catch (err) {
          const permanent = err instanceof OutboundError && (err.kind === 'refused' || err.kind === 'too-large' || err.kind === 'too-many-redirects');
          if (permanent || attempt >= maxAttempts) throw err;
          options.onRetry?.(url, attempt, backoff, (err as Error).message);
          await sleep(backoff);
        }
      }
    },
  };
}

/** A source answer that is not what was expected (HTML error page, not JSON, wrong status). */
export class SourceError extends Error {
  readonly url: string;
  constructor(message: string, url: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourceError';
    this.url = url;
  }
}
