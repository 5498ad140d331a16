/**
 * `npm run bench:memory [-- --n 1000 --seconds 10 --connections 4 --snapshots --flags="--max-semi-space-size=8"]`:
 * where the server's memory goes while it publishes. Loads N corpus articles
 * into a dynalite of its own process, starts the server as `npm run bench`
 * does (bench/server-child.ts, document cache on), reads every format of
 * every category feed and the front feeds (the caches fill), then posts
 * batches of 100 new articles from `connections` loops for `seconds`,
 * sampling process.memoryUsage() of the server every 100 ms. With
 * --snapshots it writes heap snapshots after the reads, in the middle of
 * publishing and after it, and prints live bytes per constructor and their
 * growth. Prints the peak RSS with the heap, external and ArrayBuffer bytes
 * at that sample. The server runs with the Node flags of `npm start` unless
 * --flags= says others. Everything on 127.0.0.1; nothing is added to the app.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EmbeddedCredentials } from '../src/embedded/dynalite.js';
import { installCleanup, makeTempDir, removeTempDir, startChild } from './processes.js';
import { benchDb, loadArticles, prepareStore } from './load-store.js';
import { START_NODE_FLAGS, startWartaServer } from './warta-server.js';
import { serverStats, type ServerStats } from './cases.js';
import { batchBodies, publisherHeaders } from './publish.js';
import { CATEGORIES } from './corpus.js';
import { closeAgent, send } from './http.js';
import { heapGrowth, summarizeHeapSnapshot } from './heap-summary.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { n: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' }, snapshots: { type: 'boolean' }, flags: { type: 'string' } },
  strict: true,
});
const n = Number(values.n ?? 1000);
const seconds = Number(values.seconds ?? 10);
const connections = Number(values.connections ?? 4);
const flags = values.flags !== undefined ? values.flags.split(/\s+/).filter(Boolean) : START_NODE_FLAGS;
const TABLE = 'warta-bench';
const ADMIN_TOKEN = `bench-admin-${randomBytes(18).toString('base64url')}`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const line = (label: string, m: Omit<ServerStats, 'dbRequests'>) =>
  `${label.padEnd(22)} rss ${mib(m.rss)}, heap used ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, external ${mib(m.external)} (ArrayBuffers ${mib(m.arrayBuffers)})`;

installCleanup();
const dir = makeTempDir('warta-memory-');
const store = await startChild<{ endpoint: string; credentials: EmbeddedCredentials }>('dynalite', './store-child.ts', { BENCH_STORE_DIR: join(dir, 'dynalite'), BENCH_TEMP_DIR: dir });
const db = benchDb(store.ready.endpoint, TABLE, store.ready.credentials);
try {
  await prepareStore(db);
  const load = await loadArticles(db, n, 4);
  console.log(`memory probe: N=${n}, loaded in ${load.seconds.toFixed(1)} s; ${connections} concurrent batches of 100 for ${seconds} s; server flags [${flags.join(' ')}]`);
  const server = await startWartaServer({
    name: 'warta', endpoint: store.ready.endpoint, credentials: store.ready.credentials, table: TABLE, adminToken: ADMIN_TOKEN,
    cursorSecret: randomBytes(32).toString('base64url'), dir, feedCache: true, nodeFlags: flags,
    ...(values.snapshots ? { env: { BENCH_HEAP_SNAPSHOT_DIR: dir } } : {}),
  });
  const base = server.ready.url;
  // Snapshots are parsed at the end: parsing here would leave the keep-alive sockets idle past the server's timeout.
  const snapshots = new Map<string, string>();
  const snapshot = async (name: string) => {
    const before = await serverStats(server);
    snapshots.set(name, await server.call<string>('heapSnapshot', name, 300_000));
    console.log(line(`snapshot "${name}":`, before));
  };
  const summary = (name: string) => {
    const s = summarizeHeapSnapshot(snapshots.get(name)!);
    console.log(`snapshot "${name}": live after the snapshot's GC ${mib(s.totalBytes)} in ${s.nodes.toLocaleString('en-US')} objects`);
    return s;
  };
  try {
    console.log(line('idle', await serverStats(server)));
    for (const path of ['/feed.rss', '/feed.atom', '/feed.json', ...CATEGORIES.flatMap((c) => ['rss', 'atom', 'json'].map((f) => `/categories/${c.slug}/feed.${f}`))]) {
      for (let i = 0; i < 3; i++) await send(base, path);
    }
    console.log(line('after reads', await serverStats(server)));
    if (values.snapshots) await snapshot('after-reads');

    const headers = await publisherHeaders(base, ADMIN_TOKEN);
    const bodies = batchBodies(40);
    let next = 0;
    let created = 0;
    let peak: ServerStats | undefined;
    const sampler = setInterval(() => void serverStats(server).then((s) => { if (!peak || s.rss > peak.rss) peak = s; }, () => undefined), 100);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const snapshotAt = values.snapshots ? setTimeout(() => void snapshot('publishing'), (seconds * 1000) / 2) : undefined;
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const res = await send(base, '/api/articles/batch', { headers, body: bodies[next++ % bodies.length]! });
        if (res.status !== 200) throw new Error(`bench: POST /api/articles/batch: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
        created += (JSON.parse(res.body.toString('utf8')) as { results: { status: number }[] }).results.filter((r) => r.status === 201).length;
      }
    }));
    clearInterval(sampler);
    clearTimeout(snapshotAt);
    console.log(`published ${created} articles in ${((performance.now() - started) / 1000).toFixed(1)} s${values.snapshots ? ' (the snapshot paused the server)' : ''}`);
    if (peak) console.log(line('peak while publishing', peak));
    console.log(line('after publishing', await serverStats(server)));
    if (values.snapshots) {
      while (!snapshots.has('publishing')) await new Promise((r) => setTimeout(r, 200));
      await snapshot('after-publishing');
      const afterReads = summary('after-reads');
      for (const name of ['publishing', 'after-publishing']) {
        const s = summary(name);
        console.log(`live bytes per kind, ${name}, growth over after-reads (top 15):`);
        for (const g of heapGrowth(afterReads.groups, s.groups).slice(0, 15)) console.log(`  ${g.name.slice(0, 48).padEnd(48)} ${mib(g.bytes).padStart(10)} ${g.count.toLocaleString('en-US').padStart(9)}  +${mib(g.deltaBytes)} +${g.deltaCount.toLocaleString('en-US')}`);
        console.log(`  largest strings: ${s.largestStrings.map((x) => `${(x.bytes / 1024).toFixed(0)} KiB ${JSON.stringify(x.start.slice(0, 40))}`).join('; ') || 'none over 16 KiB'}`);
      }
    }
  } finally {
    await server.stop();
  }
} finally {
  closeAgent();
  db.raw.destroy();
  await store.stop();
  removeTempDir(dir);
}
process.exit(0);
