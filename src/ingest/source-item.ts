/**
 * The neutral shape every source reader (WordPress REST, WXR, RSS, Atom,
 * JSON Feed) produces, so that one mapping (mapping.ts) turns any of them
 * into a Warta article.
 */

/** A category or tag as the source names it. */
export interface SourceTerm {
  /** The source's slug (may be percent-encoded or non-ASCII); normalized by the mapping. */
  slug: string;
  /** Display name, possibly with HTML entities. */
  name: string;
}

/** A post as read from a source, before mapping. */
export interface SourceItem {
  /** Stable key of the item within its source (WordPress post id, feed guid); the article id is derived from it. */
  key: string;
  /** Title as the source gives it (HTML entities possible, markup possible). */
  title: string;
  /** Body HTML (may hold shortcodes, lazy images, relative URLs). */
  contentHtml: string;
  /** Excerpt HTML or text, when the source has one. */
  excerpt?: string;
  /** Permalink. */
  link?: string;
  authorName?: string;
  /** Publication time: an RFC 3339 string with offset, or local and GMT wall times (WordPress). */
  published: { rfc3339: string } | { local: string; gmt: string };
  /** When the source last modified the item (informative; the server compares content). */
  modified?: string;
  categories: SourceTerm[];
  tags: SourceTerm[];
  image?: { url: string; type?: string; alt?: string };
  /** Why the item must not be imported (draft, private, password-protected); undefined when it may. */
  notPublic?: string;
}

/** One page a reader produced: its items and where it came from, for progress lines. */
export interface SourcePage {
  /** 1-based page number. */
  page: number;
  /** Total pages when the source says (X-WP-TotalPages); undefined otherwise. */
  totalPages?: number;
  /** Total items when the source says (X-WP-Total). */
  totalItems?: number;
  url: string;
  items: SourceItem[];
}

/** A source reader: pages of items, newest or oldest first as the source gives them. */
export interface SourceReader {
  /** What kind of source this is, for messages. */
  kind: 'wordpress' | 'wxr' | 'feed';
  /** The source's identity (origin of the site or feed), from which article ids derive. */
  identity: string;
  /** Where it is read: the REST API root (WordPress) or the feed's URL. */
  location?: string;
  /** Every term used as the first category of a public item (and whether some item has none), for the registry check before anything is written. */
  categories(): Promise<{ terms: SourceTerm[]; uncategorized: boolean }>;
  pages(): AsyncIterable<SourcePage>;
}
