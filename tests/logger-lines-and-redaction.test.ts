/**
 * The one logger (src/log.ts): JSON lines with level and msg first, the level's
 * console method, a stricter level dropping lines, fields carried by `with`, and
 * secrets redacted by field name and inside strings, also on an app error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, log, logLine, REDACTED } from '../src/log.js';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { buildServices } from '../src/services.js';

afterEach(() => vi.restoreAllMocks());

const KEY_TOKEN = `wk_${'0'.repeat(26)}_${'A'.repeat(43)}`;

/** Lines written to each console method while `body` runs. */
function capture(body: () => void | Promise<void>) {
  const lines: { method: string; line: string }[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...a: unknown[]) => void lines.push({ method, line: a.map(String).join(' ') }));
  return Promise.resolve(body()).then(() => lines);
}

describe('logLine', () => {
  it('writes level and msg first, then the fields, as one JSON line', () => {
    expect(logLine('warn', 'websub: delivery given up', { topic: 'https://w/feed.rss', attempts: 3 })).toBe('{"level":"warn","msg":"websub: delivery given up","topic":"https://w/feed.rss","attempts":3}');
  });

  it('redacts fields named for secrets, at any depth, and credentials inside strings', () => {
    const line = JSON.parse(
      logLine('error', `failed with Bearer ${KEY_TOKEN}`, {
        authorization: 'Bearer abc.def',
        headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k1', accept: 'text/xml' },
        cursorSecret: 'cursor-secret-value',
        credentials: { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'x' },
        error: `store: denied for AKIAABCDEFGHIJKLMNOP using ${KEY_TOKEN}; session token expired`,
        list: [`token=${KEY_TOKEN}`],
      }),
    ) as Record<string, unknown>;
    expect(line).toEqual({
      level: 'error',
      msg: `failed with Bearer ${REDACTED}`,
      authorization: REDACTED,
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, accept: 'text/xml' },
      cursorSecret: REDACTED,
      credentials: REDACTED,
      error: `store: denied for ${REDACTED} using ${REDACTED}; session token expired`,
      list: [`token=${REDACTED}`],
    });
  });
});

describe('createLogger', () => {
  it('writes error to console.error, warn to console.warn, info and debug to console.log', async () => {
    const lines = await capture(() => {
      log.error('e');
      log.warn('w');
      log.info('i');
      log.debug('d');
    });
    expect(lines).toEqual([
      { method: 'error', line: '{"level":"error","msg":"e"}' },
      { method: 'warn', line: '{"level":"warn","msg":"w"}' },
      { method: 'log', line: '{"level":"info","msg":"i"}' },
      { method: 'log', line: '{"level":"debug","msg":"d"}' },
    ]);
  });

  it('drops lines below its level and carries `with` fields (the request id) on every line', async () => {
    const lines = await capture(() => {
      const l = createLogger({ level: 'warn' }).with({ requestId: 'r-1' });
      l.info('dropped');
      l.warn('kept', { path: '/x' });
      l.with({ path: '/y' }).error('kept too');
    });
    expect(lines.map((l) => l.line)).toEqual(['{"level":"warn","msg":"kept","requestId":"r-1","path":"/x"}', '{"level":"error","msg":"kept too","requestId":"r-1","path":"/y"}']);
  });
});

describe('an unhandled error quoting a credential', () => {
  it('is logged with its request id and the credential redacted', async () => {
    const services = buildServices(readConfig({ WARTA_ADMIN_TOKEN: 'admin-token-for-log-test', WARTA_CURSOR_SECRET: 'c', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }));
    const app = createApp(() => services);
    app.get('/boom', () => {
      throw new Error(`upstream refused Authorization: Bearer ${KEY_TOKEN}`);
    });
    let res!: Response;
    const lines = await capture(async () => {
      res = await app.request('/boom');
    });
    expect(res.status).toBe(500);
    const entry = JSON.parse(lines.find((l) => l.line.includes('"unhandled error"'))!.line) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'error', msg: 'unhandled error', requestId: res.headers.get('x-request-id'), path: '/boom' });
    expect(String(entry.error)).toContain(`upstream refused Authorization: Bearer ${REDACTED}`);
    expect(lines.map((l) => l.line).join('\n')).not.toContain(KEY_TOKEN);
  });
});
