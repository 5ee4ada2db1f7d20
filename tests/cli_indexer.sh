#!/usr/bin/env bash
# End-to-end checks of the dixit-indexer binary: help, exit statuses, rejects, locking, compressed input.
# Usage: cli_indexer.sh PATH/TO/dixit-indexer PATH/TO/data
set -u
indexer=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check NAME EXPECTED_STATUS ACTUAL_STATUS
    if [ "$2" != "$3" ]; then echo "FAIL: $1: expected exit $2, got $3"; failures=$((failures + 1)); else echo "ok: $1"; fi
}
contains() {  # contains NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in $2:"; head -5 "$2"; failures=$((failures + 1)); fi
}

"$indexer" --help >"$tmp/out" 2>&1; check "--help" 0 $?
contains "--help lists commands" "$tmp/out" "dixit-indexer rebuild"
for cmd in add rebuild delete compact stats; do "$indexer" $cmd --help >/dev/null 2>&1; check "$cmd --help" 0 $?; done
"$indexer" >/dev/null 2>&1; check "no command" 2 $?
"$indexer" frobnicate >/dev/null 2>&1; check "unknown command" 2 $?
"$indexer" add --db "$tmp/idx" >/dev/null 2>&1; check "add without files" 2 $?
"$indexer" add "$data/seed.jsonl" >/dev/null 2>&1; check "add without --db" 2 $?
"$indexer" add --db "$tmp/idx" --format yaml "$data/seed.jsonl" >/dev/null 2>&1; check "unknown format" 2 $?
for bad in "--batch -1" "--batch 12x" "--max-line-bytes -5" "--threads -1"; do
    # shellcheck disable=SC2086
    "$indexer" add --db "$tmp/idx" $bad "$data/seed.jsonl" >/dev/null 2>"$tmp/err"; check "add $bad is a usage error" 2 $?
    grep -q "is invalid" "$tmp/err" || { echo "FAIL: add $bad: no message"; failures=$((failures + 1)); }
done

"$indexer" add --db "$tmp/idx" "$data/seed.jsonl" >"$tmp/out" 2>"$tmp/err"; check "add seed" 0 $?
contains "summary on stdout" "$tmp/out" '"rejected":0'
contains "human summary on stderr" "$tmp/err" "records:"

printf '%s\n' '{"id":"good","text":"fine words","author":{"name":"A"}}' '{broken' '{"id":"d","text":"x","author":{"name":"A"},"said_on":"2025-13"}' >"$tmp/mixed.jsonl"
"$indexer" add --db "$tmp/idx" --rejects "$tmp/rejects.jsonl" "$tmp/mixed.jsonl" >"$tmp/out" 2>"$tmp/err"; check "add with rejects" 3 $?
contains "reject names file and line" "$tmp/err" "mixed.jsonl:2"
contains "reject names the field" "$tmp/err" "mixed.jsonl:3: said_on"
contains "rejects file written" "$tmp/rejects.jsonl" '"line":3'
"$indexer" add --db "$tmp/idx" --rejects /dev/full "$tmp/mixed.jsonl" >/dev/null 2>"$tmp/err"; check "rejects file full" 1 $?
contains "rejects file full: says why" "$tmp/err" "cannot write rejects file /dev/full: No space left on device"
"$indexer" add --db "$tmp/idx" --rejects "$tmp/no/such/dir/r.jsonl" "$tmp/mixed.jsonl" >/dev/null 2>"$tmp/err"; check "rejects file in a missing directory" 1 $?
contains "rejects file in a missing directory: says why" "$tmp/err" "r.jsonl: No such file or directory"
long_id=$(printf 'é%.0s' $(seq 120))  # 120 characters, 240 bytes
printf '{"id":"%s","text":"x","author":{"name":"A"}}\n' "$long_id" >"$tmp/long-id.jsonl"
"$indexer" add --db "$tmp/idx" "$tmp/long-id.jsonl" >/dev/null 2>"$tmp/err"; check "add an id over 239 bytes" 3 $?
contains "long id: file:line: id: reason" "$tmp/err" "long-id.jsonl:1: id: is 240 bytes, over the 239-byte limit"
"$indexer" stats --db "$tmp/idx" >"$tmp/stats" 2>&1; check "stats" 0 $?
contains "good record of the mixed file indexed" "$tmp/stats" '"documents"'

before=$("$indexer" stats --db "$tmp/idx" | grep '"documents"')
"$indexer" rebuild --db "$tmp/idx" --strict --quiet "$tmp/mixed.jsonl" >/dev/null 2>&1; check "strict rebuild with rejects" 3 $?
after=$("$indexer" stats --db "$tmp/idx" | grep '"documents"')
[ "$before" = "$after" ] && echo "ok: strict rebuild left the index alone" || { echo "FAIL: index changed: $before -> $after"; failures=$((failures + 1)); }

