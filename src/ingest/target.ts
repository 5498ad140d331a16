/**
 * Where an import writes: a Warta reached over its publishing API (the
 * command) or the store in this process (the server's source scheduler).
 * Both answer the same questions, so one importer serves both.
 */
import type { ArticleInput } from '../model/schemas.js';

/** What became of one article sent to the target. */
export type WriteResult = { id: string; outcome: 'created' | 'updated' | 'unchanged' } | { id: string; outcome: 'failed'; reason: string };

/** A Warta to import into. */
export interface ImportTarget {
  /** True when the credentials may create categories (admin). */
  isAdmin(): Promise<boolean>;
  /** Slugs of the registered categories. */
  categorySlugs(): Promise<Set<string>>;
  institutionExists(slug: string): Promise<boolean>;
  createCategory(slug: string, name: string): Promise<void>;
  /** Creates or replaces up to 100 articles, leaving identical ones unwritten. */
  writeBatch(articles: ArticleInput[]): Promise<WriteResult[]>;
  /** Ids of the live articles of `institution` whose id starts with `prefix`. */
  listIds(institution: string, prefix: string): Promise<string[]>;
  /** Withdraws an article (it leaves every feed). */
  withdraw(id: string): Promise<void>;
}

/** The command shown for creating a missing category (publisher tokens may not). */
export function createCategoryCommand(target: string, slug: string, name: string): string {
  const body = JSON.stringify({ name }).replace(/'/g, "'\\''");
  return `curl -X PUT ${target}/api/categories/${slug} -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '${body}'`;
}
