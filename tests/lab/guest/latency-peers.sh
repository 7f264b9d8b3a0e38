#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Completion latency is taken where
# fio's own engines take it: at QD1, 4 KiB random writes, 3 s per run,
# atomic-uring (rwf_atomic=0) against fio's io_uring on the scsi_debug
# disk, once with no command delay and once with a fixed 1 ms (ndelay),
# and atomic-nvme (nvme_mode=uring_cmd) against fio's io_uring_cmd on the
# NVMe generic node. Each pair's clat p50 must be within 25% of each
# other; with the fixed delay, both within 25% of the delay as this VM's
# timers give it: scsi_debug completes a delayed command from an hrtimer,
# and under TCG those fire late (usleep(1000) takes about 1.3 ms here
# against 1.1 ms on the host), so the delay is measured with usleep first.
#
#   latency-peers.sh SCSI-DISK NVME-NG
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
command -v jq >/dev/null || fa_skip "jq not found"
disk=${1:?usage: latency-peers.sh SCSI-DISK NVME-NG}
ng=${2:?usage: latency-peers.sh SCSI-DISK NVME-NG}
sdebug=/sys/bus/pseudo/drivers/scsi_debug
fa_scratch_dir

# p50 SIDE FIO-ARGS...: the write clat p50 in ns of one 3 s run
p50() {
	local side=$1 out=$FA_SCRATCH/$1.json
	shift
	FA_FIO_DIR=$FA_SCRATCH fa_fio --output-format=json --output="$out" \
		--name=lat --rw=randwrite --bs=4k --iodepth=1 --size=16m \
		--time_based --runtime=3 --randrepeat=0 "$@" \
		>"$FA_SCRATCH/$side.log" 2>&1 || {
		echo "FAIL: $side: fio failed: $(tail -n 3 "$FA_SCRATCH/$side.log")" >&2
		echo 0
		return
	}
	jq -r '.jobs[0].write.clat_ns.percentile["50.000000"]' "$out"
}

# within A B PCT: |A - B| <= PCT% of B
within() {
	[ "$(echo "d = $1 - $2; if (d < 0) d = -d; d * 100 <= $3 * $2" | bc)" = 1 ]
}

pair() { # TAG DELAY-NS OURS-ARGS -- PEER-ARGS
	local tag=$1 delay=$2 ours=() peer=() a b
	shift 2
	while [ "$1" != -- ]; do ours+=("$1"); shift; done
	shift
	peer=("$@")
	a=$(p50 "$tag-ours" "${ours[@]}")
	b=$(p50 "$tag-peer" "${peer[@]}")
	echo "pair: $tag: ours clat p50 $a ns, fio's $b ns"
	if [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && within "$a" "$b" 25; then
		fa_pass "$tag: clat p50 ours $((a / 1000)) us, fio's $((b / 1000)) us: within 25%"
	else
		fa_fail "$tag: clat p50 ours $a ns, fio's $b ns: more than 25% apart"
	fi
	[ "$delay" = 0 ] && return
	for v in "$a" "$b"; do
		within "$v" "$delay" 25 ||
			fa_fail "$tag: clat p50 $v ns is not within 25% of the delay, $delay ns"
	done
	within "$a" "$delay" 25 && within "$b" "$delay" 25 &&
		fa_pass "$tag: both within 25% of the delay, $((delay / 1000)) us"
}

uring=(--ioengine="$(fa_engine atomic-uring)" --rwf_atomic=0 --direct=1
       --filename="$disk" --atomic_report="$FA_SCRATCH/report.json")
echo 0 >"$sdebug/ndelay" && echo 0 >"$sdebug/delay" ||
	fa_skip "cannot set scsi_debug's delay"
pair "scsi_debug delay=0" 0 "${uring[@]}" -- \
	--ioengine=io_uring --direct=1 --filename="$disk"
# the median of 200 sleeps of 1 ms: what a 1 ms hrtimer takes here
timer=$(perl -MTime::HiRes=time,usleep -e 'for (1..200) { $t = time;
	usleep(1000); push @v, (time - $t) * 1e9 } @v = sort { $a <=> $b } @v;
	printf "%.0f", $v[100]') || fa_skip "perl's Time::HiRes is missing"
echo "a 1 ms sleep takes $((timer / 1000)) us in this VM (median of 200)"
echo 1000000 >"$sdebug/ndelay" || fa_skip "cannot set scsi_debug's ndelay"
pair "scsi_debug ndelay=1ms" "$timer" "${uring[@]}" -- \
	--ioengine=io_uring --direct=1 --filename="$disk"
echo 0 >"$sdebug/ndelay"

pair "NVMe uring_cmd" 0 \
	--ioengine="$(fa_engine atomic-nvme)" --nvme_mode=uring_cmd \
	--filename="$ng" --atomic_report="$FA_SCRATCH/report.json" -- \
	--ioengine=io_uring_cmd --cmd_type=nvme --filename="$ng"

fa_done
