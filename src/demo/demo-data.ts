/**
 * The demo set loaded into an empty embedded store, so a newcomer's first
 * `npm start` shows live feeds: the registries of the seed article and a
 * few neighbours, the seed article itself, and four short articles.
 */
import type { Services } from '../app-env.js';
import { ArticleInputSchema, type ArticleInputBody, type Category, type Institution } from '../model/schemas.js';
import { listRegistry, putRegistryEntry } from '../store/registries.js';
import { batchPut } from '../publishing/batch-put.js';
import { SEED_ARTICLE } from './seed-article.js';

/** Demo categories. */
export const DEMO_CATEGORIES: Category[] = [
  { slug: 'binmas', name: 'BINMAS', description: 'Pembinaan masyarakat: kemitraan polisi dan warga.' },
  { slug: 'lalu-lintas', name: 'Lalu Lintas', description: 'Berita satuan lalu lintas: operasi, rekayasa, keselamatan.' },
  { slug: 'pembinaan', name: 'Pembinaan', description: 'Pembinaan warga binaan pemasyarakatan.' },
];

/** Demo institutions. */
export const DEMO_INSTITUTIONS: Institution[] = [
  { slug: 'polres-madiun-kota', name: 'Polres Madiun Kota', description: 'Kepolisian Resor Madiun Kota.', kind: 'Polres', region: 'Kota Madiun, Jawa Timur', homepage: 'https://kotamadiun.binmas.id/' },
  { slug: 'lapas-kelas-i-madiun', name: 'Lapas Kelas I Madiun', description: 'Lembaga Pemasyarakatan Kelas I Madiun.', kind: 'Lapas', region: 'Kota Madiun, Jawa Timur' },
  { slug: 'polres-ponorogo', name: 'Polres Ponorogo', description: 'Kepolisian Resor Ponorogo.', kind: 'Polres', region: 'Kabupaten Ponorogo, Jawa Timur' },
];

const p = (...paras: string[]) => paras.map((t) => `<p>${t}</p>`).join('');

/** Demo articles, the seed article first. */
export const DEMO_ARTICLES: ArticleInputBody[] = [
  SEED_ARTICLE,
  {
    title: 'Satlantas Polres Madiun Kota Gelar Operasi Zebra Semeru',
    contentHtml: p('KOTA MADIUN - Satuan Lalu Lintas Polres Madiun Kota menggelar Operasi Zebra Semeru selama empat belas hari.', 'Operasi menyasar pelanggaran yang berpotensi menimbulkan kecelakaan, seperti tidak memakai helm dan melawan arus.'),
    author: { name: 'Achmad Sarjono' },
    category: 'lalu-lintas',
    tags: ['operasi-zebra', 'keselamatan'],
    institutions: ['polres-madiun-kota'],
    publishedAt: '2023-12-05T08:30:00+07:00',
    language: 'id',
  },
  {
    title: 'Warga Binaan Lapas Madiun Ikuti Pelatihan Kemandirian Las',
    contentHtml: p('MADIUN - Sebanyak dua puluh warga binaan Lapas Kelas I Madiun mengikuti pelatihan kemandirian di bidang pengelasan.', 'Pelatihan ini menjadi bekal keterampilan agar warga binaan siap kembali ke masyarakat.'),
    author: { name: 'Budi Ruswanto' },
    category: 'pembinaan',
    tags: ['kemandirian'],
    institutions: ['lapas-kelas-i-madiun'],
    publishedAt: '2023-12-06T10:00:00+07:00',
    language: 'id',
  },
  {
    title: 'Bhabinkamtibmas Ponorogo Sambangi Warga Desa',
    contentHtml: p('PONOROGO - Bhabinkamtibmas Polres Ponorogo menyambangi warga untuk menyampaikan pesan kamtibmas menjelang akhir tahun.'),
    author: { name: 'Siti Rahayu' },
    category: 'binmas',
    tags: ['kamtibmas'],
    institutions: ['polres-ponorogo'],
    publishedAt: '2023-12-07T09:15:00+07:00',
    language: 'id',
  },
  {
    title: 'Polres Madiun Kota dan Lapas Madiun Tanda Tangani Nota Kesepahaman',
    contentHtml: p('KOTA MADIUN - Polres Madiun Kota dan Lapas Kelas I Madiun menandatangani nota kesepahaman tentang pengamanan dan pertukaran informasi.'),
    author: { name: 'Achmad Sarjono' },
    category: 'binmas',
    tags: ['kamtibmas', 'kehumasan'],
    institutions: ['polres-madiun-kota', 'lapas-kelas-i-madiun'],
    publishedAt: '2023-12-08T13:45:00+07:00',
    language: 'id',
  },
];

/** Loads the demo set when the store has no registry yet; returns whether it did. */
export async function loadDemoIfEmpty(s: Services): Promise<boolean> {
  const existing = await listRegistry(s.db, 'category');
  if (existing.length) return false;
  for (const c of DEMO_CATEGORIES) await putRegistryEntry(s.db, 'category', c);
  for (const i of DEMO_INSTITUTIONS) await putRegistryEntry(s.db, 'institution', i);
  await batchPut(s, { kind: 'admin', id: 'admin' }, DEMO_ARTICLES.map((body, index) => ({ index, input: ArticleInputSchema.parse(body) })), () => {});
  return true;
}
