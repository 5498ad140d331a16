/**
 * Request and response schemas of the publishing API. The same zod schemas
 * validate requests and generate /api/openapi.json, so the two cannot drift.
 */
import { z } from '@hono/zod-openapi';
import { parseRfc3339 } from './time.js';
import { isSafeContentUrl } from './sanitize.js';
import { inwardUrlReason } from './html-urls.js';
import { SPDX_ID_PATTERN } from './license.js';
import { normalizeSpace, stripXmlForbidden } from './text.js';

/** URL-safe lowercase slug: `lapas-kelas-i-madiun`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens (e.g. "polres-madiun-kota")')
  .openapi({ example: 'binmas' });

/** Client-chosen article ids: letters, digits, `.`, `_`, `-`; 1–128 characters. */
export const ARTICLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ArticleId = z
  .string()
  .regex(ARTICLE_ID_PATTERN, 'must be 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .openapi({ example: '01HGVW5E9Q7R4Y3S8C2X1N6M0K' });

/**
 * An absolute http(s) URL without credentials, on a public host: a URL naming localhost,
 * loopback, a private, link-local or metadata address by literal is refused, so no partner
 * that follows it (to re-host an image, say) is sent into its own network.
 */
export const WebUrl = z
  .string()
  .max(2048)
  .superRefine((v, ctx) => {
    if (v !== v.trim() || !isSafeContentUrl(v, false)) {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL without credentials' });
      return;
    }
    const inward = inwardUrlReason(v);
    if (inward) ctx.addIssue({ code: 'custom', message: `must name a public host: its host ${inward}` });
  })
  .openapi({ example: 'https://kotamadiun.binmas.id/' });

/** RFC 3339 date-time with an explicit offset; the offset is kept. */
export const OffsetDateTime = z
  .string()
  .max(40)
  // Feeds carry the date as written: Atom's xsd:dateTime has no year 0000 and no offset past ±14:00.
  .refine((v) => {
    const t = parseRfc3339(v);
    return t !== null && !v.startsWith('0000') && Math.abs(t.offsetMinutes) <= 14 * 60;
  }, 'must be an RFC 3339 date-time with an offset, e.g. 2023-12-04T15:14:00+07:00')
  .openapi({ example: '2023-12-04T15:14:00+07:00' });

// Characters XML forbids are stripped before storing: a value made only of them (or of spaces) would be stored empty.
const PlainText = (max: number) =>
  z.string().trim().min(1).max(max).refine((v) => v === '' || normalizeSpace(stripXmlForbidden(v)) !== '', 'must contain visible text');

/** Upper bound of contentHtml, in characters (stored in chunks past DynamoDB's 400 KB item limit). */
export const MAX_CONTENT_CHARS = 2_000_000;

export const AuthorSchema = z
  .object({
    name: PlainText(200),
    email: z.email().max(254).optional(),
    url: WebUrl.optional(),
  })
  .strict()
  .openapi('Author');

/** A licence: an SPDX identifier such as `CC-BY-4.0` or the http(s) URL of the licence text. */
export const License = z
  .string()
  .max(2048)
  .superRefine((v, ctx) => {
    if (/^https?:\/\//i.test(v)) {
      const url = WebUrl.safeParse(v);
      if (!url.success) ctx.addIssue({ code: 'custom', message: url.error.issues[0]?.message ?? 'must be an http(s) URL' });
    } else if (!SPDX_ID_PATTERN.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'must be an SPDX licence id such as "CC-BY-4.0" or an http(s) URL' });
    }
  })
  .openapi({ example: 'CC-BY-4.0' });

export const ImageSchema = z
  .object({
    url: WebUrl,
    type: z
      .string()
      .regex(/^image\/[a-z0-9.+-]+$/, 'must be an image MIME type such as image/jpeg')
      .openapi({ example: 'image/jpeg' }),
    length: z.number().int().positive().max(1_000_000_000).optional(),
    alt: z.string().max(500).optional(),
    /** What the picture shows, as printed under it. */
    caption: z.string().trim().max(1000).optional(),
    /** Who made it: photographer or agency ("Humas Polres Madiun Kota"). */
    credit: z.string().trim().max(300).optional(),
    /** Its own licence, when it differs from the article's. */
    license: License.optional(),
  })
  .strict()
  .openapi('Image');

