/**
 * Preview: an unsaved article rendered by the real renderers — the HTML
 * article page and the item of the owner's RSS, Atom and JSON feeds —
 * from the record publishing would store (sanitized, derived summary).
 */
import type { Services } from '../app-env.js';
import { buildFeedDocument, namesFor, toFeedEntry } from '../feeds/serve/feed-entries.js';
import { describeSlice } from '../feeds/serve/feed-slices.js';
import { feedPathOf } from '../model/feed-address.js';
import { renderFeed } from '../feeds/render/render.js';
import type { ArticleInput } from '../model/schemas.js';
import { renderArticlePage } from '../pages/article-page.js';
import { buildRecord } from '../publishing/article-service.js';

/** The four renderings of a preview. */
export interface Preview {
  html: string;
  rss: string;
  atom: string;
  json: string;
}

const between = (doc: string, open: string, close: string) => {
  const start = doc.indexOf(open);
  const end = doc.lastIndexOf(close);
  return start >= 0 && end > start ? doc.slice(start, end + close.length) : '';
};

/** Renders `input` (already validated, references checked) as article `id` would appear if written now. */
export async function renderPreview(s: Services, input: ArticleInput, id: string): Promise<Preview> {
  const nowMs = s.clock();
  const record = buildRecord(input, id, null, nowMs);
  const names = await namesFor(s, [record]);
  const ref = { kind: 'inst' as const, slug: record.owner };
  const slice = await describeSlice(s, ref, null);
  const entry = toFeedEntry(s.config, record, names);
  const feed = (format: 'rss' | 'atom' | 'json') => {
    const url = `${s.config.baseUrl}${feedPathOf(ref, format)}`;
    const doc = buildFeedDocument(s.config, slice!, { selfUrl: url, firstUrl: url }, nowMs, record);
    return renderFeed(doc, [entry], format);
  };
  const json = JSON.parse(feed('json')) as { items: unknown[] };
  return {
    html: renderArticlePage(s.config, record, names).value,
    rss: between(feed('rss'), '<item>', '</item>'),
    atom: between(feed('atom'), '<entry>', '</entry>'),
    json: JSON.stringify(json.items[0], null, 2),
  };
}
