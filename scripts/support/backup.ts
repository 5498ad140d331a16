/**
 * Backup and restore of the whole table as gzip-compressed JSON lines, for
 * `npm run backup` and `npm run restore`. Operator commands, never a request
 * path: the backup Scans. Items are kept in DynamoDB's own typed JSON
 * (`{"S": ...}`, `{"N": ...}`, sets, binary as base64), so a restore writes
 * back exactly what was read. File layout: a header line, one line per
 * item, a trailer line with the item count (a cut-off file is refused).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Db } from '../../src/store/db.js';

/** The first line of a backup file. */
export interface BackupHeader {
  format: 'warta-backup';
  version: 1;
  table: string;
  startedAt: string;
}

/** How far a backup or restore has got. */
export interface Progress {
  items: number;
  pages: number;
  bytes: number;
}

type Item = Record<string, AttributeValue>;

/** AttributeValue to JSON: binary values (B, BS) become base64 strings; everything else is JSON already. */
function encodeValue(v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.L !== undefined) return { L: v.L.map(encodeValue) };
  if (v.M !== undefined) return { M: encodeItem(v.M) };
  return v;
}
const encodeItem = (item: Item): Record<string, unknown> => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, encodeValue(v)]));

function decodeValue(v: Record<string, unknown>): AttributeValue {
  if (typeof v.B === 'string') return { B: Buffer.from(v.B, 'base64') };
  if (Array.isArray(v.BS)) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (Array.isArray(v.L)) return { L: (v.L as Record<string, unknown>[]).map(decodeValue) };
  if (v.M && typeof v.M === 'object') return { M: decodeItem(v.M as Record<string, Record<string, unknown>>) };
  return v as unknown as AttributeValue;
}
const decodeItem = (item: Record<string, Record<string, unknown>>): Item => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, decodeValue(v)]));

/**
 * Writes every item of the table to `file`: Scan pages of strongly
 * consistent reads, each resumed from the previous page's last key, each
 * reported to `onPage`. Items written during the backup may or may not be
 * in it: stop writers first, or use point-in-time recovery on AWS.
 */
export async function backupTable(db: Db, file: string, onPage: (p: Progress) => void, nowMs = Date.now()): Promise<Progress> {
  const gzip = createGzip();
  const out = createWriteStream(file, { mode: 0o600 });
  gzip.pipe(out);
  const progress: Progress = { items: 0, pages: 0, bytes: 0 };
  const write = async (line: string) => {
    progress.bytes += Buffer.byteLength(line) + 1;
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  };
  const header: BackupHeader = { format: 'warta-backup', version: 1, table: db.table, startedAt: new Date(nowMs).toISOString() };
  await write(JSON.stringify(header));
  let start: Item | undefined;
  do {
    const page = await db.raw.send(new ScanCommand({ TableName: db.table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      await write(JSON.stringify(encodeItem(item)));
      progress.items++;
    }
    progress.pages++;
    onPage({ ...progress });
    start = page.LastEvaluatedKey;
  } while (start);
  await write(JSON.stringify({ end: true, items: progress.items }));
  gzip.end();
  await once(out, 'close');
  return progress;
}

/** Whether the table holds any item (one Scan of Limit 1). */
export async function tableIsEmpty(db: Db): Promise<boolean> {
  const page = await db.raw.send(new ScanCommand({ TableName: db.table, Limit: 1, ConsistentRead: true }));
  return !page.Items?.length && !page.LastEvaluatedKey;
}

/** BatchWriteItem of up to 25 puts, retrying unprocessed items with backoff. */
async function putAll(db: Db, items: Item[]): Promise<void> {
  let pending: WriteRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 10) throw new Error(`scripts: ${pending.length} items stayed unprocessed after 10 retries`);
    if (attempt) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
    const out = await db.raw.send(new BatchWriteItemCommand({ RequestItems: { [db.table]: pending } }));
    pending = out.UnprocessedItems?.[db.table] ?? [];
  }
}

/**
 * Loads a backup file into `db`'s table, 25 items per BatchWriteItem,
 * reporting each 1,000 items; refuses a file that is not a Warta backup or
 * that was cut off (no trailer, or a count that does not match).
 */
export async function restoreTable(db: Db, file: string, onProgress: (p: Progress) => void): Promise<{ header: BackupHeader; items: number }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: BackupHeader | undefined;
  let trailer: { end: true; items: number } | undefined;
  const progress: Progress = { items: 0, pages: 0, bytes: 0 };
  let batch: Item[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await putAll(db, batch);
    progress.items += batch.length;
    progress.pages++;
    batch = [];
    if (progress.pages % 40 === 0) onProgress({ ...progress });
  };
  for await (const line of lines) {
    if (!line) continue;
    progress.bytes += Buffer.byteLength(line) + 1;
    if (trailer) throw new Error('scripts: the backup has lines after its end marker');
    const value = JSON.parse(line) as Record<string, unknown>;
    if (!header) {
      if (value.format !== 'warta-backup' || value.version !== 1) throw new Error(`scripts: ${file} is not a Warta backup (format 1)`);
      header = value as unknown as BackupHeader;
      continue;
    }
    if (value.end === true) {
      trailer = value as { end: true; items: number };
      continue;
    }
    batch.push(decodeItem(value as Record<string, Record<string, unknown>>));
    if (batch.length === 25) await flush();
  }
  await flush();
  onProgress({ ...progress });
  if (!header) throw new Error(`scripts: ${file} is empty`);
  if (!trailer) throw new Error(`scripts: ${file} was cut off (no end marker); ${progress.items} items were written`);
  if (trailer.items !== progress.items) throw new Error(`scripts: ${file} says ${trailer.items} items but holds ${progress.items}`);
  return { header, items: progress.items };
}
