#!/bin/sh
# The rehearsal itself, against the site setup.sh started: a fresh Warta (data in a temp dir,
# WARTA_CONTENT_ALLOW_PRIVATE=1) on 127.0.0.1:$WARTA_PORT, `npm run import` twice, then
# compare.ts field by field. Without KEEP=0 the import keeps the site's loopback URLs;
# with KEEP=0 it runs as a public deployment would (URLs left out, and the summary says so).
# Stops the Warta it started; run from the repository root.
set -eu
WP_PORT="${WP_PORT:-8090}"
WARTA_PORT="${WARTA_PORT:-8787}"
RUN_DIR="${RUN_DIR:-/tmp/wordpress-rehearsal}"
KEEP="${KEEP:-1}"
DATA="$(mktemp -d /tmp/warta-rehearsal.XXXXXX)"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

if curl -fs "http://127.0.0.1:$WARTA_PORT/healthz" >/dev/null 2>&1; then echo "run.sh: something already answers on 127.0.0.1:$WARTA_PORT (set WARTA_PORT)" >&2; exit 2; fi
WARTA_DATA_DIR="$DATA" PORT="$WARTA_PORT" WARTA_CONTENT_ALLOW_PRIVATE="$KEEP" node --heap-growing-percent=50 --import tsx src/node.ts > "$DATA/warta.log" 2>&1 &
WARTA_PID=$!
trap 'kill $WARTA_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$WARTA_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
[ -f "$DATA/admin-token" ] || { echo "run.sh: Warta did not start; see $DATA/warta.log" >&2; exit 1; }
TOKEN="$(cat "$DATA/admin-token")"
FLAG=""
[ "$KEEP" = 1 ] && FLAG="--keep-private-urls"

for n in 1 2; do
  echo "\$ npm run import -- http://127.0.0.1:$WP_PORT/ --institution polres-madiun-kota --target http://127.0.0.1:$WARTA_PORT --token \$ADMIN $FLAG"
  start=$(date +%s.%N)
  npm run --silent import -- "http://127.0.0.1:$WP_PORT/" --institution polres-madiun-kota --target "http://127.0.0.1:$WARTA_PORT" --token "$TOKEN" $FLAG 2>&1 || true
  echo "(run $n: $(echo "$(date +%s.%N) - $start" | bc) s wall, npm and tsx start-up included)"
done
npx tsx scripts/wordpress-rehearsal/compare.ts "http://127.0.0.1:$WP_PORT/" "http://127.0.0.1:$WARTA_PORT" "$TOKEN" "$RUN_DIR/site-posts.jsonl"
