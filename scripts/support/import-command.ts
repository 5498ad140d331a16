/**
 * The import command (`npm run import -- <source> --institution <slug> …`),
 * as a function so that tests run it in-process with their own streams and
 * connector: argument parsing, the source readers, the progress bar on a
 * terminal (cli-progress) or a line per page, the summary and exit status.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createOutboundFetch, type Connector, type OutboundLimits } from '../../src/net/public-fetch.js';
import { nodeConnector } from '../../src/server/outbound-node.js';
import { createFetcher } from '../../src/ingest/fetcher.js';
import { detectSource, type SourceKind } from '../../src/ingest/detect.js';
import { wxrReader } from '../../src/ingest/wxr.js';
import { ImportRefused, runImport, summaryLine, type PageProgress } from '../../src/ingest/importer.js';
import { wartaClient } from '../../src/ingest/warta-client.js';
import { parseRfc3339 } from '../../src/model/time.js';
import { SLUG_PATTERN } from '../../src/model/schemas.js';
import type { SourceReader } from '../../src/ingest/source-item.js';

/** Where the command writes and what it may use. */
export interface CommandIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Record<string, string | undefined>;
  isTTY?: boolean;
  cwd?: string;
  connector?: Connector;
  signal?: AbortSignal;
  /** Retry pacing (tests shorten it). */
  retryBaseMs?: number;
}

const DEFAULT_TARGET = 'http://127.0.0.1:8787';

/** The command's help text (also printed with every usage error). */
export const USAGE = `usage: npm run import -- <portal URL | feed URL | export.xml> --institution <slug> [options]
  --target URL            Warta to write to (default ${DEFAULT_TARGET})
  --token TOKEN           admin or publisher token (or WARTA_TOKEN; .warta/admin-token for the local default)
  --kind wordpress|wxr|feed   skip detection
  --category-map a=b,c=d  rename source category and tag slugs
  --default-category SLUG category of items without one (default berita)
  --default-author NAME   author of items without one (default Redaksi)
  --offset +07:00         offset of local times without a GMT twin (default +07:00)
  --since DATE            only posts published at or after DATE (2024-01-31 or RFC 3339)
  --prune                 withdraw this source's articles the source no longer publishes
  --keep-private-urls     keep permalinks, images and links on loopback or private networks
                          (left out by default; the target must run with WARTA_CONTENT_ALLOW_PRIVATE=1)
  --timeout-ms N, --max-bytes N   bounds of each source request (default 30000, 50 MB)`;

function parseOffset(text: string): number | null {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : null;
}

function parseSince(text: string, offsetMinutes: number): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const t = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(t) ? null : t - offsetMinutes * 60_000;
  }
  return parseRfc3339(text)?.epochMs ?? null;
}

function parseMap(text: string | undefined): Record<string, string> | string {
  const map: Record<string, string> = {};
  if (!text) return map;
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [from, to, extra] = pair.split('=');
    if (!from || !to || extra !== undefined || !SLUG_PATTERN.test(to)) return `--category-map: "${pair}" is not old=new with a slug on the right`;
    map[from] = to;
  }
  return map;
}

async function* fileChunks(path: string): AsyncIterable<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield chunk as Uint8Array;
}

