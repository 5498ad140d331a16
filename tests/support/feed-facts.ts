/**
 * One format-neutral view of a feed document, read with a third-party parser (feedsmith)
 * and, for JSON Feed's `_warta` extension, plain JSON.parse. Comparing the facts of the
 * RSS, Atom and JSON renderings of the same page proves they carry the same information.
 * Nothing here uses Warta's own code (RFC 822 dates are parsed independently below).
 */
import type { JsonFeed } from 'feedsmith';
import { parseWithFeedsmith, type FeedFormatName } from './feed-validators.js';

/** A category, institution or tag as a feed exposes it. */
export interface TermFacts {
  name: string;
  url: string;
}

/** What one entry says, whatever the format. Dates are RFC 3339. */
export interface ItemFacts {
  id: string;
  title: string;
  link: string;
  summary: string;
  contentHtml: string;
  published: string;
  updated: string;
  language: string;
  authorName: string;
  authorEmail?: string;
  /** The category, then the institutions, then the tags. */
  categories: TermFacts[];
  image?: { url: string; type: string; length?: number; alt?: string };
}

/** What one feed page says, whatever the format. Dates are RFC 3339. */
export interface FeedFacts {
  id: string;
  title: string;
  description: string;
  language: string;
  homePageUrl: string;
  selfUrl: string;
  firstUrl: string;
  nextUrl?: string;
  hubs: string[];
  updated: string;
  iconUrl?: string;
  rights?: string;
  items: ItemFacts[];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC822 = /^([A-Z][a-z]{2}), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/**
 * `Mon, 04 Dec 2023 15:14:00 +0700` → `2023-12-04T15:14:00+07:00`, checking the day name
 * against the date. Throws on anything else (named zones like GMT included: Warta never writes them).
 */
export function rfc822ToRfc3339(s: string): string {
  const m = RFC822.exec(s);
  if (!m) throw new Error(`not an RFC 822 date with a numeric zone: ${JSON.stringify(s)}`);
  const [, day, dd, mon, yyyy, hh, mi, ss, sign, oh, om] = m as unknown as string[];
  const month = MONTHS.indexOf(mon as string);
  if (month < 0) throw new Error(`bad month in ${s}`);
  const weekday = new Date(Date.UTC(Number(yyyy), month, Number(dd))).getUTCDay();
  if (DAYS[weekday] !== day) throw new Error(`${s}: the date is a ${DAYS[weekday]}, not a ${day}`);
  return `${yyyy}-${String(month + 1).padStart(2, '0')}-${dd}T${hh}:${mi}:${ss}${sign}${oh}:${om}`;
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`missing ${what}`);
  return v;
}

type Link = { href: string; rel?: string; type?: string; title?: string; length?: number };
const rel = (links: Link[] | undefined, r: string) => (links ?? []).filter((l) => (l.rel ?? 'alternate') === r).map((l) => l.href);

function rssFacts(text: string): FeedFacts {
  const f = parseWithFeedsmith(text, 'rss');
  const links = f.atom?.links as Link[] | undefined;
  const language = required(f.language, 'language');
  return {
    id: required(f.dc?.identifiers?.[0], 'dc:identifier'),
    title: f.title as string,
    description: f.description as string,
    language,
    homePageUrl: f.link as string,
    selfUrl: required(rel(links, 'self')[0], 'self link'),
    firstUrl: required(rel(links, 'first')[0], 'first link'),
    nextUrl: rel(links, 'next')[0],
    hubs: rel(links, 'hub'),
    updated: rfc822ToRfc3339(required(f.lastBuildDate, 'lastBuildDate')),
    iconUrl: f.image?.url as string | undefined,
    rights: f.copyright,
    items: (f.items ?? []).map((i): ItemFacts => {
      const enclosure = i.enclosures?.[0];
      const media = i.media?.contents?.[0];
      return {
        id: required(i.guid?.value as string | undefined, 'guid'),
        title: required(i.title, 'title'),
        link: required(i.link, 'link'),
        summary: i.description ?? '',
        contentHtml: i.content?.encoded ?? '',
        published: rfc822ToRfc3339(required(i.pubDate, 'pubDate')),
        updated: required(i.dcterms?.modified?.[0], 'dcterms:modified'),
        language: i.dc?.languages?.[0] ?? language,
        authorName: required(i.dc?.creators?.[0] ?? i.authors?.[0]?.name, 'dc:creator or author'),
        authorEmail: i.authors?.[0]?.email,
        categories: (i.categories ?? []).map((c) => ({ name: c.name as string, url: c.domain ?? '' })),
        image: enclosure && {
          url: enclosure.url as string,
          type: enclosure.type as string,
          length: media?.fileSize ?? ((enclosure.length as number) || undefined),
          alt: media?.description?.value as string | undefined,
        },
      };
    }),
  };
}

