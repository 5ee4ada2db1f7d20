#!/usr/bin/env bash
# A real full disk: a small tmpfs mounted inside the test holds the index while dixit-searchd serves it.
# add and rebuild must fail with a clear message, keep every committed quote, and leave the live index
# serving. Needs root (or CAP_SYS_ADMIN) for the mount: without it the test says why and is skipped (77).
# Usage: disk_full.sh BIN_DIR DATA_DIR
set -u
bin=$1
data=$2
indexer=$bin/dixit-indexer
searchd=$bin/dixit-searchd
source "$(dirname "$0")/shell_support.sh"

disk=$tmp/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=24m tmpfs "$disk" 2>"$tmp/mount.err"; then
    echo "skip: cannot mount a tmpfs here ($(cat "$tmp/mount.err")); the file-size limit test in cli_indexer.sh still runs"
    exit 77
fi
unmount() { umount -l "$disk" 2>/dev/null; cleanup; }
trap unmount EXIT

documents() {  # the document count of the live index, from dixit-indexer stats
    "$indexer" stats --db "$disk/idx" 2>/dev/null | grep -o '"documents": [0-9]*' | grep -o '[0-9]*$'
}
seed_count=$(grep -c . "$data/seed.jsonl")
"$indexer" rebuild --db "$disk/idx" --quiet --progress=false "$data/seed.jsonl" >/dev/null 2>&1
check "rebuild on the small disk" 0 $?
start main --db "$disk/idx" --listen 127.0.0.1:0 --threads 2 || { echo "disk_full: cannot go on"; exit 1; }
url=http://127.0.0.1:$port
check "searchd serves the index" 200 "$(status_of "$url/search?q=the")"

# Fill the disk but for 2 MiB: a few commits of add fit, then one does not.
free_kb=$(df -k --output=avail "$disk" | tail -1 | tr -d ' ')
dd if=/dev/zero of="$disk/filler" bs=1K count=$((free_kb - 2048)) 2>/dev/null
echo "disk: $(df -k --output=avail "$disk" | tail -1 | tr -d ' ') KiB free"

# add: the commit that does not fit fails, the run ends with the reason, the committed quotes stay.
"$indexer" add --db "$disk/idx" --batch 300 --progress=json --rejects "$tmp/rejects" \
    "$data/real/quotable.jsonl" "$data/real/fortunes-multilingual.jsonl" >/dev/null 2>"$tmp/add.err"
check "add on a full disk fails" 1 $?
contains "add says why" "$tmp/add.err" "No space left on device"
grep -v "^{" "$tmp/add.err" | head -3
committed=$(grep -o '"committed":[0-9]*' "$tmp/add.err" | tail -1 | grep -o '[0-9]*$')
after_add=$(documents)
if [ -n "$after_add" ] && [ "$after_add" -ge "$((seed_count + ${committed:-0}))" ]; then
    pass "every committed quote is kept ($after_add documents: $seed_count rebuilt, ${committed:-0} reported committed by add)"
else
    failed "after the failed add: '${after_add}' documents, expected at least $seed_count + ${committed:-0}"
fi
check "searchd still serves after the failed add" 200 "$(status_of "$url/search?q=the")"
check "searchd still healthy after the failed add" 200 "$(status_of "$url/health")"

# rebuild: fails with the reason, the old generation stays live and served, no work directory is left.
"$indexer" rebuild --db "$disk/idx" --progress=false "$data/real/quotable.jsonl" \
    "$data/real/fortunes-multilingual.jsonl" >/dev/null 2>"$tmp/rebuild.err"
check "rebuild on a full disk fails" 1 $?
contains "rebuild says why" "$tmp/rebuild.err" "No space left on device"
check "the live index is unchanged by the failed rebuild" "$after_add" "$(documents)"
if ls -A "$disk/idx" | grep -q '^\.rebuild-'; then
    failed "the failed rebuild left its work directory: $(ls -A "$disk/idx" | tr '\n' ' ')"
else
    pass "no work directory left"
fi
check "searchd still serves after the failed rebuild" 200 "$(status_of "$url/search?q=the")"
total=$(curl -s "$url/search?exact_total=true&per_page=1" | grep -o '"total":[0-9]*' | grep -o '[0-9]*$')
check "searchd serves every kept quote" "$after_add" "${total:-none}"

# With room again, add works and searchd sees it.
rm -f "$disk/filler"
"$indexer" add --db "$disk/idx" --quiet --progress=false "$data/real/quotable.jsonl" >/dev/null 2>&1
check "add works again once there is room" 0 $?
kill -0 "$pid" 2>/dev/null && pass "searchd never stopped" || failed "searchd exited"

echo "disk_full: $failures failure(s)"
[ "$failures" -eq 0 ]
