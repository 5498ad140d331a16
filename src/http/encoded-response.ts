/**
 * Responses whose body the app has already content-coded (precompressed
 * gzip of feeds and OPML). Workers encode a body themselves according to
 * its `Content-Encoding` unless told the bytes are already encoded
 * (`encodeBody: "manual"`), which would compress it twice; Node's fetch
 * types ignore the field. Runtime-free: it only sets a ResponseInit field.
 */

/** A Response sending `body` exactly as given; `encodeBody: "manual"` when it carries a Content-Encoding. */
export function encodedResponse(body: BodyInit | null, status: number, headers: Record<string, string>): Response {
  const encoded = headers['Content-Encoding'] !== undefined || headers['content-encoding'] !== undefined;
  // `encodeBody` is part of the Workers ResponseInit; the DOM typing lacks it.
  return new Response(body, encoded ? ({ status, headers, encodeBody: 'manual' } as ResponseInit) : { status, headers });
}

/**
 * The Accept-Encoding the client sent. Cloudflare rewrites the header a Worker sees to
 * `br, gzip` and keeps the client's own in `request.cf.clientAcceptEncoding`; elsewhere
 * there is no `cf` and the header is the client's.
 */
export function clientAcceptEncoding(request: Request): string | undefined {
  const cf = (request as { cf?: { clientAcceptEncoding?: unknown } }).cf;
  if (cf && typeof cf.clientAcceptEncoding === 'string') return cf.clientAcceptEncoding;
  return request.headers.get('accept-encoding') ?? undefined;
}

/** Reads a request header by lower-case name, Accept-Encoding as the client sent it. */
export const requestHeader = (request: Request) => (name: string): string | undefined =>
  name === 'accept-encoding' ? clientAcceptEncoding(request) : (request.headers.get(name) ?? undefined);
