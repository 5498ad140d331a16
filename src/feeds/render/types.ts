/**
 * The shapes a feed document is rendered from. Rendering is pure:
 * `renderFeed(doc, entries, format) -> string`; everything time-dependent
 * (the feed's `updated`) is part of `doc`, never read from a clock.
 */
import type { FreshnessHints } from './freshness.js';

import type { FeedFormat } from '../../model/feed-address.js';

/** The three syndication formats Warta serves, named after their URL suffix (defined with the feed URL grammar, src/model/feed-address.ts). */
export type { FeedFormat };

/** A link to a slice of the news in one of Warta's registries (category, institution, tag, author). */
export interface TermRef {
  slug: string;
  /** Display name, e.g. "Lapas Kelas I Madiun"; the slug when there is no registry name. */
  name: string;
  /** Warta's HTML page for that term, used as RSS `domain` / Atom `scheme`. */
  url: string;
}

/** An image of an article as feeds show it. */
export interface FeedImage {
  url: string;
  type: string;
  length?: number;
  alt?: string;
  caption?: string;
  credit?: string;
  /** SPDX id or URL. */
  license?: string;
}

/** Every image of an entry, the lead first. */
export const entryImages = (e: Pick<FeedEntry, 'image' | 'images'>): FeedImage[] => e.images ?? (e.image ? [e.image] : []);

/** One article as a feed shows it. Every time is RFC 3339 with the publisher's offset. */
export interface FeedEntry {
  /** Warta's article id (ULID or client-given). */
  id: string;
  /** Stable IRI for the entry: a `tag:` URI (Atom `id`, JSON `id`, RSS `guid isPermaLink="false"`). */
  tagUri: string;
  title: string;
  summary: string;
  /** Sanitized HTML: the only markup passed through. */
  contentHtml: string;
  /** The article's canonical `url`, or Warta's own article page when it has none. */
  link: string;
  author: { name: string; email?: string; url?: string; slug: string; pageUrl: string };
  category: TermRef;
  tags: TermRef[];
  institutions: TermRef[];
  /** The lead image (the first of `images`). */
  image?: FeedImage;
  /** Every image, the lead first, when there are several (without it: `image` alone). */
  images?: FeedImage[];
  /** The article's licence (its own, else its owner institution's default): SPDX id or URL. */
  license?: string;
  /** RFC 3339 with offset, e.g. 2023-12-04T15:14:00+07:00 */
  publishedAt: string;
  /** RFC 3339 with the same offset as publishedAt. */
  updatedAt: string;
  language: string;
}

/** Channel-level metadata of one feed page. */
export interface FeedDocument {
  /** Stable IRI of the feed (a `tag:` URI), Atom `feed/id`. */
  id: string;
  title: string;
  description: string;
  /** BCP 47 language tag, e.g. "id". */
  language: string;
  /** The HTML page of this slice (RSS `link`, Atom `rel=alternate`, JSON `home_page_url`). */
  homePageUrl: string;
  /** This exact document (format, limit and cursor included). */
  selfUrl: string;
  /** The first page of this feed in this format (RFC 5005 `first`). */
  firstUrl: string;
  /** The next (older) page, when there is one (RFC 5005 `next`, JSON `next_url`). */
  nextUrl?: string;
  /** WebSub hub URL(s) for `rel="hub"` / JSON `hubs`. */
  hubUrls: string[];
  /** The newest change in this feed, RFC 3339 with offset: `lastBuildDate` / `updated`. */
  updated: string;
  /** Square icon URL (RSS image, Atom icon, JSON Feed icon and favicon), optional. */
  iconUrl?: string;
  /** Logo URL (Atom logo), optional. */
  logoUrl?: string;
  /** RSS ttl and sy:updatePeriod/Frequency, optional. */
  freshness?: FreshnessHints;
  generator: { name: string; version: string; url: string };
  /** Copyright or rights statement, optional. */
  rights?: string;
}
