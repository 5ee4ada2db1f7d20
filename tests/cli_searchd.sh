#!/usr/bin/env bash
# End-to-end checks of the dixit-searchd binary over real HTTP: flags, exit statuses, limits, keep-alive,
# shutdown. Needs bash and curl only. Usage: cli_searchd.sh BIN_DIR DATA_DIR
set -u
bin=$1
data=$2
searchd=$bin/dixit-searchd
source "$(dirname "$0")/shell_support.sh"

# raw PORT BYTES: sends BYTES as-is on a new connection and prints what comes back (bash's /dev/tcp).
raw() {
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return
    printf '%b' "$2" >&3
    timeout 5 cat <&3
    exec 3<&-
}

# A small index to serve.
"$bin/dixit-indexer" rebuild --db "$tmp/idx" --quiet --progress=false "$data/seed.jsonl" >/dev/null 2>&1
check "index built" 0 $?

# Usage and startup failures.
"$searchd" --help >"$tmp/out" 2>&1; check "--help" 0 $?
contains "--help lists the limits with defaults" "$tmp/out" "--max-body-bytes BYTES (=65536)"
contains "--help names the environment variables" "$tmp/out" "DIXIT_LISTEN"
"$searchd" --db "$tmp/idx" --frobnicate >/dev/null 2>&1; check "unknown flag" 2 $?
"$searchd" --db "$tmp/idx" stray >/dev/null 2>&1; check "stray argument" 2 $?
"$searchd" --db "$tmp/idx" --threads -1 >/dev/null 2>&1; check "negative number" 2 $?
printf "k3y\n" >"$tmp/open.key"; chmod 644 "$tmp/open.key"
"$searchd" --db "$tmp/idx" --write-key-file "$tmp/open.key" >/dev/null 2>"$tmp/err"; check "a key file others can read" 2 $?
grep -q "chmod 600" "$tmp/err" || { echo "FAIL: key file mode: no message"; failures=$((failures + 1)); }
: >"$tmp/empty.key"; chmod 600 "$tmp/empty.key"
"$searchd" --db "$tmp/idx" --read-key-file "$tmp/empty.key" >/dev/null 2>&1; check "an empty key file" 2 $?
"$searchd" --db "$tmp/idx" --listen nonsense:port >/dev/null 2>&1; check "bad --listen" 2 $?
"$searchd" --listen 127.0.0.1:0 >/dev/null 2>"$tmp/err"; check "no --db" 2 $?
contains "no --db says so" "$tmp/err" "--db"
"$searchd" --db "$tmp/no-such-index" --listen 127.0.0.1:0 >/dev/null 2>"$tmp/err"; check "missing index" 1 $?
contains "missing index named" "$tmp/err" "no-such-index"

# What a killed indexer leaves behind; the start below removes it (no indexer holds the lock).
mkdir -p "$tmp/idx/.rebuild-77/shard-0" "$tmp/idx/gen-5"
: >"$tmp/idx/.stdin-1"

# The server under test, with small limits so that the oversized requests stay small.
start main --db "$tmp/idx" --listen 127.0.0.1:0 --threads 2 --access-log --max-body-bytes 1000 \
    --max-url-bytes 500 --max-header-bytes 2000 --read-timeout-ms 1000 || { echo "cli_searchd: cannot go on"; exit 1; }
main_pid=$pid
url=http://127.0.0.1:$port

check "/health" 200 "$(status_of "$url/health")"
if [ -e "$tmp/idx/.rebuild-77" ] || [ -e "$tmp/idx/gen-5" ] || [ -e "$tmp/idx/.stdin-1" ]; then
    failed "searchd's start removes an indexer's leftovers: $(ls -a "$tmp/idx" | tr '\n' ' ')"
else
    pass "searchd's start removes an indexer's leftovers, not the live generation"
