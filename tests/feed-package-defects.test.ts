/**
 * Why Warta writes its own serializers: the `feed` package (6.0.0, the
 * ecosystem's usual generator) loses what our readers need. These tests pin
 * each defect in `feed` next to our renderer's correct output, so an upgrade
 * that fixes them shows up here and the choice can be revisited.
 */
import { describe, expect, it } from 'vitest';
import { Feed } from 'feed';
import { renderFeed } from '../src/feeds/render.js';
import { assertWellFormedXml } from './support/feed-validators.js';
import { makeLapasFeedDocument, makeSeedEntry } from './support/feed-fixtures.js';

const SEED_ENTRY = makeSeedEntry();

function withFeedPackage() {
  const f = new Feed({
    id: 'https://warta.example/institutions/lapas-kelas-i-madiun',
    title: 'Lapas Kelas I Madiun',
    copyright: '',
    language: 'id',
    updated: new Date(SEED_ENTRY.updatedAt),
    feedLinks: { json: 'https://warta.example/institutions/lapas-kelas-i-madiun/feed.json' },
  });
  f.addItem({
    title: SEED_ENTRY.title,
    id: SEED_ENTRY.tagUri,
    link: SEED_ENTRY.link,
    date: new Date(SEED_ENTRY.publishedAt),
    author: [{ name: SEED_ENTRY.author.name }],
    content: SEED_ENTRY.contentHtml,
  });
  return f;
}

describe('feed 6.0.0 defects that our serializers avoid', () => {
  it('feed writes JSON Feed version 1 with a singular author; ours is 1.1 with authors and language', () => {
    const theirs = JSON.parse(withFeedPackage().json1());
    expect(theirs.version).toBe('https://jsonfeed.org/version/1');
    expect(theirs.items[0].author).toEqual({ name: 'Achmad Sarjono' });
    expect(theirs.language).toBeUndefined();
    const ours = JSON.parse(renderFeed(makeLapasFeedDocument('json'), [SEED_ENTRY], 'json'));
    expect(ours.version).toBe('https://jsonfeed.org/version/1.1');
    expect(ours.items[0].authors[0].name).toBe('Achmad Sarjono');
    expect(ours.language).toBe('id');
  });

  it('feed converts dates to UTC, losing the +07:00 offset; ours keeps it', () => {
    const rss = withFeedPackage().rss2();
    expect(rss).toContain('<pubDate>Mon, 04 Dec 2023 08:14:00 GMT</pubDate>');
    expect(renderFeed(makeLapasFeedDocument('rss'), [SEED_ENTRY], 'rss')).toContain('<pubDate>Mon, 04 Dec 2023 15:14:00 +0700</pubDate>');
  });

  it('feed puts a bare name in RSS <author>; ours uses dc:creator', () => {
    const rss = withFeedPackage().rss2();
    expect(rss).toMatch(/<author>[^<@]*Achmad Sarjono[^<@]*<\/author>/);
    const ours = renderFeed(makeLapasFeedDocument('rss'), [SEED_ENTRY], 'rss');
    expect(ours).toContain('<dc:creator>Achmad Sarjono</dc:creator>');
    expect(ours).not.toMatch(/<author>[^<@]*<\/author>/);
  });

  it('feed has no xml:lang on Atom; ours has it', () => {
    expect(withFeedPackage().atom1()).not.toContain('xml:lang');
    const atom = renderFeed(makeLapasFeedDocument('atom'), [SEED_ENTRY], 'atom');
    assertWellFormedXml(atom);
    expect(atom).toMatch(/<feed [^>]*xml:lang="id"/);
  });
});
