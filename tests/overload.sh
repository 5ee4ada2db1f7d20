#!/usr/bin/env bash
# Overload: dixit-searchd under many connections, heavy searches and many distinct large responses (issue 13).
#  1. 2,000 idle + 500 slow-header connections (dixit-overload-client): a new client's search is answered 200
#     within 1 s, both when --max-connections leaves room for all of them and when it does not (then the
#     longest idle connection must make room; a server that did not close it would answer 503).
#  2. Searches over --max-search-ms get 503 search_timeout (nothing else but 200) while /health stays fast.
#  3. 600 distinct searches with ~140 kB answers leave the RSS within --cache-bytes plus a margin.
# The 1 s bounds are functional requirements (a stuck server takes seconds), not benchmarks.
# Usage: overload.sh BIN_DIR OVERLOAD_CLIENT DATA_DIR
set -u
bin=$1
client=$2
data=$3
searchd=$bin/dixit-searchd
source "$(dirname "$0")/shell_support.sh"

idle=2000
slow=500
cache_bytes=$((8 * 1024 * 1024))

# field NAME LINE: the value of NAME=VALUE in the client's report line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# 30,000 generated quotes: heavy enough that 64 wildcard prefixes with every facet take well over 50 ms.
"$bin/dixit-gen-corpus" --count 30000 --data "$data" --out "$tmp/corpus.jsonl"
check "corpus generated" 0 $?
"$bin/dixit-indexer" rebuild --db "$tmp/idx" --quiet --progress=false "$tmp/corpus.jsonl" >/dev/null 2>&1
check "index built" 0 $?

# 1. Connections. The client holds idle + slow + a probe; searchd needs as many plus its reserve (open_files.cpp:
#    32 + 16 per worker + 64 for 503 answers), so ask for the hard limit and skip if it stays too low.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
files=$(ulimit -n)
needed=$((idle + slow + 300))
if [ "$files" != unlimited ] && [ "$files" -lt "$needed" ]; then
    echo "skip: connections: the open files limit is $files (hard $(ulimit -Hn)), $needed needed for $idle idle + $slow slow connections"
else
    target="/search?q=war&per_page=5"
    # Room for every connection: all stay open and the new client is answered at once.
    start roomy --db "$tmp/idx" --listen 127.0.0.1:0 --threads 2 --max-connections 3000 --read-timeout-ms 30000 ||
        exit 1
    report=$("$client" "$port" "$idle" "$slow" "$target" 3)
    echo "room for all: $report"
    check "room for all: every connection made" $((idle + slow)) "$(field connected "$report")"
    check "room for all: idle connections kept" "$idle" "$(field idle_open "$report")"
    check "room for all: slow-header connections kept" "$slow" "$(field slow_open "$report")"
    check "room for all: new clients' searches answered 200" 3 "$(field probe_200 "$report")"
    ms=$(field probe_max_ms "$report")
    if [ -n "$ms" ] && [ "$ms" -lt 1000 ]; then pass "room for all: answered within 1 s ($ms ms)"; else failed "room for all: slowest new client took ${ms:-?} ms"; fi
    kill "$pid"; wait "$pid" 2>/dev/null

    # Full (--max-connections 1000 < 2,500): the longest idle connections make room for each new one.
    start full --db "$tmp/idx" --listen 127.0.0.1:0 --threads 2 --max-connections 1000 --read-timeout-ms 30000 ||
        exit 1
    report=$("$client" "$port" "$idle" "$slow" "$target" 3)
    echo "full: $report"
    check "full: new clients' searches answered 200 (idle connections closed to make room)" 3 "$(field probe_200 "$report")"
    ms=$(field probe_max_ms "$report")
    if [ -n "$ms" ] && [ "$ms" -lt 1000 ]; then pass "full: answered within 1 s ($ms ms)"; else failed "full: slowest new client took ${ms:-?} ms"; fi
    kill "$pid"; wait "$pid" 2>/dev/null
fi

# 2 and 3 share one server: a 50 ms budget and an 8 MiB cache.
start heavy --db "$tmp/idx" --listen 127.0.0.1:0 --threads 2 --max-search-ms 50 --cache-bytes "$cache_bytes" || exit 1
url=http://127.0.0.1:$port
all_facets="facets=tag,author,country,entity,context,lang,year,month"

# 2. Four clients send distinct heavy searches (64 prefixes, every facet) while /health is asked ten times.
prefixes=(th an re co st wh pe ma pr de in be wa ca lo fo mo no po sa se so to tr un we wo ha he hi
          ac al ar as at bo br ch cl cr di do dr ea el en ev ex fa fi fl fr ga gr ho im jo la li me mi mu ne)
