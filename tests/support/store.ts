/**
 * Store-level test helpers: a Db on the shared test dynalite with a fresh
 * table, article records built as the publishing service builds them, a
 * full-table snapshot, and a Db that "crashes" (every request fails) from
 * its n-th request on.
 */
import { inject } from 'vitest';
import { ulid } from 'ulidx';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDb, type Db } from '../../src/store/db.js';
import { ensureTable } from '../../src/store/table.js';
import { ArticleInputSchema } from '../../src/model/schemas.js';
import { buildRecord, buildTombstone } from '../../src/publishing/article-service.js';
import type { ArticleRecord } from '../../src/store/article-record.js';
import { smallArticle } from './articles.js';

/** A Db on the test dynalite with a table of its own. */
export async function createTestDb(maxAttempts?: number): Promise<Db> {
  const db = createDb({
    table: `t-${ulid().toLowerCase()}`,
    region: 'us-east-1',
    endpoint: inject('dynamoEndpoint'),
    credentials: inject('dynamoCredentials'),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  await ensureTable(db);
  return db;
}

/** The record a publisher's write of `smallArticle(n, overrides)` produces. */
export function recordOf(id: string, n: number, overrides: Record<string, unknown>, prev: ArticleRecord | null, nowMs: number): ArticleRecord {
  return buildRecord(ArticleInputSchema.parse(smallArticle(n, overrides)), id, prev, nowMs);
}

/** The tombstone of `prev` deleted at `nowMs`. */
export const tombstoneOf = (prev: ArticleRecord, nowMs: number) => buildTombstone(prev, nowMs);

/** Every item of the table, as sorted JSON lines (a consistent scan). */
export async function snapshotTable(db: Db): Promise<string[]> {
  const out: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      out.push(JSON.stringify(item, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v)));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out.sort();
}

/** The error a crashed Db throws. */
export class SimulatedCrash extends Error {
  constructor(n: number) {
    super(`test: simulated crash at request ${n}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * A Db whose requests go through until the `crashAt`-th (1-based), which
 * fails, as does every later one: the process "died" there. `sent` counts
 * the requests that reached the store.
 */
export function crashingDb(db: Db, crashAt: number): Db & { sent: () => number } {
  let n = 0;
  let sent = 0;
  const doc = new Proxy(db.doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: never) => {
        n++;
        if (n >= crashAt) throw new SimulatedCrash(n);
        sent++;
        return target.send(command);
      };
    },
  });
  return { ...db, doc, sent: () => sent };
}
