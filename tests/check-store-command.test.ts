import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { inject } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { writeArticle } from '../src/store/article-writes.js';
import { feedEntryKey, feedEntrySk } from '../src/store/keys.js';
import type { StoreReport } from '../src/store/consistency.js';
import { createTestDb, recordOf } from './support/store.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

/** Runs `npm run check:store -- <args>` as the operator would, against the test store. */
function checkStoreCommand(table: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/check-store.ts', ...args],
      { env: { ...process.env, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: table }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
    );
  });
}

describe('npm run check:store', () => {
  it('exits 1 listing the divergences, repairs them with --repair (exit 0), then finds none', async () => {
    const db = await createTestDb();
    const a = recordOf('cmd-a', 1, {}, null, NOW);
    const b = recordOf('cmd-b', 2, { institutions: ['polres-ponorogo'] }, null, NOW);
    for (const r of [a, b]) await writeArticle(db, { next: r, prev: null }, { absent: true }, NOW);
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key: feedEntryKey('inst:polres-ponorogo', b.publishedMs, 'cmd-b') }));
    await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...feedEntryKey('inst:polres-ponorogo', a.publishedMs, 'cmd-a'), id: 'cmd-a' } }));

    const check = await checkStoreCommand(db.table, ['--json']);
    expect(check.code).toBe(1);
    const report = (JSON.parse(check.stdout) as { report: StoreReport }).report;
    expect(report.divergences).toEqual([
      { kind: 'missing-entry', key: { pk: 'F#inst:polres-ponorogo', sk: feedEntrySk(b.publishedMs, 'cmd-b') }, detail: 'article cmd-b belongs to inst:polres-ponorogo but has no entry' },
      { kind: 'stale-entry', key: { pk: 'F#inst:polres-ponorogo', sk: feedEntrySk(a.publishedMs, 'cmd-a') }, detail: 'entry in inst:polres-ponorogo: article cmd-a left the feed' },
    ]);

    const repair = await checkStoreCommand(db.table, ['--repair']);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toContain('repair: 0 interrupted writes replayed, 3 items fixed');
    expect(repair.stdout).toContain('after:  ');
    expect(repair.stdout).toMatch(/after: .* 0 divergences\n/);

    const again = await checkStoreCommand(db.table, []);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: \d+ items, 2 articles, 0 tombstones, \d+ feeds, 0 in flight; 0 divergences\n$/);
  });

  it('exits 2 with a message naming the table when there is none', async () => {
    const r = await checkStoreCommand('no-such-table', []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scripts: cannot open table "no-such-table"');
  });
});
