/**
 * The OPML subscription list of every feed: everything, each category, each
 * institution, and each institution × category that has articles, in all
 * three formats. `dateCreated` is the newest change of the whole news (the
 * `all` feed's visible lastModified), never the request time. Served
 * precompressed, with an ETag per coding, like the feeds.
 */
import type { Services } from '../../app-env.js';
import { formatRfc3339 } from '../../model/time.js';
import { visibleFeedState } from '../../store/feed-state.js';
import { FEED_FORMATS, FORMAT_LABELS, feedKey, feedPathOf, pagePathOf, type FeedRef } from '../../model/feed-address.js';
import { cachedFeedStates } from './state-cache.js';
import { cachedRegistryList } from './registry-cache.js';
import { FALLBACK_OFFSET_MINUTES } from './feed-entries.js';
import { renderOpml, type OpmlOutline } from '../render/render-opml.js';
import { acceptsGzip, conditionalVariant, CORS_HEADERS, feedGzipEtag, isNotModifiedVariant, VALIDATOR_VERSION } from './feed-http.js';
import { hash64 } from '../../model/hash64.js';
import { GZIP_MIN_BYTES, gzipBytes } from './feed-page.js';
import { clientAcceptEncoding, encodedResponse } from '../../http/encoded-response.js';

/** Institution × category pairs looked up for the list at most (one BatchGetItem per 100). */
export const MAX_OPML_PAIRS = 400;

/** Builds the OPML document of every feed. */
export async function buildFeedsOpml(s: Services): Promise<string> {
  const base = s.config.baseUrl;
  const [categories, institutions] = await Promise.all([cachedRegistryList(s, 'category'), cachedRegistryList(s, 'institution')]);
  const pairs = categories.length * institutions.length <= MAX_OPML_PAIRS
    ? institutions.flatMap((i) => categories.map((c) => ({ i, c, ref: { kind: 'instcat', slug: i.slug, category: c.slug } as FeedRef })))
    : [];
  const states = await cachedFeedStates(s, ['all', ...pairs.map((p) => feedKey(p.ref))]);
  const nowMs = s.clock();
  const outlines: OpmlOutline[] = [];
  const add = (ref: FeedRef, title: string, group: string | undefined, description?: string) => {
    for (const format of FEED_FORMATS) {
      outlines.push({
        title: `${title} (${FORMAT_LABELS[format]})`,
        htmlUrl: `${base}${pagePathOf(ref)}`,
        xmlUrl: `${base}${feedPathOf(ref, format)}`,
        type: format,
        ...(group !== undefined ? { category: group } : {}),
        ...(description ? { description } : {}),
      });
    }
  };
  add({ kind: 'all' }, 'Warta: semua berita', undefined);
  for (const c of categories) add({ kind: 'cat', slug: c.slug }, c.name, 'Kategori', c.description);
  for (const i of institutions) add({ kind: 'inst', slug: i.slug }, i.name, 'Lembaga', i.description);
  for (const p of pairs) {
    if (visibleFeedState(states.get(feedKey(p.ref)) ?? null, nowMs).count > 0) add(p.ref, `${p.i.name}: ${p.c.name}`, p.i.name);
  }
  const all = visibleFeedState(states.get('all') ?? null, nowMs);
  return renderOpml({ title: 'Warta: semua umpan', ownerName: 'Warta', dateCreated: formatRfc3339(all.lastModifiedMs, FALLBACK_OFFSET_MINUTES) }, outlines);
}

/** The OPML list as served: its bytes, their gzip and the ETag of each coding. */
export interface OpmlDocument {
  body: Uint8Array<ArrayBuffer>;
  gzip?: Uint8Array<ArrayBuffer>;
  etag: string;
  gzipEtag: string;
}

const encoder = new TextEncoder();

/**
 * The OPML document of `s` with its validators; the last one is kept per process, so the
 * gzip is made once per change of the list, not per request. The ETag is a hash of the text.
 */
export async function feedsOpmlDocument(s: Services): Promise<OpmlDocument> {
  const text = await buildFeedsOpml(s);
  const etag = `W/"${hash64(`${VALIDATOR_VERSION}|opml|${text}`)}"`;
  const last = s.feedsOpml.last;
  if (last?.etag === etag) return last;
  const body = encoder.encode(text);
  const gzip = body.byteLength >= GZIP_MIN_BYTES ? await gzipBytes(body) : undefined;
  const doc: OpmlDocument = { body, ...(gzip ? { gzip } : {}), etag, gzipEtag: feedGzipEtag(etag) };
  s.feedsOpml.last = doc;
  return doc;
}

/** Answers GET /feeds.opml: 304 on a matching If-None-Match, else the bytes in the accepted coding with their own ETag and Content-Length. */
export async function serveFeedsOpml(s: Services, req: Request, requestId: string): Promise<Response> {
  const doc = await feedsOpmlDocument(s);
  const gz = doc.gzip !== undefined && acceptsGzip(clientAcceptEncoding(req));
  const common: Record<string, string> = {
    'Cache-Control': `public, max-age=${s.config.feedMaxAgeSeconds}`,
    Vary: 'Accept-Encoding',
    ...CORS_HEADERS,
    'X-Request-Id': requestId,
  };
  // The list has no Last-Modified (0): only If-None-Match can make it a 304.
  const variant = conditionalVariant({ ...doc, lastModifiedMs: 0 }, clientAcceptEncoding(req), req.headers.get('if-none-match') ?? undefined, undefined);
  if (isNotModifiedVariant(variant)) return new Response(null, { status: 304, headers: { ...common, ETag: variant === 'notModifiedGzip' ? doc.gzipEtag : doc.etag } });
  const body = gz ? doc.gzip! : doc.body;
  return encodedResponse(body, 200, {
    'Content-Type': 'text/x-opml; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...common,
    ETag: gz ? doc.gzipEtag : doc.etag,
    ...(gz ? { 'Content-Encoding': 'gzip' } : {}),
    'Content-Length': String(body.byteLength),
  });
}
