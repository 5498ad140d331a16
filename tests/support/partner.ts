/**
 * A syndication partner as the docs tell one to be written: it follows
 * GET /api/changes (applying each change: article → upsert, tombstone →
 * remove) and can import GET /api/articles. Used to prove that replaying
 * the change log converges on the live set.
 */
import type { TestWarta } from './warta.js';

/** What a partner holds: its copy of the articles by id, and where it is in the log. */
export interface PartnerState {
  query: Record<string, string>;
  cursor?: string;
  articles: Map<string, Record<string, unknown>>;
  requests: number;
}

/** A new partner for a filter (`{}`, `{category}`, `{institution}` or both). */
export function newPartner(query: Record<string, string> = {}): PartnerState {
  return { query, articles: new Map(), requests: 0 };
}

const qs = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();

/** Follows /api/changes while `hasMore`, applying every change; fails if the loop does not end within `maxPages`. */
export async function syncPartner(w: TestWarta, token: string, p: PartnerState, limit = 100, maxPages = 1000): Promise<void> {
  for (let page = 0; page < maxPages; page++) {
    const res = await w.request(`/api/changes?${qs({ ...p.query, since: p.cursor, limit: String(limit) })}`, { token });
    p.requests++;
    if (res.status !== 200) throw new Error(`changes: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { changes: Record<string, unknown>[]; next: string; hasMore: boolean };
    for (const change of body.changes) {
      if (change.deleted === true) p.articles.delete(String(change.id));
      else p.articles.set(String(change.id), change);
    }
    p.cursor = body.next;
    if (!body.hasMore) return;
  }
  throw new Error(`changes: the partner loop did not end within ${maxPages} pages`);
}

/** Every live article of a filter through GET /api/articles (all pages), and the first page's changesCursor. */
export async function listAll(
  w: TestWarta,
  token: string,
  query: Record<string, string> = {},
  limit = 100,
): Promise<{ articles: Map<string, Record<string, unknown>>; order: string[]; changesCursor: string }> {
  const articles = new Map<string, Record<string, unknown>>();
  const order: string[] = [];
  let cursor: string | undefined;
  let changesCursor = '';
  for (let page = 0; page < 1000; page++) {
    const res = await w.request(`/api/articles?${qs({ ...query, cursor, limit: String(limit) })}`, { token });
    if (res.status !== 200) throw new Error(`list: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { articles: Record<string, unknown>[]; next?: string; hasMore: boolean; changesCursor?: string };
    if (page === 0) changesCursor = body.changesCursor ?? '';
    for (const a of body.articles) {
      articles.set(String(a.id), a);
      order.push(String(a.id));
    }
    if (!body.hasMore) return { articles, order, changesCursor };
    cursor = body.next;
  }
  throw new Error('list: did not end within 1000 pages');
}

/** Sorted ids of a map, for exact comparisons. */
export const idsOf = (m: Map<string, unknown>) => [...m.keys()].sort();
