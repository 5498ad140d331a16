import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer, type RunningWarta } from '../src/server/node-server.js';
import { listFeedPage } from '../src/store/articles.js';
import { seedArticle } from './support/articles.js';

const dirs: string[] = [];
let running: RunningWarta | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const start = (dir: string, env: Record<string, string> = {}) =>
  startNodeServer({ env: { WARTA_DATA_DIR: dir, ...env }, port: 0, quiet: true });

describe('the embedded store under WARTA_DATA_DIR', () => {
  it('loads the demo set into an empty store, keeps secrets in files, and survives a restart with a published article', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warta-restart-'));
    dirs.push(dir);
    running = await start(dir);
    expect((statSync(join(dir, 'admin-token')).mode & 0o777).toString(8)).toBe('600');
    const admin = (await import('node:fs')).readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    const demo = await listFeedPage(running.services.db, 'inst:lapas-kelas-i-madiun', { limit: 10, nowMs: Date.now() });
    expect(demo.articles.map((a) => a.title)).toEqual([
      'Polres Madiun Kota dan Lapas Madiun Tanda Tangani Nota Kesepahaman',
      'Warga Binaan Lapas Madiun Ikuti Pelatihan Kemandirian Las',
      'Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun Bahas Strategi Komunikasi Untuk Kamtibmas Melalui Fungsi Humas',
    ]);
    const put = await fetch(`${running.url}/api/articles/restart-seed`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(seedArticle({ title: 'Bertahan setelah restart' })),
    });
    expect(put.status).toBe(201);
    await running.close();

    running = await start(dir);
    const read = await fetch(`${running.url}/api/articles/restart-seed`, { headers: { authorization: `Bearer ${admin}` } });
    expect(read.status).toBe(200);
    const body = (await read.json()) as Record<string, unknown>;
    expect(body.title).toBe('Bertahan setelah restart');
    expect(body.publishedAt).toBe('2023-12-04T15:14:00+07:00');
    expect(body.institutions).toEqual(['lapas-kelas-i-madiun', 'polres-madiun-kota']);
    // The demo set is not loaded twice.
    const again = await listFeedPage(running.services.db, 'inst:lapas-kelas-i-madiun', { limit: 10, nowMs: Date.now() });
    expect(again.articles.map((a) => a.id)).toContain("restart-seed");
    expect(again.articles).toHaveLength(4);
  });

  it('does not load the demo set with WARTA_DEMO=0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warta-nodemo-'));
    dirs.push(dir);
    running = await start(dir, { WARTA_DEMO: '0' });
    const res = await fetch(`${running.url}/api/categories`);
    expect(await res.json()).toEqual({ categories: [] });
  });
});
