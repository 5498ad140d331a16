/**
 * Feed fixtures: the seed article (kotamadiun.binmas.id, 4 December 2023, WIB) as Warta
 * would serve it in the institution feed of Lapas Kelas I Madiun, a second article with an
 * e-mail author, another language and no image, and that feed's channel metadata.
 * The article text is copied here: tests never read ../shared at run time.
 * Every `make…` function returns fresh objects, so a test may mutate what it gets.
 */
import type { FeedDocument, FeedEntry, FeedFormat, TermRef } from '../../src/feeds/render/types.js';

/** Base URL of the Warta instance the fixtures live on. */
export const BASE_URL = 'https://warta.example';

/** The seed article's body, one string per paragraph, as published. */
export const SEED_PARAGRAPHS: readonly string[] = [
  "KOTA MADIUN - Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi yang erat terkait kehumasan guna meningkatkan kerjasama dan komunikasi antara kedua lembaga.",
  "Dalam pertemuan itu juga dibahas berbagai hal terkait kehumasan, termasuk strategi komunikasi, penyebaran informasi, dan upaya kolaborasi dalam mengedukasi masyarakat tentang tugas dan fungsi Lapas serta peran Polres Madiun Kota dalam menjaga keamanan dan ketertiban Masyarakat (Kamtibmas) di wilayah tersebut.",
  "Kepala Lapas Kelas 1 Madiun, Kadek Anton Budiharta melalui Kabid Pembinaan selaku Ketua Humas Budi Ruswanto menyampaikan pentingnya kerjasama yang baik antara Lapas dan Polres dalam hal kehumasan.",
  "Ia juga menekankan pentingnya transparansi dan akuntabilitas dalam menyampaikan informasi kepada masyarakat.",
  "“Koordinasi ini bertujuan untuk memperkuat sinergitas dalam menyampaikan informasi kepada masyarakat terkait kegiatan dan program yang dilakukan di Lapas Kelas 1 Madiun dan Polres Madiun Kota yang outputnya adalah untuk Kamtibmas,” ujar Budi Ruswanto, Senin (4/12).",
  "Sementara itu, Kapolres Madiun Kota AKBP Agus Dwi Suryanto, SIK., MH. melalui Kasihumas IPTU Supriyanto mengapresiasi upaya Lapas Kelas 1 Madiun dalam memperkuat komunikasi dengan Polres Madiun Kota.",
  "Iptu Supriyanto juga menegaskan komitmen Polres Madiun Kota dalam mendukung kegiatan Lapas dan menjaga keamanan di sekitar wilayah Lapas.",
  "Dalam koordinasi ini, kedua belah pihak sepakat untuk melakukan pertemuan rutin dan saling berbagi informasi terkait kegiatan dan program yang akan dilaksanakan.",
  "Hal ini diharapkan dapat memperkuat hubungan antara Lapas Kelas 1 Madiun dan Polres Madiun Kota serta meningkatkan pemahaman masyarakat tentang peran dan fungsi kedua lembaga tersebut.",
  "“Kami menyamakan persepsi terkait kehumasan dengan pihak Lapas untuk melayani Masyarakat dalam memberikan informasi public agar informasi yang kami sampaikan senantiasa obyektif dan dapat dipercaya,” ujar Iptu Supriyanto kepada media.",
  "Menurut Iptu Supriyanto koordinasi yang baik antara Lapas Kelas 1 Madiun dan Polres Madiun Kota dalam hal kehumasan diharapkan dapat memberikan manfaat positif bagi Masyarakat.",
  "“Harapan kami agar Polres Madiun Kota dan Lapas Kelas I Madiun dapat meningkatkan pemahaman kepada masyarakat tentang sistem peradilan pidana dan memperkuat kepercayaan masyarakat terhadap kedua lembaga ini,” pungkas Iptu Supriyanto. (**)",
];

/** The seed article's title. */
export const SEED_TITLE =
  'Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun Bahas Strategi Komunikasi Untuk Kamtibmas Melalui Fungsi Humas';

/** A term of one of Warta's vocabularies (categories, institutions, tags), with its page URL. */
export function term(vocabulary: 'categories' | 'institutions' | 'tags', slug: string, name: string): TermRef {
  return { slug, name, url: `${BASE_URL}/${vocabulary}/${slug}` };
}

