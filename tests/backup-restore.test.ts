/**
 * `npm run backup` then `npm run restore` into a fresh table: every item
 * comes back as it was, and a Warta on the restored table answers every
 * feed document, page and API request byte for byte as the source did
 * (same base URL, secrets and pinned clock); keys keep working. Restore
 * refuses a non-empty table unless --force, and a cut-off file.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ulid } from 'ulidx';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { seedArticle, smallArticle } from './support/articles.js';
import { snapshotTable } from './support/store.js';

const NOW = Date.UTC(2025, 5, 2, 3, 4, 5);
const dir = mkdtempSync(join(tmpdir(), 'warta-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run <script> -- <args>` as an operator would, against the test store. */
function command(script: 'backup' | 'restore', table: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { env: { ...process.env, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: table }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
    );
  });
}

const env = { WARTA_BASE_URL: 'http://warta.test', WARTA_CHANGES_SETTLE_MS: '0' };

/** Status, validators and body bytes of every document and API answer worth comparing. */
async function answers(w: TestWarta, reader: string, ids: string[]): Promise<Record<string, string>> {
  const targets: [string, string | undefined][] = [
    ['/', undefined], ['/feeds.opml', undefined], ['/api/categories', undefined], ['/api/institutions', undefined], ['/api/keys', ADMIN_TOKEN],
    ['/api/changes?limit=3', reader], ['/api/changes', reader], ['/api/articles?limit=2', reader], ['/api/articles?institution=lapas-kelas-i-madiun', reader],
  ];
  for (const feed of ['', 'categories/binmas/', 'institutions/lapas-kelas-i-madiun/', 'institutions/polres-madiun-kota/categories/binmas/', 'tags/uji/']) {
    for (const format of ['rss', 'atom', 'json']) targets.push([`/${feed}feed.${format}`, undefined], [`/${feed}feed.${format}?limit=2`, undefined]);
  }
  for (const id of ids) targets.push([`/api/articles/${id}`, ADMIN_TOKEN], [`/articles/${id}`, undefined]);
  const out: Record<string, string> = {};
  for (const [target, token] of targets) {
    // A fixed request id: problem documents carry it.
    const res = await w.request(target, { ...(token ? { token } : {}), headers: { 'accept-encoding': 'identity', 'x-request-id': 'backup-compare' } });
    const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
    out[target] = `${res.status} ${res.headers.get('etag') ?? '-'} ${res.headers.get('last-modified') ?? '-'}\n${body}`;
    // Follow one next page of each paged feed: the cursor must mean the same on the restored table.
    const next = /rel="next"[^>]*href="http:\/\/warta\.test([^"]+)"|"next_url":"http:\/\/warta\.test([^"]+)"/.exec(body);
    const nextPath = next && (next[1] ?? next[2])!.replace(/&amp;/g, '&');
    if (nextPath && target.includes('limit=2')) {
      const page = await w.request(nextPath, { headers: { 'accept-encoding': 'identity' } });
      out[`${target} → next`] = `${page.status}\n${await page.text()}`;
    }
  }
  return out;
}

describe('npm run backup, then npm run restore into a fresh table', () => {
  it('gives back every item, identical feed documents, pages and API answers, and working keys', async () => {
    const source = await startTestWarta({ env, clock: () => NOW });
    const file = join(dir, 'warta.jsonl.gz');
    let sourceAnswers: Record<string, string>;
    let sourceItems: string[];
    let reader: string;
    let lapas: string;
    const ids: string[] = [];
    try {
      await source.registerDemoRegistries();
      lapas = (await source.createKey('publisher', ['lapas-kelas-i-madiun', 'polres-madiun-kota'])).token;
      reader = (await source.createKey('reader', [])).token;
      const publish = async (input: Record<string, unknown>) => {
        const res = await source.request('/api/articles', { token: lapas, json: input });
        expect(res.status).toBe(201);
        ids.push(((await res.json()) as { id: string }).id);
      };
      await publish(seedArticle());
      for (let n = 1; n <= 5; n++) await publish(smallArticle(n));
      // Over 90,000 characters: stored as content chunks.
      await publish(smallArticle(6, { contentHtml: `<p>${'Panjang sekali. '.repeat(7000)}</p>` }));
      expect((await source.request(`/api/articles/${ids[1]}`, { method: 'PUT', token: lapas, json: smallArticle(1, { title: 'Berita uji 1, diperbarui' }), headers: { 'if-match': '"v1"' } })).status).toBe(200);
      expect((await source.request(`/api/articles/${ids[2]}`, { method: 'DELETE', token: lapas })).status).toBe(204);
      sourceAnswers = await answers(source, reader, ids);
      sourceItems = await snapshotTable(source.services.db);

      const backup = await command('backup', source.services.config.table, ['--out', file]);
      expect(backup.code).toBe(0);
      expect(backup.stdout).toBe(`backup: ${inject('dynamoEndpoint')} table ${source.services.config.table}: ${sourceItems.length} items in 1 pages written to ${file}\n`);
      expect(backup.stderr).toMatch(new RegExp(`^backup: ${sourceItems.length} items, 1 pages, [\\d.]+ KiB before compression\\n$`));
    } finally {
      await source.close();
    }
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'warta-backup', version: 1, table: expect.stringMatching(/^t-/) });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: true, items: sourceItems.length });

    const table = `t-${ulid().toLowerCase()}`;
    const restore = await command('restore', table, [file]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`restore: ${sourceItems.length} items of table `);
    const restored = await startTestWarta({ env: { ...env, WARTA_TABLE: table, WARTA_CREATE_TABLE: '0' }, clock: () => NOW });
    try {
      expect(await snapshotTable(restored.services.db)).toEqual(sourceItems);
      const restoredAnswers = await answers(restored, reader!, ids);
      expect(Object.keys(restoredAnswers).length).toBeGreaterThan(50);
      // Next pages were followed with the source's cursors (rss, atom and json of the busier feeds).
      expect(Object.keys(sourceAnswers!).filter((k) => k.endsWith('→ next')).length).toBeGreaterThanOrEqual(9);
      for (const target of Object.keys(sourceAnswers!)) expect([target, restoredAnswers[target]]).toEqual([target, sourceAnswers![target]]);
      expect(Object.keys(restoredAnswers)).toEqual(Object.keys(sourceAnswers!));
      expect(restoredAnswers['/feed.rss']).toContain('Berita uji 1, diperbarui');
      // Keys are restored with their hashes: the publisher's token still writes.
      expect((await restored.request('/api/articles', { token: lapas!, json: smallArticle(7) })).status).toBe(201);
    } finally {
      await restored.close();
    }

    const again = await command('restore', table, [file]);
    expect([again.code, again.stderr]).toEqual([1, `scripts: table ${table} at ${inject('dynamoEndpoint')} is not empty; restore only into an empty table, or add --force to write over it\n`]);
    expect((await command('restore', table, [file, '--force'])).code).toBe(0);
    // Four commands (each a tsx start) and two rounds of ~70 requests: minutes on a loaded machine.
  }, 180_000);

  it('refuses a cut-off backup file', async () => {
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, gzipSync(`${JSON.stringify({ format: 'warta-backup', version: 1, table: 'x', startedAt: '2025-01-01T00:00:00.000Z' })}\n${JSON.stringify({ pk: { S: 'KEYS' }, sk: { S: 'k1' } })}\n`));
    const r = await command('restore', `t-${ulid().toLowerCase()}`, [cut]);
    expect([r.code, r.stderr.trim().split('\n').at(-1)]).toEqual([2, `scripts: ${cut} was cut off (no end marker); 1 items were written`]);
  }, 60_000);
});
