/**
 * Media RSS (https://www.rssboard.org/media-rss) for an article's images, shared by
 * the RSS items and the Atom entries: what readers use for thumbnails (FreshRSS reads
 * `media:thumbnail`), and where a picture's caption, credit and licence travel.
 */
import { licenseUrl } from '../../model/license.js';
import type { FeedImage } from './types.js';
import { attrs, escapeRssPlainText, escapeXmlAttr } from './xml.js';

/** A plain-text element with the RSS Board profile's `&#x26;` `&#x3C;` `&#x3E;` references (valid XML in Atom too). */
const plain = (name: string, text: string, attributes = '') => `<${name}${attributes}>${escapeRssPlainText(text)}</${name}>`;

/** The Media RSS namespace. */
export const NS_MEDIA = 'http://search.yahoo.com/mrss/';

/** Does this image carry something only Media RSS can say in Atom (caption, credit, licence)? */
export const hasMediaCredits = (img: FeedImage) => img.caption !== undefined || img.credit !== undefined || img.license !== undefined;

/** One image as `media:content` with its caption (else alt text), credit, licence and thumbnail; `I` is the indentation. */
export function renderMediaContent(out: string[], img: FeedImage, I: string): void {
  out.push(I, `<media:content${attrs([['url', img.url], ['type', img.type], ['medium', 'image'], ['fileSize', img.length]])}>`);
  const description = img.caption ?? img.alt;
  if (description !== undefined) out.push(I, '  ', plain('media:description', description, ' type="plain"'));
  if (img.credit !== undefined) out.push(I, '  ', plain('media:credit', img.credit));
  if (img.license !== undefined) out.push(I, '  ', plain('media:license', img.license, attrs([['type', 'text/html'], ['href', licenseUrl(img.license)]])));
  out.push(I, `  <media:thumbnail url="${escapeXmlAttr(img.url)}"/>`, I, '</media:content>');
}
