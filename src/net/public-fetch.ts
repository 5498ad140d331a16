/**
 * Every request Warta sends to a URL that somebody else chose (a WebSub
 * callback, a registered source, a portal to import) goes through one
 * function built here, because all of them are hostile until proven
 * otherwise:
 * - the target is checked before each connection: only http(s), no
 *   credentials in the URL, no host naming this machine or a private
 *   network (address-policy.ts); the runtime's connector checks what a name
 *   resolves to and connects to exactly the checked address (Node), so a
 *   DNS answer cannot change between the check and the connection;
 * - redirects are followed by hand, at most `maxRedirects`, each hop checked
 *   again (a public URL may redirect to a private one);
 * - one timeout covers the whole exchange, body included, and the body is
 *   read up to `maxBytes`, so a 1 GB body or a slow drip ends with an error.
 *
 * Runtime-free: the connector is the runtime's (src/server/outbound-node.ts on
 * Node, fetch-connector.ts on Workers). Each call makes its own AbortSignal,
 * so no I/O object outlives the request that made it (workerd refuses that).
 */
import { hostnameReason } from './address-policy.js';

/** The bounds of one outbound exchange. */
export interface OutboundLimits {
  /** Allow loopback and private targets (tests, intranets). */
  allowPrivate: boolean;
  /** Host names whose private addresses are allowed even when `allowPrivate` is false (the host an operator typed); redirects elsewhere are still checked. */
  allowPrivateHosts?: string[];
  /** The whole exchange, headers and body. */
  timeoutMs: number;
  /** The largest body read. */
  maxBytes: number;
  /** Redirects followed; 0 returns a 3xx answer unfollowed. */
  maxRedirects: number;
}

/** Why an outbound exchange failed. */
export type OutboundErrorKind = 'refused' | 'timeout' | 'too-large' | 'too-many-redirects' | 'network';

/** An outbound exchange that failed; `refused` means retrying cannot help. */
export class OutboundError extends Error {
  readonly kind: OutboundErrorKind;
  /** The URL being fetched when it failed (after redirects). */
  readonly url: string;
  constructor(kind: OutboundErrorKind, message: string, url: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutboundError';
    this.kind = kind;
    this.url = url;
  }
  /** A refusal of the target itself. */
  get refused(): boolean {
    return this.kind === 'refused';
  }
}

/** An answer whose body is read within the exchange's limits. */
export interface OutboundResponse {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  headers: Headers;
  /** The body, at most `maxBytes`; throws OutboundError('too-large' | 'timeout' | 'network'). */
  bytes(): Promise<Uint8Array>;
  /** The body decoded with the charset of its Content-Type (UTF-8 by default). */
  text(): Promise<string>;
  /** Drops the body (frees the connection). */
  discard(): Promise<void>;
}

/** Sends a request to an address-checked URL: the connection must be made to an allowed address only. */
export type Connector = (url: URL, init: RequestInit & { signal: AbortSignal; redirect: 'manual' }, allowPrivate: boolean) => Promise<Response>;

