/**
 * The real article Warta was designed around (kotamadiun.binmas.id,
 * 4 December 2023, 15:14 WIB): category BINMAS, two institutions, one author.
 * Used by the demo set and by the README's curl example (docs/seed-article.json).
 */
import type { ArticleInputBody } from '../model/schemas.js';

/** The seed article as the publishing API takes it. */
export const SEED_ARTICLE: ArticleInputBody & { tags: string[]; language: string } = {
  "title": "Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun Bahas Strategi Komunikasi Untuk Kamtibmas Melalui Fungsi Humas",
  "contentHtml": "<p>KOTA MADIUN - Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi yang erat terkait kehumasan guna meningkatkan kerjasama dan komunikasi antara kedua lembaga.</p><p>Dalam pertemuan itu juga dibahas berbagai hal terkait kehumasan, termasuk strategi komunikasi, penyebaran informasi, dan upaya kolaborasi dalam mengedukasi masyarakat tentang tugas dan fungsi Lapas serta peran Polres Madiun Kota dalam menjaga keamanan dan ketertiban Masyarakat (Kamtibmas) di wilayah tersebut.</p><p>Kepala Lapas Kelas 1 Madiun, Kadek Anton Budiharta melalui Kabid Pembinaan selaku Ketua Humas Budi Ruswanto menyampaikan pentingnya kerjasama yang baik antara Lapas dan Polres dalam hal kehumasan.</p><p>Ia juga menekankan pentingnya transparansi dan akuntabilitas dalam menyampaikan informasi kepada masyarakat.</p><p>“Koordinasi ini bertujuan untuk memperkuat sinergitas dalam menyampaikan informasi kepada masyarakat terkait kegiatan dan program yang dilakukan di Lapas Kelas 1 Madiun dan Polres Madiun Kota yang outputnya adalah untuk Kamtibmas,” ujar Budi Ruswanto, Senin (4/12).</p><p>Sementara itu, Kapolres Madiun Kota AKBP Agus Dwi Suryanto, SIK., MH. melalui Kasihumas IPTU Supriyanto mengapresiasi upaya Lapas Kelas 1 Madiun dalam memperkuat komunikasi dengan Polres Madiun Kota.</p><p>Iptu Supriyanto juga menegaskan komitmen Polres Madiun Kota dalam mendukung kegiatan Lapas dan menjaga keamanan di sekitar wilayah Lapas.</p><p>Dalam koordinasi ini, kedua belah pihak sepakat untuk melakukan pertemuan rutin dan saling berbagi informasi terkait kegiatan dan program yang akan dilaksanakan.</p><p>Hal ini diharapkan dapat memperkuat hubungan antara Lapas Kelas 1 Madiun dan Polres Madiun Kota serta meningkatkan pemahaman masyarakat tentang peran dan fungsi kedua lembaga tersebut.</p><p>“Kami menyamakan persepsi terkait kehumasan dengan pihak Lapas untuk melayani Masyarakat dalam memberikan informasi public agar informasi yang kami sampaikan senantiasa obyektif dan dapat dipercaya,” ujar Iptu Supriyanto kepada media.</p><p>Menurut Iptu Supriyanto koordinasi yang baik antara Lapas Kelas 1 Madiun dan Polres Madiun Kota dalam hal kehumasan diharapkan dapat memberikan manfaat positif bagi Masyarakat.</p><p>“Harapan kami agar Polres Madiun Kota dan Lapas Kelas I Madiun dapat meningkatkan pemahaman kepada masyarakat tentang sistem peradilan pidana dan memperkuat kepercayaan masyarakat terhadap kedua lembaga ini,” pungkas Iptu Supriyanto. (**)</p>",
  "author": {
    "name": "Achmad Sarjono"
  },
  "category": "binmas",
  "tags": [
    "kamtibmas",
    "kehumasan"
  ],
  "institutions": [
    "lapas-kelas-i-madiun",
    "polres-madiun-kota"
  ],
  "owner": "lapas-kelas-i-madiun",
  "publishedAt": "2023-12-04T15:14:00+07:00",
  "language": "id"
};
