/**
 * `npm run test:dynamodb-local [-- <vitest args>]`: the whole test suite
 * against Amazon's own engine, DynamoDB Local (the jar shipped by the npm
 * package amplify-dynamodb-simulator), instead of dynalite. Starts it with
 * Java on a free port, in memory, sends it only loopback traffic, runs
 * vitest with WARTA_TEST_DYNAMODB_ENDPOINT (tests/support/global-setup.ts
 * uses it and deletes the tables the run made), then stops it.
 * Exit status: vitest's, or 2 when DynamoDB Local cannot be started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runCommand } from './support/run-command.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const say = (msg: string) => console.log(`test:dynamodb-local: ${msg}`);

/** A port free on loopback right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits until DynamoDB Local answers ListTables, or fails after `timeoutMs`. */
async function waitReady(endpoint: string, java: ChildProcess, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (java.exitCode !== null) throw new Error(`scripts: DynamoDB Local exited with status ${java.exitCode} before answering`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`scripts: DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`, { cause: err });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

async function main(): Promise<number> {
  const dir = join(dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const jar = join(dir, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) throw new Error(`scripts: no DynamoDB Local jar at ${jar} (npm install)`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', jar, '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port)];
  // DynamoDB Local writes a metadata file in its working directory even in memory: keep it out of the repository.
  const workDir = mkdtempSync(join(tmpdir(), 'warta-dynamodb-local-'));
  const java = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: workDir });
  java.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
  let javaOutput = '';
  java.stdout!.on('data', (d: Buffer) => (javaOutput += d.toString()));
  java.stderr!.on('data', (d: Buffer) => (javaOutput += d.toString()));
  const spawned = new Promise<void>((resolve, reject) => {
    java.once('spawn', () => resolve());
    java.once('error', (err) => reject(new Error('scripts: could not run java (Java 17 is needed)', { cause: err })));
  });
  const stopJava = () => {
    if (java.exitCode === null) java.kill('SIGTERM');
  };
  process.once('exit', stopJava);
  try {
    await spawned;
    await waitReady(endpoint, java, 60_000);
  } catch (err) {
    stopJava();
    if (javaOutput) console.error(javaOutput.trim());
    throw err;
  }
  const version = /Version:\s*([\d.]+)/.exec(javaOutput)?.[1] ?? 'unknown version';
  say(`DynamoDB Local ${version} (in memory) on ${endpoint}; running the suite against it`);
  const started = Date.now();
  const vitest = spawn(process.execPath, [join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs'), 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, WARTA_TEST_DYNAMODB_ENDPOINT: endpoint },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => vitest.kill(signal));
  const code = await new Promise<number>((resolve) => vitest.once('exit', (c) => resolve(c ?? 1)));
  stopJava();
  await new Promise<void>((resolve) => (java.exitCode !== null ? resolve() : java.once('exit', () => resolve())));
  say(`vitest exited ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s; DynamoDB Local stopped`);
  return code;
}

runCommand(main);
