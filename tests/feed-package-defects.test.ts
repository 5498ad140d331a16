/**
 * Why Warta serializes its feeds itself rather than with the `feed` package (6.0.0,
 * the ecosystem's usual generator): each test puts one defect of `feed` next to
 * Warta's output for the same entry being right. A test fails when Warta regresses,
 * or when an upgrade of `feed` fixes the defect: then the decision can be revisited.
 * README, "How it is built".
 */
import { describe, expect, it } from 'vitest';
import { Feed } from 'feed';
import { renderFeed } from '../src/feeds/render/render.js';
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

describe('each defect of feed 6.0.0 behind the decision, next to our output', () => {
  it('JSON Feed: theirs is version 1 with a singular author and no language; ours 1.1 with authors and language', () => {
    const theirs = JSON.parse(withFeedPackage().json1());
    const ours = JSON.parse(renderFeed(makeLapasFeedDocument('json'), [SEED_ENTRY], 'json'));
    expect([theirs.version, theirs.items[0].author, theirs.items[0].authors, theirs.language]).toEqual(['https://jsonfeed.org/version/1', { name: 'Achmad Sarjono' }, undefined, undefined]);
    expect([ours.version, ours.items[0].author, ours.items[0].authors, ours.language]).toEqual([
      'https://jsonfeed.org/version/1.1', undefined, [{ name: 'Achmad Sarjono', url: 'https://warta.example/authors/achmad-sarjono' }], 'id',
    ]);
  });

  it('dates: theirs converts to UTC, losing the publisher\'s +07:00; ours keeps it', () => {
    const pubDate = (rss: string) => /<pubDate>([^<]*)<\/pubDate>/.exec(rss.slice(rss.indexOf('<item>')))?.[1];
    expect(pubDate(withFeedPackage().rss2())).toBe('Mon, 04 Dec 2023 08:14:00 GMT');
    expect(pubDate(renderFeed(makeLapasFeedDocument('rss'), [SEED_ENTRY], 'rss'))).toBe('Mon, 04 Dec 2023 15:14:00 +0700');
  });

  it('RSS author: theirs is a bare name in <author> (RSS wants an e-mail address); ours is dc:creator and no <author>', () => {
    const theirs = withFeedPackage().rss2();
    const ours = renderFeed(makeLapasFeedDocument('rss'), [SEED_ENTRY], 'rss');
    expect(/<author>([^<]*)<\/author>/.exec(theirs)?.[1]?.trim()).toMatch(/^[^@]*Achmad Sarjono[^@]*$/);
    expect([/<dc:creator>([^<]*)<\/dc:creator>/.exec(ours)?.[1], ours.includes('<author>')]).toEqual(['Achmad Sarjono', false]);
  });

  it('Atom language: theirs has no xml:lang; ours says xml:lang="id" on the feed', () => {
    expect(withFeedPackage().atom1()).not.toContain('xml:lang');
    const ours = renderFeed(makeLapasFeedDocument('atom'), [SEED_ENTRY], 'atom');
    assertWellFormedXml(ours);
    expect(/<feed [^>]*xml:lang="([^"]*)"/.exec(ours)?.[1]).toBe('id');
  });
});
