/**
 * `npm run memory`: the memory attack of issue 15 (item 5) against a real
 * `npm start` child process, with its resident set sampled by `ps -o rss`.
 *
 *   A. the attack as reported: one publish of 1.8 M characters of `<b>` (refused
 *      now) and one of 99,999 `<b>` (at the tag limit), then 4 concurrent anonymous
 *      GETs of /feed.rss;
 *   A2. the same 4 GETs after the largest body accepted (1.9 M characters of `&amp;`);
 *   B. the worst case within the limits: 8 articles of 1.9 M characters of `&amp;`
 *      (the densest escaping XML feeds can meet: 1.8 times), then 3 rounds of 4 concurrent cold GETs
 *      of different documents (formats and limits, so nothing is shared).
 *
 * Prints the peak RSS of each phase in MiB; exits 1 when A or A2 reaches 256 MiB
 * (B is reported: it includes 8 publishes of 1.9 M characters, see BENCHMARKS.md).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChildServer } from './support/child-server.js';

const LIMIT_MIB = 256;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'warta-memory-'));
const admin = `memory-${Math.random().toString(36).slice(2)}-admin-token`;
const server = await startChildServer({ WARTA_DATA_DIR: dir, WARTA_DEMO: '0', WARTA_ADMIN_TOKEN: admin, ...(process.env.MEMORY_CHILD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.MEMORY_CHILD_NODE_OPTIONS } : {}) });

const rssMiB = async () => Number((await run('ps', ['-o', 'rss=', '-p', String(server.pid)])).stdout.trim()) / 1024;
async function peakDuring(work: () => Promise<unknown>): Promise<number> {
  let peak = await rssMiB();
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await rssMiB());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await work();
  done = true;
  await sampler;
  return Math.max(peak, await rssMiB());
}

const call = async (path: string, init: { method?: string; token?: string; json?: unknown } = {}) => {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.json ? 'POST' : 'GET'),
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json ? { 'content-type': 'application/json' } : {}) },
    ...(init.json ? { body: JSON.stringify(init.json) } : {}),
  });
  const body = await res.arrayBuffer();
  return { status: res.status, bytes: body.byteLength };
};
const article = (n: number, contentHtml: string) => ({
  title: `Uji memori ${n}`, contentHtml, author: { name: 'Penguji' }, category: 'binmas', tags: ['memori'],
  institutions: ['polres-uji'], publishedAt: `2024-01-01T00:${String(n).padStart(2, '0')}:00+07:00`,
});

try {
  const registered = [
    await call('/api/categories/binmas', { method: 'PUT', token: admin, json: { name: 'BINMAS', description: 'Pembinaan masyarakat.' } }),
    await call('/api/institutions/polres-uji', { method: 'PUT', token: admin, json: { name: 'Polres Uji', description: 'Kepolisian uji.', kind: 'Polres', region: 'Jawa Timur' } }),
  ];
  if (registered.some((r) => r.status !== 200)) throw new Error(`memory: registries answered ${registered.map((r) => r.status).join(', ')}`);
  const keyRes = await fetch(`${server.url}/api/keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'publisher', institutions: ['polres-uji'], label: 'memory' }) });
  const { token } = (await keyRes.json()) as { token: string };
  if (keyRes.status !== 201) throw new Error(`memory: key creation answered ${keyRes.status}`);
  const baseline = await rssMiB();

  const published = await call('/api/articles', { token, json: article(0, '<b>'.repeat(600_000)) });
  // The same attack at the tag limit, which is accepted.
  const publishedAtLimit = await call('/api/articles', { token, json: article(0, '<b>'.repeat(99_999)) });
  const afterPublishA = await rssMiB();
  const feedSizes: number[] = [];
  const peakA = await peakDuring(async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => call('/feed.rss')));
    feedSizes.push(...answers.map((a) => a.bytes));
  });

  // A2: the same 4 GETs after the largest body that is accepted (1.9 M characters, the densest escaping).
  const publishedA2 = await call('/api/articles', { token, json: article(0, `<p>${'&amp;'.repeat(380_000)}</p>`) });
  const afterPublishA2 = await rssMiB();
  const a2Sizes: number[] = [];
  const peakA2 = await peakDuring(async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => call('/feed.rss')));
    a2Sizes.push(...answers.map((a) => a.bytes));
  });

  const statuses: number[] = [];
  const publishB = await peakDuring(async () => {
    for (let n = 1; n <= 8; n++) statuses.push((await call('/api/articles', { token, json: article(n, `<p>${'&amp;'.repeat(380_000)}</p>`) })).status);
  });
  const afterPublishB = await rssMiB();
  const paths = ['/feed.rss', '/feed.atom', '/feed.json', '/feed.rss?limit=5', '/feed.atom?limit=7', '/feed.json?limit=9', '/tags/memori/feed.rss', '/tags/memori/feed.atom', '/institutions/polres-uji/feed.rss', '/institutions/polres-uji/feed.json', '/categories/binmas/feed.rss', '/categories/binmas/feed.atom'];
  const bSizes: number[] = [];
  const peakB = await peakDuring(async () => {
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(paths.slice(round * 4, round * 4 + 4).map((p) => call(p)));
      bSizes.push(...answers.map((a) => a.bytes));
    }
  });
  const report = {
    baselineMiB: Math.round(baseline),
    attackA: { publishStatus: published.status, atTagLimitStatus: publishedAtLimit.status, afterPublishMiB: Math.round(afterPublishA), feedBytes: feedSizes, peakRssMiB: Math.round(peakA) },
    attackA2: { publishStatus: publishedA2.status, afterPublishMiB: Math.round(afterPublishA2), feedBytes: a2Sizes, peakRssMiB: Math.round(peakA2) },
    worstCaseB: { publishStatuses: statuses, publishPeakMiB: Math.round(publishB), afterPublishMiB: Math.round(afterPublishB), largestFeedBytes: Math.max(...bSizes), peakRssMiB: Math.round(peakB) },
    limitMiB: LIMIT_MIB,
  };
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = peakA < LIMIT_MIB && peakA2 < LIMIT_MIB ? 0 : 1;
} catch (err) {
  console.error(server.lines.slice(-20).join('\n'));
  throw err;
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
