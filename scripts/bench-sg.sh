#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-sg against fio's own sg engine, in one lab VM boot, on
# the same scsi_debug disk (delay=0) through its sg node: random writes of
# 4 KiB and 16 KiB at queue depth 1 and 32, in paired runs, per point the
# median of the pairs' IOPS ratios with its 95% confidence interval and a
# verdict; CPU time per write for each side (scripts/bench-lib.sh).
#
# Against fio both sides send plain writes: atomic-sg with write_atomic=0
# (WRITE(16)), fio's sg engine WRITE(10) (below LBA 2^32, which is all of a
# 64 MiB disk); both through the sg driver's asynchronous write/read
# interface. The driver takes at most 16 commands per open file, where
# fio's sg engine stops with EDOM, so queue depth 32 is two jobs of 16 for
# both sides. Then the cost of tear checking: atomic-sg's WRITE ATOMIC(16)
# with tear_check=1 (every logical block of every write stamped) against
# the same without, with the same statistics.
#
#   scripts/bench-sg.sh            boots the lab VM and runs itself inside
#
# Environment: BENCH_RUNTIME (s per run, 3), BENCH_MIN_PAIRS (10),
# BENCH_MAX_PAIRS (40), BENCH_TOLERANCE (0.02), BENCH_PARTS ("peer
# stamp"), BENCH_POINTS (an extended regular expression on the
# comparisons' names, e.g. 'peer 1 4k'), BENCH_LAB_TIMEOUT (s, 14400).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
. "$top/scripts/bench-lib.sh"
engine=$BUILD/engines/atomic-sg.so
bench_lab bench-sg "$engine" "${1:-}" --sd-param delay=0 --nvme off
sg=${LAB_SCSI_SG:?bench-sg: --in-lab runs inside tests/lab/lab-run}

# bench_run "SIDE QD BS": one run; prints "IOPS CPU_US_PER_IO". SIDE is
# plain (atomic-sg, WRITE(16)), fio (fio's sg, WRITE(10)), atomic
# (atomic-sg, WRITE ATOMIC(16)) or stamped (the same with tear_check=1).
bench_run() {
	local side qd bs args

	read -r side qd bs <<<"$1"
	case $side in
	plain)	args=(--ioengine=external:"$engine" --sg_mode=async
		      --write_atomic=0) ;;
	fio)	args=(--ioengine=sg) ;;
	atomic)	args=(--ioengine=external:"$engine" --sg_mode=async) ;;
	stamped) args=(--ioengine=external:"$engine" --sg_mode=async
		       --tear_check=1
		       --tear_report="$work/tear.\$jobnum.json") ;;
	esac
	# the driver's 16 commands per open file: QD32 is 2 jobs of 16
	if [ "$qd" = 32 ]; then
		args+=(--iodepth=16 --numjobs=2)
	else
		args+=(--iodepth="$qd" --numjobs=1)
	fi
	if ! "$FIO" --output-format=json --output=point.json --name=b \
		--filename="$sg" --rw=randwrite --size=32m --time_based \
		--runtime="$BENCH_RUNTIME" --ramp_time=1 --randseed="$bench_seed" \
		--group_reporting --bs="$bs" "${args[@]}" >point.log 2>&1 ||
	   [ "$(jq -r '.jobs[0].error' point.json)" != 0 ]; then
		echo "bench-sg: fio failed: $1" >&2
		cat point.log >&2
		exit 1
	fi
	bench_fio_figures point.json
}

points=("1 4k" "1 16k" "32 4k" "32 16k")
for p in "${points[@]}"; do
	if [[ " $BENCH_PARTS " == *" peer "* && "peer $p" =~ $BENCH_POINTS ]]; then
		bench_add "peer $p" "plain $p" "fio $p" "the peer"
	fi
	if [[ " $BENCH_PARTS " == *" stamp "* && "stamp $p" =~ $BENCH_POINTS ]]; then
		bench_add "stamp $p" "stamped $p" "atomic $p" "unstamped"
	fi
done
((${#bench_ids[@]})) || {
	echo "bench-sg: BENCH_PARTS='$BENCH_PARTS' and BENCH_POINTS='$BENCH_POINTS' leave no comparison" >&2
	exit 2
}

echo "bench-sg: $("$FIO" --version), kernel $(uname -r), $sg (scsi_debug delay=0, $(sg_vpd -p bl "$sg" | awk -F': ' '/Maximum atomic transfer length:/ { print "max atomic " $2 }')), TCG; ${#bench_ids[@]} comparisons, ${BENCH_MIN_PAIRS}..${BENCH_MAX_PAIRS} pairs of ${BENCH_RUNTIME}s runs each"
bench_pairs bench-sg

qd_name() {
	[ "$1" = 32 ] && echo "32 (2x16)" || echo "$1"
}

if [[ " $BENCH_PARTS " == *" peer "* ]]; then
	printf '\n%s\n' "atomic-sg write_atomic=0 (WRITE(16)) against fio's sg (WRITE(10)), plain writes, async:"
	printf '%-10s %4s %9s %9s %7s %7s %5s %6s  %s\n' QD bs "IOPS ours" \
		"IOPS fio" "CPU us" "CPU us" pairs ratio \
		"verdict (95% CI of the median ratio)"
	printf '%-10s %4s %9s %9s %7s %7s\n' "" "" "" "" ours fio
	for id in "${bench_ids[@]}"; do
		read -r part qd bs <<<"$id"
		[ "$part" = peer ] || continue
		bench_summary "$id"
		printf '%-10s %4s %9.0f %9.0f %7.2f %7.2f %5s %6.3f  %s\n' \
			"$(qd_name "$qd")" "$bs" "$BS_IOPS_A" "$BS_IOPS_B" \
			"$BS_CPU_A" "$BS_CPU_B" "$BS_N" "$BS_RATIO" "$BS_TEXT"
	done
fi
if [[ " $BENCH_PARTS " == *" stamp "* ]]; then
	printf '\n%s\n' "atomic-sg WRITE ATOMIC(16), tear_check=1 against 0, async:"
	printf '%-10s %4s %9s %9s %7s %7s %5s %6s  %s\n' QD bs IOPS IOPS \
		"CPU us" "CPU us" pairs ratio \
		"verdict (95% CI of the median ratio)"
	printf '%-10s %4s %9s %9s %7s %7s\n' "" "" stamped unstamped \
		stamped unstamp.
	for id in "${bench_ids[@]}"; do
		read -r part qd bs <<<"$id"
		[ "$part" = stamp ] || continue
		bench_summary "$id"
		printf '%-10s %4s %9.0f %9.0f %7.2f %7.2f %5s %6.3f  %s\n' \
			"$(qd_name "$qd")" "$bs" "$BS_IOPS_A" "$BS_IOPS_B" \
			"$BS_CPU_A" "$BS_CPU_B" "$BS_N" "$BS_RATIO" "$BS_TEXT"
	done
fi
echo
echo "bench-sg: IOPS and CPU: medians of each side's runs; CPU us: user+system time of fio's job threads per write (in the TCG guest); ratio: median of the pairs' IOPS ratios; CI: order statistics of the ratios (sign test, distribution-free)"
for id in "${bench_ids[@]}"; do
	echo "bench-sg: $id ratios: $(bench_ratios "$id")"
done
