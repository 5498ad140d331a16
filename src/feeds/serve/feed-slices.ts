/**
 * The slices of the news Warta serves as feeds and pages: what each is
 * called and whether it exists (its URLs are src/model/feed-address.ts). Categories and institutions exist when
 * their registry entry does; authors and tags exist while they have a public
 * article (their feed state counts one that is not embargoed; the author's
 * display name is kept in it), so an embargoed article reveals neither.
 */
import type { Services } from '../../app-env.js';
import { SLUG_PATTERN, type Category, type Institution } from '../../model/schemas.js';
import { visibleFeedState, type FeedState } from '../../store/feed-state.js';
import { feedKey, pagePathOf, type FeedRef } from '../../model/feed-address.js';
import { cachedRegistryEntries } from './registry-cache.js';

/** What a slice is called and where it lives. */
export interface FeedSlice {
  ref: FeedRef;
  key: string;
  title: string;
  description: string;
  /** Absolute URL of its HTML page. */
  homePageUrl: string;
  category?: Category;
  institution?: Institution;
}

const SYNDICATED = 'disindikasikan oleh Warta';

/** Does a feed without a registry entry have an article the public may see now (embargoed ones do not count)? */
const hasPublicArticle = (s: Services, state: FeedState | null): state is FeedState => state !== null && visibleFeedState(state, s.clock()).count > 0;

/**
 * Describes a slice for feeds and pages, or null when it does not exist
 * (unknown category or institution slug; an author or tag without a public article).
 * Registry lookups are cached (registry-cache.ts).
 */
export async function describeSlice(s: Services, ref: FeedRef, state: FeedState | null): Promise<FeedSlice | null> {
  if (ref.kind !== 'all' && (!SLUG_PATTERN.test(ref.slug) || (ref.kind === 'instcat' && !SLUG_PATTERN.test(ref.category)))) return null;
  const base = { ref, key: feedKey(ref), homePageUrl: `${s.config.baseUrl}${pagePathOf(ref)}` };
  switch (ref.kind) {
    case 'all':
      return { ...base, title: 'Warta: semua berita', description: `Berita terbaru semua lembaga, ${SYNDICATED}` };
    case 'cat': {
      const category = (await cachedRegistryEntries(s, 'category', [ref.slug])).get(ref.slug);
      if (!category) return null;
      return { ...base, category, title: category.name, description: category.description || `Berita kategori ${category.name}, ${SYNDICATED}` };
    }
    case 'inst': {
      const institution = (await cachedRegistryEntries(s, 'institution', [ref.slug])).get(ref.slug);
      if (!institution) return null;
      return { ...base, institution, title: institution.name, description: institution.description || `Berita ${institution.name}, ${SYNDICATED}` };
    }
    case 'instcat': {
      const [institutions, categories] = await Promise.all([
        cachedRegistryEntries(s, 'institution', [ref.slug]),
        cachedRegistryEntries(s, 'category', [ref.category]),
      ]);
      const institution = institutions.get(ref.slug);
      const category = categories.get(ref.category);
      if (!institution || !category) return null;
      return {
        ...base,
        institution,
        category,
        title: `${institution.name}: ${category.name}`,
        description: `Berita ${institution.name} dalam kategori ${category.name}, ${SYNDICATED}`,
      };
    }
    case 'author':
      if (!hasPublicArticle(s, state)) return null;
      return { ...base, title: state.name ?? ref.slug, description: `Tulisan ${state.name ?? ref.slug}, ${SYNDICATED}` };
    case 'tag':
      if (!hasPublicArticle(s, state)) return null;
      return { ...base, title: `#${ref.slug}`, description: `Berita bertopik ${ref.slug}, ${SYNDICATED}` };
  }
}
