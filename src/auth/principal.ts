/** What a caller may do: the admin, or a key with its role and institutions (the type lives in model/principal.ts). */
import type { Principal } from '../model/principal.js';

export type { Principal } from '../model/principal.js';

/** May this principal write articles owned by `institution`? */
export function canWriteFor(p: Principal, institution: string): boolean {
  return p.kind === 'admin' || (p.role === 'publisher' && p.institutions.includes(institution));
}

/** May this principal read the partner API (changes, listings, articles)? */
export const canRead = (p: Principal) => p.kind === 'admin' || p.role === 'reader' || p.role === 'publisher';
