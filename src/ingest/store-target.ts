/**
 * The import target of the server's own source scheduler and WebSub
 * callback: the store in this process, written through the publishing
 * service as a publisher of the source's institution only (least
 * privilege), with unchanged articles left unwritten. Categories missing
 * from the registry are created from the source's names, since an admin
 * registered the source.
 */
import type { Background, Services } from '../app-env.js';
import type { Principal } from '../auth/principal.js';
import { batchPut } from '../publishing/batch-put.js';
import { getRegistryEntries, listRegistry, putRegistryEntry } from '../store/registries.js';
import type { ImportTarget, WriteResult } from './target.js';

/** A target writing into this process's store for source `sourceId` of `institution`. */
export function storeTarget(s: Services, sourceId: string, institution: string, background: Background): ImportTarget {
  const principal: Principal = { kind: 'key', id: `source:${sourceId}`, role: 'publisher', institutions: [institution] };
  return {
    isAdmin: async () => true,
    categorySlugs: async () => new Set((await listRegistry(s.db, 'category')).map((c) => c.slug)),
    institutionExists: async (slug) => (await getRegistryEntries(s.db, 'institution', [slug])).has(slug),
    createCategory: (slug, name) => putRegistryEntry(s.db, 'category', { slug, name, description: '' }),
    async writeBatch(articles) {
      const results = await batchPut(s, principal, articles.map((input, index) => ({ index, input })), background, { skipUnchanged: true });
      return articles.map((a, i): WriteResult => {
        const r = results.get(i)!;
        if ('problem' in r) return { id: a.id!, outcome: 'failed', reason: `HTTP ${r.status}: ${r.problem.errors?.map((e) => e.reason).join('; ') ?? r.problem.detail}` };
        return { id: a.id!, outcome: r.unchanged ? 'unchanged' : r.status === 201 ? 'created' : 'updated' };
      });
    },
    // Continuous pulls see one page of the source: they never prune.
    listIds: async () => [],
    withdraw: async () => {},
  };
}
