/**
 * `npm start` as a child process (node --import tsx src/node.ts) on a
 * loopback port of its own, with the embedded store persisted under a data
 * directory: started, waited for, SIGKILLed and restarted by the crash and
 * load scripts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { START_NODE_FLAGS } from './start-flags.js';

/** The repository root (where src/node.ts is). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running child server. */
export interface ChildServer {
  url: string;
  pid: number;
  /** Milliseconds from spawn to "warta listening" (includes recovery of interrupted writes). */
  startMs: number;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  /** Log lines the child wrote (JSON where it logs structured). */
  lines: string[];
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<string>;
}

/** Starts the server on a free port with `env` added to this process's environment; rejects after `timeoutMs`. */
export function startChildServer(env: Record<string, string>, timeoutMs = 90_000): Promise<ChildServer> {
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [...START_NODE_FLAGS, '--import', 'tsx', 'src/node.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scripts: the server did not start within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string) => {
      lines.push(line);
      if (lines.length > 2000) lines.splice(0, 1000);
      let entry: { msg?: string; url?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg === 'warta listening' && entry.url) {
        clearTimeout(timer);
        const url = entry.url.replace('0.0.0.0', '127.0.0.1');
        resolve({
          url,
          pid: child.pid!,
          startMs: Date.now() - started,
          exited,
          lines,
          kill: (signal) => void child.kill(signal),
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`scripts: the server exited (${how}) before listening:\n${lines.slice(-20).join('\n')}`));
    });
  });
}