fi
check "/metrics" 200 "$(status_of "$url/metrics")"
contains "/metrics has the request counter" "$tmp/body" 'dixit_requests_total{route="/health",status="200"} 1'
contains "/metrics has the histogram" "$tmp/body" 'dixit_request_duration_seconds_bucket{le="+Inf"}'
check "unknown route" 404 "$(status_of "$url/no/such/route")"
contains "unknown route: JSON error" "$tmp/body" '"code":"not_found"'
check "search" 200 "$(status_of "$url/search?q=the")"

# HEAD: GET's headers, no body.
curl -s -D "$tmp/get.h" -o /dev/null "$url/health"
curl -s -I "$url/health" >"$tmp/head.h"
check "HEAD: same Content-Length as GET" "$(grep -i '^content-length' "$tmp/get.h")" "$(grep -i '^content-length' "$tmp/head.h")"
contains "Server header" "$tmp/head.h" "Server: dixit"
check "HTTP/1.0" 200 "$(status_of --http1.0 "$url/health")"

# Keep-alive: two URLs in one curl run share one connection (the second needs no new connect).
check "keep-alive" "1 0 " "$(curl -s -w '%{num_connects} ' -o /dev/null "$url/health" -o /dev/null "$url/metrics")"

# Limits.
head -c 5000 /dev/zero | tr '\0' 'x' >"$tmp/big"
check "body over --max-body-bytes: 413" 413 "$(status_of -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/big" "$url/search")"
contains "413: JSON error" "$tmp/body" '"code":"body_too_large"'
check "413 without Expect: 100-continue" 413 "$(status_of -X POST -H 'Expect:' --data-binary @"$tmp/big" "$url/search")"
long=$(head -c 800 /dev/zero | tr '\0' 'a')
check "target over --max-url-bytes: 414" 414 "$(status_of "$url/search?q=$long")"
longer=$(head -c 3000 /dev/zero | tr '\0' 'a')
check "request line over --max-header-bytes: 414" 414 "$(status_of "$url/search?q=$longer")"
check "headers over --max-header-bytes: 431" 431 "$(status_of -H "X-Big: $longer" "$url/health")"
contains "431: JSON error" "$tmp/body" '"code":"headers_too_large"'
raw "$port" 'GET /health HTTP/1.1\r\nHost: x\r\n' >"$tmp/raw"
contains "request not finished within --read-timeout-ms: 408" "$tmp/raw" "HTTP/1.1 408"
raw "$port" 'GET /health HTTP/7.0\r\n\r\n' >"$tmp/raw"
contains "malformed request: 400" "$tmp/raw" "HTTP/1.1 400"
contains "malformed request: JSON error" "$tmp/raw" "malformed HTTP request"

# The Host header (against DNS rebinding): the listen address and localhost names are answered.
check "Host: localhost" 200 "$(status_of -H "Host: localhost:$port" "$url/health")"
check "Host of another site: 403" 403 "$(status_of -H 'Host: evil.example' "$url/search?q=the")"
contains "403: JSON error" "$tmp/body" '"code":"host_not_allowed"'
raw "$port" 'GET /health HTTP/1.0\r\n\r\n' >"$tmp/raw"
contains "HTTP/1.0 without Host: 200" "$tmp/raw" "HTTP/1.0 200"
raw "$port" 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n' >"$tmp/raw"
contains "two Host headers: 400" "$tmp/raw" "HTTP/1.1 400"
check "still serving after the errors" 200 "$(status_of "$url/health")"
contains "access log line" "$tmp/main.err" " 127.0.0.1 GET /health 200 "