function atomFacts(text: string): FeedFacts {
  const f = parseWithFeedsmith(text, 'atom');
  const links = f.links as Link[] | undefined;
  const language = required(f.xml?.lang, 'xml:lang');
  return {
    id: f.id as string,
    title: (f.title as { value: string }).value,
    description: f.subtitle?.value ?? '',
    language,
    homePageUrl: required(rel(links, 'alternate')[0], 'alternate link'),
    selfUrl: required(rel(links, 'self')[0], 'self link'),
    firstUrl: required(rel(links, 'first')[0], 'first link'),
    nextUrl: rel(links, 'next')[0],
    hubs: rel(links, 'hub'),
    updated: f.updated as string,
    iconUrl: f.icon,
    rights: f.rights?.value,
    items: (f.entries ?? []).map((e): ItemFacts => {
      const elinks = e.links as Link[] | undefined;
      const enclosure = (elinks ?? []).find((l) => l.rel === 'enclosure');
      const author = required(e.authors?.[0], 'author');
      return {
        id: e.id as string,
        title: (e.title as { value: string }).value,
        link: required(rel(elinks, 'alternate')[0], 'alternate link'),
        summary: e.summary?.value ?? '',
        contentHtml: e.content?.value ?? '',
        published: required(e.published, 'published'),
        updated: e.updated as string,
        language: e.xml?.lang ?? language,
        authorName: author.name as string,
        authorEmail: author.email,
        categories: (e.categories ?? []).map((c) => {
          const scheme = c.scheme ?? '';
          return { name: c.label ?? (c.term as string), url: scheme.endsWith('/') ? scheme + (c.term as string) : scheme };
        }),
        image: enclosure && { url: enclosure.href, type: enclosure.type ?? '', length: enclosure.length, alt: enclosure.title },
      };
    }),
  };
}

type WartaTerm = { name: string; url: string };
type RawJson = {
  _warta?: { id?: string; updated?: string; first_url?: string; rights?: string };
  items?: Array<{ _warta?: { category: WartaTerm; institutions: WartaTerm[]; tags: WartaTerm[]; author?: { email?: string } } }>;
};

function jsonFacts(text: string): FeedFacts {
  const f = parseWithFeedsmith(text, 'json');
  const raw = JSON.parse(text) as RawJson;
  const language = required(f.language, 'language');
  return {
    id: required(raw._warta?.id, '_warta.id'),
    title: f.title as string,
    description: f.description ?? '',
    language,
    homePageUrl: required(f.home_page_url, 'home_page_url'),
    selfUrl: required(f.feed_url, 'feed_url'),
    firstUrl: required(raw._warta?.first_url, '_warta.first_url'),
    nextUrl: f.next_url,
    hubs: (f.hubs ?? []).map((h) => h.url as string),
    updated: required(raw._warta?.updated, '_warta.updated'),
    iconUrl: f.icon,
    rights: raw._warta?.rights,
    items: ((f.items ?? []) as JsonFeed.Item<string>[]).map((i, n): ItemFacts => {
      const w = required(raw.items?.[n]?._warta, '_warta of an item');
      const term = (t: WartaTerm) => ({ name: t.name, url: t.url });
      const a = i.attachments?.[0];
      return {
        id: i.id as string,
        title: i.title ?? '',
        link: required(i.url, 'url'),
        summary: i.summary ?? '',
        contentHtml: i.content_html ?? '',
        published: required(i.date_published, 'date_published'),
        updated: required(i.date_modified, 'date_modified'),
        language: i.language ?? language,
        authorName: required(i.authors?.[0]?.name, 'author name'),
        authorEmail: w.author?.email,
        categories: [term(w.category), ...w.institutions.map(term), ...w.tags.map(term)],
        image: a && { url: a.url as string, type: a.mime_type as string, length: a.size_in_bytes, alt: a.title },
      };
    }),
  };
}

/** Reads the format-neutral facts of a rendered feed document. */
export function feedFacts(text: string, format: FeedFormatName): FeedFacts {
  if (format === 'rss') return rssFacts(text);
  if (format === 'atom') return atomFacts(text);
  return jsonFacts(text);
}