/** What a newsroom sends to publish or replace an article. */
export const ArticleInputSchema = z
  .object({
    id: ArticleId.optional(),
    title: PlainText(500),
    summary: z.string().trim().max(2000).optional(),
    contentHtml: z.string().min(1).max(MAX_CONTENT_CHARS),
    url: WebUrl.optional(),
    author: AuthorSchema,
    category: Slug,
    tags: z.array(Slug).max(20).default([]),
    institutions: z.array(Slug).min(1).max(20),
    owner: Slug.optional(),
    publishedAt: OffsetDateTime,
    image: ImageSchema.optional(),
    /** Several images, the first being the lead (instead of `image`). */
    images: z.array(ImageSchema).min(1).max(20).optional(),
    /** This article's licence, overriding its owner institution's default. */
    license: License.optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "id" or "en"')
      .default('id'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.image && a.images) {
      ctx.addIssue({ code: 'custom', path: ['images'], message: 'give either image or images (whose first is the lead), not both' });
    }
    if (a.owner && !a.institutions.includes(a.owner)) {
      ctx.addIssue({ code: 'custom', path: ['owner'], message: 'must be one of institutions' });
    }
    if (new Set(a.institutions).size !== a.institutions.length) {
      ctx.addIssue({ code: 'custom', path: ['institutions'], message: 'must not repeat an institution' });
    }
  })
  // The owner defaults to the first institution here, once: no later code can forget it.
  .transform((a) => ({ ...a, owner: a.owner === undefined ? a.institutions[0]! : a.owner }))
  .openapi('ArticleInput');
/** An article input as parsed: defaults applied, `owner` always set. */
export type ArticleInput = z.output<typeof ArticleInputSchema>;
/** An article input as a client sends it (owner, tags and language may be left out). */
export type ArticleInputBody = z.input<typeof ArticleInputSchema>;

/** An article as the API returns it. */
export const ArticleSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    summary: z.string(),
    contentHtml: z.string(),
    url: z.string().optional(),
    author: AuthorSchema,
    category: z.string(),
    tags: z.array(z.string()),
    institutions: z.array(z.string()),
    owner: z.string(),
    publishedAt: z.string(),
    updatedAt: z.string(),
    image: ImageSchema.optional(),
    images: z.array(ImageSchema).optional(),
    license: z.string().optional(),
    language: z.string(),
    version: z.number().int(),
  })
  .openapi('Article');
export type Article = z.infer<typeof ArticleSchema>;

export const CategoryInputSchema = z
  .object({
    name: PlainText(200),
    description: z.string().trim().max(2000).default(''),
  })
  .strict()
  .openapi('CategoryInput');
export type CategoryInput = z.infer<typeof CategoryInputSchema>;

export const CategorySchema = CategoryInputSchema.extend({ slug: z.string() }).openapi('Category');
export type Category = z.infer<typeof CategorySchema>;

export const InstitutionInputSchema = z
  .object({
    name: PlainText(200),
    description: z.string().trim().max(2000).default(''),
    kind: PlainText(100).openapi({ example: 'Lapas' }),
    region: PlainText(200).openapi({ example: 'Kota Madiun, Jawa Timur' }),
    homepage: WebUrl.optional(),
    /** The licence of this institution's articles unless an article says otherwise. */
    license: License.optional(),
    /** A square icon (PNG, JPEG or GIF; 512×512 is best): RSS image, Atom icon, JSON Feed icon and favicon. */
    icon: WebUrl.optional(),
    /** A logo (wider than tall is fine): Atom logo, the publisher logo of article pages. */
    logo: WebUrl.optional(),
  })
  .strict()
  .openapi('InstitutionInput');
export type InstitutionInput = z.infer<typeof InstitutionInputSchema>;

export const InstitutionSchema = InstitutionInputSchema.extend({ slug: z.string() }).openapi('Institution');
export type Institution = z.infer<typeof InstitutionSchema>;

export const KeyInputSchema = z
  .object({
    role: z.enum(['publisher', 'reader']),
    institutions: z.array(Slug).max(50).default([]),
    label: z.string().trim().min(1).max(200),
  })
  .strict()
  .superRefine((k, ctx) => {
    if (k.role === 'publisher' && k.institutions.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['institutions'], message: 'a publisher key needs at least one institution' });
    }
  })
  .openapi('KeyInput');
export type KeyInput = z.infer<typeof KeyInputSchema>;

export const KeySchema = z
  .object({
    id: z.string(),
    role: z.enum(['publisher', 'reader']),
    institutions: z.array(z.string()),
    label: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .openapi('Key');
export type ApiKey = z.infer<typeof KeySchema>;

/** RFC 9457 problem document, with Warta's `errors` list of field + reason. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  })
  .openapi('Problem');
