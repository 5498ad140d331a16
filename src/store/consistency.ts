/**
 * The operator's consistency check (`npm run check:store`): scans the whole
 * table (an operator command, never a request path), re-derives what the
 * article records imply — feed entries, change entries of each current
 * version, feed counts and embargo sets — and reports every divergence:
 * missing and stale feed entries, missing change entries, wrong counts and
 * embargo sets, intents older than the grace period, orphan content chunks.
 * Articles named by younger intents are writes in flight and are skipped.
 * The repair (consistency-repair.ts) applies the fixes computed here.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import {
  changeEntryKey, changeLogPk, feedEntryKey, feedEntrySk, feedStateKey, isIntentPk, type Key,
} from './keys.js';
import { feedsOf, isChangeLog } from '../model/feed-membership.js';
import { embargoElement } from './feed-state.js';
import type { ChangeType } from './changes.js';
import type { IntentArticle } from './intents.js';
import type { WriteRequest } from './batch.js';

/** The kinds of divergence the check reports. */
export type DivergenceKind =
  | 'pending-intent'
  | 'missing-entry'
  | 'stale-entry'
  | 'missing-change'
  | 'count-mismatch'
  | 'embargo-mismatch'
  | 'orphan-chunk';

/** One divergence: what is wrong, the item concerned (existing, or to be created), and why. */
export interface Divergence {
  kind: DivergenceKind;
  key: Key;
  detail: string;
}

/** What one check found. */
export interface StoreReport {
  scannedItems: number;
  /** Live (not deleted) article records. */
  articles: number;
  tombstones: number;
  /** Feeds that have entries, a state, or live articles. */
  feeds: number;
  /** Articles named by intents younger than the grace period (writes in flight, not checked). */
  inFlight: number;
  divergences: Divergence[];
}

/** The state a feed should have, as derived from the records. */
export interface FeedStateFix {
  feed: string;
  count: number;
  embargo: string[];
  name?: string;
}

/** A divergence with the change that removes it (internal to check and repair). */
export type Finding = Divergence &
  ({ fix: 'write'; write: WriteRequest } | { fix: 'state'; state: FeedStateFix } | { fix: 'replay' });

/** Record fields the check reads; content is left out of the scan. */
interface RecordFacts {
  id: string;
  version: number;
  feeds: string[];
  deleted: boolean;
  publishedMs: number;
  updatedMs: number;
  contentChunks: number;
  category: string;
  institutions: string[];
  tags: string[];
  authorSlug: string;
  authorName?: string;
}

interface Snapshot {
  scanned: number;
  records: Map<string, RecordFacts>;
  entries: { feed: string; sk: string; id: string }[];
  states: Map<string, { count: number; embargo: string[]; name?: string }>;
  changes: Set<string>;
  chunks: { id: string; sk: string; version: number; n: number }[];
  intents: { key: Key; createdMs: number; articles: IntentArticle[] }[];
}

const PROJECTED = ['pk', 'sk', 'id', 'version', 'feeds', 'deleted', 'publishedMs', 'updatedMs', 'contentChunks', 'category', 'institutions', 'tags', 'authorSlug', 'author', 'count', 'embargo', 'createdMs', 'articles'];

const changeId = (log: string, id: string, version: number) => `${log}\u0000${id}\u0000${version}`;
const strings = (v: unknown): string[] => (v instanceof Set || Array.isArray(v) ? [...v].map(String) : []);

