/**
 * The Lapas Kelas I Madiun feed page renders to exactly the bytes in tests/golden/, which
 * were reviewed by eye. After an intended change, regenerate them with
 * `UPDATE_GOLDEN=1 npx vitest run tests/feed-render-golden.test.ts`, review the diff, commit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderFeed } from '../src/feeds/render/render.js';
import type { FeedFormat } from '../src/feeds/render/types.js';
import { makeLapasEntries, makeLapasFeedDocument } from './support/feed-fixtures.js';
import { assertValidFeed } from './support/feed-validators.js';

const FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];
const goldenPath = (format: FeedFormat) => fileURLToPath(new URL(`./golden/lapas-feed.${format}`, import.meta.url));

describe('golden feed documents', () => {
  it.each(FORMATS)('%s is byte for byte tests/golden/lapas-feed.%s', async (format) => {
    const rendered = renderFeed(makeLapasFeedDocument(format), makeLapasEntries(), format);
    const path = goldenPath(format);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, rendered, 'utf8');
    if (!existsSync(path)) throw new Error(`${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
    const golden = readFileSync(path);
    expect(rendered).toBe(golden.toString('utf8')); // readable diff first
    expect(Buffer.from(rendered, 'utf8').equals(golden)).toBe(true);
    await assertValidFeed(golden.toString('utf8'), format);
  });
});
