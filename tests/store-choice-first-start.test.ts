/**
 * Choosing the store and the first start: a missing data directory works with
 * an outside endpoint (secrets created there, 0600), no directory is touched
 * when the secrets are given, WARTA_STORE=aws reaches the regional endpoint
 * with no URL written, and with WARTA_CREATE_TABLE=0 Warta starts and serves
 * on an existing table with exactly the README's IAM actions.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulidx';
import { readConfig } from '../src/config.js';
import { buildServices } from '../src/services.js';
import { startNodeServer } from '../src/server/node-server.js';
import { startDynamoProxy } from './support/dynamo-proxy.js';
import { createTestDb } from './support/store.js';
import { ADMIN_TOKEN, startTestWarta } from './support/warta.js';
import { seedArticle } from './support/articles.js';

const scratch = mkdtempSync(join(tmpdir(), 'warta-first-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The actions of the README's IAM policy for the service, as DynamoDB operation names. */
function readmeIamActions(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```json\n(\{[^`]*"Sid": "WartaWorkerTable"[^`]*\})\n```/.exec(readme);
  if (!block) throw new Error('test: README has no WartaWorkerTable policy');
  const policy = JSON.parse(block[1]!) as { Statement: { Action: string[]; Resource: string }[] };
  return policy.Statement[0]!.Action.map((a) => a.replace(/^dynamodb:/, ''));
}

