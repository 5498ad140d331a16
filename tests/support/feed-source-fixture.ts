/**
 * A local server of feed documents at fixed paths, answering each from a
 * table that tests change between runs. Loopback only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A document to answer with. */
export interface FixtureDoc {
  status?: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A running feed fixture: `docs` maps a path with its query (`/atom?page=2`) to a document, `{base}` in bodies is the server's URL. */
export interface FeedFixture {
  url: string;
  docs: Map<string, FixtureDoc | ((req: IncomingMessage, res: ServerResponse) => void)>;
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** Starts the fixture. */
export async function startFeedFixture(): Promise<FeedFixture> {
  const fixture: FeedFixture = { url: '', docs: new Map(), requests: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    fixture.requests.push({ path: req.url ?? '/', headers: req.headers });
    const doc = fixture.docs.get(req.url ?? '/');
    if (!doc) return res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
    if (typeof doc === 'function') return doc(req, res);
    const body = typeof doc.body === 'string' ? doc.body.replaceAll('{base}', fixture.url) : doc.body;
    res.writeHead(doc.status ?? 200, { 'content-type': doc.type, ...doc.headers }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fixture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fixture;
}

/** An Atom document with `entries` and optional RFC 5005 links. */
export function atomDoc(entries: { id: string; title: string; published: string; content: string; category?: string; author?: string }[], links: Record<string, string> = {}): string {
  const linkTags = Object.entries(links).map(([rel, href]) => `<link rel="${rel}" href="${href}"/>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Lapas Madiun</title><id>tag:lapas,2024:feed</id><updated>2024-01-10T00:00:00Z</updated><link rel="alternate" href="https://lapas-madiun.example/"/>${linkTags}${entries
    .map(
      (e) =>
        `<entry><id>${e.id}</id><title type="text">${e.title}</title><link rel="alternate" href="https://lapas-madiun.example/${e.id.split(':').pop()}"/><published>${e.published}</published><updated>${e.published}</updated><author><name>${e.author ?? 'Humas Lapas'}</name></author>${e.category ? `<category term="${e.category}" label="${e.category.toUpperCase()}"/>` : ''}<content type="html">${e.content.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</content></entry>`,
    )
    .join('')}</feed>`;
}
