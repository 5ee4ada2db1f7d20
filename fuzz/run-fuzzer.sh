#!/usr/bin/env bash
# run-fuzzer.sh FUZZER SEEDS WORK SECONDS: runs one libFuzzer target for SECONDS on a fresh copy of its
# seeds (WORK/corpus); a crash, leak, timeout (10 s an input) or RSS over 2 GB fails, and the input is kept
# as WORK/crash-* etc. for tests/fuzz-regressions/<target>/.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
[ -d "$seeds" ] || { echo "run-fuzzer: no seeds in $seeds (build the dixit-fuzzers target)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/corpus"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export TMPDIR=$work
# A dictionary of the target's keywords, when fuzz/ has one (fuzz/<target>.dict).
dict=()
target=$(basename "$seeds")
[ -f "$(dirname "$0")/$target.dict" ] && dict=(-dict="$(dirname "$0")/$target.dict")
if ! "$fuzzer" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
     -artifact_prefix="$work/" "$work/corpus" "$seeds" 2>"$work/log"; then
  tail -n 80 "$work/log"
  echo "run-fuzzer: $(basename "$fuzzer") failed; the input is in:"
  ls -d "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null || true
  exit 1
fi
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log" || true
