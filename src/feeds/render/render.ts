/**
 * One entry point for the three feed formats. Every renderer is pure: the same
 * document and entries give the same bytes, with no clock or I/O.
 */
import type { FeedDocument, FeedEntry, FeedFormat } from './types.js';
import { renderAtom } from './render-atom.js';
import { renderJsonFeed } from './render-json.js';
import { renderRss } from './render-rss.js';

/** `Content-Type` header value of each format. */
export const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = Object.freeze({
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
});

/** Media type of each format without parameters, for `type` attributes of `<link rel="alternate">` and the like. */
export const FEED_MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = Object.freeze({
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
});

/**
 * The text of entry `index`: `make()` renders it; a caller that already holds it (rendered for
 * the same article version, format and names) returns that instead. The document is the same.
 */
export type ItemText = (index: number, make: () => string) => string;

/** Renders one feed page in `format`; throws a RangeError when a date is not RFC 3339. */
export function renderFeed(doc: FeedDocument, entries: FeedEntry[], format: FeedFormat, itemText?: ItemText): string {
  switch (format) {
    case 'rss':
      return renderRss(doc, entries, itemText);
    case 'atom':
      return renderAtom(doc, entries, itemText);
    case 'json':
      return renderJsonFeed(doc, entries, itemText);
    default: {
      const never: never = format;
      throw new TypeError(`unknown feed format: ${String(never)}`);
    }
  }
}
