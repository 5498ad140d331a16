/**
 * A summary of a V8 .heapsnapshot (the format Chrome DevTools reads): live
 * bytes (self size) and object count per constructor or node type, and the
 * difference between two snapshots, so that what holds memory is a number
 * per kind of object rather than a guess.
 */
import { readFileSync } from 'node:fs';

/** Live bytes and objects of one kind. */
export interface HeapGroup {
  name: string;
  bytes: number;
  count: number;
}

/** Self sizes of a snapshot grouped per constructor (objects, closures) or node type (strings, arrays, code, …). */
export function summarizeHeapSnapshot(path: string): { totalBytes: number; nodes: number; groups: HeapGroup[]; largestStrings: { bytes: number; start: string }[] } {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const groups = new Map<string, HeapGroup>();
  const strings: { bytes: number; start: string }[] = [];
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const size = snap.nodes[i + sizeAt]!;
    totalBytes += size;
    // Objects and closures by constructor; everything else by its type (one "(string)" for all strings).
    const name = type === 'object' || type === 'closure' ? `${snap.strings[snap.nodes[i + nameAt]!]}${type === 'closure' ? '()' : ''}` : `(${type})`;
    if (type === 'string' && size >= 16_384) strings.push({ bytes: size, start: snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60) });
    const g = groups.get(name) ?? { name, bytes: 0, count: 0 };
    g.bytes += size;
    g.count++;
    groups.set(name, g);
  }
  strings.sort((a, b) => b.bytes - a.bytes);
  return { totalBytes, nodes: snap.nodes.length / width, groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes), largestStrings: strings.slice(0, 10) };
}

/** The groups of `after` with their growth over `before`, largest growth first. */
export function heapGrowth(before: HeapGroup[], after: HeapGroup[]): (HeapGroup & { deltaBytes: number; deltaCount: number })[] {
  const old = new Map(before.map((g) => [g.name, g]));
  return after
    .map((g) => ({ ...g, deltaBytes: g.bytes - (old.get(g.name)?.bytes ?? 0), deltaCount: g.count - (old.get(g.name)?.count ?? 0) }))
    .sort((a, b) => b.deltaBytes - a.deltaBytes);
}