/** Runs the command; resolves to the exit status (0 all done, 1 something failed, 2 refused or misused, 130 interrupted). */
export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        institution: { type: 'string' }, target: { type: 'string' }, token: { type: 'string' }, kind: { type: 'string' },
        'category-map': { type: 'string' }, 'default-category': { type: 'string' }, 'default-author': { type: 'string' },
        offset: { type: 'string' }, since: { type: 'string' }, prune: { type: 'boolean' }, 'keep-private-urls': { type: 'boolean' },
        'timeout-ms': { type: 'string' }, 'max-bytes': { type: 'string' }, help: { type: 'boolean' },
      },
    });
  } catch (err) {
    io.stderr(`import: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.stdout(USAGE);
    return 0;
  }
  const source = args.positionals[0];
  const fail = (msg: string) => (io.stderr(`import: ${msg}\n${USAGE}`), 2);
  if (!source || args.positionals.length > 1) return fail('give exactly one source');
  if (!v.institution || !SLUG_PATTERN.test(v.institution)) return fail('--institution <slug> is required');
  const kind = v.kind as SourceKind | undefined;
  if (kind && !['wordpress', 'wxr', 'feed'].includes(kind)) return fail('--kind must be wordpress, wxr or feed');
  const offset = parseOffset(v.offset ?? '+07:00');
  if (offset === null) return fail('--offset must look like +07:00');
  const sinceMs = v.since ? parseSince(v.since, offset) : undefined;
  if (sinceMs === null) return fail('--since must be a date (2024-01-31) or an RFC 3339 time');
  if (v.prune && sinceMs !== undefined) return fail('--prune needs the whole source: it cannot be combined with --since');
  const categoryMap = parseMap(v['category-map']);
  if (typeof categoryMap === 'string') return fail(categoryMap);
  const defaultCategory = v['default-category'] ?? 'berita';
  if (!SLUG_PATTERN.test(defaultCategory)) return fail('--default-category must be a slug');
  const target = (v.target ?? DEFAULT_TARGET).replace(/\/+$/, '');
  let token = v.token ?? io.env.WARTA_TOKEN;
  const tokenFile = join(io.cwd ?? process.cwd(), io.env.WARTA_DATA_DIR ?? '.warta', 'admin-token');
  if (!token && target === DEFAULT_TARGET && existsSync(tokenFile)) token = readFileSync(tokenFile, 'utf8').trim();
  if (!token) return fail('no token: pass --token, set WARTA_TOKEN, or run against the local default with .warta/admin-token');

  const isFile = kind === 'wxr' || (!/^https?:\/\//i.test(source) && existsSync(source));
  const limits: OutboundLimits = {
    allowPrivate: false,
    // The operator typed this host: it may be their intranet or loopback; anything it redirects or links to is checked.
    allowPrivateHosts: isFile ? [] : [new URL(source).hostname.toLowerCase()],
    timeoutMs: Number(v['timeout-ms'] ?? 30_000),
    maxBytes: Number(v['max-bytes'] ?? 50 * 1024 * 1024),
    maxRedirects: 5,
  };
  const onRetry = (what: string, attempt: number, ms: number, why: string) => io.stderr(`retry ${attempt} of ${what} in ${ms} ms (${why})`);
  const fetcher = createFetcher({ outbound: createOutboundFetch(io.connector ?? nodeConnector()), limits, onRetry, ...(io.retryBaseMs !== undefined ? { baseDelayMs: io.retryBaseMs } : {}) });
  const client = wartaClient({ baseUrl: target, token, onRetry, ...(io.retryBaseMs !== undefined ? { baseDelayMs: io.retryBaseMs } : {}) });

  let reader: SourceReader;
  try {
    reader = isFile ? wxrReader(() => fileChunks(source)) : await detectSource(fetcher, source, { ...(kind === 'wordpress' || kind === 'feed' ? { kind } : {}), ...(sinceMs !== undefined ? { sinceIso: new Date(sinceMs).toISOString() } : {}) });
  } catch (err) {
    io.stderr(`import: ${(err as Error).message}`);
    io.stdout(summaryLine({ imported: 0, updated: 0, unchanged: 0, skipped: 0, failed: 1, withdrawn: 0, pages: 0, failures: [] }));
    return 1;
  }
  io.stderr(`import: reading ${reader.kind} source ${source} into ${target} as ${v.institution}`);

  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  const onPage = (p: PageProgress) => {
    const posts = p.summary.imported + p.summary.updated + p.summary.unchanged + p.summary.skipped + p.summary.failed;
    const rate = posts / Math.max(0.001, (Date.now() - started) / 1000);
    if (io.isTTY) {
      if (!bar) {
        bar = new cliProgress.SingleBar({ format: 'pages {value}/{total} | posts {posts} | {rate} posts/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(p.totalPages ?? p.page, 0, { posts: 0, rate: '0' });
      }
      bar.setTotal(Math.max(p.totalPages ?? p.page, p.page));
      bar.update(p.page, { posts, rate: rate.toFixed(1) });
    } else {
      io.stderr(`page ${p.page}${p.totalPages ? `/${p.totalPages}` : ''}: ${summaryLine(p.summary)} (${rate.toFixed(1)} posts/s)`);
    }
  };
  try {
    const summary = await runImport(reader, client, {
      mapping: { institution: v.institution, categoryMap, defaultCategory, defaultAuthor: v['default-author'] ?? 'Redaksi', fallbackOffsetMinutes: offset, ...(v['keep-private-urls'] ? { keepPrivateUrls: true } : {}) },
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      ...(v.prune ? { prune: true } : {}),
      targetLabel: target,
      onPage,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    (bar as cliProgress.SingleBar | null)?.stop();
    for (const f of summary.failures) io.stdout(`failed ${f.id}: ${f.reason}`);
    const left = summary.privateUrlsLeftOut;
    if (left) {
      io.stdout(
        `left out ${left.urls} URL${left.urls === 1 ? '' : 's'} on loopback or private networks (permalinks, images, links) of ${left.posts} post${left.posts === 1 ? '' : 's'}: ` +
          'to keep them, run Warta with WARTA_CONTENT_ALLOW_PRIVATE=1 and import with --keep-private-urls',
      );
    }
    io.stdout(summaryLine(summary, Boolean(v.prune)));
    if (io.signal?.aborted) return 130;
    return summary.failed > 0 ? 1 : 0;
  } catch (err) {
    (bar as cliProgress.SingleBar | null)?.stop();
    if (err instanceof ImportRefused) {
      io.stderr(err.message);
      for (const d of err.details) io.stderr(`  ${d}`);
      io.stdout(summaryLine({ imported: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, withdrawn: 0, pages: 0, failures: [] }));
      return 2;
    }
    io.stderr(`import: ${(err as Error).message}`);
    return 1;
  }
}
