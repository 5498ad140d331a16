/**
 * The embedded store answers only Warta: a local process that does not hold
 * the credential generated at start cannot read or write it (it used to
 * accept anyone, who could then plant a KEYS item), and its files are this
 * user's only.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../src/embedded/dynalite.js';
import { createDb } from '../src/store/db.js';
import { ensureTable } from '../src/store/table.js';

let dir: string;
let store: EmbeddedStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warta-private-'));
  store = await startEmbeddedStore({ path: join(dir, 'dynalite') });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  createDb({ table: 'private-check', region: 'us-east-1', endpoint: store.endpoint, credentials, maxAttempts: 1 });

describe('the embedded store', () => {
  it('refuses a client without its credential (UnrecognizedClientException) and serves one with it', async () => {
    const stranger = client({ accessKeyId: 'local', secretAccessKey: 'local' });
    await expect(stranger.raw.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'StoreError', code: 'UnrecognizedClientException', retryable: false });
    const guess = client({ accessKeyId: `WARTA${'0'.repeat(64)}`, secretAccessKey: 'x' });
    await expect(guess.raw.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'StoreError', code: 'UnrecognizedClientException', retryable: false });
    const warta = client(store.credentials);
    await ensureTable(warta);
    expect((await warta.raw.send(new ListTablesCommand({}))).TableNames).toEqual(['private-check']);
    for (const db of [stranger, guess, warta]) db.raw.destroy();
  });

  it('keeps its data directory 0700 and its files 0600', () => {
    const modes: string[] = [];
    const walk = (path: string) => {
      const st = statSync(path);
      modes.push(`${st.isDirectory() ? 'd' : 'f'}${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    };
    walk(join(dir, 'dynalite'));
    expect(modes.length).toBeGreaterThan(1);
    expect([...new Set(modes.map((m) => (m.startsWith('d') ? m : 'f')))].sort()).toEqual(['d700', 'f']);
    expect(modes.filter((m) => m.startsWith('f') && m !== 'f600')).toEqual([]);
  });
});
