#!/bin/sh
# Stops what setup.sh started: nginx (by its pid file), php-fpm and mariadb.
RUN_DIR="${RUN_DIR:-/tmp/wordpress-rehearsal}"
[ -f "$RUN_DIR/nginx.pid" ] && kill "$(cat "$RUN_DIR/nginx.pid")"
/etc/init.d/php8.2-fpm stop
/etc/init.d/mariadb stop
