/**
 * Running the Worker locally in workerd through `wrangler dev`, with the
 * bindings handed over in a private temporary env file (never on the
 * command line, never in the repository). Used by `npm run dev:worker` and
 * the Worker test. Node only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What to run. */
export interface WranglerDevOptions {
  /** Bindings for the Worker (override wrangler.toml's [vars]); written to a 0600 env file. */
  vars: Record<string, string>;
  /** Port to listen on; 0 lets wrangler pick a free one. */
  port: number;
  /** Directory holding wrangler.toml; default the current directory. */
  cwd?: string;
  /** Another configuration file instead of `<cwd>/wrangler.toml` (tests that leave a binding out). */
  config?: string;
  /** Serve this prebuilt bundle (from buildWorker) with `--no-bundle` instead of bundling main from source and watching it. */
  script?: string;
  /** More `wrangler dev` arguments (e.g. `--test-scheduled`, `--persist-to`). */
  args?: string[];
  /** Copy wrangler's output to this process's stdout/stderr. */
  echo?: boolean;
  /** Extra environment for wrangler (e.g. WRANGLER_LOG_PATH, WRANGLER_REGISTRY_PATH to keep a test's files to itself). */
  env?: Record<string, string>;
  /** How long to wait for "Ready on"; default 60 s. */
  readyTimeoutMs?: number;
}

/** A running `wrangler dev`. */
export interface WranglerDev {
  url: string;
  /** The wrangler process (its own process group, holding workerd). */
  child: ChildProcess;
  /** Everything wrangler printed so far. */
  output(): string;
  /** Resolves with the exit code when wrangler has exited. */
  exited: Promise<number | null>;
  /** Stops wrangler and workerd (SIGTERM to the group, SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * Serializes bindings as the env file wrangler reads (dotenv, then
 * dotenv-expand): single-quoted values are taken literally, and `$` is
 * escaped so no value is expanded. Refuses what that format cannot carry.
 */
export function toEnvFile(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`wrangler-dev: invalid binding name "${k}"`);
      if (/['\r\n]/.test(v)) throw new Error(`wrangler-dev: the value of ${k} contains a quote or a line break, which an env file cannot carry`);
      return `${k}='${v.replace(/\$/g, '\\$')}'\n`;
    })
    .join('');
}

/** The environment wrangler runs in: non-interactive, no telemetry, no update check, no fetch of cf data. */
export function wranglerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    // The bindings come from our env file only: never from process.env.
    CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: 'true',
    CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/** The wrangler CLI script of the project in `cwd`. */
export const wranglerBin = (cwd: string) => join(dirname(createRequire(join(cwd, 'package.json')).resolve('wrangler/package.json')), 'bin', 'wrangler.js');

/**
 * Bundles the Worker as `wrangler deploy` would (`--dry-run`, no account
 * needed) into `outdir`; `entry` replaces wrangler.toml's main. Returns the
 * bundle's path.
 */
export async function buildWorker(options: { outdir: string; cwd?: string; entry?: string; minify?: boolean; env?: Record<string, string> }): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const args = [wranglerBin(cwd), 'deploy', ...(options.entry ? [options.entry] : []), '--config', join(cwd, 'wrangler.toml'), '--dry-run', '--outdir', options.outdir, ...(options.minify ? ['--minify'] : [])];
  const child = spawn(process.execPath, args, { cwd, env: { ...wranglerEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`wrangler-dev: wrangler deploy --dry-run failed (${code}):\n${out}`);
  const scripts = readdirSync(options.outdir).filter((f) => f.endsWith('.js'));
  if (scripts.length !== 1) throw new Error(`wrangler-dev: expected one script in ${options.outdir}, found ${scripts.join(', ') || 'none'}`);
  return join(options.outdir, scripts[0]!);
}

/** Starts `wrangler dev` and resolves once it has printed "Ready on" and answers HTTP. */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const cwd = options.cwd ?? process.cwd();
  const bin = wranglerBin(cwd);
  const dir = mkdtempSync(join(tmpdir(), 'warta-wrangler-'));
  const envFile = join(dir, 'worker.env');
  writeFileSync(envFile, toEnvFile(options.vars), { mode: 0o600 });

  const args = [bin, 'dev', ...(options.script ? [options.script, '--no-bundle'] : []), '--config', options.config ?? join(cwd, 'wrangler.toml'), '--ip', '127.0.0.1', '--port', String(options.port), '--inspector-port', '0', '--env-file', envFile, '--show-interactive-dev-session=false', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { cwd, env: { ...wranglerEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const onData = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (options.echo) stream.write(chunk);
  };
  child.stdout!.on('data', onData(process.stdout));
  child.stderr!.on('data', onData(process.stderr));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // If this process ends without stop(), take wrangler and workerd with it.
  const killOnExit = () => {
    signalGroup('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // workerd may outlive wrangler; make sure the whole group is gone.
    signalGroup('SIGKILL');
    process.removeListener('exit', killOnExit);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let url: string | undefined;
  try {
    while (!url) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler exited (${child.exitCode ?? child.signalCode}) before it was ready`);
      if (Date.now() > deadline) throw new Error('not ready in time');
      url = /Ready on (http:\/\/[^\s]+)/.exec(out)?.[1]?.replace(/\/+$/, '');
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    // "Ready on" is printed as the socket opens; make sure the Worker answers.
    for (;;) {
      try {
        await (await fetch(`${url}/api/openapi.json`)).arrayBuffer();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error('not answering in time', { cause: err });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw new Error(`wrangler-dev: ${(err as Error).message}; output:\n${out}`, { cause: err });
  }
  return { url, child, output: () => out, exited, stop };
}
