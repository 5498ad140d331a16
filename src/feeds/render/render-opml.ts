/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml): one `<outline type="rss">` per
 * feed, grouped under one `<outline text="…">` per category (in order of first appearance);
 * outlines without a category stay at the top level where they occur.
 *
 * RSS 2.0 and Atom outlines are `type="rss"`, which is what OPML 2.0 defines for subscription
 * lists and what readers look for whatever the feed format; only RSS outlines carry a `version`
 * ("RSS2": the W3C validator knows RSS, RSS1, RSS2 and scriptingNews, and warns on anything
 * else). JSON Feed outlines are `type="JSONFeed"`, the type FreshRSS writes and reads for JSON
 * Feed subscriptions (with `type="rss"` it would fetch them as RSS/Atom and fail); Miniflux
 * ignores `type` and takes every outline with an `xmlUrl`. Every outline has `text` (FreshRSS's
 * name, required by OPML 2.0) and `title` (Miniflux's name). Groups are one level deep, as both
 * importers turn only the direct parent into a category. `dateCreated` is RFC 822 at the
 * publisher's offset, as in RSS.
 */
import type { FeedFormat } from './types.js';
import { toRfc822 } from './dates.js';
import { attrs, textElement, XML_PROLOG } from './xml.js';

/** Head of an OPML document. */
export interface OpmlMeta {
  title: string;
  ownerName?: string;
  /** RFC 3339 with offset; written as RFC 822 keeping the offset. */
  dateCreated: string;
}

/** One subscription. */
export interface OpmlOutline {
  title: string;
  /** The HTML page the feed describes. */
  htmlUrl: string;
  /** The feed document. */
  xmlUrl: string;
  type: FeedFormat;
  /** Group name (e.g. an institution or category); outlines with the same one are nested together. */
  category?: string;
  description?: string;
}

/** The outline `type` of each format, and the `version` (only RSS has one the validator knows). */
const OPML_TYPE_OF: Readonly<Record<FeedFormat, string>> = { rss: 'rss', atom: 'rss', json: 'JSONFeed' };
const OPML_VERSION_OF: Readonly<Record<FeedFormat, string | undefined>> = { rss: 'RSS2', atom: undefined, json: undefined };

function feedOutline(o: OpmlOutline, indent: string): string {
  return `${indent}<outline${attrs([
    ['type', OPML_TYPE_OF[o.type]],
    ['version', OPML_VERSION_OF[o.type]],
    ['text', o.title],
    ['title', o.title],
    ['description', o.description],
    ['xmlUrl', o.xmlUrl],
    ['htmlUrl', o.htmlUrl],
  ])}/>`;
}

/** Renders an OPML 2.0 subscription list, nesting outlines that share a `category`. */
export function renderOpml(meta: OpmlMeta, outlines: OpmlOutline[]): string {
  // Top-level nodes in order: a lone outline, or a group collecting every outline of its category.
  const top: Array<OpmlOutline | { name: string; members: OpmlOutline[] }> = [];
  const groups = new Map<string, OpmlOutline[]>();
  for (const o of outlines) {
    if (o.category === undefined) {
      top.push(o);
      continue;
    }
    let members = groups.get(o.category);
    if (!members) {
      members = [];
      groups.set(o.category, members);
      top.push({ name: o.category, members });
    }
    members.push(o);
  }

  const out: string[] = [
    XML_PROLOG,
    '<opml version="2.0">\n  <head>\n    ',
    textElement('title', meta.title),
    '\n    ',
    textElement('dateCreated', toRfc822(meta.dateCreated)),
  ];
  if (meta.ownerName !== undefined) out.push('\n    ', textElement('ownerName', meta.ownerName));
  out.push('\n    <docs>http://opml.org/spec2.opml</docs>\n  </head>\n  <body>');
  for (const node of top) {
    if ('members' in node) {
      out.push(`\n    <outline${attrs([['text', node.name], ['title', node.name]])}>`);
      for (const o of node.members) out.push('\n', feedOutline(o, '      '));
      out.push('\n    </outline>');
    } else {
      out.push('\n', feedOutline(node, '    '));
    }
  }
  out.push('\n  </body>\n</opml>\n');
  return out.join('');
}
