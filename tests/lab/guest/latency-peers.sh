#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Completion latency is taken where
# fio's own engines take it: at QD1, 4 KiB random writes, atomic-uring
# (rwf_atomic=0) against fio's io_uring on the scsi_debug disk with a
# fixed 1 ms command delay (ndelay), and atomic-nvme (nvme_mode=uring_cmd)
# against fio's io_uring_cmd on the NVMe generic node (QEMU's NVMe takes
# about 200 us per write under TCG). Each side runs 5 times for 1 s, the
# two sides alternating, so that a stall of the VM falls on one run of
# one side, not on a whole side; the medians of the 5 clat p50s must be
# within 25% of each other, and with the fixed delay both within 25% of
# the delay as this VM's timers give it: scsi_debug completes a delayed
# command from an hrtimer, and under TCG those fire late (usleep(1000)
# takes about 1.3 ms here against 1.1 ms on the host), so the delay is
# measured with usleep first.
#
# What this checks is where the clock starts and stops: a service time
# the engine cannot shorten, so that what differs is the accounting. With
# no delay at all the figure is the engines' own cost per write, which is
# speed: `make bench` measures it (the QD1 points, paired against fio's
# engines). Under TCG, scsi_debug with delay=0, atomic-uring's p50 was
# 1.3 and 2.8 us above fio's io_uring at 9-10 us (medians of 5
# alternating runs), and 5 us in one 3 s run, with the same two
# io_uring_enter calls per write on both sides (strace -c).
#
#   latency-peers.sh SCSI-DISK NVME-NG
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
fa_require_cmd jq
disk=${1:?usage: latency-peers.sh SCSI-DISK NVME-NG}
ng=${2:?usage: latency-peers.sh SCSI-DISK NVME-NG}
sdebug=/sys/bus/pseudo/drivers/scsi_debug
fa_scratch_dir

# p50 SIDE FIO-ARGS...: the write clat p50 in ns of one 1 s run
p50() {
	local side=$1 out=$FA_SCRATCH/$1.json
	shift
	FA_FIO_DIR=$FA_SCRATCH fa_fio --output-format=json --output="$out" \
		--name=lat --rw=randwrite --bs=4k --iodepth=1 --size=16m \
		--time_based --runtime=1 --randrepeat=0 "$@" \
		>"$FA_SCRATCH/$side.log" 2>&1 || {
		echo "FAIL: $side: fio failed: $(tail -n 3 "$FA_SCRATCH/$side.log")" >&2
		echo 0
		return
	}
	jq -r '.jobs[0].write.clat_ns.percentile["50.000000"]' "$out"
}

# median N...: the middle one of an odd number of integers
median() {
	printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
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
	local as=() bs=() i
	for i in 1 2 3 4 5; do
		as+=("$(p50 "$tag-ours" "${ours[@]}")")
		bs+=("$(p50 "$tag-peer" "${peer[@]}")")
	done
	a=$(median "${as[@]}")
	b=$(median "${bs[@]}")
	echo "pair: $tag: ours clat p50 ${as[*]} ns, fio's ${bs[*]} ns"
	echo "pair: $tag: medians ours $a ns, fio's $b ns"
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
echo 0 >"$sdebug/delay" || fa_skip "cannot set scsi_debug's delay"
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
