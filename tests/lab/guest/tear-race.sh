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

race() { # ENGINE RWF_ATOMIC TAG BS: prints the reader's tear JSON path
	local engine=$1 atomic=$2 tag=$3 bs=$4
	fa_fio --ioengine="$(fa_engine "$engine")" --filename="$dev" \
		--size=$((16 * ${bs%k}))k --direct=1 --tear_check=1 \
		--rwf_atomic="$atomic" --time_based --runtime=4 \
		--name=w --rw=randwrite --bs="$bs" --iodepth=4 \
		--tear_report="$FA_SCRATCH/$tag-w.json" \
		--name=r --rw=randread --bs="$bs" --iodepth=4 \
		--tear_report="$FA_SCRATCH/$tag-r.json" >"$FA_SCRATCH/$tag.log" 2>&1 ||
		{ fa_fail "$tag: fio failed"; tail -n 5 "$FA_SCRATCH/$tag.log"; }
	echo "$FA_SCRATCH/$tag-r.json"
}
fa_scratch_dir

for engine in "${FA_ENGINES[@]}"; do
	echo 4 >"$q/max_sectors_kb" || fa_skip "cannot lower $q/max_sectors_kb"
	# 256 KiB plain writes: 64 requests each, a wide window to catch
	j=$(race "$engine" 0 "$engine-plain" 256k)
	echo "$max_sectors" >"$q/max_sectors_kb"
	torn=$(jq -r .torn "$j" 2>/dev/null)
	reads=$(jq -r .checked_reads "$j" 2>/dev/null)
	if [ "${torn:-0}" -gt 0 ]; then
		fa_pass "positive control, $engine plain writes split at max_sectors_kb=4: $torn torn of $reads reads ($(jq -c .torn_by_reason "$j"))"
	else
		fa_fail "positive control, $engine plain split writes: no torn unit in ${reads:-0} reads: the detector proves nothing"
	fi
	j=$(race "$engine" 1 "$engine-atomic" 64k)
	torn=$(jq -r .torn "$j" 2>/dev/null)
	reads=$(jq -r .checked_reads "$j" 2>/dev/null)
	intact=$(jq -r .intact "$j" 2>/dev/null)
	if [ "$torn" = 0 ] && [ "${intact:-0}" -gt 0 ]; then
		fa_pass "$engine RWF_ATOMIC, max_sectors_kb=$max_sectors: 0 torn of $reads reads ($intact intact units; tear rate < $(jq -r .tear_rate_upper95 "$j"))"
	else
		fa_fail "$engine RWF_ATOMIC: torn=${torn:-?} intact=${intact:-?} of ${reads:-0} reads"
	fi
done
fa_done
