/** Secrets kept in the data directory, shared by `npm start` and `npm run dev:worker`. Node only. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Reads the secret in `dir/name`, creating it (32 random bytes, base64url, mode 0600) on first use. */
export function secretFile(dir: string, name: string): string {
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
