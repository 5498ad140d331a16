#!/bin/sh
# Installs and starts a real WordPress (Debian 12 packages) on 127.0.0.1:$WP_PORT with a seeded site:
# timezone Asia/Jakarta (+07:00), 10 posts (7 published, one draft, one private, one password-protected),
# categories, tags, two authors, a featured image and a [caption] shortcode. Run as root; see README.md.
set -eu
WP_PORT="${WP_PORT:-8090}"
RUN_DIR="${RUN_DIR:-/tmp/wordpress-rehearsal}"
HERE="$(cd "$(dirname "$0")" && pwd)"
DB_PASS="${WP_DB_PASS:-rehearsal-db-pass}"
ADMIN_PASS="${WP_ADMIN_PASS:-rehearsal-admin-pass}"

if ! dpkg -s wordpress php8.2-fpm mariadb-server nginx php8.2-mysql >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y wordpress php8.2-fpm mariadb-server nginx php8.2-mysql
fi
mkdir -p "$RUN_DIR"

# No systemd here: the init scripts start the services.
/etc/init.d/mariadb start
/etc/init.d/php8.2-fpm start

mysql -u root <<SQL
DROP DATABASE IF EXISTS wprehearsal;
CREATE DATABASE wprehearsal DEFAULT CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'wprehearsal'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON wprehearsal.* TO 'wprehearsal'@'localhost';
FLUSH PRIVILEGES;
SQL

# Debian's wp-config.php picks /etc/wordpress/config-<host>.php from the Host header.
cat > /etc/wordpress/config-127.0.0.1.php <<PHP
<?php
define('DB_NAME', 'wprehearsal');
define('DB_USER', 'wprehearsal');
define('DB_PASSWORD', '$DB_PASS');
define('DB_HOST', 'localhost');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
define('WP_HOME', 'http://127.0.0.1:$WP_PORT');
define('WP_SITEURL', 'http://127.0.0.1:$WP_PORT');
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
PHP
chmod 640 /etc/wordpress/config-127.0.0.1.php
chgrp www-data /etc/wordpress/config-127.0.0.1.php

# nginx with a config of its own (not /etc/nginx/nginx.conf), listening on loopback only.
sed -e "s|@PORT@|$WP_PORT|g" -e "s|@RUN@|$RUN_DIR|g" "$HERE/nginx.conf.in" > "$RUN_DIR/nginx.conf"
nginx -t -c "$RUN_DIR/nginx.conf"
nginx -c "$RUN_DIR/nginx.conf"

# Install and seed through WordPress's own PHP API (no WP-CLI in Debian 12).
php "$HERE/seed.php" "$WP_PORT" "$ADMIN_PASS" > "$RUN_DIR/site-posts.jsonl"
cat "$RUN_DIR/site-posts.jsonl"
chown -R www-data:www-data /var/lib/wordpress/wp-content/uploads 2>/dev/null || true
echo "wordpress-rehearsal: http://127.0.0.1:$WP_PORT/ is up (admin / $ADMIN_PASS)"
