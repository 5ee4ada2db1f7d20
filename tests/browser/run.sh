#!/usr/bin/env bash
# Browser tests of dixit-searchd's web page: builds a fresh index from the repository's data (plus a quote
# full of HTML), serves it on a free loopback port, and runs web.test.mjs in headless Debian chromium
# through playwright-core. Fails (never skips) when chromium or playwright-core is missing.
#   tests/browser/run.sh [--screenshots DIR] BIN_DIR DATA_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
screenshots=""
if [ "${1:-}" = "--screenshots" ]; then screenshots="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2; fi
bin="${1:?usage: run.sh [--screenshots DIR] BIN_DIR DATA_DIR}"
data="${2:?usage: run.sh [--screenshots DIR] BIN_DIR DATA_DIR}"
chromium="${DIXIT_CHROMIUM:-/usr/bin/chromium}"

fail() { echo "browser tests: $*" >&2; exit 1; }
[ -x "$chromium" ] || fail "$chromium not found (scripts/install-deps installs Debian's chromium)"
command -v node >/dev/null || fail "node not found (scripts/install-deps installs it)"
[ -d "$here/node_modules/playwright-core" ] || fail "playwright-core not installed: run scripts/install-deps (npm ci in tests/browser)"

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin/dixit-indexer" rebuild --db "$tmp/index" --progress=false "$data/seed.jsonl" "$data/real/quotable.jsonl" \
  "$data/real/fortunes-multilingual.jsonl" "$data/real/chinese-poetry-sample.jsonl" "$data/real/quotebank-sample.json" \
  >/dev/null 2>"$tmp/indexer.log" || { cat "$tmp/indexer.log" >&2; fail "indexing failed"; }
# Published long ago: the test quote stays out of the home page's "last 24 hours" (and its screenshot).
"$bin/dixit-indexer" add --db "$tmp/index" --progress=false --index-time 2023-05-20T12:00:00Z "$here/html-quotes.jsonl" "$here/variant-quotes.jsonl" >/dev/null 2>>"$tmp/indexer.log" ||
  { cat "$tmp/indexer.log" >&2; fail "adding html-quotes.jsonl failed"; }

"$bin/dixit-searchd" --db "$tmp/index" --listen 127.0.0.1:0 --threads 2 2>"$tmp/searchd.log" &
pid=$!
url=""
for _ in $(seq 100); do
  url="$(sed -n 's/^dixit-searchd listening on \(http:[^ ]*\).*/\1/p' "$tmp/searchd.log")"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/searchd.log" >&2; fail "dixit-searchd exited"; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/searchd.log" >&2; fail "dixit-searchd did not get ready"; }

DIXIT_URL="$url" DIXIT_CHROMIUM="$chromium" DIXIT_SCREENSHOTS="$screenshots" node "$here/web.test.mjs"
