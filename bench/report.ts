/**
 * Presenting a run: a plain-text table on stdout, results JSON
 * (`latest.json`) and a Markdown table (`latest.md`) in the output dir.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import type { Generator } from './load-test.js';
import { checkScale, checkTargets, SCALE_FACTOR, type ScaleCheck, type SizeResult, type TargetCheck } from './targets.js';

/** A whole run. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  options: Omit<BenchOptions, 'cases'> & { cases?: string };
  /** The load generator that measured every HTTP case. */
  generator: Generator;
  sizes: SizeResult[];
  targets: TargetCheck[];
  scale: ScaleCheck[];
  /** Always true for runs on a shared or busy machine: the lead reruns on a quiet one. */
  note: string;
}

/** Adds the target and scale checks to the measured sizes. */
export function finishReport(base: Omit<BenchReport, 'targets' | 'scale'>): BenchReport {
  return { ...base, targets: checkTargets(base.sizes), scale: checkScale(base.sizes) };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const num = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const mib = (bytes: number | undefined) => (bytes ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : '–');
const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'MISS');
const secs = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`);

type Table = { head: string[]; rows: string[][] };

function caseTable(size: SizeResult): Table {
  const head = ['case', 'req/s', 'p50 ms', 'p99 ms', 'store req/req', 'bytes', 'baseline req/s', 'ratio', 'note'];
  const rows = size.cases.map((c) => {
    if (c.group === 'publish') {
      const e = c.extra ?? {};
      return [c.id, e.articlesPerSecond !== undefined ? `${int(Number(e.articlesPerSecond))} art/s` : '–', num(Number(e.batchP50Ms), 0), num(Number(e.batchP99Ms), 0), num(c.storeRequestsPerRequest, 1), '', e.rawArticlesPerSecond !== undefined ? `${int(Number(e.rawArticlesPerSecond))} art/s (raw)` : '–', num(c.ratio), c.skipped ?? c.failed ?? `${e.articles ?? 0} articles in ${e.seconds ?? 0}s`];
    }
    const note = c.skipped ?? c.failed ?? [c.extra?.depth ? `page ${c.extra.depth}` : '', c.extra?.gzipServed === false ? 'NOT gzip' : '', c.extra?.after ? `after ${int(Number(c.extra.after))}` : ''].filter(Boolean).join(' ');
    return [c.id, c.load ? int(c.load.rps) : '–', c.load ? num(c.load.p50) : '–', c.load ? num(c.load.p99) : '–', num(c.storeRequestsPerRequest, 3), c.bodyBytes ? int(c.bodyBytes) : '–', c.baseline ? int(c.baseline.rps) : '', c.ratio !== undefined ? num(c.ratio) : '', note];
  });
  return { head, rows };
}

function renderTable(size: SizeResult): Table {
  return {
    head: ['format', 'items', 'median ms', 'p90 ms', 'bytes', 'runs', 'render-only ceiling req/s'],
    rows: size.render.map((r) => [r.format, String(r.items), num(r.medianMs, 3), num(r.p90Ms, 3), int(r.bytes), String(r.runs), int(1000 / r.medianMs)]),
  };
}

function targetTable(targets: TargetCheck[]): Table {
  return {
    head: ['target', 'N', 'subject', 'value', 'threshold', 'verdict', 'note'],
    rows: targets.map((t) => [t.target, int(t.n), t.subject, t.value === null ? '–' : num(t.value), t.threshold, verdict(t.pass), t.note ?? '']),
  };
}

function scaleTable(scale: ScaleCheck[], small: number, large: number): Table {
  return {
    head: ['figure', `N=${int(small)}`, `N=${int(large)}`, 'large/small', `verdict (≤ ${SCALE_FACTOR}× worse)`],
    rows: scale.map((s) => [s.figure, num(s.small, 3), num(s.large, 3), num(s.ratio), verdict(s.pass)]),
  };
}

function text(t: Table): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(t.head), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

function markdown(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${t.head.map(esc).join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function sections(r: BenchReport, fmt: (t: Table) => string, h: (title: string) => string): string {
  const out: string[] = [];
  out.push(`${r.note}`);
  out.push(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node} (${r.machine.platform}). Load: ${r.generator.name} ${r.generator.version}${r.generator.name === 'wrk' ? ` (${r.options.threads} threads)` : ''}, ${r.options.connections} connections, ${r.options.warmupSeconds} s warm-up + ${r.options.durationSeconds} s per run.${r.generator.lowerBound ? ' wrk was not installed: autocannon figures are a LOWER BOUND of what the server does (apt-get install -y wrk).' : ''}`);
  for (const size of r.sizes) {
    out.push(h(`N = ${int(size.n)}`));
    out.push(`Loaded ${int(size.load.articles)} articles (${int(size.load.items)} items, ${int(size.load.dbRequests)} DynamoDB requests) in ${secs(size.load.seconds)}: ${int(size.load.articlesPerSecond)} articles/s, ${int(size.load.itemsPerSecond)} items/s. Server RSS: idle ${mib(size.rss.idle)}; cache on ${mib(size.rss.warmAfterReads)} after reads, ${mib(size.rss.warmAfterPublish)} after publishing; cache off ${mib(size.rss.cold)}; peak ${mib(size.rss.peak)} (peak V8 heap used ${mib(size.rss.peakHeapUsed)}${size.rss.atPeak ? `; at the peak RSS: heap used ${mib(size.rss.atPeak.heapUsed)} of ${mib(size.rss.atPeak.heapTotal)} reserved, external ${mib(size.rss.atPeak.external)} (ArrayBuffers ${mib(size.rss.atPeak.arrayBuffers)})` : ''}). dynalite RSS ${mib(size.storeRss)}.`);
    out.push(fmt(caseTable(size)));
    out.push(h(`Pure render time, N = ${int(size.n)} (renderFeed only, median)`));
    out.push(fmt(renderTable(size)));
  }
  out.push(h('Targets'));
  out.push(fmt(targetTable(r.targets)));
  if (r.scale.length) {
    const small = r.sizes[0]!.n;
    const large = r.sizes[r.sizes.length - 1]!.n;
    out.push(h(`Scale: N = ${int(large)} against N = ${int(small)}`));
    out.push(fmt(scaleTable(r.scale, small, large)));
  }
  const all = [...r.targets.map((t) => t.pass), ...r.scale.map((s) => s.pass)];
  out.push(`Summary: ${all.filter((p) => p === true).length} pass, ${all.filter((p) => p === false).length} miss, ${all.filter((p) => p === null).length} not measured.`);
  return out.join('\n\n');
}

/** The plain-text report (stdout). */
export const formatText = (r: BenchReport) => sections(r, text, (title) => `== ${title} ==`);

/** The Markdown report (latest.md). */
export const formatMarkdown = (r: BenchReport) => `# Warta benchmark, ${r.finishedAt}\n\n${sections(r, markdown, (title) => `## ${title}`)}\n`;

/** Writes latest.json and latest.md into `dir` (atomically: written aside, then renamed). */
export function writeResults(r: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    [join(dir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`],
    [join(dir, 'latest.md'), formatMarkdown(r)],
  ];
  for (const [file, content] of files) {
    writeFileSync(`${file}.tmp`, content);
    renameSync(`${file}.tmp`, file);
  }
  return files.map(([f]) => f);
}
