/**
 * IPTC ninjs 3.1 (News in JSON) for partner portals: the news industry's JSON
 * format, served by the partner API with `?format=ninjs`. One article becomes
 * one ninjs object; a tombstone becomes `pubStatus: "canceled"`. Runtime-free.
 *
 * Mapping: `uri` the article's tag URI; `version` its version; `versionCreated`
 * updatedAt, `contentCreated` publishedAt (offset kept), `firstCreated` when the
 * store's creation instant is known; `headlines`, `bodies` (HTML), `descriptions`
 * (summary); `subjects` the category and tags; `organisations` the institutions
 * (the owner with rel "publisher"); `by` and `people` the author; `renditions`
 * the images (the lead first); `copyrightNotice` / `usageTerms` the licence.
 */
import { z } from '@hono/zod-openapi';
import type { Services } from '../app-env.js';
import { ProblemError } from '../http/problem.js';
import { licenseStatement, licenseUrl } from '../model/license.js';
import type { Article, Category, Institution } from '../model/schemas.js';
import { slugify } from '../model/text.js';
import { formatRfc3339, parseRfc3339 } from '../model/time.js';
import { cachedRegistryEntries } from '../feeds/serve/registry-cache.js';
import { articleTagUri } from '../feeds/serve/feed-entries.js';
import type { Tombstone } from './change-feed.js';
import { pagePathOf } from '../model/feed-address.js';

/** A ninjs 3.1 object (only the properties Warta writes). */
export type NinjsItem = { uri: string; [property: string]: unknown };
/** The OpenAPI view of a ninjs object: the IPTC schema is the reference (https://www.iptc.org/std/ninjs/). */
export const NinjsItemSchema = z.object({ uri: z.string() }).catchall(z.unknown()).openapi('NinjsItem', { description: 'An IPTC ninjs 3.1 news object' });

/** Registry names a set of articles needs. */
export interface NinjsNames {
  categories: Map<string, Category>;
  institutions: Map<string, Institution>;
}

/** Extra facts the API view of an article lacks. */
export interface NinjsExtras {
  /** When the article was first created (epoch ms), if known. */
  createdMs?: number;
  /** The reader may see it before `publishedAt`: write `embargoedUntil`. */
  embargoed?: boolean;
}

/** Reads `?format=`: `ninjs` or absent; anything else is a 400 naming the parameter. */
export function wantsNinjs(format: string | undefined): boolean {
  if (format === undefined) return false;
  if (format === 'ninjs') return true;
  throw new ProblemError('bad-request', 'format must be "ninjs" or absent', { errors: [{ field: 'format', reason: 'must be "ninjs" or absent' }] });
}

/** The registry entries (cached) of every category and institution of `articles`. */
export async function ninjsNames(s: Services, articles: readonly Article[]): Promise<NinjsNames> {
  const [categories, institutions] = await Promise.all([
    cachedRegistryEntries(s, 'category', articles.map((a) => a.category)),
    cachedRegistryEntries(s, 'institution', articles.flatMap((a) => a.institutions)),
  ]);
  return { categories, institutions };
}

type UrlConfig = Pick<Services['config'], 'baseUrl' | 'tagAuthority'>;

/** One article as ninjs 3.1. */
export function articleToNinjs(config: UrlConfig, a: Article, names: NinjsNames, extras: NinjsExtras = {}): NinjsItem {
  const base = config.baseUrl;
  const owner = names.institutions.get(a.owner);
  const license = a.license ?? owner?.license;
  const images = a.images ?? (a.image ? [a.image] : []);
  const item: NinjsItem = {
    uri: articleTagUri(config, a.id),
    type: 'text',
    version: String(a.version),
    ...(extras.createdMs !== undefined ? { firstCreated: formatRfc3339(extras.createdMs, parseRfc3339(a.publishedAt)?.offsetMinutes ?? 0) } : {}),
    versionCreated: a.updatedAt,
    contentCreated: a.publishedAt,
    ...(extras.embargoed ? { embargoedUntil: a.publishedAt } : {}),
    pubStatus: 'usable',
    language: a.language,
    headlines: [{ value: a.title, contentType: 'text/plain' }],
    descriptions: [{ role: 'summary', value: a.summary, contentType: 'text/plain' }],
    bodies: [{ value: a.contentHtml, contentType: 'text/html' }],
    by: a.author.name,
    people: [{ name: a.author.name, rel: 'author', uri: a.author.url ?? `${base}${pagePathOf({ kind: 'author', slug: slugify(a.author.name) })}` }],
    organisations: a.institutions.map((slug) => ({
      name: names.institutions.get(slug)?.name ?? slug,
      rel: slug === a.owner ? 'publisher' : 'mentioned',
      uri: names.institutions.get(slug)?.homepage ?? `${base}${pagePathOf({ kind: 'inst', slug })}`,
      literal: slug,
    })),
    subjects: [
      { name: names.categories.get(a.category)?.name ?? a.category, rel: 'category', uri: `${base}${pagePathOf({ kind: 'cat', slug: a.category })}`, literal: a.category },
      ...a.tags.map((t) => ({ name: t, rel: 'tag', uri: `${base}${pagePathOf({ kind: 'tag', slug: t })}`, literal: t })),
    ],
  };
  if (a.url) item.altIds = [{ role: 'canonical-url', value: a.url }];
  if (images.length) {
    item.renditions = images.map((img, i) => ({
      name: i === 0 ? 'lead' : `image-${i + 1}`,
      href: img.url,
      contentType: img.type,
      ...(img.length !== undefined ? { sizeInBytes: img.length } : {}),
      ...(img.caption ?? img.alt ? { title: img.caption ?? img.alt } : {}),
    }));
  }
  if (owner) item.copyrightHolder = owner.name;
  if (license) {
    item.copyrightNotice = `© ${owner?.name ?? a.owner}. ${licenseStatement(license)}`;
    item.usageTerms = `${licenseStatement(license)}: ${licenseUrl(license)}`;
  }
  return item;
}

/** A tombstone (deleted, moved out of the slice or embargoed again) as ninjs: `pubStatus: "canceled"`. */
export function tombstoneToNinjs(config: UrlConfig, t: Tombstone): NinjsItem {
  return { uri: articleTagUri(config, t.id), type: 'text', pubStatus: 'canceled', versionCreated: t.deletedAt };
}
