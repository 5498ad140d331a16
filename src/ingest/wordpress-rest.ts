/**
 * WordPress sites read through their REST API, reached as
 * `/wp-json/wp/v2/...` or, on sites without pretty permalinks, as
 * `/?rest_route=/wp/v2/...`. Posts come with `_embed` (author, terms,
 * featured media), 100 a page, `X-WP-TotalPages` telling how many.
 */
import { type SourceFetcher, SourceError } from './fetcher.js';
import { sourceIdentity } from './ids.js';
import type { SourceItem, SourcePage, SourceReader, SourceTerm } from './source-item.js';

/** The URL of `route` (`wp/v2/posts`) under an API root (`…/wp-json/` or `…/?rest_route=/`), with `params`. */
export function restUrl(root: string, route: string, params: Record<string, string> = {}): string {
  const u = new URL(root);
  if (u.searchParams.has('rest_route')) {
    const base = (u.searchParams.get('rest_route') ?? '/').replace(/\/+$/, '');
    u.searchParams.set('rest_route', `${base}/${route}`);
  } else {
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/${route}`;
  }
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

/** The API root a `Link: <…>; rel="https://api.w.org/"` header or `<link rel="https://api.w.org/">` names; null when none. */
export function apiRootFromLink(linkHeader: string | null, html = ''): string | null {
  const fromHeader = /<([^>]+)>\s*;\s*rel="?https:\/\/api\.w\.org\/"?/i.exec(linkHeader ?? '');
  if (fromHeader) return fromHeader[1]!;
  const fromHtml = /<link\b[^>]*rel=["']https:\/\/api\.w\.org\/["'][^>]*>/i.exec(html);
  const href = fromHtml ? /href=["']([^"']+)["']/i.exec(fromHtml[0]) : null;
  return href ? href[1]!.replace(/&amp;/g, '&') : null;
}

async function json(fetcher: SourceFetcher, url: string): Promise<{ body: unknown; headers: Headers; status: number }> {
  const res = await fetcher.get(url, { Accept: 'application/json' });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (res.status === 400 && /rest_post_invalid_page_number/.test(text)) return { body: [], headers: res.headers, status: 400 };
  if (res.status !== 200) throw new SourceError(`ingest: ${url} answered HTTP ${res.status}`, url);
  try {
    return { body: JSON.parse(text.replace(/^\uFEFF/, '')), headers: res.headers, status: 200 };
  } catch (cause) {
    throw new SourceError(`ingest: ${url} is not JSON (${type || 'no Content-Type'}, starts ${JSON.stringify(text.slice(0, 40))})`, url, { cause });
  }
}

/** Is `root` a WordPress REST root with wp/v2? Returns the site's home URL when it is. */
export async function probeApiRoot(fetcher: SourceFetcher, root: string): Promise<string | null> {
  try {
    const { body } = await json(fetcher, root);
    const index = body as { namespaces?: unknown; home?: unknown; url?: unknown };
    if (!Array.isArray(index?.namespaces) || !index.namespaces.includes('wp/v2')) return null;
    return typeof index.home === 'string' ? index.home : typeof index.url === 'string' ? index.url : root;
  } catch {
    return null;
  }
}

interface WpTerm { id?: number; taxonomy?: string; slug?: string; name?: string }
interface WpPost {
  id: number; date?: string; date_gmt?: string; modified_gmt?: string; status?: string; type?: string; link?: string;
  title?: { rendered?: string }; content?: { rendered?: string; protected?: boolean }; excerpt?: { rendered?: string; protected?: boolean };
  categories?: number[]; tags?: number[];
  _embedded?: { author?: { name?: string }[]; 'wp:term'?: WpTerm[][]; 'wp:featuredmedia'?: { source_url?: string; mime_type?: string; alt_text?: string; code?: string }[] };
}

const termsOf = (post: WpPost, taxonomy: string, order: number[] | undefined): SourceTerm[] => {
  const all = (post._embedded?.['wp:term'] ?? []).flat().filter((t): t is WpTerm => Boolean(t) && t.taxonomy === taxonomy);
  const byId = new Map(all.map((t) => [t.id, t]));
  const ordered = order?.length ? order.map((id) => byId.get(id)).filter((t): t is WpTerm => Boolean(t)) : all;
  return ordered.map((t) => ({ slug: t.slug ?? '', name: t.name ?? t.slug ?? '' }));
};

/** A REST post as a source item. */
export function itemOfPost(post: WpPost): SourceItem {
  const media = post._embedded?.['wp:featuredmedia']?.[0];
  const notPublic = post.status && post.status !== 'publish' ? `status ${post.status}` : post.content?.protected ? 'password-protected' : undefined;
  return {
    key: String(post.id),
    title: post.title?.rendered ?? '',
    contentHtml: post.content?.rendered ?? '',
    ...(post.excerpt?.rendered && !post.excerpt.protected ? { excerpt: post.excerpt.rendered } : {}),
    ...(post.link ? { link: post.link } : {}),
    ...(post._embedded?.author?.[0]?.name ? { authorName: post._embedded.author[0].name } : {}),
    published: { local: post.date ?? '', gmt: post.date_gmt ?? '' },
    ...(post.modified_gmt ? { modified: post.modified_gmt } : {}),
    categories: termsOf(post, 'category', post.categories),
    tags: termsOf(post, 'post_tag', post.tags),
    ...(media?.source_url && !media.code ? { image: { url: media.source_url, ...(media.mime_type ? { type: media.mime_type } : {}), ...(media.alt_text ? { alt: media.alt_text } : {}) } } : {}),
    ...(notPublic ? { notPublic } : {}),
  };
}

/** A reader of the published posts of the WordPress site at API root `root`. */
export function wordpressReader(fetcher: SourceFetcher, root: string, home: string, options: { sinceIso?: string; perPage?: number } = {}): SourceReader {
  const perPage = String(options.perPage ?? 100);
  const filter: Record<string, string> = { status: 'publish', orderby: 'id', order: 'asc', ...(options.sinceIso ? { after: options.sinceIso } : {}) };
  const postsPage = (page: number, extra: Record<string, string>) => restUrl(root, 'wp/v2/posts', { ...extra, per_page: perPage, page: String(page), ...filter });
  async function* walk(extra: Record<string, string>): AsyncIterable<{ page: number; totalPages?: number; totalItems?: number; url: string; posts: WpPost[] }> {
    for (let page = 1; ; page++) {
      const url = postsPage(page, extra);
      const { body, headers } = await json(fetcher, url);
      if (!Array.isArray(body)) throw new SourceError(`ingest: ${url} is not a list of posts`, url);
      const totalPages = Number(headers.get('x-wp-totalpages')) || undefined;
      const totalItems = Number(headers.get('x-wp-total')) || undefined;
      if (body.length === 0) return;
      yield { page, ...(totalPages ? { totalPages } : {}), ...(totalItems ? { totalItems } : {}), url, posts: body as WpPost[] };
      if (totalPages !== undefined && page >= totalPages) return;
    }
  }
  return {
    kind: 'wordpress',
    identity: sourceIdentity(home),
    location: root,
    async categories() {
      const firstIds = new Set<number>();
      for await (const p of walk({ _fields: 'id,categories,status' })) {
        for (const post of p.posts) if ((post.status ?? 'publish') === 'publish' && post.categories?.[0] !== undefined) firstIds.add(post.categories[0]);
      }
      const terms: SourceTerm[] = [];
      for (let page = 1; firstIds.size > terms.length; page++) {
        const url = restUrl(root, 'wp/v2/categories', { per_page: '100', page: String(page), _fields: 'id,slug,name' });
        const { body, headers } = await json(fetcher, url);
        if (!Array.isArray(body) || body.length === 0) break;
        for (const t of body as WpTerm[]) if (t.id !== undefined && firstIds.has(t.id)) terms.push({ slug: t.slug ?? '', name: t.name ?? '' });
        if (page >= (Number(headers.get('x-wp-totalpages')) || page)) break;
      }
      return { terms, uncategorized: false };
    },
    async *pages(): AsyncIterable<SourcePage> {
      for await (const p of walk({ _embed: '1' })) {
        yield { page: p.page, ...(p.totalPages ? { totalPages: p.totalPages } : {}), ...(p.totalItems ? { totalItems: p.totalItems } : {}), url: p.url, items: p.posts.map(itemOfPost) };
      }
    },
  };
}
