/**
 * One fetch of a registered source: conditional GET of its feed (or the
 * newest page of its WordPress REST API), the same mapping and writes as
 * the import command, the source's state updated (status, counts, last
 * error, validators, next due time with per-source backoff), and a WebSub
 * subscription when the feed advertises a hub. Errors end in the source's
 * state, never in the caller.
 */
import type { Background, Services } from '../app-env.js';
import { formatRfc3339 } from '../model/time.js';
import { putSource, type SourceRecord } from '../store/sources.js';
import { detectSource } from './detect.js';
import { createFetcher, SourceError, type SourceFetcher } from './fetcher.js';
import { fetchFeed, type ParsedFeed } from './feeds.js';
import { sourceIdentity } from './ids.js';
import { runImport, type ImportSummary } from './importer.js';
import type { SourceItem, SourceReader } from './source-item.js';
import { storeTarget } from './store-target.js';
import { itemOfPost, restUrl } from './wordpress-rest.js';
import { newNonce, requestSubscription } from './websub-subscriber.js';

const MAX_BACKOFF_MS = 24 * 3_600_000;
const WP_POLL_PER_PAGE = 20;
const WP_POLL_PAGES = 5;

function addSummaries(a: ImportSummary, b: ImportSummary): ImportSummary {
  return {
    imported: a.imported + b.imported, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped,
    failed: a.failed + b.failed, withdrawn: 0, pages: a.pages + b.pages, failures: [...a.failures, ...b.failures],
    ...(a.sourceError ?? b.sourceError ? { sourceError: (a.sourceError ?? b.sourceError)! } : {}),
  };
}

/** The fetcher of the server: address-checked unless WARTA_SOURCES_ALLOW_PRIVATE, bounded, two attempts (the scheduler backs off across polls). */
export function serverFetcher(s: Services): SourceFetcher {
  return createFetcher({
    outbound: s.outbound,
    limits: { allowPrivate: s.config.sources.allowPrivate, timeoutMs: s.config.sources.timeoutMs, maxBytes: s.config.sources.maxBytes, maxRedirects: 5 },
    maxAttempts: 2,
    baseDelayMs: 1000,
    maxDelayMs: 5000,
  });
}

const onePage = (kind: SourceReader['kind'], identity: string, url: string, items: SourceItem[]): SourceReader => ({
  kind,
  identity,
  async categories() {
    const terms = items.filter((i) => !i.notPublic && i.categories[0]).map((i) => i.categories[0]!);
    return { terms, uncategorized: items.some((i) => !i.notPublic && !i.categories[0]) };
  },
  async *pages() {
    yield { page: 1, url, items };
  },
});

/** Maps and writes `items` of source `record` through the same importer as the command. */
export function ingestItems(s: Services, record: SourceRecord, kind: SourceReader['kind'], identity: string, url: string, items: SourceItem[], background: Background): Promise<ImportSummary> {
  return runImport(onePage(kind, identity, url, items), storeTarget(s, record.id, record.institution, background), {
    mapping: { institution: record.institution, categoryMap: record.categoryMap, defaultCategory: record.defaultCategory, defaultAuthor: 'Redaksi', fallbackOffsetMinutes: 420, keepPrivateUrls: s.config.contentAllowPrivate },
  });
}

/** Records the outcome of a fetch in the source's state (counts, status, backoff) and stores it. */
export async function recordOutcome(s: Services, record: SourceRecord, outcome: { status: 'ok' | 'not-modified' } | { status: 'error'; error: string }, summary?: ImportSummary): Promise<SourceRecord> {
  const now = s.clock();
  const previousDue = record.state.nextDueMs;
  const state = { ...record.state, lastFetchAt: formatRfc3339(now, 420), status: outcome.status };
  const interval = record.intervalMinutes * 60_000;
  if (outcome.status === 'error') {
    state.consecutiveFailures = record.state.consecutiveFailures + 1;
    state.lastError = outcome.error.slice(0, 500);
    state.nextDueMs = now + Math.min(MAX_BACKOFF_MS, interval * 2 ** Math.min(10, state.consecutiveFailures));
  } else {
    state.consecutiveFailures = 0;
    delete state.lastError;
    state.nextDueMs = now + interval;
  }
  if (summary) {
    const { imported, updated, unchanged, skipped, failed } = summary;
    state.lastCounts = { imported, updated, unchanged, skipped, failed };
    state.totals = { imported: state.totals.imported + imported, updated: state.totals.updated + updated, failed: state.totals.failed + failed };
    if (failed && outcome.status !== 'error') state.lastError = summary.failures.slice(0, 3).map((f) => `${f.id}: ${f.reason}`).join('; ').slice(0, 500);
  }
  const next: SourceRecord = { ...record, state };
  await putSource(s.db, next, previousDue);
  return next;
}

