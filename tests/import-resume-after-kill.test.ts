/**
 * An import stopped anywhere and started again ends with exactly the
 * articles of an uninterrupted import: none missing, none twice. Stops
 * tried: the command killed with SIGKILL while it reads page 3, Ctrl-C
 * after page 1, the source's network gone at page 2, the target answering
 * 503 (retried, honouring Retry-After) and then 503 for good.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestWarta, type TestWarta } from './support/warta.js';
import { generatedSite, startWordPressFixture, type WordPressFixture } from './support/wordpress-fixture.js';
import { runImportCommand } from './support/import-run.js';

const POSTS = 350;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

let site: WordPressFixture;
let reference: string[];

async function snapshot(w: TestWarta): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ institution: 'polres-madiun-kota', limit: '100', ...(cursor ? { cursor } : {}) });
    const body = (await (await w.request(`/api/articles?${q}`, { token: ADMIN_TOKEN })).json()) as { articles: Record<string, unknown>[]; next?: string; hasMore: boolean };
    for (const a of body.articles) out.push(JSON.stringify([a.id, a.title, a.publishedAt, a.category, a.tags, a.author, a.url, a.image, a.summary, a.contentHtml]));
    cursor = body.hasMore ? body.next : undefined;
  } while (cursor);
  return out.sort();
}

async function freshWarta(): Promise<TestWarta> {
  const w = await startTestWarta();
  await w.registerDemoRegistries();
  return w;
}

const argsFor = (target: string) => [`${site.url}/`, '--institution', 'polres-madiun-kota', '--target', target, '--token', ADMIN_TOKEN];

beforeAll(async () => {
  site = await startWordPressFixture(generatedSite(POSTS));
  const w = await freshWarta();
  try {
    const run = await runImportCommand(argsFor(w.url));
    expect(run.summary).toBe(`imported ${POSTS}, updated 0, unchanged 0, skipped 0, failed 0`);
    reference = await snapshot(w);
  } finally {
    await w.close();
  }
  expect(reference).toHaveLength(POSTS);
}, 120_000);
afterAll(() => site.close());

/** Resumes into `w` and checks the final set is the reference; returns the resumed run's summary. */
async function resumeAndCompare(w: TestWarta): Promise<string> {
  site.intercept = undefined;
  const run = await runImportCommand(argsFor(w.url));
  expect(run.status).toBe(0);
  expect(await snapshot(w)).toEqual(reference);
  return run.summary;
}

const counts = (summary: string) => Object.fromEntries([...summary.matchAll(/(\w+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));

describe('resuming an interrupted import', () => {
  it('after kill -9 of the command while it reads page 3', async () => {
    const w = await freshWarta();
    try {
      let killed = false;
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...argsFor(w.url)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      site.intercept = (req, res) => {
        if (!killed && req.url?.includes('_embed=1') && req.url.includes('page=3')) {
          killed = true;
          child.kill('SIGKILL');
          res.destroy();
          return true;
        }
        return false;
      };
      expect(await exited).toBe('SIGKILL');
      expect(killed).toBe(true);
      const partial = await snapshot(w);
      expect(partial.length).toBe(200);
      const c = counts(await resumeAndCompare(w));
      expect(c).toEqual({ imported: 150, updated: 0, unchanged: 200, skipped: 0, failed: 0 });
    } finally {
      await w.close();
    }
  }, 60_000);

  it('after Ctrl-C between pages (exit status 130)', async () => {
    const w = await freshWarta();
    try {
      const controller = new AbortController();
      site.intercept = (req) => {
        if (req.url?.includes('_embed=1') && req.url.includes('page=2')) controller.abort();
        return false;
      };
      const run = await runImportCommand(argsFor(w.url), { signal: controller.signal });
      expect(run.status).toBe(130);
      expect(run.summary).toBe('imported 100, updated 0, unchanged 0, skipped 0, failed 0');
      expect(counts(await resumeAndCompare(w))).toEqual({ imported: 250, updated: 0, unchanged: 100, skipped: 0, failed: 0 });
    } finally {
      await w.close();
    }
  }, 60_000);

  it('after the source network went away at page 2 (retried, then reported as a failure)', async () => {
    const w = await freshWarta();
    try {
      site.intercept = (req, res) => {
        if (req.url?.includes('_embed=1') && req.url.includes('page=2')) {
          res.destroy();
          return true;
        }
        return false;
      };
      const run = await runImportCommand(argsFor(w.url));
      expect(run.status).toBe(1);
      expect(run.summary).toBe('imported 100, updated 0, unchanged 0, skipped 0, failed 1');
      expect(run.stdout[0]).toMatch(/^failed \(source\): net: request to http:\/\/127\.0\.0\.1:\d+ failed: /);
      expect(run.stderr.filter((l) => l.startsWith('retry '))).toHaveLength(4);
      expect(counts(await resumeAndCompare(w))).toEqual({ imported: 250, updated: 0, unchanged: 100, skipped: 0, failed: 0 });
    } finally {
      await w.close();
    }
  }, 60_000);

  it('through a target answering 503: retried after Retry-After, then, when it stays down, failed items that a rerun writes', async () => {
    const w = await freshWarta();
    let batches = 0;
    let mode: 'flaky' | 'down' = 'flaky';
    const proxy: Server = createServer(async (req, res) => {
      const body = await new Promise<Buffer>((r) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c)).on('end', () => r(Buffer.concat(parts)));
      });
      if (req.url === '/api/articles/batch') {
        batches++;
        if ((mode === 'flaky' && (batches === 2 || batches === 3)) || (mode === 'down' && batches >= 2)) {
          return res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '0' }).end('{"status":503,"detail":"the article store is unavailable; retry later"}');
        }
      }
      const upstream = await fetch(`${w.url}${req.url}`, { method: req.method, headers: { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' }, ...(body.length ? { body: new Uint8Array(body) } : {}) });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const flaky = await runImportCommand(argsFor(proxyUrl));
      expect(flaky.summary).toBe(`imported ${POSTS}, updated 0, unchanged 0, skipped 0, failed 0`);
      expect(flaky.stderr.filter((l) => l.startsWith('retry ') && l.includes('HTTP 503'))).toEqual(['retry 1 of POST /api/articles/batch in 0 ms (HTTP 503)', 'retry 2 of POST /api/articles/batch in 0 ms (HTTP 503)']);
      expect(await snapshot(w)).toEqual(reference);

      const other = await freshWarta();
      await w.close();
      Object.assign(w, other);
      mode = 'down';
      batches = 0;
      const down = await runImportCommand(argsFor(proxyUrl));
      expect(down.status).toBe(1);
      expect(down.summary).toBe('imported 100, updated 0, unchanged 0, skipped 0, failed 250');
      expect(down.stdout.filter((l) => l.startsWith('failed ')).length).toBe(250);
      expect(down.stdout[0]).toMatch(/^failed src-[0-9a-f]{12}-1101: batch answered HTTP 503: the article store is unavailable; retry later$/);
      expect(counts(await resumeAndCompare(w))).toEqual({ imported: 250, updated: 0, unchanged: 100, skipped: 0, failed: 0 });
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
      await w.close();
    }
  }, 90_000);
});
