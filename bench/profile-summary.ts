/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: the functions
 * with the most self time in a V8 CPU profile (as written by
 * `npm run bench -- --profile <dir>`), to compare before and after a change.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms and share), highest first. */
export function selfTimes(profile: Profile): { name: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (!n) return;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/').replace(/^node:/, 'node:')}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  return [...self.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: us / total })).sort((a, b) => b.ms - a.ms);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const rows = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile).slice(0, Number(top ?? 25));
  for (const r of rows) process.stdout.write(`${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}\n`);
}
