/**
 * What a Worker must be given before it can serve: checked once per isolate
 * (per set of binding values) at its first request, by src/index.ts. On
 * Node these have defaults or come from the data directory; a Worker has no
 * default AWS credential chain, no data directory and no sensible default
 * origin, so a missing one would otherwise surface as a bare 500 from deep
 * inside the AWS SDK ("Credential is missing") on every request.
 */
import type { Bindings } from './config.js';

/** One binding the Worker lacks: its name, whether it is a secret or a `[vars]` entry, and how to set it. */
export interface MissingBinding {
  name: keyof Bindings;
  kind: 'secret' | 'var';
  /** The command or edit that sets it (never a value). */
  fix: string;
}

const secret = (name: keyof Bindings): MissingBinding => ({ name, kind: 'secret', fix: `npx wrangler secret put ${name}` });
const variable = (name: keyof Bindings): MissingBinding => ({ name, kind: 'var', fix: `set ${name} under [vars] in wrangler.toml, then npx wrangler deploy` });

/**
 * The bindings a Worker needs and lacks, in a fixed order: the admin token
 * and cursor secret; the AWS access key pair unless DYNAMODB_ENDPOINT points
 * at another DynamoDB-compatible store; the region, table and public origin.
 */
export function missingWorkerBindings(env: Bindings): MissingBinding[] {
  const missing: MissingBinding[] = [];
  const unset = (name: keyof Bindings) => !env[name];
  if (unset('WARTA_ADMIN_TOKEN')) missing.push(secret('WARTA_ADMIN_TOKEN'));
  if (unset('WARTA_CURSOR_SECRET')) missing.push(secret('WARTA_CURSOR_SECRET'));
  if (unset('DYNAMODB_ENDPOINT')) {
    if (unset('AWS_ACCESS_KEY_ID')) missing.push(secret('AWS_ACCESS_KEY_ID'));
    if (unset('AWS_SECRET_ACCESS_KEY')) missing.push(secret('AWS_SECRET_ACCESS_KEY'));
  }
  if (unset('AWS_REGION')) missing.push(variable('AWS_REGION'));
  if (unset('WARTA_TABLE')) missing.push(variable('WARTA_TABLE'));
  if (unset('WARTA_BASE_URL')) missing.push(variable('WARTA_BASE_URL'));
  return missing;
}