/** The seed article as a FeedEntry: image, no author e-mail, two institutions, two tags. */
export function makeSeedEntry(): FeedEntry {
  const id = '01HGVW5E9Q7R4Y3S8C2X1N6M0K';
  return {
    id,
    tagUri: `tag:warta.example,2023:article:${id}`,
    title: SEED_TITLE,
    summary: SEED_PARAGRAPHS[0] as string,
    contentHtml: SEED_PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n'),
    link: `${BASE_URL}/articles/${id}`,
    author: {
      name: 'Achmad Sarjono',
      slug: 'achmad-sarjono',
      pageUrl: `${BASE_URL}/authors/achmad-sarjono`,
    },
    category: term('categories', 'binmas', 'BINMAS'),
    institutions: [
      term('institutions', 'polres-madiun-kota', 'Polres Madiun Kota'),
      term('institutions', 'lapas-kelas-i-madiun', 'Lapas Kelas I Madiun'),
    ],
    tags: [term('tags', 'kehumasan', 'Kehumasan'), term('tags', 'kamtibmas', 'Kamtibmas')],
    image: {
      url: 'https://kotamadiun.binmas.id/wp-content/uploads/2023/12/humas.jpg',
      type: 'image/jpeg',
      length: 48213,
      alt: 'Pertemuan kehumasan',
      credit: 'Humas Polres Madiun Kota',
      license: 'CC-BY-4.0',
    },
    publishedAt: '2023-12-04T15:14:00+07:00',
    updatedAt: '2023-12-04T16:00:00+07:00',
    language: 'id',
    license: 'CC-BY-4.0',
  };
}

/** An older article of the same institution: author with e-mail and URL, English, no image, `&` in text. */
export function makeSecondEntry(): FeedEntry {
  const id = '01HGN2Q4C8ZK7T5V3B9X6W1R2D';
  return {
    id,
    tagUri: `tag:warta.example,2023:article:${id}`,
    title: 'Lapas Kelas I Madiun Opens Family Visits for the Holidays & Year-End',
    summary: 'Visiting hours run Monday–Saturday, 08:00–14:00 WIB; bring an ID card & the registration number.',
    contentHtml:
      '<p>Visiting hours run Monday&ndash;Saturday, 08:00&ndash;14:00&nbsp;WIB.</p>\n' +
      '<p>Bring an ID card &amp; the registration number you received from <a href="https://lapasmadiun.example/kunjungan?via=warta&amp;lang=en">the visit desk</a>.</p>',
    link: 'https://lapasmadiun.example/news/family-visits-2023',
    author: {
      name: 'Humas Lapas Madiun',
      email: 'humas@lapasmadiun.example',
      url: 'https://lapasmadiun.example/',
      slug: 'humas-lapas-madiun',
      pageUrl: `${BASE_URL}/authors/humas-lapas-madiun`,
    },
    category: term('categories', 'pemasyarakatan', 'Pemasyarakatan'),
    institutions: [term('institutions', 'lapas-kelas-i-madiun', 'Lapas Kelas I Madiun')],
    tags: [term('tags', 'kunjungan-keluarga', 'Kunjungan Keluarga')],
    publishedAt: '2023-12-01T09:30:00+07:00',
    updatedAt: '2023-12-01T09:30:00+07:00',
    language: 'en',
  };
}

/** The entries of the Lapas Kelas I Madiun feed page, newest first. */
export function makeLapasEntries(): FeedEntry[] {
  return [makeSeedEntry(), makeSecondEntry()];
}

/** Where the Lapas Kelas I Madiun feed lives in `format` (query string included). */
export function lapasFeedUrl(format: FeedFormat, query = 'limit=2'): string {
  return `${BASE_URL}/institutions/lapas-kelas-i-madiun/feed.${format}?${query}`;
}

/** Channel metadata of the first page of the Lapas Kelas I Madiun institution feed in `format`. */
export function makeLapasFeedDocument(format: FeedFormat): FeedDocument {
  return {
    id: 'tag:warta.example,2023:feed:institutions:lapas-kelas-i-madiun',
    title: 'Lapas Kelas I Madiun',
    description: 'Berita Lapas Kelas I Madiun, disindikasikan oleh Warta',
    language: 'id',
    homePageUrl: `${BASE_URL}/institutions/lapas-kelas-i-madiun`,
    selfUrl: lapasFeedUrl(format),
    firstUrl: lapasFeedUrl(format),
    nextUrl: lapasFeedUrl(format, 'limit=2&cursor=01HGN2Q4C8ZK7T5V3B9X6W1R2D'),
    hubUrls: [`${BASE_URL}/websub`],
    updated: '2023-12-04T16:00:00+07:00',
    iconUrl: 'https://lapasmadiun.example/ikon-512.png',
    logoUrl: 'https://lapasmadiun.example/logo.png',
    freshness: { ttlMinutes: 1440, period: 'daily', frequency: 1 },
    generator: { name: 'Warta', version: '0.1.0', url: `${BASE_URL}/` },
    rights: '© 2023 Lapas Kelas I Madiun dan kontributor Warta',
  };
}