/** Reads every item of the table once (consistent reads), keeping only what the check needs. */
async function scanSnapshot(db: Db): Promise<Snapshot> {
  const snap: Snapshot = { scanned: 0, records: new Map(), entries: [], states: new Map(), changes: new Set(), chunks: [], intents: [] };
  const names = Object.fromEntries(PROJECTED.map((a, i) => [`#a${i}`, a]));
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        ConsistentRead: true,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      snap.scanned++;
      classify(snap, item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return snap;
}

function classify(snap: Snapshot, item: Record<string, unknown>): void {
  const pk = String(item.pk), sk = String(item.sk);
  if (pk.startsWith('A#') && sk === 'A') {
    const author = item.author as { name?: unknown } | undefined;
    snap.records.set(pk.slice(2), {
      id: pk.slice(2),
      version: Number(item.version),
      feeds: strings(item.feeds),
      deleted: item.deleted === true,
      publishedMs: Number(item.publishedMs),
      updatedMs: Number(item.updatedMs),
      contentChunks: Number(item.contentChunks ?? 0),
      category: String(item.category),
      institutions: strings(item.institutions),
      tags: strings(item.tags),
      authorSlug: String(item.authorSlug),
      ...(typeof author?.name === 'string' ? { authorName: author.name } : {}),
    });
  } else if (pk.startsWith('A#')) {
    const m = /^C#(\d+)#(\d+)$/.exec(sk);
    snap.chunks.push({ id: pk.slice(2), sk, version: m ? Number(m[1]) : -1, n: m ? Number(m[2]) : -1 });
  } else if (pk.startsWith('F#')) {
    snap.entries.push({ feed: pk.slice(2), sk, id: String(item.id) });
  } else if (pk.startsWith('FS#')) {
    snap.states.set(pk.slice(3), {
      count: Number(item.count ?? 0),
      embargo: strings(item.embargo).sort(),
      ...(item.name !== undefined ? { name: String(item.name) } : {}),
    });
  } else if (pk.startsWith('C#')) {
    snap.changes.add(changeId(pk.slice(2), String(item.id), Number(item.version)));
  } else if (isIntentPk(pk)) {
    let articles: IntentArticle[] = [];
    try {
      articles = JSON.parse(String(item.articles)) as IntentArticle[];
    } catch {
      articles = [];
    }
    snap.intents.push({ key: { pk, sk }, createdMs: Number(item.createdMs), articles });
  }
}

/** The change logs whose entries the current version of `r` must have, and the type of those entries. */
function expectedChanges(r: RecordFacts): { logs: string[]; type: ChangeType; visibleMs: number } {
  if (r.deleted) {
    // A tombstone keeps the fields of the version it replaced: its feeds are those it was deleted from.
    const logs = feedsOf({ category: r.category, institutions: r.institutions, tags: r.tags, authorSlug: r.authorSlug }).filter(isChangeLog);
    return { logs, type: 'deleted', visibleMs: r.updatedMs };
  }
  return { logs: r.feeds.filter(isChangeLog), type: r.version === 1 ? 'created' : 'updated', visibleMs: Math.max(r.updatedMs, r.publishedMs) };
}

/** Compares a snapshot with what its records imply; every finding carries its fix. */
function analyze(snap: Snapshot, nowMs: number, graceMs: number): { findings: Finding[]; states: Map<string, FeedStateFix>; report: Omit<StoreReport, 'divergences'> } {
  const findings: Finding[] = [];
  const inFlight = new Set<string>();
  const unsettledFeeds = new Set<string>();
  for (const intent of snap.intents) {
    if (intent.createdMs < nowMs - graceMs) {
      const ids = intent.articles.map((a) => a.id).join(', ');
      findings.push({ kind: 'pending-intent', key: intent.key, detail: `write of ${ids} interrupted ${nowMs - intent.createdMs} ms ago`, fix: 'replay' });
      continue;
    }
    for (const a of intent.articles) {
      inFlight.add(a.id);
      for (const f of a.prev?.feeds ?? []) unsettledFeeds.add(f);
      for (const f of snap.records.get(a.id)?.feeds ?? []) unsettledFeeds.add(f);
    }
  }

  // Feed entries: expected from live records, compared with the ones stored.
  const expected = new Map<string, { feed: string; sk: string; id: string }>();
  const members = new Map<string, RecordFacts[]>();
  for (const r of snap.records.values()) {
    if (r.deleted) continue;
    for (const feed of r.feeds) {
      expected.set(`${feed}\u0000${feedEntrySk(r.publishedMs, r.id)}`, { feed, sk: feedEntrySk(r.publishedMs, r.id), id: r.id });
      let list = members.get(feed);
      if (!list) members.set(feed, (list = []));
      list.push(r);
    }
  }
  const stored = new Set<string>();
  for (const e of snap.entries) {
    const k = `${e.feed}\u0000${e.sk}`;
    stored.add(k);
    const skId = e.sk.slice(e.sk.indexOf('#') + 1);
    if (inFlight.has(e.id) || inFlight.has(skId)) continue;
    const want = expected.get(k);
    if (want && want.id === e.id) continue;
    const r = snap.records.get(e.id);
    const why = e.id !== skId ? `its id "${e.id}" differs from its sort key`
      : !r ? `article ${e.id} does not exist`
      : r.deleted ? `article ${e.id} was deleted`
      : !r.feeds.includes(e.feed) ? `article ${e.id} left the feed`
      : `article ${e.id} is now at ${feedEntrySk(r.publishedMs, r.id)}`;
    const key = { pk: `F#${e.feed}`, sk: e.sk };
    findings.push({ kind: 'stale-entry', key, detail: `entry in ${e.feed}: ${why}`, fix: 'write', write: { DeleteRequest: { Key: key } } });
  }
  for (const [k, want] of expected) {
    if (stored.has(k) || inFlight.has(want.id)) continue;
    const key = feedEntryKey(want.feed, snap.records.get(want.id)!.publishedMs, want.id);
    findings.push({ kind: 'missing-entry', key, detail: `article ${want.id} belongs to ${want.feed} but has no entry`, fix: 'write', write: { PutRequest: { Item: { ...key, id: want.id, version: snap.records.get(want.id)!.version } } } });
  }

  // Change entries of every record's current version.
  for (const r of snap.records.values()) {
    if (inFlight.has(r.id)) continue;
    const { logs, type, visibleMs } = expectedChanges(r);
    for (const log of logs) {
      if (snap.changes.has(changeId(log, r.id, r.version))) continue;
      const key = changeEntryKey(log, visibleMs, r.id, r.version);
      findings.push({
        kind: 'missing-change', key, detail: `version ${r.version} of ${r.id} (${type}) is not in ${changeLogPk(log)}`,
        fix: 'write', write: { PutRequest: { Item: { ...key, id: r.id, type, version: r.version, atMs: r.updatedMs } } },
      });
    }
  }

  // Feed states: counts and embargo sets as the records imply.
  const feeds = new Set<string>([...members.keys(), ...snap.states.keys(), ...snap.entries.map((e) => e.feed)]);
  const derived = new Map<string, FeedStateFix>();
  for (const feed of [...feeds].sort()) {
    if (unsettledFeeds.has(feed)) continue;
    const list = members.get(feed) ?? [];
    const state = snap.states.get(feed);
    const embargo = list.filter((r) => r.publishedMs > r.updatedMs).map((r) => embargoElement(r.publishedMs, r.id)).sort();
    const name = feed.startsWith('author:') ? (state?.name ?? list.find((r) => r.authorName)?.authorName) : undefined;
    const fixState: FeedStateFix = { feed, count: list.length, embargo, ...(name !== undefined ? { name } : {}) };
    derived.set(feed, fixState);
    if (!state && !list.length) continue;
    const key = feedStateKey(feed);
    const count = state?.count ?? 0;
    if (!state || count !== list.length) {
      findings.push({ kind: 'count-mismatch', key, detail: `${feed} counts ${state ? count : 'nothing (no state)'}, has ${list.length}`, fix: 'state', state: fixState });
    }
    const have = state?.embargo ?? [];
    if (have.join(' ') !== embargo.join(' ')) {
      findings.push({ kind: 'embargo-mismatch', key, detail: `${feed} embargo set [${have.join(', ')}], expected [${embargo.join(', ')}]`, fix: 'state', state: fixState });
    }
  }

  // Content chunks of versions that are not current.
  for (const c of snap.chunks) {
    if (inFlight.has(c.id)) continue;
    const r = snap.records.get(c.id);
    if (r && r.contentChunks > 0 && c.version === r.version && c.n >= 0 && c.n < r.contentChunks) continue;
    const key = { pk: `A#${c.id}`, sk: c.sk };
    const why = !r ? 'no such article' : c.version !== r.version ? `article is at version ${r.version}` : 'beyond the record\'s chunk count';
    findings.push({ kind: 'orphan-chunk', key, detail: `chunk ${c.sk} of ${c.id}: ${why}`, fix: 'write', write: { DeleteRequest: { Key: key } } });
  }

  let live = 0;
  for (const r of snap.records.values()) if (!r.deleted) live++;
  findings.sort((a, b) => a.kind.localeCompare(b.kind) || a.key.pk.localeCompare(b.key.pk) || a.key.sk.localeCompare(b.key.sk));
  return {
    findings,
    states: derived,
    report: { scannedItems: snap.scanned, articles: live, tombstones: snap.records.size - live, feeds: feeds.size, inFlight: inFlight.size },
  };
}

/** Options of a check: the clock, and how old an intent must be to count as interrupted. */
export interface CheckOptions {
  nowMs: number;
  /** Intents younger than this are writes in flight (default 10 s, as recovery). */
  graceMs?: number;
}

/** Scans the table and returns the divergences with their fixes, and every settled feed's derived state (serves repairStore). */
export async function findDivergences(
  db: Db,
  options: CheckOptions,
): Promise<{ findings: Finding[]; states: Map<string, FeedStateFix>; report: StoreReport }> {
  const { findings, states, report } = analyze(await scanSnapshot(db), options.nowMs, options.graceMs ?? 10_000);
  return { findings, states, report: { ...report, divergences: findings.map(({ kind, key, detail }) => ({ kind, key, detail })) } };
}

/** Scans the table and reports every divergence between the records and the derived items (serves `npm run check:store`). */
export async function checkStore(db: Db, options: CheckOptions): Promise<StoreReport> {
  return (await findDivergences(db, options)).report;
}
