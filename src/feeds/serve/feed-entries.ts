/**
 * From stored records to what the renderers take: FeedEntry per article
 * (names from the registries, Warta page URLs for every term) and the
 * FeedDocument of one page. Ids are `tag:` URIs under `config.tagAuthority`,
 * so they do not change with the scheme, port or process.
 */
import type { Services } from '../../app-env.js';
import type { Config } from '../../config.js';
import type { Category, Institution } from '../../model/schemas.js';
import { formatRfc3339, parseRfc3339 } from '../../model/time.js';
import { WARTA_VERSION } from '../../version.js';
import type { ArticleRecord } from '../../store/article-record.js';
import { cachedRegistryEntries } from './registry-cache.js';
import type { FeedSlice } from './feed-slices.js';
import type { FeedDocument, FeedEntry, FeedImage, TermRef } from '../render/types.js';
import { pagePathOf } from '../../model/feed-address.js';

/** Year of Warta's `tag:` URIs (RFC 4151 date: when the authority started minting them). */
export const TAG_URI_YEAR = '2026';
/** Offset of `updated` when a page has no article to take it from: WIB. */
export const FALLBACK_OFFSET_MINUTES = 7 * 60;

/** The `tag:` URI of a feed. */
export const feedTagUri = (config: Pick<Config, 'tagAuthority'>, feed: string) => `tag:${config.tagAuthority},${TAG_URI_YEAR}:feed/${feed}`;
/** The `tag:` URI of an article. */
export const articleTagUri = (config: Pick<Config, 'tagAuthority'>, id: string) => `tag:${config.tagAuthority},${TAG_URI_YEAR}:article/${id}`;
/** Where an article is read: its canonical URL, or Warta's own page. */
export const articleLink = (config: Pick<Config, 'baseUrl'>, r: Pick<ArticleRecord, 'id' | 'url'>) => r.url ?? `${config.baseUrl}/articles/${encodeURIComponent(r.id)}`;

/** Registry names needed to show a set of articles. */
export interface TermNames {
  categories: Map<string, Category>;
  institutions: Map<string, Institution>;
}

/** Fetches (cached) every category and institution of `records` at once. */
export async function namesFor(s: Services, records: readonly ArticleRecord[]): Promise<TermNames> {
  const [categories, institutions] = await Promise.all([
    cachedRegistryEntries(s, 'category', records.map((r) => r.category)),
    cachedRegistryEntries(s, 'institution', records.flatMap((r) => r.institutions)),
  ]);
  return { categories, institutions };
}

/** One article as a feed entry (pure). */
export function toFeedEntry(config: Pick<Config, 'baseUrl' | 'tagAuthority'>, r: ArticleRecord, names: TermNames): FeedEntry {
  const base = config.baseUrl;
  const term = (kind: 'cat' | 'inst' | 'tag', slug: string, name: string | undefined): TermRef => ({ slug, name: name ?? slug, url: `${base}${pagePathOf({ kind, slug })}` });
  const entry: FeedEntry = {
    id: r.id,
    tagUri: articleTagUri(config, r.id),
    title: r.title,
    summary: r.summary,
    contentHtml: r.contentHtml,
    link: articleLink(config, r),
    author: {
      name: r.author.name,
      ...(r.author.email ? { email: r.author.email } : {}),
      ...(r.author.url ? { url: r.author.url } : {}),
      slug: r.authorSlug,
      pageUrl: `${base}${pagePathOf({ kind: 'author', slug: r.authorSlug })}`,
    },
    category: term('cat', r.category, names.categories.get(r.category)?.name),
    tags: r.tags.map((t) => term('tag', t, undefined)),
    institutions: r.institutions.map((i) => term('inst', i, names.institutions.get(i)?.name)),
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
    language: r.language,
  };
  const license = r.license ?? names.institutions.get(r.owner)?.license;
  if (license) entry.license = license;
  const images = r.images ?? (r.image ? [r.image] : []);
  const shown = images.map((img) => {
    const out: FeedImage = { url: img.url, type: img.type };
    if (img.length !== undefined) out.length = img.length;
    for (const key of ['alt', 'caption', 'credit', 'license'] as const) if (img[key] !== undefined) out[key] = img[key];
    return out;
  });
  if (shown[0]) entry.image = shown[0];
  if (shown.length > 1) entry.images = shown;
  return entry;
}

/** URLs of one page of a feed in one format. */
export interface PageUrls {
  selfUrl: string;
  firstUrl: string;
  nextUrl?: string;
}

/** The configuration a feed document depends on. */
export type FeedDocumentConfig = Pick<Config, 'baseUrl' | 'tagAuthority'> & { websub: { externalHubUrl?: string | undefined; [other: string]: unknown } };

/** WebSub hubs announced by every feed: Warta's own, then the external one if configured. */
export function hubUrls(config: Pick<FeedDocumentConfig, 'baseUrl' | 'websub'>): string[] {
  return config.websub.externalHubUrl ? [`${config.baseUrl}/websub`, config.websub.externalHubUrl] : [`${config.baseUrl}/websub`];
}

/**
 * The channel metadata of a page (pure). `updated` is the feed's visible
 * lastModified, never the request time, written at the offset of the
 * page's newest article (the publisher's zone), or WIB for an empty page.
 */
export function buildFeedDocument(
  config: FeedDocumentConfig,
  slice: FeedSlice,
  urls: PageUrls,
  lastModifiedMs: number,
  newest: ArticleRecord | undefined,
): FeedDocument {
  const offset = (newest && parseRfc3339(newest.publishedAt)?.offsetMinutes) ?? FALLBACK_OFFSET_MINUTES;
  return {
    id: feedTagUri(config, slice.key),
    title: slice.title,
    description: slice.description,
    language: 'id',
    homePageUrl: slice.homePageUrl,
    selfUrl: urls.selfUrl,
    firstUrl: urls.firstUrl,
    ...(urls.nextUrl ? { nextUrl: urls.nextUrl } : {}),
    hubUrls: hubUrls(config),
    updated: formatRfc3339(lastModifiedMs, offset),
    generator: { name: 'Warta', version: WARTA_VERSION, url: `${config.baseUrl}/` },
  };
}