async function maybeSubscribe(s: Services, record: SourceRecord, feed: ParsedFeed, headers: Headers, feedUrl: string): Promise<SourceRecord> {
  const link = headers.get('link') ?? '';
  const hubFromHeader = /<([^>]+)>\s*;\s*rel="?hub"?/i.exec(link)?.[1];
  const selfFromHeader = /<([^>]+)>\s*;\s*rel="?self"?/i.exec(link)?.[1];
  const hubUrl = feed.hubs[0] ?? hubFromHeader;
  const topic = feed.selfUrl ?? selfFromHeader ?? feedUrl;
  if (!hubUrl) return record;
  const current = record.state.hub;
  const now = s.clock();
  const fresh = current && current.url === hubUrl && current.topic === topic &&
    (current.state === 'verified' ? (current.leaseUntilMs ?? 0) - now > 86_400_000 : now - current.requestedMs < 3_600_000);
  if (fresh) return record;
  const next: SourceRecord = { ...record, state: { ...record.state, hub: { url: new URL(hubUrl, feedUrl).href, topic, nonce: newNonce(), state: 'pending', requestedMs: now } } };
  // Stored before asking: the hub may call back before it answers.
  await putSource(s.db, next, record.state.nextDueMs);
  await requestSubscription(s, next);
  return next;
}

/** Fetches `record` once and stores what came of it; resolves to the updated record. */
export async function pollSource(s: Services, record: SourceRecord, background: Background, fetcher: SourceFetcher = serverFetcher(s)): Promise<SourceRecord> {
  try {
    let current = record;
    if (!current.state.resolvedKind) {
      const reader = current.kind === 'feed' ? null : await detectSource(fetcher, current.url, current.kind === 'wordpress' ? { kind: 'wordpress' } : {});
      const resolvedKind = current.kind === 'feed' ? 'feed' : reader!.kind === 'wordpress' ? 'wordpress' : 'feed';
      const location = reader?.location ?? current.url;
      current = {
        ...current,
        state: { ...current.state, resolvedKind, resolvedUrl: location, ...(resolvedKind === 'wordpress' ? { wpRoot: location, identity: reader!.identity } : {}) },
      };
    }
    const conditional: Record<string, string> = {
      ...(current.state.etag ? { 'If-None-Match': current.state.etag } : {}),
      ...(current.state.lastModified ? { 'If-Modified-Since': current.state.lastModified } : {}),
    };
    const keepValidators = (headers: Headers) => {
      const etag = headers.get('etag');
      const lastModified = headers.get('last-modified');
      const { etag: _e, lastModified: _l, ...rest } = current.state;
      current = { ...current, state: { ...rest, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
    };
    if (current.state.resolvedKind === 'wordpress') {
      // The newest posts first, 20 a page; older pages only while a page brought something new (at most 5).
      let total: ImportSummary | null = null;
      for (let page = 1; page <= WP_POLL_PAGES; page++) {
        const url = restUrl(current.state.wpRoot!, 'wp/v2/posts', { _embed: '1', per_page: String(WP_POLL_PER_PAGE), page: String(page), status: 'publish' });
        const res = await fetcher.get(url, { Accept: 'application/json', ...(page === 1 ? conditional : {}) });
        if (page === 1 && res.status === 304) {
          await res.discard();
          return await recordOutcome(s, current, { status: 'not-modified' });
        }
        const text = await res.text();
        if (page > 1 && res.status === 400 && /rest_post_invalid_page_number/.test(text)) break;
        if (res.status !== 200) throw new SourceError(`ingest: ${url} answered HTTP ${res.status}`, url);
        let posts: unknown;
        try {
          posts = JSON.parse(text);
        } catch (cause) {
          throw new SourceError(`ingest: ${url} is not JSON (${res.headers.get('content-type') ?? 'no Content-Type'})`, url, { cause });
        }
        if (!Array.isArray(posts)) throw new SourceError(`ingest: ${url} is not a list of posts`, url);
        if (page === 1) keepValidators(res.headers);
        const summary = await ingestItems(s, current, 'wordpress', current.state.identity!, url, posts.map((p) => itemOfPost(p as never)), background);
        total = total ? addSummaries(total, summary) : summary;
        if (summary.sourceError || posts.length < WP_POLL_PER_PAGE || summary.imported + summary.updated === 0) break;
      }
      total ??= { imported: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, withdrawn: 0, pages: 0, failures: [] };
      return await recordOutcome(s, current, total.sourceError ? { status: 'error', error: total.sourceError } : { status: 'ok' }, total);
    }
    const feedUrl = current.state.resolvedUrl ?? current.url;
    const { feed, status, headers } = await fetchFeed(fetcher, feedUrl, conditional);
    if (status === 304) return await recordOutcome(s, current, { status: 'not-modified' });
    if (!feed) throw new SourceError(`ingest: ${feedUrl} answered HTTP ${status}`, feedUrl);
    keepValidators(headers);
    const identity = current.state.identity ?? sourceIdentity(feed.homeUrl ?? feedUrl);
    current = { ...current, state: { ...current.state, identity } };
    const summary = await ingestItems(s, current, 'feed', identity, feedUrl, feed.items, background);
    current = await recordOutcome(s, current, summary.sourceError ? { status: 'error', error: summary.sourceError } : { status: 'ok' }, summary);
    try {
      current = await maybeSubscribe(s, current, feed, headers, feedUrl);
    } catch (err) {
      // Polling goes on without the hub; the subscription is asked for again at a later poll.
      current = { ...current, state: { ...current.state, lastError: `websub: ${(err as Error).message}`.slice(0, 500) } };
      await putSource(s.db, current, current.state.nextDueMs);
    }
    return current;
  } catch (err) {
    return recordOutcome(s, record, { status: 'error', error: (err as Error).message ?? String(err) });
  }
}

