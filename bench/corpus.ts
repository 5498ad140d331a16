/**
 * The deterministic benchmark corpus: article `i` is a pure function of
 * (SEED, i), so any slice can be generated on its own, the same on every
 * machine. Articles are 2–5 KB of Indonesian-like HTML over 5 categories,
 * 30 institutions, 50 authors and 40 tags, published over three years in
 * WIB, WITA and WIT (+07:00, +08:00, +09:00).
 */
import type { ArticleInput } from '../src/model/schemas.js';
import { createRng, mixSeed, type Rng } from './prng.js';
import {
  AUTHORS, CATEGORIES, GOALS, INSTITUTIONS, OBJECTS, OFFICIALS, PLACES, QUOTE_VERBS, SUBJECTS, TAGS, TIMES, TITLE_OBJECTS,
  TITLE_TAILS, TITLE_VERBS, VERBS, type CorpusInstitution,
} from './vocabulary.js';

export { CATEGORIES, INSTITUTIONS } from './vocabulary.js';

/** The seed of the corpus. */
export const SEED = 20_240_501;
/** Publication times fall in the three years before this instant (2026-06-30T23:59:59Z). */
export const CORPUS_END_MS = Date.UTC(2026, 5, 30, 23, 59, 59);
export const CORPUS_SPAN_MS = 3 * 365 * 86_400_000;
/** Bounds of the HTML body, in bytes (UTF-8; the corpus is ASCII). */
export const MIN_BODY_BYTES = 2_000;
export const MAX_BODY_BYTES = 5_000;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id from a time and the generator (deterministic, unlike ulid()). */
export function corpusId(ms: number, rng: Rng): string {
  let time = '';
  for (let t = ms, k = 0; k < 10; k++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let rand = '';
  for (let k = 0; k < 16; k++) rand += CROCKFORD[rng.int(0, 31)];
  return time + rand;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 3339 with the given offset, e.g. 2024-03-05T08:30:00+07:00. */
export function localTime(ms: number, offset: CorpusInstitution['offset']): string {
  const d = new Date(ms + Number(offset.slice(1, 3)) * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offset}`;
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** "Kapolres Polres Ngawi", "Kepala Lapas Kelas I Madiun" (the kind is not repeated). */
function official(rng: Rng, inst: CorpusInstitution): string {
  const role = rng.pick(OFFICIALS[inst.kind]!);
  return role === 'Kepala' ? `Kepala ${inst.name}` : `${role} ${inst.name}`;
}

function sentence(rng: Rng, inst: CorpusInstitution, author: string): string {
  switch (rng.int(0, 4)) {
    case 0:
      return `"Kami berharap ${rng.pick(GOALS)}," ${rng.pick(QUOTE_VERBS)} ${official(rng, inst)}.`;
    case 1:
      return `Kegiatan ini merupakan bagian dari upaya agar ${rng.pick(GOALS)}.`;
    case 2:
      return `Selain itu, ${rng.pick(SUBJECTS)} juga ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(PLACES)}.`;
    case 3:
      return `Menurut ${author}, ${rng.pick(OBJECTS)} ${rng.pick(TIMES)} berjalan lancar dan diikuti ${rng.int(12, 480)} peserta.`;
    default:
      return `${capitalize(official(rng, inst))} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(PLACES)} ${rng.pick(TIMES)}.`;
  }
}

function paragraph(rng: Rng, inst: CorpusInstitution, author: string): string {
  const text = Array.from({ length: rng.int(2, 4) }, () => sentence(rng, inst, author)).join(' ');
  switch (rng.int(0, 9)) {
    case 0:
      return `<blockquote><p>${text}</p></blockquote>`;
    case 1:
      return `<ul><li>${rng.pick(OBJECTS)}</li><li>${rng.pick(OBJECTS)}</li><li>${rng.pick(OBJECTS)}</li></ul><p>${text}</p>`;
    case 2:
      return `<p><strong>${capitalize(rng.pick(OBJECTS))}.</strong> ${text}</p>`;
    case 3:
      return `<p>${text} Informasi lengkap tersedia di <a href="${inst.homepage}">laman resmi ${inst.name}</a>.</p>`;
    default:
      return `<p>${text}</p>`;
  }
}

function body(rng: Rng, inst: CorpusInstitution, author: string): string {
  const target = rng.int(MIN_BODY_BYTES, MAX_BODY_BYTES - 400);
  const lead = `${official(rng, inst)} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(PLACES)} ${rng.pick(TIMES)}.`;
  let html = `<p>${inst.dateline} - ${capitalize(lead)} ${sentence(rng, inst, author)}</p>`;
  while (html.length < target) {
    const next = paragraph(rng, inst, author);
    if (html.length + next.length > MAX_BODY_BYTES && html.length >= MIN_BODY_BYTES) break;
    html += next;
  }
  return html;
}

/** Article `i` of the corpus (deterministic). */
export function corpusArticle(i: number): ArticleInput & { id: string } {
  const rng = createRng(mixSeed(SEED, i));
  const ownerIndex = rng.int(0, INSTITUTIONS.length - 1);
  const owner = INSTITUTIONS[ownerIndex]!;
  const others = rng.sample(INSTITUTIONS.filter((x) => x !== owner), rng.int(0, 2));
  // Authors write for one institution each: author j belongs to institution j mod 30.
  const candidates = AUTHORS.filter((_, j) => j % INSTITUTIONS.length === ownerIndex);
  const author = rng.pick(candidates);
  const publishedMs = CORPUS_END_MS - rng.int(0, CORPUS_SPAN_MS / 1000) * 1000;
  const id = corpusId(publishedMs, rng);
  const title = `${owner.name} ${rng.pick(TITLE_VERBS)} ${rng.pick(TITLE_OBJECTS)} ${rng.pick(TITLE_TAILS)}`.trim();
  const article: ArticleInput & { id: string } = {
    id,
    title,
    contentHtml: body(rng, owner, author),
    author: { name: author, ...(rng.chance(0.3) ? { email: `${author.toLowerCase().replace(/ /g, '.')}@${owner.slug}.go.id` } : {}) },
    category: rng.pick(CATEGORIES).slug,
    tags: rng.sample(TAGS, rng.int(0, 3)),
    institutions: [owner.slug, ...others.map((o) => o.slug)],
    owner: owner.slug,
    publishedAt: localTime(publishedMs, owner.offset),
    language: 'id',
  };
  if (rng.chance(0.5)) article.url = `${owner.homepage}berita/${id.toLowerCase()}`;
  if (rng.chance(0.4)) {
    article.image = { url: `https://cdn.${owner.slug}.go.id/foto/${id.toLowerCase()}.jpg`, type: 'image/jpeg', length: rng.int(40_000, 900_000), alt: title };
  }
  return article;
}

/** Articles `from` … `from + count - 1`. */
export const corpusSlice = (from: number, count: number) => Array.from({ length: count }, (_, k) => corpusArticle(from + k));

/** The same article without its id (the server then mints one), for the publishing case. */
export function withoutId(a: ArticleInput & { id: string }): ArticleInput {
  const { id: _id, ...rest } = a;
  return rest;
}

/** The category the feed cases read (the first one). */
export const BENCH_CATEGORY = CATEGORIES[0]!.slug;
