/**
 * One import run: the registry check (before anything is written), then
 * every page of the source mapped and written in batches of at most 100,
 * tallied as imported, updated, unchanged, skipped and failed; `--prune`
 * withdraws this source's articles that the source no longer publishes.
 * Ids derive from the source, so a run stopped anywhere and started again
 * ends with exactly the articles of an uninterrupted run.
 */
import { mapItem, mapSlug, plainText, type MappingOptions } from './mapping.js';
import { sourceIdPrefix } from './ids.js';
import { parseRfc3339 } from '../model/time.js';
import type { ArticleInput } from '../model/schemas.js';
import type { SourceReader } from './source-item.js';
import { createCategoryCommand, type ImportTarget } from './target.js';

/** The counts of a run, and each failure with its reason. */
export interface ImportSummary {
  imported: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  withdrawn: number;
  pages: number;
  failures: { id: string; reason: string }[];
  /** URLs (permalinks, images, links) on loopback or private networks left out, and of how many posts (without keepPrivateUrls). */
  privateUrlsLeftOut?: { urls: number; posts: number };
  /** The source failed part-way (a page could not be read); the counts cover what was done. */
  sourceError?: string;
}

/** Progress after each page, for the bar or the line per page. */
export interface PageProgress {
  page: number;
  totalPages?: number;
  totalItems?: number;
  url: string;
  summary: ImportSummary;
}

/** A refusal before anything was written (unknown categories with a publisher token, unknown institution). */
export class ImportRefused extends Error {
  readonly details: string[];
  constructor(message: string, details: string[]) {
    super(message);
    this.name = 'ImportRefused';
    this.details = details;
  }
}

/** Settings of a run. */
export interface ImportOptions {
  mapping: Omit<MappingOptions, 'identity'>;
  /** Only items published at or after this instant (ms). */
  sinceMs?: number;
  prune?: boolean;
  /** Base URL of the target, for the commands printed in refusals. */
  targetLabel?: string;
  onPage?: (p: PageProgress) => void;
  /** Stops between batches (Ctrl-C). */
  signal?: AbortSignal;
}

/** The one-line summary: `imported N, updated M, unchanged K, skipped S, failed F`. */
export function summaryLine(s: ImportSummary, prune = false): string {
  return `imported ${s.imported}, updated ${s.updated}, unchanged ${s.unchanged}, skipped ${s.skipped}, failed ${s.failed}${prune ? `, withdrawn ${s.withdrawn}` : ''}`;
}

const defaultName = (slug: string) => slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

/** Checks the institution and categories; creates missing categories (admin) or refuses listing each (publisher). */
export async function prepareRegistries(reader: SourceReader, target: ImportTarget, options: ImportOptions): Promise<{ created: string[] }> {
  const { institution, categoryMap, defaultCategory } = options.mapping;
  const label = options.targetLabel ?? 'http://127.0.0.1:8787';
  if (!(await target.institutionExists(institution))) {
    throw new ImportRefused(`ingest: institution "${institution}" is not registered on the target`, [
      `curl -X PUT ${label}/api/institutions/${institution} -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"…","kind":"…","region":"…"}'`,
    ]);
  }
  const { terms, uncategorized } = await reader.categories();
  const needed = new Map<string, string>();
  for (const t of terms) needed.set(mapSlug(t, categoryMap), plainText(t.name) || defaultName(mapSlug(t, categoryMap)));
  if (uncategorized && !needed.has(defaultCategory)) needed.set(defaultCategory, defaultName(defaultCategory));
  const known = await target.categorySlugs();
  const missing = [...needed].filter(([slug]) => !known.has(slug)).sort(([a], [b]) => (a < b ? -1 : 1));
  if (!missing.length) return { created: [] };
  if (!(await target.isAdmin())) {
    throw new ImportRefused(
      `ingest: ${missing.length} categor${missing.length === 1 ? 'y is' : 'ies are'} not registered on the target (${missing.map(([s]) => s).join(', ')}); nothing was written. Ask an admin to create them, or map them with --category-map old=new`,
      missing.map(([slug, name]) => createCategoryCommand(label, slug, name)),
    );
  }
  for (const [slug, name] of missing) await target.createCategory(slug, name.slice(0, 200));
  return { created: missing.map(([s]) => s) };
}

/** Runs an import of `reader` into `target`. */
export async function runImport(reader: SourceReader, target: ImportTarget, options: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, withdrawn: 0, pages: 0, failures: [] };
  await prepareRegistries(reader, target, options);
  const kept = new Set<string>();
  const fail = (id: string, reason: string) => {
    summary.failed++;
    summary.failures.push({ id, reason });
    kept.add(id);
  };
  try {
    for await (const page of reader.pages()) {
      if (options.signal?.aborted) break;
      const batch: ArticleInput[] = [];
      const seenOnPage = new Set<string>();
      for (const item of page.items) {
        const mapped = mapItem(item, { ...options.mapping, identity: reader.identity });
        if (seenOnPage.has(mapped.id) || kept.has(mapped.id)) continue;
        seenOnPage.add(mapped.id);
        if (!mapped.ok) {
          if (item.notPublic) summary.skipped++;
          else fail(mapped.id, mapped.reason);
          continue;
        }
        if (options.sinceMs !== undefined && parseRfc3339(mapped.input.publishedAt)!.epochMs < options.sinceMs) {
          summary.skipped++;
          kept.add(mapped.id);
          continue;
        }
        if (mapped.privateUrlsLeftOut > 0) {
          summary.privateUrlsLeftOut ??= { urls: 0, posts: 0 };
          summary.privateUrlsLeftOut.urls += mapped.privateUrlsLeftOut;
          summary.privateUrlsLeftOut.posts++;
        }
        batch.push(mapped.input);
      }
      for (let i = 0; i < batch.length; i += 100) {
        if (options.signal?.aborted) break;
        for (const r of await target.writeBatch(batch.slice(i, i + 100))) {
          kept.add(r.id);
          if (r.outcome === 'failed') fail(r.id, r.reason);
          else if (r.outcome === 'created') summary.imported++;
          else if (r.outcome === 'updated') summary.updated++;
          else summary.unchanged++;
        }
      }
      summary.pages++;
      options.onPage?.({ page: page.page, ...(page.totalPages ? { totalPages: page.totalPages } : {}), ...(page.totalItems ? { totalItems: page.totalItems } : {}), url: page.url, summary });
    }
  } catch (err) {
    summary.sourceError = (err as Error).message;
    summary.failed++;
    summary.failures.push({ id: '(source)', reason: summary.sourceError });
  }
  // Withdrawing needs the whole source read: never after a source error, an interruption or --since.
  if (options.prune && !summary.sourceError && !options.signal?.aborted && options.sinceMs === undefined) {
    for (const id of await target.listIds(options.mapping.institution, sourceIdPrefix(reader.identity))) {
      if (kept.has(id)) continue;
      await target.withdraw(id);
      summary.withdrawn++;
    }
  }
  return summary;
}
