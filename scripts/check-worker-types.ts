/**
 * `npm run check:worker-types [-- --write]`: runs `wrangler types` on
 * wrangler.toml and compares its output with the checked-in
 * src/types/worker-bindings.d.ts (exit 1 when they differ, e.g. a binding
 * was added to wrangler.toml and not to the file); `--write` updates the
 * file. It runs in a temporary copy holding only wrangler.toml, so a local
 * .dev.vars (secrets) never reaches the output. src/types/bindings-check.ts
 * then makes the typecheck fail when src/config.ts misses a binding.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wranglerBin, wranglerEnv } from '../src/server/wrangler-dev.js';

const FILE = 'src/types/worker-bindings.d.ts';
const ARGS = ['types', '--include-runtime=false', '--strict-vars=false', '--env-interface', 'WorkerBindings', FILE];

async function generate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'warta-worker-types-'));
  try {
    mkdirSync(join(dir, 'src', 'types'), { recursive: true });
    copyFileSync('wrangler.toml', join(dir, 'wrangler.toml'));
    // wrangler resolves `main`; the generated file refers to it by relative path only.
    writeFileSync(join(dir, 'src', 'index.ts'), 'export default {};\n');
    const child = spawn(process.execPath, [wranglerBin(process.cwd()), ...ARGS], { cwd: dir, env: wranglerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`scripts: wrangler types failed (${code}):\n${out}`);
    return readFileSync(join(dir, FILE), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const generated = await generate();
  if (process.argv.includes('--write')) {
    writeFileSync(FILE, generated);
    console.log(`check:worker-types: ${FILE} written from wrangler.toml`);
    return 0;
  }
  let current = '';
  try {
    current = readFileSync(FILE, 'utf8');
  } catch {
    // Missing: reported as a difference below.
  }
  if (current === generated) {
    console.log(`check:worker-types: ${FILE} matches \`wrangler ${ARGS.join(' ')}\``);
    return 0;
  }
  console.error(`check:worker-types: ${FILE} differs from what wrangler types generates from wrangler.toml; run \`npm run check:worker-types -- --write\` and declare new bindings in src/config.ts. Generated:\n${generated}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