"$indexer" delete --db "$tmp/idx" good >/dev/null 2>"$tmp/err"; check "delete" 0 $?
contains "delete reports" "$tmp/err" "deleted 1"
"$indexer" stats --db "$tmp/idx" >"$tmp/stats" 2>&1
contains "stats counts the deleted version as superseded" "$tmp/stats" '"superseded": '
"$indexer" compact --db "$tmp/idx" >"$tmp/out" 2>"$tmp/err"; check "compact" 0 $?
contains "compact reports what it dropped" "$tmp/out" '"dropped":'
"$indexer" stats --db "$tmp/idx" >"$tmp/stats" 2>&1
contains "no superseded version after compact" "$tmp/stats" '"superseded": 0'
"$indexer" compact --db "$tmp/idx" extra.jsonl >/dev/null 2>"$tmp/err"; check "compact takes no FILE" 2 $?

# A second writer while the lock is held (flock(1) from util-linux holds it for us).
if command -v flock >/dev/null; then
    flock "$tmp/idx/.dixit-lock" sleep 3 &
    sleep 0.5
    "$indexer" add --db "$tmp/idx" "$data/seed.jsonl" >/dev/null 2>"$tmp/err"; check "locked index" 4 $?
    contains "locked message" "$tmp/err" "locked by another indexer"
    "$indexer" add --db "$tmp/idx" --wait 10 "$data/seed.jsonl" >/dev/null 2>&1; check "--wait for the lock" 0 $?
    wait
fi

# Compressed inputs, with whatever compressors this machine has.
for tool in gzip bzip2 zstd; do
    command -v $tool >/dev/null || { echo "skip: $tool not installed"; continue; }
    $tool -c "$data/real/quotebank-sample.json" >"$tmp/qb.json.$tool"
    "$indexer" rebuild --db "$tmp/$tool" "$tmp/qb.json.$tool" >"$tmp/out" 2>/dev/null; check "$tool input" 0 $?
    contains "$tool input: 300 quotes" "$tmp/out" '"added":300'
done

"$indexer" add --db "$tmp/idx" "$tmp/does-not-exist.jsonl" >/dev/null 2>"$tmp/err"; check "missing input" 1 $?
contains "missing input named" "$tmp/err" "does-not-exist.jsonl"

# A writer that fails while standard input is idle ends the run at once, and loses nothing committed.
# The disk "fills" through a file-size limit (ulimit -f, SIGXFSZ ignored: writes past it fail with EFBIG).
"$indexer" rebuild --db "$tmp/full" "$data/seed.jsonl" >/dev/null 2>&1; check "full disk: first rebuild" 0 $?
largest_kb=$(du -k "$tmp"/full/gen-*/* | sort -n | tail -1 | cut -f1)
exec {feed}< <(cat "$data/real/quotable.jsonl" "$data/real/fortunes-multilingual.jsonl"; sleep 60)
feeder=$!
started=$SECONDS
(ulimit -f $((largest_kb + 8)); trap '' XFSZ; exec "$indexer" add --db "$tmp/full" -) <&$feed >/dev/null 2>"$tmp/err"
status=$?
took=$((SECONDS - started))
exec {feed}<&-
kill "$feeder" 2>/dev/null
check "full disk: add fails" 1 $status
contains "full disk: says why" "$tmp/err" "index error"
if [ "$took" -lt 20 ]; then echo "ok: full disk: add stops while its input is idle (${took} s)"; else echo "FAIL: full disk: add waited ${took} s for more input"; failures=$((failures + 1)); fi
"$indexer" stats --db "$tmp/full" >"$tmp/out" 2>&1; check "full disk: the index still opens" 0 $?
seed_count=$(grep -c . "$data/seed.jsonl")
contains "full disk: the rebuilt quotes are kept" "$tmp/out" "\"documents\": "
docs=$(grep -o '"documents": [0-9]*' "$tmp/out" | grep -o '[0-9]*$')
if [ "${docs:-0}" -ge "$seed_count" ]; then echo "ok: full disk: $docs documents kept"; else echo "FAIL: full disk: $docs documents, fewer than $seed_count"; failures=$((failures + 1)); fi
# A rebuild that fills the disk fails with a clear message, leaves the live index as it was, and no work directory.
(ulimit -f $((largest_kb + 8)); trap '' XFSZ; exec "$indexer" rebuild --db "$tmp/full" --progress=false "$data/real/quotable.jsonl" "$data/real/fortunes-multilingual.jsonl") >/dev/null 2>"$tmp/err"
check "full disk: rebuild fails" 1 $?
contains "full disk: rebuild says why" "$tmp/err" "File too large"
"$indexer" stats --db "$tmp/full" >"$tmp/out" 2>&1; check "full disk: the index opens after the failed rebuild" 0 $?
after=$(grep -o '"documents": [0-9]*' "$tmp/out" | grep -o '[0-9]*$')
if [ "${after:-x}" = "${docs:-y}" ]; then echo "ok: full disk: the live index is unchanged ($after documents)"; else echo "FAIL: full disk: $after documents after the failed rebuild, $docs before"; failures=$((failures + 1)); fi
if ls -A "$tmp/full" | grep -q '^\.rebuild-'; then echo "FAIL: full disk: the rebuild left its work directory"; failures=$((failures + 1)); else echo "ok: full disk: no work directory left"; fi

echo "cli_indexer: $failures failure(s)"
[ "$failures" -eq 0 ]
