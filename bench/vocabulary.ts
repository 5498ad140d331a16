/**
 * The words and registries the benchmark corpus is made of: Indonesian
 * institutional news (police, prisons, regional offices of the ministry of
 * law), five categories, thirty institutions in three time zones.
 */
import type { Category, Institution } from '../src/model/schemas.js';

/** An institution of the corpus and the UTC offset its newsroom writes in. */
export interface CorpusInstitution extends Institution {
  offset: '+07:00' | '+08:00' | '+09:00';
  /** Dateline city, upper case, as the first words of an article. */
  dateline: string;
}

/** The five categories. */
export const CATEGORIES: Category[] = [
  { slug: 'binmas', name: 'BINMAS', description: 'Pembinaan masyarakat: kemitraan polisi dan warga.' },
  { slug: 'lalu-lintas', name: 'Lalu Lintas', description: 'Operasi, rekayasa dan keselamatan lalu lintas.' },
  { slug: 'pembinaan', name: 'Pembinaan', description: 'Pembinaan kepribadian dan kemandirian warga binaan.' },
  { slug: 'kamtibmas', name: 'Kamtibmas', description: 'Keamanan dan ketertiban masyarakat.' },
  { slug: 'layanan-publik', name: 'Layanan Publik', description: 'Pelayanan hukum dan administrasi bagi masyarakat.' },
];

type Row = [name: string, kind: string, region: string, offset: CorpusInstitution['offset'], dateline: string];
const ROWS: Row[] = [
  ['Polres Madiun Kota', 'Polres', 'Kota Madiun, Jawa Timur', '+07:00', 'KOTA MADIUN'],
  ['Polres Madiun', 'Polres', 'Kabupaten Madiun, Jawa Timur', '+07:00', 'MADIUN'],
  ['Polres Ponorogo', 'Polres', 'Kabupaten Ponorogo, Jawa Timur', '+07:00', 'PONOROGO'],
  ['Polres Magetan', 'Polres', 'Kabupaten Magetan, Jawa Timur', '+07:00', 'MAGETAN'],
  ['Polres Ngawi', 'Polres', 'Kabupaten Ngawi, Jawa Timur', '+07:00', 'NGAWI'],
  ['Polres Pacitan', 'Polres', 'Kabupaten Pacitan, Jawa Timur', '+07:00', 'PACITAN'],
  ['Polres Kediri Kota', 'Polres', 'Kota Kediri, Jawa Timur', '+07:00', 'KOTA KEDIRI'],
  ['Polres Blitar Kota', 'Polres', 'Kota Blitar, Jawa Timur', '+07:00', 'KOTA BLITAR'],
  ['Polres Tulungagung', 'Polres', 'Kabupaten Tulungagung, Jawa Timur', '+07:00', 'TULUNGAGUNG'],
  ['Polres Trenggalek', 'Polres', 'Kabupaten Trenggalek, Jawa Timur', '+07:00', 'TRENGGALEK'],
  ['Polresta Denpasar', 'Polres', 'Kota Denpasar, Bali', '+08:00', 'DENPASAR'],
  ['Polres Badung', 'Polres', 'Kabupaten Badung, Bali', '+08:00', 'BADUNG'],
  ['Polres Jayapura Kota', 'Polres', 'Kota Jayapura, Papua', '+09:00', 'JAYAPURA'],
  ['Lapas Kelas I Madiun', 'Lapas', 'Kota Madiun, Jawa Timur', '+07:00', 'MADIUN'],
  ['Lapas Kelas IIA Kediri', 'Lapas', 'Kota Kediri, Jawa Timur', '+07:00', 'KEDIRI'],
  ['Lapas Kelas IIB Ponorogo', 'Lapas', 'Kabupaten Ponorogo, Jawa Timur', '+07:00', 'PONOROGO'],
  ['Lapas Kelas IIB Blitar', 'Lapas', 'Kota Blitar, Jawa Timur', '+07:00', 'BLITAR'],
  ['Lapas Kelas IIB Ngawi', 'Lapas', 'Kabupaten Ngawi, Jawa Timur', '+07:00', 'NGAWI'],
  ['Lapas Kelas IIA Kerobokan', 'Lapas', 'Kabupaten Badung, Bali', '+08:00', 'KEROBOKAN'],
  ['Lapas Kelas I Makassar', 'Lapas', 'Kota Makassar, Sulawesi Selatan', '+08:00', 'MAKASSAR'],
  ['Lapas Kelas IIA Abepura', 'Lapas', 'Kota Jayapura, Papua', '+09:00', 'ABEPURA'],
  ['Rutan Kelas IIB Pacitan', 'Rutan', 'Kabupaten Pacitan, Jawa Timur', '+07:00', 'PACITAN'],
  ['Rutan Kelas IIB Trenggalek', 'Rutan', 'Kabupaten Trenggalek, Jawa Timur', '+07:00', 'TRENGGALEK'],
  ['Rutan Kelas IIB Magetan', 'Rutan', 'Kabupaten Magetan, Jawa Timur', '+07:00', 'MAGETAN'],
  ['Rutan Kelas I Surabaya', 'Rutan', 'Kabupaten Sidoarjo, Jawa Timur', '+07:00', 'SIDOARJO'],
  ['Rutan Kelas IIB Gianyar', 'Rutan', 'Kabupaten Gianyar, Bali', '+08:00', 'GIANYAR'],
  ['Kanwil Kemenkumham Jawa Timur', 'Kanwil', 'Kota Surabaya, Jawa Timur', '+07:00', 'SURABAYA'],
  ['Kanwil Kemenkumham Bali', 'Kanwil', 'Kota Denpasar, Bali', '+08:00', 'DENPASAR'],
  ['Kanwil Kemenkumham Sulawesi Selatan', 'Kanwil', 'Kota Makassar, Sulawesi Selatan', '+08:00', 'MAKASSAR'],
  ['Kanwil Kemenkumham Papua', 'Kanwil', 'Kota Jayapura, Papua', '+09:00', 'JAYAPURA'],
];

