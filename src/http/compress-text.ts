/**
 * gzip of HTML pages and API JSON made by the app, for runtimes whose
 * platform does not compress (Node; on Workers the platform compresses
 * these types itself). Buffered rather than streamed, so the answer has a
 * Content-Length like the precompressed feeds. Left alone: bodies under
 * GZIP_MIN_BYTES, HEAD, bodies already coded (feeds, OPML), `no-transform`,
 * types Hono's compress middleware would not compress either, and answers
 * with a strong ETag (an article's `"vN"`, which If-Match compares: a
 * coding of its own would need another validator, so it stays identity).
 */
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';
import { acceptsGzip } from '../feeds/serve/feed-http.js';
import { GZIP_MIN_BYTES, gzipBytes } from '../feeds/serve/feed-page.js';

const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARY_ACCEPT_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/** Middleware compressing text answers of at least GZIP_MIN_BYTES when the client accepts gzip. */
export function compressText(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const headers = res.headers;
    const type = headers.get('content-type');
    if (c.req.method === 'HEAD' || !res.body || res.status === 204 || res.status === 206 || res.status === 304) return;
    if (!type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || headers.has('content-encoding') || headers.has('transfer-encoding')) return;
    if (NO_TRANSFORM.test(headers.get('cache-control') ?? '')) return;
    const etag = headers.get('etag');
    if (etag && !etag.startsWith('W/')) return;
    const length = headers.get('content-length');
    if (length !== null && Number(length) < GZIP_MIN_BYTES) return;
    const vary = headers.get('vary');
    // c.header, not headers.set: it makes a new Response, which every runtime's adapter sends as it is.
    if (vary !== '*' && !(vary && VARY_ACCEPT_ENCODING.test(vary))) c.header('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (!acceptsGzip(c.req.header('accept-encoding'))) return;
    const current = c.res;
    const body = new Uint8Array(await current.arrayBuffer());
    const coded = body.byteLength >= GZIP_MIN_BYTES ? await gzipBytes(body) : undefined;
    // Hono's setter copies the old headers onto the new answer: give them their final values first.
    const final = current.headers;
    final.delete('content-length');
    if (coded) {
      final.set('Content-Encoding', 'gzip');
      if (etag) final.set('ETag', `${etag.slice(0, -1)}-gz"`);
    }
    c.res = new Response(coded ?? body, { status: current.status, headers: final });
    c.header('Content-Length', String((coded ?? body).byteLength));
  };
}
