/**
 * The registry cache of one process (`services.registryCache`): registry
 * entries (names, descriptions) and whole registry lists, trusted for
 * REGISTRY_TTL_MS (registry writes do not notify listeners). Ages are real
 * time (Date.now()), not the business clock.
 */
import type { Services } from '../../app-env.js';
import type { Category, Institution } from '../../model/schemas.js';
import { getRegistryEntries, listRegistry } from '../../store/registries.js';
import type { RegistryKind } from '../../store/keys.js';

/** How long registry names and lists are trusted (registry writes do not notify listeners). */
export const REGISTRY_TTL_MS = 5_000;

interface Timed<T> {
  value: T;
  atMs: number;
}

/** The registry entries and lists of one process. */
export interface RegistryCache {
  registry: Map<string, Timed<Category | Institution | null>>;
  /** Registry keys (`kind:slug`) being read ahead of their expiry. */
  registryInflight: Set<string>;
  lists: Map<RegistryKind, Timed<(Category | Institution)[]>>;
}

/** An empty registry cache (buildServices makes one per Services). */
export const newRegistryCache = (): RegistryCache => ({ registry: new Map(), registryInflight: new Set(), lists: new Map() });

/** Registry entries older than this are refreshed ahead (one read, in the background) while still served, up to REGISTRY_TTL_MS. */
export const REGISTRY_REFRESH_AHEAD_MS = REGISTRY_TTL_MS - 1_000;

function storeRegistryEntries(caches: RegistryCache, kind: RegistryKind, slugs: string[], read: Map<string, Category | Institution>): void {
  if (caches.registry.size > 10_000) caches.registry.clear();
  const at = Date.now();
  for (const slug of slugs) caches.registry.set(`${kind}:${slug}`, { value: read.get(slug) ?? null, atMs: at });
}

/**
 * Registry entries by slug, from the cache when younger than REGISTRY_TTL_MS (unknown slugs are
 * cached too). Entries past REGISTRY_REFRESH_AHEAD_MS are still served while one background read
 * per slug renews them, so that concurrent requests do not all read the registry when it expires.
 */
export async function cachedRegistryEntries<K extends RegistryKind>(
  s: Services,
  kind: K,
  slugs: Iterable<string>,
): Promise<Map<string, K extends 'category' ? Category : Institution>> {
  type Entry = K extends 'category' ? Category : Institution;
  const caches = s.registryCache;
  const out = new Map<string, Entry>();
  const missing: string[] = [];
  const ahead: string[] = [];
  const now = Date.now();
  for (const slug of new Set(slugs)) {
    const key = `${kind}:${slug}`;
    const hit = caches.registry.get(key);
    if (hit && now - hit.atMs < REGISTRY_TTL_MS) {
      if (hit.value) out.set(slug, hit.value as Entry);
      if (now - hit.atMs >= REGISTRY_REFRESH_AHEAD_MS && !caches.registryInflight.has(key)) ahead.push(slug);
    } else missing.push(slug);
  }
  if (ahead.length) {
    for (const slug of ahead) caches.registryInflight.add(`${kind}:${slug}`);
    void getRegistryEntries(s.db, kind, ahead)
      .then((read) => storeRegistryEntries(caches, kind, ahead, read), () => undefined)
      .finally(() => {
        for (const slug of ahead) caches.registryInflight.delete(`${kind}:${slug}`);
      });
  }
  if (missing.length) {
    const read = await getRegistryEntries(s.db, kind, missing);
    for (const slug of missing) {
      const entry = read.get(slug);
      if (entry) out.set(slug, entry as Entry);
    }
    storeRegistryEntries(caches, kind, missing, read);
  }
  return out;
}

/** Every entry of a registry, cached for REGISTRY_TTL_MS (serves the index page and OPML). */
export async function cachedRegistryList<K extends RegistryKind>(s: Services, kind: K): Promise<(K extends 'category' ? Category : Institution)[]> {
  type Entry = K extends 'category' ? Category : Institution;
  const caches = s.registryCache;
  const hit = caches.lists.get(kind);
  if (hit && Date.now() - hit.atMs < REGISTRY_TTL_MS) return hit.value as Entry[];
  const list = (await listRegistry(s.db, kind)) as Entry[];
  caches.lists.set(kind, { value: list, atMs: Date.now() });
  return list;
}