const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const LONG_KIND: Record<string, string> = {
  Polres: 'Kepolisian Resor',
  Lapas: 'Lembaga Pemasyarakatan',
  Rutan: 'Rumah Tahanan Negara',
  Kanwil: 'Kantor Wilayah Kementerian Hukum dan HAM',
};

/** The thirty institutions. */
export const INSTITUTIONS: CorpusInstitution[] = ROWS.map(([name, kind, region, offset, dateline]) => ({
  slug: slugOf(name),
  name,
  description: `${LONG_KIND[kind]} ${region.split(',')[0]}.`,
  kind,
  region,
  homepage: `https://${slugOf(name).replace(/-/g, '')}.go.id/`,
  offset,
  dateline,
}));

const FIRST = ['Achmad', 'Budi', 'Siti', 'Dwi', 'Eko', 'Fitri', 'Gunawan', 'Hendra', 'Indah', 'Joko', 'Kartika', 'Lestari', 'Made', 'Nur', 'Putu', 'Rina', 'Sri', 'Teguh', 'Wahyu', 'Yuli', 'Agus', 'Bambang', 'Dewi', 'Endang', 'Ketut'];
const LAST = ['Sarjono', 'Ruswanto', 'Rahayu', 'Prasetyo', 'Santoso', 'Wulandari', 'Hidayat', 'Setiawan', 'Kurniawan', 'Susanti', 'Saputra', 'Wijaya', 'Nugroho', 'Pratama', 'Handayani', 'Suryani', 'Utomo', 'Hartono', 'Purnomo', 'Lubis'];

