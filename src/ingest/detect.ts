/**
 * What a source URL is: a WordPress site (REST API found from the `Link:
 * rel="https://api.w.org/"` header or page, or by trying `/wp-json/` and
 * `/?rest_route=/`), or a feed (given directly, or discovered from the
 * page's `<link rel="alternate">`).
 */
import { SourceError, type SourceFetcher } from './fetcher.js';
import { discoverFeedLink, feedReader, parseFeed, type ParsedFeed } from './feeds.js';
import { decodeXml } from './xml.js';
import { charsetOf } from '../net/public-fetch.js';
import { apiRootFromLink, probeApiRoot, wordpressReader } from './wordpress-rest.js';
import type { SourceReader } from './source-item.js';

/** The kinds `--kind` accepts. */
export type SourceKind = 'wordpress' | 'wxr' | 'feed';

/** Options that shape a reader. */
export interface DetectOptions {
  kind?: Exclude<SourceKind, 'wxr'>;
  sinceIso?: string;
}

const looksLikeFeed = (type: string, text: string) => /(rss|atom|feed)\+xml|application\/xml|text\/xml|feed\+json/i.test(type) || /^\s*(<\?xml|<rss|<feed)/i.test(text);

/** Finds how to read the source at `url`. */
export async function detectSource(fetcher: SourceFetcher, url: string, options: DetectOptions = {}): Promise<SourceReader> {
  const wp = (root: string, home: string) => wordpressReader(fetcher, root, home, options.sinceIso ? { sinceIso: options.sinceIso } : {});
  let page: { status: number; type: string; text: string; link: string | null; url: string } | null = null;
  if (options.kind !== 'wordpress') {
    const res = await fetcher.get(url, { Accept: 'text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/feed+json;q=0.9, */*;q=0.5' });
    const type = res.headers.get('content-type') ?? '';
    const bytes = await res.bytes();
    const text = /json/i.test(type) ? new TextDecoder().decode(bytes) : decodeXml(bytes, charsetOf(type));
    page = { status: res.status, type, text, link: res.headers.get('link'), url: res.url };
    if (res.status === 200 && (options.kind === 'feed' || looksLikeFeed(type, text) || (/json/i.test(type) && text.includes('jsonfeed.org')))) {
      const feed: ParsedFeed = parseFeed(text, res.url, type);
      return feedReader(fetcher, res.url, feed);
    }
    const advertised = apiRootFromLink(page.link, page.status === 200 ? page.text : '');
    if (advertised) {
      const root = new URL(advertised, page.url).href;
      const home = await probeApiRoot(fetcher, root);
      if (home) return wp(root, home);
    }
  }
  if (options.kind !== 'feed') {
    const site = new URL(url);
    const basePath = site.pathname.replace(/\/+$/, '');
    for (const root of [`${site.origin}${basePath}/wp-json/`, `${site.origin}${basePath}/?rest_route=/`]) {
      const home = await probeApiRoot(fetcher, root);
      if (home) return wp(root, home);
    }
    if (options.kind === 'wordpress') throw new SourceError(`ingest: no WordPress REST API at ${url} (tried /wp-json/ and /?rest_route=/)`, url);
  }
  if (page && page.status === 200) {
    const feedUrl = discoverFeedLink(page.text, page.url);
    if (feedUrl) return feedReader(fetcher, feedUrl);
  }
  throw new SourceError(`ingest: ${url} is neither a WordPress site nor a feed${page ? ` (HTTP ${page.status}, ${page.type || 'no Content-Type'})` : ''}`, url);
}
