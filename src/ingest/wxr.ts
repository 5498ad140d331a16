/**
 * WordPress export files (WXR), streamed: the file is read twice, chunk by
 * chunk, never whole. The first pass collects what posts refer to (authors'
 * display names, attachments for featured images, the categories in use,
 * the site's address); the second yields the posts 100 at a time.
 */
import { decodeText } from '../net/public-fetch.js';
import { sourceIdentity } from './ids.js';
import type { SourceItem, SourcePage, SourceReader, SourceTerm } from './source-item.js';
import { child, childText, childrenNamed, declaredXmlEncoding, xmlStream, type XmlElement } from './xml.js';

/** Opens the export anew for each pass. */
export type ChunkSource = () => AsyncIterable<Uint8Array>;

const LATIN1 = new Set(['windows-1252', 'iso-8859-1', 'latin1', 'us-ascii', 'ascii', 'cp1252']);

/** The children of `<channel>` of the export, one at a time, as the chunks are read (backpressure: the next chunk is read when these are consumed). */
async function* elements(open: ChunkSource): AsyncIterable<XmlElement> {
  const pending: XmlElement[] = [];
  const parser = xmlStream({ element: (el) => void pending.push(el) });
  let decoder: ((chunk: Uint8Array, last: boolean) => string) | null = null;
  for await (const chunk of open()) {
    if (!decoder) {
      const label = declaredXmlEncoding(chunk) ?? 'utf-8';
      if (LATIN1.has(label)) decoder = (c) => decodeText(c, label);
      else {
        const td = new TextDecoder(label === 'utf8' ? 'utf-8' : label);
        decoder = (c, last) => td.decode(c, { stream: !last });
      }
    }
    parser.write(decoder(chunk, false).replace(/^\uFEFF/, ''));
    while (pending.length) yield pending.shift()!;
  }
  if (decoder) parser.write(decoder(new Uint8Array(0), true));
  parser.close();
  while (pending.length) yield pending.shift()!;
}

const meta = (item: XmlElement, key: string): string | undefined =>
  childrenNamed(item, 'wp:postmeta').find((m) => childText(m, 'wp:meta_key') === key)?.children.find((c) => c.name === 'wp:meta_value')?.text.trim();

const terms = (item: XmlElement, domain: string): SourceTerm[] =>
  childrenNamed(item, 'category').filter((c) => c.attrs.domain === domain).map((c) => ({ slug: c.attrs.nicename ?? '', name: c.text.trim() }));

const notPublicReason = (item: XmlElement): string | undefined => {
  const status = childText(item, 'wp:status');
  if (status !== 'publish') return `status ${status || 'unknown'}`;
  if (childText(item, 'wp:post_password')) return 'password-protected';
  return undefined;
};

interface Attachment { url: string; alt?: string }

/** A reader of the posts in the export that `open` streams. */
export function wxrReader(open: ChunkSource, options: { perPage?: number } = {}): SourceReader & { prepare(): Promise<void> } {
  const perPage = options.perPage ?? 100;
  const authors = new Map<string, string>();
  const attachments = new Map<string, Attachment>();
  const firstCategories = new Map<string, SourceTerm>();
  let uncategorized = false;
  let posts = 0;
  let identity = '';
  let prepared = false;
  const prepare = async () => {
    if (prepared) return;
    for await (const el of elements(open)) {
      if (el.name === 'wp:author') authors.set(childText(el, 'wp:author_login'), childText(el, 'wp:author_display_name') || childText(el, 'wp:author_login'));
      else if (el.name === 'link' && !identity) identity = sourceIdentity(el.text.trim());
      else if (el.name === 'wp:base_blog_url' && !identity) identity = sourceIdentity(el.text.trim());
      else if (el.name === 'item') {
        const type = childText(el, 'wp:post_type');
        if (type === 'attachment') {
          const url = childText(el, 'wp:attachment_url');
          const alt = meta(el, '_wp_attachment_image_alt');
          if (url) attachments.set(childText(el, 'wp:post_id'), { url, ...(alt ? { alt } : {}) });
        } else if (type === 'post') {
          posts++;
          if (notPublicReason(el)) continue;
          const first = terms(el, 'category')[0];
          if (first) firstCategories.set(first.slug || first.name, first);
          else uncategorized = true;
        }
      }
    }
    if (!identity) throw new Error('ingest: the export names no site (<channel><link>)');
    prepared = true;
  };
  const itemOf = (el: XmlElement): SourceItem => {
    const thumb = meta(el, '_thumbnail_id');
    const image = thumb ? attachments.get(thumb) : undefined;
    const login = childText(el, 'dc:creator');
    const reason = notPublicReason(el);
    const excerpt = childText(el, 'excerpt:encoded');
    return {
      key: childText(el, 'wp:post_id'),
      title: childText(el, 'title'),
      contentHtml: child(el, 'content:encoded')?.text ?? '',
      ...(excerpt ? { excerpt } : {}),
      ...(childText(el, 'link') ? { link: childText(el, 'link') } : {}),
      ...(login ? { authorName: authors.get(login) ?? login } : {}),
      published: { local: childText(el, 'wp:post_date'), gmt: childText(el, 'wp:post_date_gmt') },
      categories: terms(el, 'category'),
      tags: terms(el, 'post_tag'),
      ...(image ? { image } : {}),
      ...(reason ? { notPublic: reason } : {}),
    };
  };
  return {
    kind: 'wxr',
    get identity() {
      return identity;
    },
    prepare,
    async categories() {
      await prepare();
      return { terms: [...firstCategories.values()], uncategorized };
    },
    async *pages(): AsyncIterable<SourcePage> {
      await prepare();
      const totalPages = Math.max(1, Math.ceil(posts / perPage));
      let batch: SourceItem[] = [];
      let page = 0;
      for await (const el of elements(open)) {
        if (el.name !== 'item' || childText(el, 'wp:post_type') !== 'post') continue;
        batch.push(itemOf(el));
        if (batch.length >= perPage) {
          yield { page: ++page, totalPages, totalItems: posts, url: `wxr#page=${page}`, items: batch };
          batch = [];
        }
      }
      if (batch.length) yield { page: ++page, totalPages, totalItems: posts, url: `wxr#page=${page}`, items: batch };
    },
  };
}