/** The fifty authors (distinct names; each writes for one institution). */
export const AUTHORS: string[] = Array.from({ length: 50 }, (_, i) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}`);

/** Tag slugs. */
export const TAGS = [
  'kamtibmas', 'operasi-zebra', 'keselamatan', 'kemandirian', 'narkoba', 'remisi', 'sosialisasi', 'patroli',
  'bhabinkamtibmas', 'kunjungan', 'pelayanan', 'ramadan', 'idul-fitri', 'hut-bhayangkara', 'bakti-sosial',
  'pengamanan', 'razia', 'integritas', 'zona-integritas', 'wbk', 'penyuluhan-hukum', 'kesehatan', 'pendidikan',
  'olahraga', 'keagamaan', 'pramuka', 'lalu-lintas', 'mudik', 'natal', 'tahun-baru', 'pemilu', 'bencana',
  'donor-darah', 'asimilasi', 'pembebasan-bersyarat', 'kehumasan', 'ketahanan-pangan', 'pertanian', 'umkm', 'digitalisasi',
];

/** Sentence parts. */
/** Who acts, by institution kind ("Kapolres Polres Ngawi", "Kepala Lapas Kelas I Madiun"). */
export const OFFICIALS: Record<string, string[]> = {
  Polres: ['Kapolres', 'Kasat Binmas', 'Kasat Lantas', 'Kasat Reskrim', 'Kapolsek', 'jajaran'],
  Lapas: ['Kepala', 'Kasi Binadik', 'petugas', 'Kepala Pengamanan'],
  Rutan: ['Kepala', 'petugas', 'Kasubsi Pelayanan Tahanan'],
  Kanwil: ['Kakanwil', 'Kepala Divisi Pemasyarakatan', 'pegawai'],
};
/** Who else takes part. */
export const SUBJECTS = ['personel gabungan', 'Bhabinkamtibmas', 'tim patroli', 'warga binaan', 'masyarakat setempat', 'para pelajar', 'tokoh agama', 'perangkat desa', 'petugas layanan', 'relawan'];
export const VERBS = ['menggelar', 'melaksanakan', 'mengikuti', 'menyampaikan', 'meningkatkan', 'memberikan', 'mendukung', 'memperkuat', 'menyelenggarakan', 'mendampingi', 'memantau', 'mengawal', 'menyosialisasikan', 'mengevaluasi'];
export const OBJECTS = ['kegiatan sosialisasi', 'pembinaan kepribadian', 'patroli dialogis', 'pengamanan lalu lintas', 'penyuluhan hukum', 'pelayanan publik', 'bakti sosial', 'pemeriksaan kesehatan', 'razia kendaraan bermotor', 'program kemandirian', 'apel kesiapsiagaan', 'rapat koordinasi', 'pembinaan keamanan dan ketertiban masyarakat', 'pelatihan keterampilan', 'kunjungan kerja', 'pengawasan blok hunian', 'deteksi dini gangguan kamtibmas', 'layanan kunjungan keluarga', 'pembinaan kerohanian', 'pencegahan peredaran narkoba'];
export const PLACES = ['di wilayah hukumnya', 'di aula kantor', 'di halaman mapolres', 'di Jalan Pahlawan', 'di alun-alun kota', 'di balai desa', 'di blok hunian', 'di sekolah menengah atas', 'di pasar tradisional', 'di ruang kunjungan', 'di persimpangan jalan protokol', 'di masjid at-taubah', 'di lapangan upacara'];
export const TIMES = ['pada Senin pagi', 'pada Selasa siang', 'pada Rabu sore', 'pada Kamis pagi', 'pada Jumat pagi', 'sejak pukul 08.00', 'selama tiga hari', 'menjelang hari raya', 'dalam rangka Hari Bhayangkara', 'pekan ini', 'pada akhir pekan', 'sepanjang bulan ini'];
export const GOALS = ['masyarakat semakin sadar akan pentingnya keselamatan berlalu lintas', 'warga binaan dapat kembali ke masyarakat dengan bekal keterampilan', 'situasi kamtibmas tetap aman dan kondusif', 'sinergi antara kepolisian dan masyarakat terus terjaga', 'pelayanan kepada masyarakat semakin cepat dan transparan', 'angka kecelakaan lalu lintas dapat ditekan', 'tidak ada lagi peredaran narkoba di dalam lapas', 'generasi muda menjauhi kenakalan remaja', 'hak-hak warga binaan terpenuhi sesuai aturan', 'kepercayaan publik terhadap institusi terus meningkat'];
export const QUOTE_VERBS = ['ujar', 'kata', 'jelas', 'tutur', 'ungkap', 'tegas'];
export const TITLE_VERBS = ['Gelar', 'Laksanakan', 'Ikuti', 'Tingkatkan', 'Perkuat', 'Sosialisasikan', 'Dukung', 'Kawal', 'Evaluasi'];
export const TITLE_OBJECTS = ['Operasi Zebra', 'Pembinaan Kemandirian', 'Patroli Dialogis', 'Penyuluhan Hukum', 'Bakti Sosial', 'Razia Kendaraan', 'Apel Kesiapsiagaan', 'Pemeriksaan Kesehatan Warga Binaan', 'Sosialisasi Keselamatan Berlalu Lintas', 'Rapat Koordinasi Keamanan', 'Layanan Kunjungan Keluarga', 'Pencegahan Narkoba', 'Pelatihan Keterampilan Las', 'Program Ketahanan Pangan'];
export const TITLE_TAILS = ['di Alun-alun', 'Jelang Idul Fitri', 'Bersama Warga', 'di Sekolah', 'untuk Warga Binaan', 'Akhir Pekan', 'Selama Libur Panjang', 'di Pasar Tradisional', 'Bersama Tokoh Agama', ''];
