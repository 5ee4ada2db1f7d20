#!/usr/bin/env bash
# Smoke tests of the tools: --help, and the corpus generator's determinism and validity.
# Usage: cli_tools.sh BIN_DIR DATA_DIR
set -u
bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

for tool in dixit-gen-corpus dixit-bench-index dixit-bench-layout dixit-indexer; do
    "$bin/$tool" --help >"$tmp/help" 2>&1 || true
    grep -qi "usage" "$tmp/help" && echo "ok: $tool --help" || fail "$tool --help prints no usage"
done

"$bin/dixit-gen-corpus" --count 500 --seed 9 --data "$data" --out "$tmp/a.jsonl" || fail "gen-corpus run"
"$bin/dixit-gen-corpus" --count 500 --seed 9 --data "$data" >"$tmp/b.jsonl" || fail "gen-corpus to stdout"
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" && echo "ok: same seed, same bytes" || fail "gen-corpus is not deterministic"
"$bin/dixit-gen-corpus" --count 500 --seed 10 --data "$data" --out "$tmp/c.jsonl"
cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl" && fail "another seed gave the same corpus" || echo "ok: another seed, other bytes"
[ "$(wc -l <"$tmp/a.jsonl")" -eq 500 ] && echo "ok: 500 records" || fail "record count"
"$bin/dixit-gen-corpus" --count 10 --first-id 1000 --data "$data" | head -1 | grep -q '"id":"gen:1000"' \
    && echo "ok: --first-id" || fail "--first-id"
"$bin/dixit-gen-corpus" --count -1 >/dev/null 2>&1; [ $? -eq 2 ] && echo "ok: bad --count is a usage error" || fail "bad --count"

# Every generated record passes validation (strict rebuild indexes all of them).
"$bin/dixit-indexer" rebuild --db "$tmp/idx" --strict --quiet "$tmp/a.jsonl" >"$tmp/out" 2>&1 \
    && grep -q '"added":500' "$tmp/out" && echo "ok: generated records are valid" || { fail "generated records rejected"; cat "$tmp/out"; }

echo "cli_tools: $failures failure(s)"
[ "$failures" -eq 0 ]
