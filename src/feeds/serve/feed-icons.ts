/**
 * Which icon and logo a feed shows: an institution's own (registry fields `icon`,
 * square, and `logo`) on its slices, Warta's own on every other slice ("all",
 * categories, tags, authors) and for institutions without one. Pure.
 */
import { WARTA_ICON_PATH } from '../../pages/warta-icons.js';
import type { FeedSlice } from './feed-slices.js';

/** The icon (square) and logo URLs of a slice's feeds. */
export interface FeedIcons {
  iconUrl: string;
  logoUrl: string;
}

/** The icons of `slice`, absolute, falling back to Warta's own at `baseUrl`. */
export function feedIcons(baseUrl: string, slice: Pick<FeedSlice, 'institution'>): FeedIcons {
  const own = `${baseUrl}${WARTA_ICON_PATH}`;
  const inst = slice.institution;
  const iconUrl = inst?.icon ?? inst?.logo ?? own;
  return { iconUrl, logoUrl: inst?.logo ?? iconUrl };
}
