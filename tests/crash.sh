#!/usr/bin/env bash
# Crash tests: `kill -9` of add at 20 random moments and of rebuild at 10, while searchd serves and a
# client searches. After each: the index opens, every quote add reported as committed is there, the old
# generation is served until a rebuild completes, no request fails; at the end, re-running the input
# gives exactly its records and no leftovers remain. Usage: crash.sh BIN_DIR DATA_DIR [SEED]
set -u
bin=$1
data=$2
RANDOM=${3:-42}  # the kill moments are random but repeatable
searchd=$bin/dixit-searchd
source "$(dirname "$0")/shell_support.sh"
moment() { printf '%d.%02d' $((RANDOM % $1)) $((RANDOM % 100)); }  # a random number of seconds below $1
documents() { "$bin/dixit-indexer" stats --db "$tmp/idx" 2>/dev/null | grep -o '"documents": [0-9]*' | grep -o '[0-9]*$'; }
# served_total: the number of quotes searchd answers a match-all with (exact).
served_total() { curl -s --max-time 5 "$url/search?exact_total=true&per_page=1" | grep -o '"total":[0-9]*' | cut -d: -f2; }
# wait_served N: until searchd serves N quotes (its workers reopen within a fraction of a second).
wait_served() {
    for _ in $(seq 50); do
        [ "$(served_total)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

count=20000
"$bin/dixit-gen-corpus" --count $count --seed 7 --data "$data" --out "$tmp/in.jsonl" >/dev/null 2>&1 || { failed "corpus"; exit 1; }
"$bin/dixit-indexer" rebuild --db "$tmp/idx" --progress=false "$data/seed.jsonl" >/dev/null 2>&1 || { failed "first index"; exit 1; }
seed_docs=$(documents)

start searchd --db "$tmp/idx" --listen 127.0.0.1:0 --threads 2 || exit 1
url=http://127.0.0.1:$port

# A client searching all along: every answer's status, one a line.
(while :; do curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$url/search?q=the&facets=tag"; done) >"$tmp/codes" &
client=$!
pids+=("$client")

# add, killed at 20 moments. Records are committed in input order, so "committed":N means the first N.
for i in $(seq 20); do
    "$bin/dixit-indexer" add --db "$tmp/idx" --progress=json --commit-interval 0.2 "$tmp/in.jsonl" >/dev/null 2>"$tmp/add.err" &
    p=$!
    sleep "$(moment 3)"
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    n=$(grep -o '"committed":[0-9]*' "$tmp/add.err" | tail -1 | cut -d: -f2)
    n=${n:-0}
    docs=$(documents)
    if [ -z "$docs" ]; then
        failed "add killed ($i): the index does not open"
        continue
    fi
    if [ "$n" -gt 0 ]; then
        id=$(sed -n "${n}p" "$tmp/in.jsonl" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
        status=000
        for _ in $(seq 30); do
            status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/quotes/$id")
            [ "$status" = 200 ] && break
            sleep 0.1
        done
        [ "$status" = 200 ] || failed "add killed ($i) after $n committed: record $n ($id) is not served ($status)"
    fi
    [ "$docs" -ge $((seed_docs + n)) ] || failed "add killed ($i): $docs documents, fewer than $seed_docs + $n committed"
done
pass "add killed 20 times: the index opened each time and served every record reported as committed"

# Re-running the input converges to exactly its records.
"$bin/dixit-indexer" add --db "$tmp/idx" --progress=false "$tmp/in.jsonl" >/dev/null 2>&1 || failed "add to completion"
if [ "$(documents)" = $((seed_docs + count)) ]; then pass "re-run add: exactly the records given"; else failed "re-run add: $(documents) documents, not $((seed_docs + count))"; fi
line=$((RANDOM % count + 1))
id=$(sed -n "${line}p" "$tmp/in.jsonl" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
text=$(sed -n "${line}p" "$tmp/in.jsonl" | grep -o '"text":"[^"]*"' | head -1)
wait_served $((seed_docs + count)) || failed "searchd does not serve the converged index"
curl -s "$url/quotes/$id" >"$tmp/quote.json"
if grep -qF -- "$text" "$tmp/quote.json"; then pass "re-run add: record $line as given"; else failed "record $line ($id) differs: $(head -c 300 "$tmp/quote.json")"; fi

# rebuild from the generated corpus alone, killed at 10 moments: the old generation (seed + corpus) is
# served until a rebuild completes (the corpus alone).
before=$((seed_docs + count))
for i in $(seq 10); do
    "$bin/dixit-indexer" rebuild --db "$tmp/idx" --progress=false "$tmp/in.jsonl" >/dev/null 2>&1 &
    p=$!
    sleep "$(moment 4)"
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    docs=$(documents)
    if [ "$docs" != "$before" ] && [ "$docs" != "$count" ]; then
        failed "rebuild killed ($i): $docs documents, neither the old $before nor the new $count"
    elif ! wait_served "$docs"; then
        failed "rebuild killed ($i): searchd serves $(served_total), the index holds $docs"
    fi
done
pass "rebuild killed 10 times: the old generation or a complete new one was served each time"

"$bin/dixit-indexer" rebuild --db "$tmp/idx" --progress=false "$tmp/in.jsonl" >/dev/null 2>&1 || failed "rebuild to completion"
wait_served $count || failed "searchd does not serve the last rebuild"
kill "$client" 2>/dev/null
wait "$client" 2>/dev/null
bad=$(grep -cv '^200$' "$tmp/codes")
total=$(grep -c . "$tmp/codes")
if [ "$bad" -eq 0 ] && [ "$total" -gt 0 ]; then pass "no failed request in $total searches"; else failed "$bad of $total searches failed: $(grep -v '^200$' "$tmp/codes" | sort | uniq -c | tr '\n' ' ')"; fi
leftovers=$(ls -A "$tmp/idx" | grep -v -e '^XAPIANDB$' -e '^\.dixit-lock$' -e '^gen-[0-9]*$')
gens=$(ls -A "$tmp/idx" | grep -c '^gen-')
if [ -z "$leftovers" ] && [ "$gens" -eq 1 ]; then pass "no leftovers after the last rebuild"; else failed "leftovers: $leftovers ($gens generations)"; fi

echo "crash: $failures failure(s)"
[ "$failures" -eq 0 ]