describe('first start on an outside DynamoDB', () => {
  it('creates a missing data directory with the admin token and cursor secret (0600) and reads them again after a restart', async () => {
    const dataDir = join(scratch, 'missing', 'deeper');
    const env = { DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: `t-${ulid().toLowerCase()}`, WARTA_DATA_DIR: dataDir };
    const first = await startNodeServer({ env, port: 0, quiet: true });
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    try {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'cursor-secret')).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dataDir, 'dynalite'))).toBe(false);
      const put = await fetch(`${first.url}/api/institutions/lapas-kelas-i-madiun`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Lapas Kelas I Madiun', kind: 'Lapas', region: 'Kota Madiun, Jawa Timur' }),
      });
      expect(put.status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startNodeServer({ env, port: 0, quiet: true });
    try {
      expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(token);
      const read = await fetch(`${second.url}/api/institutions`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(200);
      expect(JSON.stringify(await read.json())).toContain('"lapas-kelas-i-madiun"');
    } finally {
      await second.close();
    }
  });

  it('touches no data directory when both secrets are given', async () => {
    const dataDir = join(scratch, 'never-made');
    const w = await startNodeServer({
      env: { DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: `t-${ulid().toLowerCase()}`, WARTA_DATA_DIR: dataDir, WARTA_ADMIN_TOKEN: ADMIN_TOKEN, WARTA_CURSOR_SECRET: 'given-cursor-secret' },
      port: 0,
      quiet: true,
    });
    try {
      expect((await fetch(`${w.url}/api/keys`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await w.close();
    }
  });
});

describe('the store choice (WARTA_STORE)', () => {
  it('aws: requests go to the regional endpoint of AWS_REGION, with no endpoint written', async () => {
    const config = readConfig({ WARTA_STORE: 'aws', AWS_REGION: 'ap-southeast-3', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', WARTA_CURSOR_SECRET: 's' });
    expect([config.store, config.endpoint, config.createTable]).toEqual(['aws', undefined, false]);
    const services = buildServices(config, { maxAttempts: 1 });
    const seen: string[] = [];
    // Stop every request just before it would leave the process: nothing is sent.
    services.db.raw.middlewareStack.add(
      () => async (args) => {
        const request = args.request as { protocol: string; hostname: string; path: string };
        seen.push(`${request.protocol}//${request.hostname}${request.path}`);
        throw new Error('test: stopped before sending');
      },
      { step: 'finalizeRequest', priority: 'low', name: 'stopBeforeSend' },
    );
    await expect(services.db.doc.send(new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: 'warta', Key: { pk: 'a', sk: 'b' } }))).rejects.toMatchObject({ message: 'store: GetItem failed', cause: { message: 'test: stopped before sending' } });
    expect(seen).toEqual(['https://dynamodb.ap-southeast-3.amazonaws.com/']);
    services.db.raw.destroy();
  });

  it('refuses contradictions and unknown values, naming the variables', () => {
    const base = { WARTA_CURSOR_SECRET: 's' };
    expect(() => readConfig({ ...base, WARTA_STORE: 'aws', AWS_REGION: 'ap-southeast-3', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toThrow('config: WARTA_STORE=aws takes no DYNAMODB_ENDPOINT');
    expect(() => readConfig({ ...base, WARTA_STORE: 'aws' })).toThrow('config: WARTA_STORE=aws needs AWS_REGION');
    expect(() => readConfig({ ...base, WARTA_STORE: 'endpoint' })).toThrow('config: WARTA_STORE=endpoint needs DYNAMODB_ENDPOINT');
    expect(() => readConfig({ ...base, WARTA_STORE: 'dynalite' })).toThrow('config: WARTA_STORE must be embedded, endpoint or aws, got "dynalite"');
    expect(() => readConfig({ ...base, WARTA_STORE: 'embedded' })).toThrow('config: WARTA_STORE=embedded runs only on Node');
    expect(readConfig({ ...base, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toMatchObject({ store: 'endpoint', endpoint: 'http://127.0.0.1:8000', createTable: true });
    expect(readConfig({ ...base, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', WARTA_CREATE_TABLE: '0' }).createTable).toBe(false);
  });
});

describe('least privilege on an existing table (WARTA_CREATE_TABLE=0)', () => {
  it('starts, publishes and serves feeds sending only the actions the README grants', async () => {
    const allowed = readmeIamActions();
    expect(allowed).toEqual(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem']);
    const db = await createTestDb();
    const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
    proxy.deny = (op) => !allowed.includes(op);
    const w = await startTestWarta({ env: { DYNAMODB_ENDPOINT: proxy.endpoint, WARTA_TABLE: db.table, WARTA_CREATE_TABLE: '0' } });
    try {
      await w.registerDemoRegistries();
      const lapas = await w.createKey('publisher', ['lapas-kelas-i-madiun']);
      const created = await w.request('/api/articles', { token: lapas.token, json: seedArticle() });
      expect(created.status).toBe(201);
      const feed = await w.request('/institutions/lapas-kelas-i-madiun/feed.atom');
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('Lapas Kelas I Madiun');
      expect(proxy.refused).toEqual([]);
      expect([...proxy.attempts.keys()].filter((op) => !allowed.includes(op))).toEqual([]);
      expect(proxy.attempts.has('DescribeTable')).toBe(false);
    } finally {
      await w.close();
      await proxy.close();
      db.raw.destroy();
    }
  });

  it('fails at start on a missing table, naming it and npm run table:create', async () => {
    const table = `t-${ulid().toLowerCase()}`;
    await expect(startTestWarta({ env: { WARTA_TABLE: table, WARTA_CREATE_TABLE: '0' } })).rejects.toThrow(
      `store: table ${table} does not exist (create it with \`npm run table:create\`, or let Warta create it: WARTA_CREATE_TABLE=1)`,
    );
  });
});

describe('npm run table:create', () => {
  it('creates the table with pk/sk and TTL on expiresAt where the store has TTL, and leaves an existing one as it is', async () => {
    const { execFile } = await import('node:child_process');
    const { DescribeTableCommand, DescribeTimeToLiveCommand } = await import('@aws-sdk/client-dynamodb');
    const { createDb } = await import('../src/store/db.js');
    const endpoint = inject('dynamoEndpoint');
    const table = `t-${ulid().toLowerCase()}`;
    const run = () =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', 'scripts/table-create.ts'], { env: { ...process.env, DYNAMODB_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: inject('dynamoCredentials').accessKeyId, AWS_SECRET_ACCESS_KEY: inject('dynamoCredentials').secretAccessKey, WARTA_TABLE: table }, timeout: 30_000 }, (err, stdout) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout }),
        );
      });
    const first = await run();
    const db = createDb({ table, region: 'us-east-1', endpoint, credentials: inject('dynamoCredentials') });
    try {
      const described = await db.raw.send(new DescribeTableCommand({ TableName: table }));
      expect([described.Table?.TableStatus, described.Table?.KeySchema]).toEqual(['ACTIVE', [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]]);
      const ttl = (await db.raw.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription;
      // dynalite has no TTL (it reports DISABLED and refuses UpdateTimeToLive); DynamoDB Local and AWS do.
      const ttlText = ttl?.TimeToLiveStatus === 'ENABLED' ? 'TTL on expiresAt' : 'TTL unsupported by this store (dynalite)';
      if (ttl?.TimeToLiveStatus === 'ENABLED') expect(ttl.AttributeName).toBe('expiresAt');
      expect(first).toEqual({ code: 0, stdout: `table:create ${endpoint} table ${table}: created, ACTIVE, ${ttlText}\n` });
      expect(await run()).toEqual({ code: 0, stdout: `table:create ${endpoint} table ${table}: exists, ACTIVE, ${ttlText}\n` });
    } finally {
      db.raw.destroy();
    }
    // Two commands, each a tsx start: slow on a loaded machine.
  }, 90_000);
});
