<?php
/*
 * Adds N generated published posts to the rehearsal site (for the import rate over several
 * REST pages), and with "pretty" turns on pretty permalinks (/wp-json/ then answers too):
 * php bulk.php <port> <N> [pretty]. Appends what it created to site-posts.jsonl's format on stdout.
 */
$port = $argv[1];
$n = (int) $argv[2];
$_SERVER['HTTP_HOST'] = "127.0.0.1:$port";
$_SERVER['REQUEST_URI'] = '/';
require '/usr/share/wordpress/wp-load.php';
if (($argv[3] ?? '') === 'pretty') {
  update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
  flush_rewrite_rules(false);
}
wp_defer_term_counting(true);
$cats = get_terms(['taxonomy' => 'category', 'hide_empty' => false, 'fields' => 'ids']);
$users = get_users(['fields' => 'ID']);
$base = strtotime('2022-01-01 07:00:00 UTC');
for ($i = 1; $i <= $n; $i++) {
  $date = gmdate('Y-m-d H:i:s', $base + $i * 3571 + 7 * 3600); // local WIB wall time
  $id = wp_insert_post(['post_title' => "Kegiatan Rutin #$i – Patroli & Sambang", 'post_date' => $date, 'post_status' => 'publish', 'post_author' => $users[$i % count($users)],
    'post_category' => [$cats[$i % count($cats)]], 'post_content' => "<p>Laporan kegiatan nomor $i di wilayah hukum Polres Madiun Kota.</p>"], true);
  if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
  echo json_encode(['id' => $id, 'status' => 'publish']) . "\n";
}
wp_defer_term_counting(false);
