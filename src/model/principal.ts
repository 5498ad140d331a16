/**
 * Who is calling, as a value: the admin, or a key with its role and institutions. A model
 * type so that the Hono environment (app-env.ts) can name it without importing auth/.
 */

/** An authenticated caller. */
export type Principal =
  | { kind: 'admin'; id: 'admin' }
  | { kind: 'key'; id: string; role: 'publisher' | 'reader'; institutions: string[] };
