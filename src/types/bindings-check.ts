/**
 * Type-level check: every binding wrangler.toml declares (as `wrangler types`
 * writes them to worker-bindings.d.ts, kept current by
 * `npm run check:worker-types`) is a field of Bindings in src/config.ts
 * (strings) or of WorkerEnv in src/index.ts (platform objects such as the Queue).
 * `npm run typecheck` fails here otherwise, naming the missing binding.
 */
import type { WorkerEnv } from '../index.js';

type Expect<T extends true> = T;
/** Bindings of wrangler.toml that src/config.ts does not declare (must be never). */
export type UndeclaredBindings = Exclude<keyof WorkerBindings, keyof WorkerEnv>;
/** Compiles only while UndeclaredBindings is empty. */
export type BindingsDeclared = Expect<[UndeclaredBindings] extends [never] ? true : { undeclaredBindings: UndeclaredBindings }>;
