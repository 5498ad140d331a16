/**
 * The OPML subscription list of every feed: everything, each category, each
 * institution, and each institution × category that has articles, in all
 * three formats. `dateCreated` is the newest change of the whole news (the
 * `all` feed's visible lastModified), never the request time.
 */
import type { Services } from '../app-env.js';
import { formatRfc3339 } from '../model/time.js';
import { visibleFeedState } from '../store/feed-state.js';
import { feedKey, type FeedRef } from '../store/keys.js';
import { cachedFeedStates, cachedRegistryList } from './feed-cache.js';
import { FALLBACK_OFFSET_MINUTES } from './feed-entries.js';
import { FEED_FORMATS, FORMAT_LABELS, feedPathOf, pagePathOf } from './feed-slices.js';
import { renderOpml, type OpmlOutline } from './opml.js';

/** Institution × category pairs looked up for the list at most (one BatchGetItem per 100). */
export const MAX_OPML_PAIRS = 400;

/** Builds the OPML document of every feed. */
export async function buildFeedsOpml(s: Services): Promise<string> {
  const base = s.config.baseUrl;
  const [categories, institutions] = await Promise.all([cachedRegistryList(s, 'category'), cachedRegistryList(s, 'institution')]);
  const pairs = categories.length * institutions.length <= MAX_OPML_PAIRS
    ? institutions.flatMap((i) => categories.map((c) => ({ i, c, ref: { kind: 'instcat', slug: i.slug, category: c.slug } as FeedRef })))
    : [];
  const states = await cachedFeedStates(s, ['all', ...pairs.map((p) => feedKey(p.ref))]);
  const nowMs = s.clock();
  const outlines: OpmlOutline[] = [];
  const add = (ref: FeedRef, title: string, group: string | undefined, description?: string) => {
    for (const format of FEED_FORMATS) {
      outlines.push({
        title: `${title} (${FORMAT_LABELS[format]})`,
        htmlUrl: `${base}${pagePathOf(ref)}`,
        xmlUrl: `${base}${feedPathOf(ref, format)}`,
        type: format,
        ...(group !== undefined ? { category: group } : {}),
        ...(description ? { description } : {}),
      });
    }
  };
  add({ kind: 'all' }, 'Warta: semua berita', undefined);
  for (const c of categories) add({ kind: 'cat', slug: c.slug }, c.name, 'Kategori', c.description);
  for (const i of institutions) add({ kind: 'inst', slug: i.slug }, i.name, 'Lembaga', i.description);
  for (const p of pairs) {
    if (visibleFeedState(states.get(feedKey(p.ref)) ?? null, nowMs).count > 0) add(p.ref, `${p.i.name}: ${p.c.name}`, p.i.name);
  }
  const all = visibleFeedState(states.get('all') ?? null, nowMs);
  return renderOpml({ title: 'Warta: semua umpan', ownerName: 'Warta', dateCreated: formatRfc3339(all.lastModifiedMs, FALLBACK_OFFSET_MINUTES) }, outlines);
}
