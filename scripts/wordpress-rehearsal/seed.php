<?php
/*
 * Installs the rehearsal site through WordPress's own API and seeds it:
 * php seed.php <port> <admin-password>. Prints one JSON line per post (what
 * the site holds), which compare.ts checks Warta against.
 */
$port = $argv[1];
$adminPass = $argv[2];
$_SERVER['HTTP_HOST'] = "127.0.0.1:$port";
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = $port;
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

wp_install('Polres Madiun Kota', 'admin', 'humas@polres-madiun-kota.invalid', true, '', wp_slash($adminPass), 'id_ID');
wp_delete_post(1, true); // the sample "Hello world!" post: the site holds only the seeded ones
update_option('timezone_string', 'Asia/Jakarta');
update_option('gmt_offset', '');
update_option('blogdescription', 'Humas Polres Madiun Kota');
wp_update_user(['ID' => 1, 'display_name' => 'Admin Humas', 'first_name' => 'Admin', 'last_name' => 'Humas']);
$achmad = wp_insert_user(['user_login' => 'achmad', 'user_pass' => wp_generate_password(24), 'user_email' => 'achmad@polres-madiun-kota.invalid', 'display_name' => 'Achmad Sarjono', 'role' => 'author']);
$sri = wp_insert_user(['user_login' => 'sri', 'user_pass' => wp_generate_password(24), 'user_email' => 'sri@polres-madiun-kota.invalid', 'display_name' => 'Sri Wahyuni', 'role' => 'author']);

$cat = function (string $name, string $slug): int {
  $t = wp_insert_term($name, 'category', ['slug' => $slug]);
  return is_wp_error($t) ? (int) $t->get_error_data('term_exists') : (int) $t['term_id'];
};
$binmas = $cat('BINMAS', 'binmas');
$lantas = $cat('Lalu Lintas', 'lalu-lintas');
$humas = $cat('Humas & Media', 'humas-media');
$reskrim = $cat('Reserse Kriminal', 'reskrim');

// The featured image: a real JPEG in the uploads folder, as an attachment with alt text.
$uploads = wp_upload_dir('2023/12');
wp_mkdir_p($uploads['path']);
$file = $uploads['path'] . '/humas.jpg';
$im = imagecreatetruecolor(800, 450);
imagefill($im, 0, 0, imagecolorallocate($im, 30, 60, 120));
imagejpeg($im, $file, 80);
$attachment = wp_insert_attachment(['post_mime_type' => 'image/jpeg', 'post_title' => 'humas', 'post_status' => 'inherit'], $file);
wp_update_attachment_metadata($attachment, wp_generate_attachment_metadata($attachment, $file));
update_post_meta($attachment, '_wp_attachment_image_alt', 'Koordinasi humas & Lapas');
$imageUrl = wp_get_attachment_url($attachment);

$posts = [
  ['Sinergitas Polres Madiun Kota dan Lapas Kelas I Madiun – Bahas Strategi Komunikasi', '2023-12-04 15:14:00', $achmad, [$binmas], ['kamtibmas', 'kehumasan'], 'publish',
    "<p>KOTA MADIUN – Lapas Kelas 1 Madiun dan Polres Madiun Kota melakukan koordinasi.</p>\n[caption id=\"attachment_$attachment\" align=\"aligncenter\" width=\"800\"]<img class=\"size-full wp-image-$attachment\" src=\"$imageUrl\" alt=\"Rapat\" width=\"800\" height=\"450\" /> Rapat koordinasi humas[/caption]\n<p>Selesai &amp; ditutup.</p>", 'featured'],
  ['Satlantas Gelar Operasi Zebra "Semeru" 2023', '2023-12-05 08:30:00', $achmad, [$lantas], ['operasi-zebra'], 'publish', '<p>Operasi Zebra Semeru selama empat belas hari.</p>'],
  ['Polres & Kodim Gelar Patroli Bersama', '2023-12-05 19:45:00', $sri, [$binmas, $humas], ['patroli', 'kamtibmas'], 'publish', '<p>Patroli gabungan TNI &amp; Polri di pusat kota.</p>'],
  ['Bhabinkamtibmas Sambang Warga – Sosialisasi Pemilu Damai', '2023-12-06 09:00:00', $sri, [$binmas], [], 'publish', '<p>Sambang warga Kelurahan Kartoharjo.</p>'],
  ['Pengumuman Libur Natal & Tahun Baru', '2023-12-06 23:30:00', 1, [], [], 'publish', '<p>Pelayanan SKCK tutup 25 Desember.</p>'],
  ['Kapolres Pimpin Apel Pagi … dan Cek Kesiapan Personel', '2023-12-07 06:15:00', 1, [$humas], ['apel'], 'publish', '<p>Apel pagi di halaman Mapolres.</p>'],
  ['Sat Reskrim Ungkap 5 Kasus Curanmor – Tersangka <em>Residivis</em>', '2023-12-07 14:00:00', $achmad, [$reskrim], ['curanmor'], 'publish', '<p>Lima tersangka diamankan.</p>'],
  ['Draf: Rencana Operasi Lilin', '2023-12-08 10:00:00', $achmad, [$lantas], [], 'draft', '<p>draf</p>'],
  ['Catatan Internal Piket', '2023-12-08 11:00:00', 1, [$humas], [], 'private', '<p>internal</p>'],
  ['Laporan Terkunci', '2023-12-08 12:00:00', 1, [$binmas], [], 'publish', '<p>rahasia</p>', 'password'],
];
foreach ($posts as $p) {
  [$title, $date, $author, $cats, $tags, $status, $content] = $p;
  $args = ['post_title' => $title, 'post_date' => $date, 'post_author' => $author, 'post_category' => $cats ?: [get_option('default_category')], 'tags_input' => $tags,
    'post_status' => $status, 'post_content' => $content, 'post_type' => 'post'];
  if (($p[7] ?? '') === 'password') $args['post_password'] = 'rahasia';
  if ($status === 'draft') $args['post_date_gmt'] = '0000-00-00 00:00:00';
  $id = wp_insert_post(wp_slash($args), true);
  if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
  if (($p[7] ?? '') === 'featured') set_post_thumbnail($id, $attachment);
  $post = get_post($id);
  echo json_encode(['id' => $id, 'status' => $post->post_status, 'password' => $post->post_password !== '', 'title' => $post->post_title, 'date' => $post->post_date, 'date_gmt' => $post->post_date_gmt,
    'author' => get_the_author_meta('display_name', $post->post_author), 'category' => get_the_category($id)[0]->slug ?? null, 'link' => get_permalink($id)], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n";
}
