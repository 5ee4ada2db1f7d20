# Shared by the shell tests that run the real binaries: a temporary directory removed at exit with every
# process started into pids, pass/failed counters, and start NAME ARGS... for dixit-searchd.
# Source it after setting searchd (the dixit-searchd binary to start).
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
pass() { echo "ok: $1"; }
failed() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() {  # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then pass "$1"; else failed "$1: expected '$2', got '$3'"; fi
}
contains() {  # contains NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then pass "$1"; else failed "$1: '$3' not in $2:"; head -c 600 "$2"; echo; fi
}
status_of() {  # status_of CURL_ARGS... -> the HTTP status (000 when there was no response)
    curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 "$@"
}
# start NAME ARGS...: runs searchd in the background on a free port; sets $pid and $port (empty on failure).
# With nofile set (nofile='-Sn 300'), under that ulimit.
start() {
    local name=$1
    shift
    if [ -n "${nofile:-}" ]; then
        # shellcheck disable=SC2086
        (ulimit $nofile && exec "$searchd" "$@") 2>"$tmp/$name.err" &
    else
        "$searchd" "$@" 2>"$tmp/$name.err" &
    fi
    pid=$!
    pids+=("$pid")
    port=""
    for _ in $(seq 100); do
        port=$(sed -n 's|^dixit-searchd listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$tmp/$name.err")
        [ -n "$port" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    failed "$name did not start:"
    cat "$tmp/$name.err"
    return 1
}