# Over --max-connections (set through the environment) with none idle: 503 overloaded, then close.
DIXIT_MAX_CONNECTIONS=1 start limited --db "$tmp/idx" --listen 127.0.0.1:0 --threads 1 && {
    exec 4<>"/dev/tcp/127.0.0.1/$port"  # holds the one allowed connection, in the middle of a request
    printf 'GET /health HTTP/1.1\r\n' >&4
    sleep 0.2
    check "over --max-connections: 503" 503 "$(status_of "http://127.0.0.1:$port/health")"
    contains "503: JSON error" "$tmp/body" '"code":"overloaded"'
    exec 4<&-
    for _ in $(seq 20); do  # the server notices the close asynchronously
        [ "$(status_of "http://127.0.0.1:$port/health")" = 200 ] && break
        sleep 0.1
    done
    check "connection freed: 200" 200 "$(status_of "http://127.0.0.1:$port/health")"
    kill -TERM "$pid"
    wait "$pid"
    check "second server: SIGTERM exit status" 0 $?
}

# Full of idle keep-alive connections: the one idle longest is closed, and a new client is served at once.
start idle --db "$tmp/idx" --listen 127.0.0.1:0 --threads 1 --max-connections 8 && {
    idle=()
    for _ in $(seq 8); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$port"
        printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"  # answered, then idle
        idle+=("$fd")
        sleep 0.05
    done
    sleep 0.2
    check "8 idle connections of 8: a new client is answered within 1 s" 200 \
        "$(status_of --max-time 1 "http://127.0.0.1:$port/health")"
    timeout 1 cat <&"${idle[0]}" >/dev/null
    check "the connection idle longest was closed" 0 $?
    timeout 0.3 cat <&"${idle[1]}" >/dev/null
    check "the next one is still open" 124 $?
    for fd in "${idle[@]}"; do exec {fd}<&-; done
    kill -TERM "$pid"
    wait "$pid"
}

# Open files: the soft limit is raised to the hard one; when even that is short, --max-connections is
# lowered so that the index can still be reopened (2 workers keep 64 descriptors, and 64 for 503 answers).
nofile='-Sn 300' start raised --db "$tmp/idx" --listen 127.0.0.1:0 --threads 1 && {
    contains "soft open files limit raised" "$tmp/raised.err" "open files limit raised from 300 to $(ulimit -Hn)"
    kill -TERM "$pid"
    wait "$pid"
}
nofile='-n 200' start lowered --db "$tmp/idx" --listen 127.0.0.1:0 --threads 1 && {
    contains "--max-connections lowered to what 200 files leave" "$tmp/lowered.err" "--max-connections 1024 lowered to 72"
    check "still serving" 200 "$(status_of "http://127.0.0.1:$port/health")"
    kill -TERM "$pid"
    wait "$pid"
}

# --allowed-hosts (through the environment) adds names; a list with something else is a usage error.
DIXIT_ALLOWED_HOSTS=dixit.lan,search.example.org start hosts --db "$tmp/idx" --listen 127.0.0.1:0 --threads 1 && {
    check "--allowed-hosts: a listed name" 200 "$(status_of -H 'Host: dixit.lan:8080' "http://127.0.0.1:$port/health")"
    check "--allowed-hosts: the listen address still" 200 "$(status_of "http://127.0.0.1:$port/health")"
    check "--allowed-hosts: another name" 403 "$(status_of -H 'Host: other.lan' "http://127.0.0.1:$port/health")"
    kill -TERM "$pid"
    wait "$pid"
}
"$searchd" --db "$tmp/idx" --listen 127.0.0.1:0 --allowed-hosts 'http://dixit.lan' >/dev/null 2>"$tmp/err"
check "bad --allowed-hosts" 2 $?
contains "bad --allowed-hosts says which" "$tmp/err" "'http://dixit.lan' is not a host name"

# Port in use (listen address from the environment): one sentence, exit 1.
DIXIT_DB=$tmp/idx DIXIT_LISTEN=127.0.0.1:${url##*:} "$searchd" >/dev/null 2>"$tmp/err"
check "port in use" 1 $?
contains "port in use: plain message" "$tmp/err" "cannot listen on 127.0.0.1:"

# SIGTERM with an idle keep-alive connection open: exits 0 promptly anyway.
exec 5<>"/dev/tcp/127.0.0.1/${url##*:}"
kill -TERM "$main_pid"
for _ in $(seq 50); do kill -0 "$main_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$main_pid" 2>/dev/null && failed "still running 5 s after SIGTERM"
wait "$main_pid"
check "SIGTERM exit status" 0 $?
exec 5<&-
contains "stop reported" "$tmp/main.err" "dixit-searchd: stopped"

echo "cli_searchd: $failures failure(s)"
[ "$failures" -eq 0 ]
