/**
 * Request targets of feed pages, parsed once per target string and remembered
 * per process (`services.warmTargets`): a warm request neither parses its URL
 * nor builds its document key again, only appends the state tag when it changed.
 */
import type { Services } from '../../app-env.js';
import { feedKey, isFeedRefusal, matchFeedPath, type FeedMatch } from '../../model/feed-address.js';
import { documentKey } from './feed-page.js';

/** A request target naming a feed page, parsed once and remembered per target string. */
export interface WarmTarget {
  key: string;
  match: FeedMatch;
  /** `documentKey` without the state tag. */
  docKeyPrefix: string;
  /** The last tag seen and its document key (one string built per state change, not per request). */
  tag?: string;
  docKey?: string;
}

/** The warm path's parsed targets of one Services (`services.warmTargets`, built by buildServices). */
export type WarmTargets = Map<string, WarmTarget | null>;

/** Targets remembered per process (parsed or refused); cleared when full, so hostile URLs cannot grow it. */
const MAX_TARGETS = 4_096;

/** The target (path and query) split for matchFeedPath. */
export function splitTarget(target: string): [path: string, query: string] {
  const q = target.indexOf('?');
  return q < 0 ? [target, ''] : [target.slice(0, q), target.slice(q + 1)];
}

/** The warm target of a request target, parsed by the one feed URL grammar; null when it names no feed page. */
export function parseWarmTarget(target: string): WarmTarget | null {
  const match = matchFeedPath(...splitTarget(target));
  if (isFeedRefusal(match)) return null;
  const key = feedKey(match.ref);
  return { key, match, docKeyPrefix: documentKey(key, match.format, match.limit, match.cursor, '') };
}

/** The remembered parse of `target` (parsed on first sight). */
export function warmTarget(s: Services, target: string): WarmTarget | null {
  const targets = s.warmTargets;
  let parsed = targets.get(target);
  if (parsed === undefined) {
    parsed = parseWarmTarget(target);
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(target, parsed);
  }
  return parsed;
}

/** The document key of a target under state `tag`, rebuilt only when the tag changed. */
export function targetDocKey(t: WarmTarget, tag: string): string {
  if (t.tag !== tag) {
    t.tag = tag;
    t.docKey = t.docKeyPrefix + tag;
  }
  return t.docKey!;
}
