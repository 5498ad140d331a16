/**
 * Article records and their rendered feed items, per article version, kept
 * in `services.itemCache` (one per process or isolate). A version never changes
 * once written, so nothing here is invalidated: a new version is a new key,
 * and feed entries name the version they were written for. A cold feed page
 * then costs one Query, plus a BatchGetItem only for the records not held,
 * and renders only the items not already rendered in its format. Bounded by
 * count and bytes, least recently used out first.
 */
import type { Config } from '../../config.js';
import type { ArticleRecord } from '../../store/article-record.js';
import type { RecordSource } from '../../store/articles.js';

/** Bounds: about 1,300 articles of 2–5 KB of Latin-1 text with an item in each format (half as many in other scripts). */
export const ITEM_CACHE_MAX_ENTRIES = 4_096;
export const ITEM_CACHE_MAX_BYTES = 24 * 1024 * 1024;

/** Bytes V8 keeps a string in: one per character when every character fits Latin-1 (most Indonesian news), two otherwise. */
const stringBytes = (text: string) => (/[^\x00-\xff]/.test(text) ? 2 : 1) * text.length;

interface Held {
  record: ArticleRecord;
  /** Rendered items by `format|variant` (variant: what else the text depends on, e.g. registry names). */
  items: Map<string, string>;
  bytes: number;
}

/** A bounded LRU of records and rendered items by article id and version. */
export class ItemCache implements RecordSource {
  private readonly map = new Map<string, Held>();
  private bytes = 0;
  constructor(
    private readonly maxEntries = ITEM_CACHE_MAX_ENTRIES,
    private readonly maxBytes = ITEM_CACHE_MAX_BYTES,
  ) {}

  /** The record of `id` at `version`, if held. */
  get(id: string, version: number): ArticleRecord | undefined {
    return this.touch(`${id}#${version}`)?.record;
  }

  /** Holds a record (tombstones are not worth holding: no feed shows them). */
  put(record: ArticleRecord): void {
    if (record.deleted) return;
    const key = `${record.id}#${record.version}`;
    if (this.map.has(key)) return;
    const bytes = stringBytes(record.contentHtml) + stringBytes(record.summary) + stringBytes(record.title) + 1024;
    this.map.set(key, { record, items: new Map(), bytes });
    this.grow(bytes);
  }

  /** The rendered item of `record` under `variant`, made by `make` once per version and variant. */
  item(record: ArticleRecord, variant: string, make: () => string): string {
    const held = this.touch(`${record.id}#${record.version}`);
    if (!held) return make();
    let text = held.items.get(variant);
    if (text === undefined) {
      text = make();
      held.items.set(variant, text);
      const bytes = stringBytes(text);
      held.bytes += bytes;
      this.grow(bytes);
    }
    return text;
  }

  /** Number of versions held. */
  get size(): number {
    return this.map.size;
  }

  private touch(key: string): Held | undefined {
    const held = this.map.get(key);
    if (held) {
      this.map.delete(key);
      this.map.set(key, held);
    }
    return held;
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    for (const [k, v] of this.map) {
      if (this.map.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.bytes;
    }
  }
}

/** The item cache of a Services built for `config`, or undefined when WARTA_FEED_CACHE=0 turns it off. */
export const newItemCache = (config: Pick<Config, 'itemCache'>): ItemCache | undefined => (config.itemCache ? new ItemCache() : undefined);
