/**
 * The import command's target: a Warta reached over its publishing API
 * (`POST /api/articles/batch` with `skipUnchanged`), with retries on 429,
 * 503 and lost connections honouring `Retry-After`. Retrying a batch is
 * safe: its ids are fixed, so a batch written twice is written once.
 */
import type { ArticleInput } from '../model/schemas.js';
import { retryAfterMs } from './fetcher.js';
import type { ImportTarget, WriteResult } from './target.js';

/** How to reach the target. */
export interface WartaClientOptions {
  baseUrl: string;
  token: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  fetch?: typeof fetch;
  onRetry?: (what: string, attempt: number, delayMs: number, why: string) => void;
}

/** A target answer that is an error. */
export class TargetError extends Error {
  readonly status: number;
  constructor(message: string, status: number, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TargetError';
    this.status = status;
  }
}

/** An ImportTarget over HTTP. */
export function wartaClient(options: WartaClientOptions): ImportTarget {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 6;
  const delayBase = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    for (let attempt = 1; ; attempt++) {
      const backoff = Math.min(maxDelay, delayBase * 2 ** (attempt - 1));
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${options.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), Accept: 'application/json' },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (cause) {
        if (attempt >= maxAttempts) throw new TargetError(`ingest: the target ${base} is unreachable: ${(cause as Error).message}`, 0, { cause });
        options.onRetry?.(`${method} ${path}`, attempt, backoff, (cause as Error).message);
        await new Promise((r) => setTimeout(r, backoff));
        continue;
      }
      if ((res.status === 429 || res.status === 503 || res.status === 502 || res.status === 504) && attempt < maxAttempts) {
        const delay = Math.min(maxDelay, retryAfterMs(res.headers.get('retry-after'), Date.now()) ?? backoff);
        await res.body?.cancel().catch(() => {});
        options.onRetry?.(`${method} ${path}`, attempt, delay, `HTTP ${res.status}`);
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, json };
    }
  };
  const expect = (r: { status: number; json: unknown }, ok: number[], what: string) => {
    if (!ok.includes(r.status)) {
      const detail = (r.json as { detail?: string } | null)?.detail ?? '';
      throw new TargetError(`ingest: ${what} answered HTTP ${r.status}${detail ? `: ${detail}` : ''}`, r.status);
    }
    return r.json;
  };
  let admin: boolean | undefined;
  return {
    async isAdmin() {
      admin ??= (await call('GET', '/api/keys')).status === 200;
      return admin;
    },
    async categorySlugs() {
      const body = expect(await call('GET', '/api/categories'), [200], 'GET /api/categories') as { categories: { slug: string }[] };
      return new Set(body.categories.map((c) => c.slug));
    },
    async institutionExists(slug) {
      const body = expect(await call('GET', '/api/institutions'), [200], 'GET /api/institutions') as { institutions: { slug: string }[] };
      return body.institutions.some((i) => i.slug === slug);
    },
    async createCategory(slug, name) {
      expect(await call('PUT', `/api/categories/${slug}`, { name }), [200], `PUT /api/categories/${slug}`);
    },
    async writeBatch(articles: ArticleInput[]): Promise<WriteResult[]> {
      const r = await call('POST', '/api/articles/batch', { articles, skipUnchanged: true });
      // A batch over the target's body limit (WARTA_MAX_BATCH_BODY_BYTES) is sent again in halves.
      if (r.status === 413 && articles.length > 1) {
        const half = Math.ceil(articles.length / 2);
        return [...(await this.writeBatch(articles.slice(0, half))), ...(await this.writeBatch(articles.slice(half)))];
      }
      if (r.status !== 200) {
        const detail = (r.json as { detail?: string } | null)?.detail ?? `HTTP ${r.status}`;
        if (r.status === 401 || r.status === 403) throw new TargetError(`ingest: the target refused the token: ${detail}`, r.status);
        return articles.map((a) => ({ id: a.id!, outcome: 'failed', reason: `batch answered HTTP ${r.status}: ${detail}` }));
      }
      const results = (r.json as { results: { status: number; id?: string; unchanged?: boolean; problem?: { detail?: string; errors?: { field: string; reason: string }[] } }[] }).results;
      return results.map((x, i): WriteResult => {
        const id = articles[i]!.id!;
        if (x.status === 201) return { id, outcome: 'created' };
        if (x.status === 200) return { id, outcome: x.unchanged ? 'unchanged' : 'updated' };
        const why = x.problem?.errors?.length ? x.problem.errors.map((e) => `${e.field.replace(/^articles\[\d+\]\./, '')}: ${e.reason}`).join('; ') : (x.problem?.detail ?? `HTTP ${x.status}`);
        return { id, outcome: 'failed', reason: `HTTP ${x.status}: ${why}` };
      });
    },
    async listIds(institution, prefix) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const q = new URLSearchParams({ institution, limit: '100', ...(cursor ? { cursor } : {}) });
        const body = expect(await call('GET', `/api/articles?${q}`), [200], 'GET /api/articles') as { articles: { id: string }[]; next?: string; hasMore: boolean };
        for (const a of body.articles) if (a.id.startsWith(prefix)) ids.push(a.id);
        cursor = body.hasMore ? body.next : undefined;
      } while (cursor);
      return ids;
    },
    async withdraw(id) {
      expect(await call('DELETE', `/api/articles/${encodeURIComponent(id)}`), [204, 404], `DELETE /api/articles/${id}`);
    },
  };
}
