/** Secrets kept in the data directory, shared by `npm start` and `npm run dev:worker`. Node only. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Reads the secret in `dir/name`, creating it (32 random bytes, base64url,
 * mode 0600) on first use, and `dir` itself (mode 0700) when it is missing:
 * a first start on any store works from an empty or absent data directory.
 */
export function secretFile(dir: string, name: string): string {
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
