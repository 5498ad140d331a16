/**
 * The owner of an article defaults to its first institution, and that default is
 * resolved once, by the schema that parses the input: every later step (ownership,
 * author slug, the record) reads `owner` and cannot forget the default.
 */
import { describe, expect, it } from 'vitest';
import { ArticleInputSchema } from '../src/model/schemas.js';
import { smallArticle } from './support/articles.js';

describe('the parsed article input', () => {
  it('has the first institution as owner when the body names none', () => {
    const input = ArticleInputSchema.parse(smallArticle(1, { institutions: ['polres-ponorogo', 'polres-madiun-kota'] }));
    expect(input.owner).toBe('polres-ponorogo');
  });

  it('keeps an owner the body names', () => {
    const input = ArticleInputSchema.parse(smallArticle(1, { institutions: ['polres-ponorogo', 'polres-madiun-kota'], owner: 'polres-madiun-kota' }));
    expect(input.owner).toBe('polres-madiun-kota');
  });

  it('still refuses an owner outside the institutions', () => {
    const parsed = ArticleInputSchema.safeParse(smallArticle(1, { owner: 'polres-ponorogo' }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['owner', 'must be one of institutions']]);
  });
});
