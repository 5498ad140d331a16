/**
 * Child processes and temporary directories of a benchmark run, and their
 * cleanup: on normal exit, on failure, and on Ctrl-C / SIGTERM, every child
 * is killed (by its pid) and every temp dir removed. Children are TypeScript
 * run through tsx's loader, and exit by themselves when the parent's IPC
 * channel closes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILDREN = new Set<ChildProcess>();
const TEMP_DIRS = new Set<string>();
let installed = false;

function killAllNow(): void {
  for (const child of CHILDREN) {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  CHILDREN.clear();
  for (const dir of TEMP_DIRS) rmSync(dir, { recursive: true, force: true });
  TEMP_DIRS.clear();
}

/** Installs the exit and signal handlers that clean up (idempotent). */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping children and removing temp dirs\n`);
      killAllNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** A fresh temp dir, removed at exit (or earlier with removeTempDir). */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  TEMP_DIRS.add(dir);
  return dir;
}

/** Removes a temp dir now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  TEMP_DIRS.delete(dir);
}

/** A running child with request/response over IPC. */
export interface BenchChild<Ready> {
  name: string;
  pid: number;
  ready: Ready;
  /** Sends a request; resolves with the child's answer. */
  call<T = unknown>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop, then kills it if it has not exited within 5 s. */
  stop(): Promise<void>;
}

interface Reply {
  id?: number;
  type?: string;
  result?: unknown;
  error?: string;
}

const TSX_LOADER = import.meta.resolve('tsx');

/** Starts `bench/<file>` in a child process with `env` and waits for its `ready` message. */
export async function startChild<Ready>(name: string, file: string, env: Record<string, string>, readyTimeoutMs = 120_000, execArgv: string[] = []): Promise<BenchChild<Ready>> {
  installCleanup();
  const path = fileURLToPath(new URL(file, import.meta.url));
  const child = fork(path, [], {
    execArgv: ['--import', TSX_LOADER, ...execArgv],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  CHILDREN.add(child);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    CHILDREN.delete(child);
    for (const p of pending.values()) p.reject(new Error(`bench: ${name} exited (${signal ?? code})`));
    pending.clear();
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: ${name} did not start within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${name} exited before it was ready (${signal ?? code})`));
    });
    child.on('message', (raw: Reply) => {
      if (raw.type === 'ready') {
        clearTimeout(timer);
        resolve(raw.result as Ready);
      } else if (raw.type === 'fatal') {
        clearTimeout(timer);
        reject(new Error(`bench: ${name} failed: ${raw.error}`));
      } else if (raw.id !== undefined) {
        const p = pending.get(raw.id);
        pending.delete(raw.id);
        if (raw.error !== undefined) p?.reject(new Error(`bench: ${name}: ${raw.error}`));
        else p?.resolve(raw.result);
      }
    });
  });
  const call = <T>(type: string, payload?: unknown, timeoutMs = 60_000) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`bench: ${name} did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send({ id, type, payload });
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ type: 'stop' });
    const killer = setTimeout(() => child.pid && child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return { name, pid: child.pid!, ready, call, stop };
}
