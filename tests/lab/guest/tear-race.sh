#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Racing readers: writers overwrite
# stamped 64 KiB units while readers read them; every read unit is
# classified. The positive control first: plain writes on a queue whose
# max_sectors_kb is lowered to 4 are split into 16 requests, and the
# readers must see torn units (else the detector proves nothing). Then,
# with the queue as it was, the same workload with RWF_ATOMIC must show
# none, for both engines. (Reads are not atomic: on the lowered queue a
# 64 KiB read is split too and can mix two whole atomic writes, so the
# atomic run must not be judged there.)
#
#   tear-race.sh DEV
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
dev=${1:?usage: tear-race.sh DEV}
disk=$(basename "$dev")
q=/sys/block/$disk/queue
max_sectors=$(cat "$q/max_sectors_kb")

race() { # ENGINE RWF_ATOMIC TAG BS JOBS: prints the readers' summed counts
	local engine=$1 atomic=$2 tag=$3 bs=$4 jobs=$5 dir=$FA_SCRATCH/$3

	mkdir -p "$dir"
	# Several writers and readers: each job writes <job>.<n>.<time>-<pid>.atomic.json
	FA_FIO_DIR=$dir fa_fio --ioengine="$(fa_engine "$engine")" \
		--filename="$dev" --size=$((16 * ${bs%k}))k --direct=1 \
		--tear_check=1 --rwf_atomic="$atomic" --time_based --runtime=2 \
		--numjobs="$jobs" \
		--name=w --rw=randwrite --bs="$bs" --iodepth=4 \
		--name=r --rw=randread --bs="$bs" --iodepth=4 \
		>"$dir.log" 2>&1 ||
		{ echo "FAIL: $tag: fio failed" >&2; tail -n 5 "$dir.log" >&2; }
	jq -s 'map(.tear) | {torn: (map(.torn) | add), intact: (map(.intact) | add),
		checked_reads: (map(.checked_reads) | add),
		reasons: (map(.torn_by_reason.mixed_generation) | add)}' \
		"$dir"/r.*.atomic.json
}
fa_scratch_dir

for engine in "${FA_ENGINES[@]}"; do
	echo 4 >"$q/max_sectors_kb" || fa_skip "cannot lower $q/max_sectors_kb"
	# 256 KiB plain writes: 64 requests each, a wide window to catch
	j=$(race "$engine" 0 "$engine-plain" 256k 4)
	echo "$max_sectors" >"$q/max_sectors_kb"
	torn=$(jq -r .torn <<<"$j" 2>/dev/null)
	reads=$(jq -r .checked_reads <<<"$j" 2>/dev/null)
	if [ "${torn:-0}" -gt 0 ]; then
		fa_pass "positive control, $engine plain writes split at max_sectors_kb=4 (4 writers, 4 readers): $torn torn of $reads reads ($(jq -r .reasons <<<"$j") mixed generations)"
	else
		fa_fail "positive control, $engine plain split writes: no torn unit in ${reads:-0} reads: the detector proves nothing"
	fi
	j=$(race "$engine" 1 "$engine-atomic" 64k 2)
	torn=$(jq -r .torn <<<"$j" 2>/dev/null)
	reads=$(jq -r .checked_reads <<<"$j" 2>/dev/null)
	intact=$(jq -r .intact <<<"$j" 2>/dev/null)
	if [ "$torn" = 0 ] && [ "${intact:-0}" -gt 0 ]; then
		fa_pass "$engine RWF_ATOMIC, max_sectors_kb=$max_sectors (2 writers, 2 readers): 0 torn of $reads reads ($intact intact units; tear rate < $(awk -v n="$intact" 'BEGIN { printf "%.6f", 1 - exp(log(0.05) / n) }'))"
	else
		fa_fail "$engine RWF_ATOMIC: torn=${torn:-?} intact=${intact:-?} of ${reads:-0} reads"
	fi
done
fa_done