heavy_q=$(printf '%s*+OR+' "${prefixes[@]}")
heavy_q=${heavy_q%+OR+}
mkdir -p "$tmp/heavy"
heavy_pids=()
for c in 1 2 3 4; do
    (for i in $(seq 6); do
        curl -s -o "$tmp/heavy/body.$c.$i" -w '%{http_code}\n' --max-time 20 \
            "$url/search?q=$heavy_q&$all_facets&per_page=100&facet_size=$((c * 100 + i))"
    done >"$tmp/heavy/status.$c") &
    heavy_pids+=($!)
done
sleep 0.2
slowest_health=0
health_bad=0
for _ in $(seq 10); do
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "$url/health")
    [ "${out%% *}" = 200 ] || health_bad=$((health_bad + 1))
    ms=$(awk '{printf "%d", $2 * 1000}' <<<"$out")
    [ "$ms" -gt "$slowest_health" ] && slowest_health=$ms
    sleep 0.1
done
wait "${heavy_pids[@]}"
check "/health answered 200 while heavy searches run" 0 "$health_bad"
if [ "$slowest_health" -lt 1000 ]; then pass "/health within 1 s during heavy searches (slowest $slowest_health ms)"
else failed "/health took $slowest_health ms during heavy searches"; fi
statuses=$(cat "$tmp"/heavy/status.* | sort | uniq -c | tr -s ' \n' ' ')
echo "heavy searches: $statuses(count status)"
check "heavy searches answered 200 or 503 only" "" "$(cat "$tmp"/heavy/status.* | grep -vx -e 200 -e 503)"
timeouts=0 other_503=0
for f in "$tmp"/heavy/body.*; do
    if grep -q '"error"' "$f"; then
        if grep -q '"code":"search_timeout"' "$f"; then timeouts=$((timeouts + 1)); else other_503=$((other_503 + 1)); fi
    fi
done
check "every 503 is search_timeout" 0 "$other_503"
# 64 prefixes (200 terms each) with 8 facets over 30,000 quotes take several times the 50 ms budget here
# (2 cores, 2026); a machine fast enough to answer all 24 under it would need a larger corpus.
if [ "$timeouts" -gt 0 ]; then pass "searches over --max-search-ms get 503 search_timeout ($timeouts of 24)"
else failed "no heavy search ran over --max-search-ms (50 ms): the test no longer exercises the budget"; fi

# 3. Warm up (allocator arenas, columns, the per-thread searchers) with 50 such searches, then 600 distinct
#    ones from 4 clients, ~140 kB each (84 MB in all, ten times the cache). The margin: 64 MiB for what is not the cache
#    (two workers' and the io thread's malloc arenas holding freed response buffers, up to 4 requests' bodies
#    and facet counts in flight, and glibc fragmentation); a cache that ignored its bound would add ~80 MB.
page="$all_facets&per_page=100"
# urls FILE FIRST LAST EXTRA: a curl config asking for the searches facet_size=FIRST..LAST (one connection).
urls() {
    for i in $(seq "$2" "$3"); do
        echo "url = \"$url/search?$page&facet_size=$i$4\""
        echo 'output = "/dev/null"'
    done >"$1"
}
urls "$tmp/warm" 1 50 "&page=3"
curl -s -K "$tmp/warm" >/dev/null
base_kb=$(rss_kb "$pid")
distinct_pids=()
for c in 0 1 2 3; do
    urls "$tmp/distinct.$c" $((c * 150 + 1)) $((c * 150 + 150)) "&page=2"
    curl -s --max-time 40 -K "$tmp/distinct.$c" -w '%{http_code}\n' >"$tmp/distinct.status.$c" &
    distinct_pids+=($!)
done
wait "${distinct_pids[@]}"
cat "$tmp"/distinct.status.* >"$tmp/distinct.status"
after_kb=$(rss_kb "$pid")
# This server keeps --max-search-ms 50: on a loaded machine (ctest -j2) a few of these searches may run over it
# and answer 503 search_timeout; what this part measures is memory, so both count as answered.
check "600 distinct searches answered (200, or 503 over the 50 ms budget)" 600 "$(grep -cx -e 200 -e 503 "$tmp/distinct.status")"
answered_200=$(grep -cx 200 "$tmp/distinct.status")
if [ "$answered_200" -ge 540 ]; then pass "distinct searches: $answered_200 of 600 answered 200"
else failed "only $answered_200 of 600 distinct searches answered 200: the cache would not be exercised"; fi
growth_kb=$((after_kb - base_kb))
limit_kb=$((cache_bytes / 1024 + 64 * 1024))
echo "rss: baseline $base_kb kB, after 600 distinct searches $after_kb kB, growth $growth_kb kB, allowed $limit_kb kB"
if [ "$growth_kb" -le "$limit_kb" ]; then pass "RSS growth within --cache-bytes + 64 MiB"
else failed "RSS grew by $growth_kb kB, over --cache-bytes + 64 MiB ($limit_kb kB)"; fi
kill -0 "$pid" 2>/dev/null
check "searchd still running" 0 $?

echo "overload: $failures failure(s)"
[ "$failures" -eq 0 ]