/** Fetches a URL someone else chose, within `limits`. */
export type OutboundFetch = (url: string, init: RequestInit | undefined, limits: OutboundLimits) => Promise<OutboundResponse>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Why this URL may not be fetched (form and host literal); null when it may, as far as can be told without DNS. */
export function targetRefusal(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http or https URL, not ${url.protocol}`;
  if (url.username || url.password) return 'must not carry credentials';
  if (allowPrivate) return null;
  const why = hostnameReason(url.hostname);
  return why ? `host ${url.hostname} ${why}` : null;
}

function mayBePrivate(url: URL, limits: OutboundLimits): boolean {
  return limits.allowPrivate || (limits.allowPrivateHosts ?? []).includes(url.hostname.toLowerCase());
}

/** The charset named by a Content-Type, lower-cased; null when none. */
export function charsetOf(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** Builds the outbound fetch of a runtime from its connector. */
export function createOutboundFetch(connect: Connector): OutboundFetch {
  return async (rawUrl, init, limits) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch (cause) {
      throw new OutboundError('refused', `net: ${JSON.stringify(rawUrl.slice(0, 200))} is not an absolute URL`, rawUrl, { cause });
    }
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const failed = (cause: unknown, at: URL): OutboundError => {
      if (cause instanceof OutboundError) return cause;
      if (timeout.aborted) return new OutboundError('timeout', `net: no complete answer from ${at.origin} within ${limits.timeoutMs} ms`, at.href, { cause });
      const refusal = findRefusal(cause);
      if (refusal) return refusal;
      return new OutboundError('network', `net: request to ${at.origin} failed: ${describe(cause)}`, at.href, { cause });
    };
    let requestInit: RequestInit = { ...init };
    for (let hop = 0; ; hop++) {
      const allowPrivate = mayBePrivate(url, limits);
      const refusal = targetRefusal(url, allowPrivate);
      if (refusal) throw new OutboundError('refused', `net: ${url.origin} refused: ${refusal}`, url.href);
      let res: Response;
      try {
        res = await connect(url, { ...requestInit, signal, redirect: 'manual' }, allowPrivate);
      } catch (cause) {
        throw failed(cause, url);
      }
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location || limits.maxRedirects === 0) return wrap(res, url, limits, signal, (c) => failed(c, url));
      await res.body?.cancel().catch(() => {});
      if (hop >= limits.maxRedirects) throw new OutboundError('too-many-redirects', `net: more than ${limits.maxRedirects} redirects from ${rawUrl.slice(0, 200)}`, url.href);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch (cause) {
        throw new OutboundError('network', `net: ${url.origin} redirected to an unparsable location`, url.href, { cause });
      }
      // 303, and 301/302 after a POST, become a GET without a body, as browsers do.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && (requestInit.method ?? 'GET').toUpperCase() === 'POST')) {
        const { body: _body, ...rest } = requestInit;
        requestInit = { ...rest, method: 'GET' };
      }
      url = next;
    }
  };
}

function wrap(res: Response, url: URL, limits: OutboundLimits, signal: AbortSignal, failed: (cause: unknown) => OutboundError): OutboundResponse {
  let used = false;
  const bytes = async (): Promise<Uint8Array> => {
    if (used) throw new Error('net: the body was already read');
    used = true;
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new OutboundError('too-large', `net: ${url.origin} announced ${declared} bytes, more than the ${limits.maxBytes} allowed`, url.href);
    }
    if (!res.body) return new Uint8Array(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        if (signal.aborted) throw signal.reason;
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limits.maxBytes) {
          await reader.cancel().catch(() => {});
          throw new OutboundError('too-large', `net: the body from ${url.origin} is longer than the ${limits.maxBytes} bytes allowed`, url.href);
        }
        chunks.push(value);
      }
    } catch (cause) {
      await reader.cancel().catch(() => {});
      throw failed(cause);
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return all;
  };
  return {
    url: url.href,
    status: res.status,
    headers: res.headers,
    bytes,
    async text() {
      const body = await bytes();
      return decodeText(body, charsetOf(res.headers.get('content-type')));
    },
    async discard() {
      used = true;
      await res.body?.cancel().catch(() => {});
    },
  };
}

// windows-1252 differs from ISO-8859-1 in 0x80–0x9F (curly quotes, dashes, €). Node's TextDecoder decodes the
// label as ISO-8859-1 (nodejs/node#56542), and portals that declare either usually mean windows-1252 (WHATWG
// Encoding maps both labels to it), so those 32 bytes are mapped here.
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const LATIN1_LABELS = new Set(['windows-1252', 'cp1252', 'x-cp1252', 'iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'ascii', 'us-ascii', 'cp819', 'ibm819', 'iso-ir-100']);

/** Decodes bytes in `charset` (a label from Content-Type or an XML declaration); UTF-8 when absent or unknown. */
export function decodeText(bytes: Uint8Array, charset: string | null): string {
  const label = (charset ?? 'utf-8').toLowerCase();
  if (LATIN1_LABELS.has(label)) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      const part = bytes.subarray(i, i + 8192);
      out += String.fromCharCode(...Array.from(part, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
    }
    return out;
  }
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function findRefusal(err: unknown): OutboundError | null {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof OutboundError) return e;
  }
  return null;
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
