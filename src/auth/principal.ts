/** Who is calling: the admin, or a key with its role and institutions. */

/** An authenticated caller. */
export type Principal =
  | { kind: 'admin'; id: 'admin' }
  | { kind: 'key'; id: string; role: 'publisher' | 'reader'; institutions: string[] };

/** May this principal write articles owned by `institution`? */
export function canWriteFor(p: Principal, institution: string): boolean {
  return p.kind === 'admin' || (p.role === 'publisher' && p.institutions.includes(institution));
}

/** May this principal read the partner API (changes, listings, articles)? */
export const canRead = (p: Principal) => p.kind === 'admin' || p.role === 'reader' || p.role === 'publisher';
