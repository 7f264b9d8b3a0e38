#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Racing readers through the
# passthrough engines: atomic-sg in both modes (sync SG_IO, async
# write/read) on the scsi_debug disk's sg node and atomic-nvme in both
# modes (ioctl, uring_cmd) on the NVMe namespace's generic char device. For each, a positive control first: writers split
# 256 KiB plain writes into 4 KiB requests (atomic-pvsync2 rwf_atomic=0 on
# the block device, max_sectors_kb lowered to 4) while the engine's own
# readers read whole units through the passthrough node of the same
# device; they must see torn units, else the engine's detector proves
# nothing. Then, with the queue as it was, the engine both writes (WRITE
# ATOMIC(16), or NVMe Writes within the atomic unit) and reads: no unit
# may be torn. Readers' reads are single commands, never split.
#
#   tear-race-passthrough.sh    (uses $LAB_SCSI_DISK, $LAB_SCSI_SG,
#                                $LAB_NVME_NS, $LAB_NVME_NG)
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
for e in atomic-sg atomic-nvme; do
	[ -f "$ENGINE_DIR/$e.so" ] ||
		fa_skip "no engine $ENGINE_DIR/$e.so: run 'make' first"
done
fa_require_cmd jq
fa_scratch_dir

# race TAG BS JOBS WRITER-SECTION READER-SECTION: one fio run with JOBS
# writers and JOBS readers on BS units; prints the readers' summed counts.
race() {
	local tag=$1 bs=$2 jobs=$3 dir=$FA_SCRATCH/$1

	mkdir -p "$dir"
	sed 's/^[[:space:]]*//' >"$dir/race.fio" <<-JOB
	[global]
	size=$((16 * ${bs%k}))k
	bs=$bs
	iodepth=4
	numjobs=$jobs
	time_based
	runtime=2

	[w]
	rw=randwrite
	$4
	tear_check=1

	[r]
	rw=randread
	$5
	tear_check=1
	JOB
	FA_FIO_DIR=$dir fa_fio race.fio >"$dir.log" 2>&1 ||
		{ echo "FAIL: $tag: fio failed" >&2; tail -n 5 "$dir.log" >&2; }
	jq -s '(map(.engine) | unique | join(",")) as $e | map(.tear) | {torn: (map(.torn) | add), intact: (map(.intact) | add),
		checked_reads: (map(.checked_reads) | add),
		mismatched: (map(.mismatched) | add),
		reasons: (map(.torn_by_reason.mixed_generation) | add),
		engines: $e}' \
		"$dir"/r.*.atomic.json 2>/dev/null
}

# check ENGINE DESC BLOCKDEV WRITER READER ATOMIC-WRITER
check() {
	local engine=$1 desc=$2 dev=$3 reader=$4 writer=$5 j torn reads
	local intact q=/sys/block/$(basename "$3")/queue max_sectors

	max_sectors=$(cat "$q/max_sectors_kb")
	if echo 4 >"$q/max_sectors_kb"; then
		# 256 KiB plain writes: 64 requests each, a wide window
		j=$(race "$desc-plain" 256k 4 \
			"ioengine=$(fa_engine atomic-pvsync2)
	filename=$dev
	direct=1
	rwf_atomic=0" "$reader")
		echo "$max_sectors" >"$q/max_sectors_kb"
		torn=$(jq -r .torn <<<"$j" 2>/dev/null)
		reads=$(jq -r .checked_reads <<<"$j" 2>/dev/null)
		if [ "$(jq -r .engines <<<"$j" 2>/dev/null)" != "$engine" ]; then
			fa_fail "positive control, $desc: no tear report from $engine readers ($j)"
		elif [ "${torn:-0}" -gt 0 ]; then
			fa_pass "positive control, $desc readers, plain writes split at max_sectors_kb=4 on $dev (4 writers, 4 readers): $torn torn of $reads reads ($(jq -r .reasons <<<"$j") mixed generations)"
		else
			fa_fail "positive control, $desc readers, plain split writes: no torn unit in ${reads:-0} reads (mismatched $(jq -r .mismatched <<<"$j" 2>/dev/null)): the detector proves nothing"
		fi
	else
		fa_fail "cannot lower $q/max_sectors_kb: no positive control for $desc"
	fi

	j=$(race "$desc-atomic" 64k 2 "$writer" "$reader")
	torn=$(jq -r .torn <<<"$j" 2>/dev/null)
	reads=$(jq -r .checked_reads <<<"$j" 2>/dev/null)
	intact=$(jq -r .intact <<<"$j" 2>/dev/null)
	if [ "$torn" = 0 ] && [ "${intact:-0}" -gt 0 ]; then
		fa_pass "$desc atomic writes and reads (2 writers, 2 readers): 0 torn of $reads reads ($intact intact units; tear rate < $(awk -v n="$intact" 'BEGIN { printf "%.6f", 1 - exp(log(0.05) / n) }'))"
	else
		fa_fail "$desc atomic writes: torn=${torn:-?} intact=${intact:-?} of ${reads:-0} reads (mismatched $(jq -r .mismatched <<<"$j" 2>/dev/null))"
	fi
}

if [ -n "${LAB_SCSI_SG:-}" ] && [ -c "$LAB_SCSI_SG" ]; then
	for mode in sync async; do
		sg="ioengine=$(fa_engine atomic-sg)
	filename=$LAB_SCSI_SG
	sg_mode=$mode"
		check atomic-sg "atomic-sg $mode" "$LAB_SCSI_DISK" "$sg" "$sg
	write_atomic=1"
	done
else
	fa_fail "no scsi_debug sg node in the lab VM (LAB_SCSI_SG='${LAB_SCSI_SG:-}')"
fi

if [ -n "${LAB_NVME_NG:-}" ] && [ -c "$LAB_NVME_NG" ]; then
	for mode in ioctl uring_cmd; do
		nvme="ioengine=$(fa_engine atomic-nvme)
	filename=$LAB_NVME_NG
	nvme_mode=$mode"
		check atomic-nvme "atomic-nvme $mode" "$LAB_NVME_NS" "$nvme" \
			"$nvme"
	done
else
	fa_fail "no NVMe generic char device in the lab VM (LAB_NVME_NG='${LAB_NVME_NG:-}')"
fi
fa_done
