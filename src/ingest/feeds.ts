/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.0/1.1 sources. Older items are reached
 * through RFC 5005 links (`next`, `prev-archive`; JSON Feed `next_url`) or,
 * on WordPress feeds without them, `?paged=N`, until a page is empty,
 * missing or repeats one already read.
 */
import { type SourceFetcher, SourceError } from './fetcher.js';
import { itemKey, sourceIdentity, wordpressPostIdOfGuid } from './ids.js';
import type { SourceItem, SourcePage, SourceReader, SourceTerm } from './source-item.js';
import { child, childText, childrenNamed, decodeXml, parseXmlDocument, type XmlElement } from './xml.js';
import { charsetOf } from '../net/public-fetch.js';

/** One parsed feed document. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  /** The site the feed is about (channel link, Atom alternate, JSON home_page_url). */
  homeUrl?: string;
  /** The next (older) page, when the document links one. */
  nextUrl?: string;
  /** WebSub hubs the document advertises. */
  hubs: string[];
  /** The feed's self URL (WebSub topic). */
  selfUrl?: string;
  generator?: string;
  items: SourceItem[];
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const isImage = (type: string | undefined) => Boolean(type && /^image\//i.test(type));

function linkRel(links: XmlElement[], rel: string): string | undefined {
  return links.find((l) => (l.attrs.rel ?? 'alternate') === rel && l.attrs.href)?.attrs.href;
}

function keyOf(guid: string): string {
  const wp = wordpressPostIdOfGuid(guid);
  return wp ?? itemKey(guid);
}

function rssItem(el: XmlElement): SourceItem | null {
  const guid = childText(el, 'guid') || childText(el, 'link');
  if (!guid) return null;
  const cats = childrenNamed(el, 'category').map((c) => c.text.trim()).filter(Boolean).map((name): SourceTerm => ({ slug: '', name }));
  const enclosure = [...childrenNamed(el, 'enclosure'), ...childrenNamed(el, 'media:content')].find((e) => isImage(e.attrs.type) || e.attrs.medium === 'image');
  const thumb = child(el, 'media:thumbnail');
  const imageUrl = enclosure?.attrs.url ?? thumb?.attrs.url;
  const content = childText(el, 'content:encoded');
  const description = childText(el, 'description');
  const date = childText(el, 'pubDate') || childText(el, 'dc:date');
  return {
    key: keyOf(guid),
    title: childText(el, 'title'),
    contentHtml: content || description,
    ...(content && description ? { excerpt: description } : {}),
    ...(childText(el, 'link') ? { link: childText(el, 'link') } : {}),
    ...(childText(el, 'dc:creator') || childText(el, 'author') ? { authorName: childText(el, 'dc:creator') || childText(el, 'author') } : {}),
    published: { rfc3339: date },
    categories: cats.slice(0, 1),
    tags: cats.slice(1),
    ...(imageUrl ? { image: { url: imageUrl, ...(enclosure?.attrs.type ? { type: enclosure.attrs.type } : {}) } } : {}),
  };
}

function atomText(el: XmlElement | undefined): string {
  if (!el) return '';
  // type="text" is plain text: escaped so that the HTML-ish mapping keeps `<` as text.
  return (el.attrs.type ?? 'text') === 'text' ? esc(el.text.trim()) : el.text.trim();
}

function atomEntry(el: XmlElement): SourceItem | null {
  const id = childText(el, 'id');
  const links = childrenNamed(el, 'link');
  const link = linkRel(links, 'alternate');
  if (!id && !link) return null;
  const cats = childrenNamed(el, 'category').map((c): SourceTerm => ({ slug: c.attrs.term ?? '', name: c.attrs.label ?? c.attrs.term ?? '' })).filter((t) => t.name);
  const enclosure = links.find((l) => l.attrs.rel === 'enclosure' && isImage(l.attrs.type));
  const content = atomText(child(el, 'content'));
  const summary = atomText(child(el, 'summary'));
  return {
    key: keyOf(id || link!),
    title: atomText(child(el, 'title')),
    contentHtml: content || summary,
    ...(content && summary ? { excerpt: summary } : {}),
    ...(link ? { link } : {}),
    ...(childText(child(el, 'author'), 'name') ? { authorName: childText(child(el, 'author'), 'name') } : {}),
    published: { rfc3339: childText(el, 'published') || childText(el, 'updated') },
    ...(childText(el, 'updated') ? { modified: childText(el, 'updated') } : {}),
    categories: cats.slice(0, 1),
    tags: cats.slice(1),
    ...(enclosure?.attrs.href ? { image: { url: enclosure.attrs.href, ...(enclosure.attrs.type ? { type: enclosure.attrs.type } : {}) } } : {}),
  };
}

interface JsonItem {
  id?: unknown; url?: string; title?: string; content_html?: string; content_text?: string; summary?: string; date_published?: string; date_modified?: string;
  authors?: { name?: string }[]; author?: { name?: string }; tags?: unknown[]; image?: string; attachments?: { url?: string; mime_type?: string }[];
}

function jsonItem(it: JsonItem): SourceItem | null {
  const id = it.id === undefined || it.id === null ? it.url : String(it.id);
  if (!id || typeof id !== 'string') return null;
  const tags = (Array.isArray(it.tags) ? it.tags : []).filter((t): t is string => typeof t === 'string').map((name): SourceTerm => ({ slug: '', name }));
  const attachment = (it.attachments ?? []).find((a) => isImage(a.mime_type) && a.url);
  const author = it.authors?.[0]?.name ?? it.author?.name;
  const content = it.content_html ?? (it.content_text ? `<p>${esc(it.content_text)}</p>` : '');
  return {
    key: keyOf(id),
    title: typeof it.title === 'string' ? esc(it.title) : '',
    contentHtml: content,
    ...(it.summary ? { excerpt: esc(it.summary) } : {}),
    ...(typeof it.url === 'string' ? { link: it.url } : {}),
    ...(author ? { authorName: author } : {}),
    published: { rfc3339: it.date_published ?? it.date_modified ?? '' },
    ...(it.date_modified ? { modified: it.date_modified } : {}),
    categories: tags.slice(0, 1),
    tags: tags.slice(1),
    ...(it.image ? { image: { url: it.image } } : attachment ? { image: { url: attachment.url!, type: attachment.mime_type! } } : {}),
  };
}

/** Parses a feed document (RSS, Atom or JSON Feed); throws SourceError when it is none of them. */
export function parseFeed(text: string, url: string, contentType: string): ParsedFeed {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (/json/i.test(contentType) || trimmed.startsWith('{')) {
    let doc: { version?: unknown; items?: unknown; home_page_url?: string; next_url?: string; feed_url?: string; hubs?: { url?: string }[] };
    try {
      doc = JSON.parse(trimmed);
    } catch (cause) {
      throw new SourceError(`ingest: ${url} is not JSON (${contentType || 'no Content-Type'})`, url, { cause });
    }
    if (typeof doc?.version !== 'string' || !doc.version.startsWith('https://jsonfeed.org/version/') || !Array.isArray(doc.items)) {
      throw new SourceError(`ingest: ${url} is JSON but not a JSON Feed (no version or items)`, url);
    }
    return {
      format: 'json',
      ...(doc.home_page_url ? { homeUrl: doc.home_page_url } : {}),
      ...(doc.next_url ? { nextUrl: doc.next_url } : {}),
      ...(doc.feed_url ? { selfUrl: doc.feed_url } : {}),
      hubs: (doc.hubs ?? []).map((h) => h.url).filter((u): u is string => typeof u === 'string'),
      items: (doc.items as JsonItem[]).map(jsonItem).filter((i): i is SourceItem => i !== null),
    };
  }
  if (/^<!doctype html|^<html/i.test(trimmed) || (/text\/html/i.test(contentType) && !trimmed.startsWith('<?xml'))) {
    throw new SourceError(`ingest: ${url} is an HTML page, not a feed`, url);
  }
  const doc = parseXmlDocument(trimmed);
  const links = doc.elements.filter((e) => e.name === 'link' || e.name === 'atom:link');
  const hubs = links.filter((l) => l.attrs.rel === 'hub' && l.attrs.href).map((l) => l.attrs.href!);
  const nextUrl = linkRel(links, 'next') ?? linkRel(links, 'prev-archive');
  const selfUrl = linkRel(links, 'self');
  if (doc.root === 'rss') {
    const home = doc.elements.find((e) => e.name === 'link' && !e.attrs.href)?.text.trim();
    return {
      format: 'rss', hubs, ...(home ? { homeUrl: home } : {}), ...(nextUrl ? { nextUrl } : {}), ...(selfUrl ? { selfUrl } : {}),
      generator: doc.elements.find((e) => e.name === 'generator')?.text.trim() ?? '',
      items: doc.elements.filter((e) => e.name === 'item').map(rssItem).filter((i): i is SourceItem => i !== null),
    };
  }
  if (doc.root === 'feed') {
    const home = linkRel(links, 'alternate');
    return {
      format: 'atom', hubs, ...(home ? { homeUrl: home } : {}), ...(nextUrl ? { nextUrl } : {}), ...(selfUrl ? { selfUrl } : {}),
      generator: doc.elements.find((e) => e.name === 'generator')?.text.trim() ?? '',
      items: doc.elements.filter((e) => e.name === 'entry').map(atomEntry).filter((i): i is SourceItem => i !== null),
    };
  }
  throw new SourceError(`ingest: ${url} is XML but not RSS or Atom (root <${doc.root}>)`, url);
}

/** Fetches and parses one feed page; null when the page does not exist (404/410, for ?paged=N past the end). */
export async function fetchFeed(fetcher: SourceFetcher, url: string, headers: Record<string, string> = {}): Promise<{ feed: ParsedFeed | null; status: number; headers: Headers }> {
  const res = await fetcher.get(url, { Accept: 'application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5', ...headers });
  if (res.status === 304) {
    await res.discard();
    return { feed: null, status: 304, headers: res.headers };
  }
  if (res.status === 404 || res.status === 410) {
    await res.discard();
    return { feed: null, status: res.status, headers: res.headers };
  }
  if (res.status !== 200) {
    await res.discard();
    throw new SourceError(`ingest: ${url} answered HTTP ${res.status}`, url);
  }
  const contentType = res.headers.get('content-type') ?? '';
  const bytes = await res.bytes();
  const text = /json/i.test(contentType) ? new TextDecoder().decode(bytes) : decodeXml(bytes, charsetOf(contentType));
  return { feed: parseFeed(text, res.url, contentType), status: 200, headers: res.headers };
}

/** The WordPress `?paged=N` URL of a feed. */
export function pagedUrl(feedUrl: string, n: number): string {
  const u = new URL(feedUrl);
  u.searchParams.set('paged', String(n));
  return u.href;
}

const looksLikeWordPress = (f: ParsedFeed) => /wordpress/i.test(f.generator ?? '') || f.items.some((i) => /^\d+$/.test(i.key));

/** A reader of every page of the feed at `url`, newest first; `maxPages` bounds a feed that never ends. */
export function feedReader(fetcher: SourceFetcher, url: string, first?: ParsedFeed, options: { maxPages?: number } = {}): SourceReader {
  const maxPages = options.maxPages ?? 10_000;
  let identity = first?.homeUrl ? sourceIdentity(first.homeUrl) : sourceIdentity(url);
  async function* walk(): AsyncIterable<SourcePage> {
    const seenUrls = new Set<string>();
    const seenKeys = new Set<string>();
    let next: string | undefined = url;
    let paged = 1;
    let usePaged = false;
    for (let page = 1; next && page <= maxPages; page++) {
      if (seenUrls.has(next)) return;
      seenUrls.add(next);
      const current: string = next;
      const { feed } = page === 1 && first ? { feed: first } : await fetchFeed(fetcher, current);
      if (!feed) return;
      if (page === 1 && feed.homeUrl) identity = sourceIdentity(feed.homeUrl);
      const fresh = feed.items.filter((i) => !seenKeys.has(i.key));
      // `?paged=N` past the end answers the last page again on some sites: a page with nothing new ends the walk.
      if (page > 1 && fresh.length === 0) return;
      fresh.forEach((i) => seenKeys.add(i.key));
      yield { page, url: current, items: fresh };
      if (feed.nextUrl) next = new URL(feed.nextUrl, current).href;
      else if ((usePaged || (page === 1 && looksLikeWordPress(feed))) && feed.items.length > 0) {
        usePaged = true;
        next = pagedUrl(url, ++paged);
      } else next = undefined;
    }
  }
  return {
    kind: 'feed',
    location: url,
    get identity() {
      return identity;
    },
    async categories() {
      const terms = new Map<string, SourceTerm>();
      let uncategorized = false;
      for await (const p of walk()) {
        for (const i of p.items) {
          if (i.categories[0]) terms.set(i.categories[0].name, i.categories[0]);
          else uncategorized = true;
        }
      }
      return { terms: [...terms.values()], uncategorized };
    },
    pages: walk,
  };
}

/** The feed a HTML page advertises (`<link rel="alternate" type="application/rss+xml" href>`), absolute; null when none. */
export function discoverFeedLink(html: string, base: string): string | null {
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/rel=["']?alternate/i.test(tag) || !/type=["']?application\/(rss\+xml|atom\+xml|feed\+json|json)/i.test(tag)) continue;
    const href = /href=["']([^"']+)["']/i.exec(tag)?.[1];
    if (href) {
      try {
        return new URL(href.replace(/&amp;/g, '&'), base).href;
      } catch {
        /* next */
      }
    }
  }
  return null;
}
