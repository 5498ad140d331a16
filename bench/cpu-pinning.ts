/**
 * `--pin`: the servers under test (Warta and the static baseline) on one core,
 * the load generator (wrk), dynalite and this harness on the other, with
 * `taskset` (util-linux). On a 2-core machine an unpinned generator and server
 * share both cores, so a server that spends a few microseconds more per answer
 * also takes CPU the generator needs, and small answers measure the
 * scheduler as much as the server. Pinned, each server has a core of its own
 * and the generator the same core for both, which isolates what the server
 * costs. Linux only; without `taskset` or with fewer than 2 CPUs it is refused.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The cores of a pinned run. */
export const SERVER_CPU = 1;
export const CLIENT_CPU = 0;

let enabled = false;

/** Turns pinning on for this run (throws with the reason when it cannot be done). */
export function enablePinning(): void {
  if (availableParallelism() < 2) throw new Error('bench: --pin needs at least 2 CPUs');
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch (err) {
    throw new Error('bench: --pin needs taskset (Debian package util-linux)', { cause: err });
  }
  enabled = true;
  pinProcess(process.pid, CLIENT_CPU);
}

/** Is this run pinned? */
export const pinning = (): boolean => enabled;

/** Pins every thread of process `pid` to `cpu` (no-op when pinning is off). */
export function pinProcess(pid: number, cpu: number): void {
  if (!enabled) return;
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** The command and arguments that run `command` pinned to `cpu` (unchanged when pinning is off). */
export function pinnedCommand(command: string, args: string[], cpu: number): [string, string[]] {
  return enabled ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}
