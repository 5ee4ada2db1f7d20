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

for tool in dixit-eval-like dixit-gen-corpus dixit-bench-index dixit-bench-layout dixit-bench-query dixit-bench-http dixit-indexer dixit-searchd; do
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

# bench-scale prints its table (a tiny corpus: the smoke run, not a measurement).
"$(dirname "$0")/../tools/bench-scale" --bin "$bin" --counts 300 --work "$tmp/scale" >"$tmp/scale.md" 2>&1 \
    && grep -q '^| 300 |' "$tmp/scale.md" && echo "ok: bench-scale" || { fail "bench-scale"; cat "$tmp/scale.md"; }

# Every generated record passes validation (strict rebuild indexes all of them).
"$bin/dixit-indexer" rebuild --db "$tmp/idx" --strict --quiet "$tmp/a.jsonl" >"$tmp/out" 2>&1 \
    && grep -q '"added":500' "$tmp/out" && echo "ok: generated records are valid" || { fail "generated records rejected"; cat "$tmp/out"; }

# The query benchmark runs end to end on a small index, and its targets feed the HTTP load run.
"$bin/dixit-bench-query" --db "$tmp/idx" --per-class 20 --emit "$tmp/targets" >"$tmp/bq" 2>&1 \
    && grep -q "3-word phrase" "$tmp/bq" && [ -s "$tmp/targets" ] && echo "ok: bench-query" || { fail "bench-query"; cat "$tmp/bq"; }
"$bin/dixit-searchd" --db "$tmp/idx" --listen 127.0.0.1:0 2>"$tmp/sd" &
sd=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/sd" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/sd")
"$bin/dixit-bench-http" --port "$port" --targets "$tmp/targets" --connections 4 --seconds 1 --max-requests 200 >"$tmp/bh" 2>&1 \
    && grep -q "req/s" "$tmp/bh" && echo "ok: bench-http" || { fail "bench-http"; cat "$tmp/bh" "$tmp/sd"; }
"$bin/dixit-bench-http" --host 10.0.0.1 --port 80 --targets "$tmp/targets" >/dev/null 2>&1; [ $? -eq 2 ] \
    && echo "ok: bench-http refuses non-loopback" || fail "bench-http non-loopback"
kill -TERM "$sd"; wait "$sd" && echo "ok: searchd stopped" || fail "searchd exit status"

# like= finds half-remembered real quotes (data/real: four languages and Chinese) among the first 3 for
# at least 95% of the texts (issue 11's goal; the tool exits 1 below it).
"$bin/dixit-indexer" rebuild --db "$tmp/real" --quiet "$data"/real/*.json* >"$tmp/out" 2>&1 || { fail "index data/real"; cat "$tmp/out"; }
"$bin/dixit-eval-like" --db "$tmp/real" --quotes 150 --require 0.95 >"$tmp/like" 2>&1 \
    && grep -q '^| all |' "$tmp/like" && echo "ok: eval-like" || { fail "eval-like"; cat "$tmp/like"; }

echo "cli_tools: $failures failure(s)"
[ "$failures" -eq 0 ]
