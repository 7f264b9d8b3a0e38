#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-nvme (nvme_mode=uring_cmd) against fio's own
# io_uring_cmd engine (cmd_type=nvme) on the same QEMU NVMe namespace, in
# one lab VM boot: random writes at QD1 and QD32, 4 KiB and 16 KiB, in
# paired runs, per point the median of the pairs' IOPS ratios with its 95%
# confidence interval and a verdict; CPU time per write for each side
# (scripts/bench-lib.sh). Both sides send the same NVMe Write commands
# through NVME_URING_CMD_IO on /dev/ngXnY (NVMe has no separate atomic
# write: a Write within AWUN/AWUPF is atomic either way); ours also checks
# each against the atomic unit. The VM runs under TCG: absolute figures are
# the emulator's, the ratio is the point.
#
# Then the cost of tear checking: ours with tear_check=1 (every block of
# every write stamped) against ours without, in both nvme_modes (ioctl is
# synchronous: QD1 only), with the same statistics.
#
#   scripts/bench-nvme.sh            boots the lab VM and runs itself in it
#
# Environment: BENCH_RUNTIME (s per run, 3), BENCH_MIN_PAIRS (10),
# BENCH_MAX_PAIRS (40), BENCH_TOLERANCE (0.02), BENCH_PARTS ("peer
# stamp"), BENCH_POINTS (an extended regular expression on the
# comparisons' names, e.g. 'uring_cmd 32'), BENCH_LAB_TIMEOUT (s, 14400).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
. "$top/scripts/bench-lib.sh"
engine=$BUILD/engines/atomic-nvme.so
bench_lab bench-nvme "$engine" "${1:-}" --scsi-debug off --nvme-size-mb 256
ng=${LAB_NVME_NG:?bench-nvme: --in-lab runs inside the lab VM only}

# bench_run "SIDE QD BS": one run; prints "IOPS CPU_US_PER_IO". SIDE is
# ours, stamped (uring_cmd, tear_check 0 and 1), ioctl, ioctl-stamped, or
# peer (fio's io_uring_cmd).
bench_run() {
	local side qd bs args

	read -r side qd bs <<<"$1"
	case $side in
	ours)	args=(--ioengine=external:"$engine" --nvme_mode=uring_cmd) ;;
	stamped) args=(--ioengine=external:"$engine" --nvme_mode=uring_cmd
		       --tear_check=1 --tear_report="$work/tear.json") ;;
	ioctl)	args=(--ioengine=external:"$engine" --nvme_mode=ioctl) ;;
	ioctl-stamped) args=(--ioengine=external:"$engine" --nvme_mode=ioctl
			     --tear_check=1 --tear_report="$work/tear.json") ;;
	peer)	args=(--ioengine=io_uring_cmd --cmd_type=nvme) ;;
	esac
	if ! "$FIO" --output-format=json --output=point.json --name=b \
		"${args[@]}" --filename="$ng" --rw=randwrite --bs="$bs" \
		--iodepth="$qd" --time_based --runtime="$BENCH_RUNTIME" \
		--ramp_time=1 --norandommap --randseed="$bench_seed" >point.log 2>&1 ||
	   [ "$(jq -r '.jobs[0].error' point.json)" != 0 ]; then
		echo "bench-nvme: fio failed: $1" >&2
		cat point.log >&2
		exit 1
	fi
	bench_fio_figures point.json
}

for p in "1 4k" "1 16k" "32 4k" "32 16k"; do
	if [[ " $BENCH_PARTS " == *" peer "* && "peer uring_cmd $p" =~ $BENCH_POINTS ]]; then
		bench_add "peer uring_cmd $p" "ours $p" "peer $p" "the peer"
	fi
	if [[ " $BENCH_PARTS " == *" stamp "* && "stamp uring_cmd $p" =~ $BENCH_POINTS ]]; then
		bench_add "stamp uring_cmd $p" "stamped $p" "ours $p" "unstamped"
	fi
done
for p in "1 4k" "1 16k"; do
	if [[ " $BENCH_PARTS " == *" stamp "* && "stamp ioctl $p" =~ $BENCH_POINTS ]]; then
		bench_add "stamp ioctl $p" "ioctl-stamped $p" "ioctl $p" "unstamped"
	fi
done
((${#bench_ids[@]})) || {
	echo "bench-nvme: BENCH_PARTS='$BENCH_PARTS' and BENCH_POINTS='$BENCH_POINTS' leave no comparison" >&2
	exit 2
}

awupf=$(nvme id-ctrl -o json "$ng" | jq -r .awupf)
lbs=$((1 << $(nvme id-ns -o json "$ng" | jq -r '.lbafs[.flbas % 16].ds')))
echo "bench-nvme: $("$FIO" --version), kernel $(uname -r), QEMU NVMe $ng" \
	"($lbs-byte blocks, awupf=$awupf), TCG; ${#bench_ids[@]} comparisons," \
	"${BENCH_MIN_PAIRS}..${BENCH_MAX_PAIRS} pairs of ${BENCH_RUNTIME}s runs each"
bench_pairs bench-nvme

if [[ " $BENCH_PARTS " == *" peer "* ]]; then
	printf '\n%s\n' "atomic-nvme uring_cmd against fio's io_uring_cmd cmd_type=nvme, NVMe Write on both sides:"
	printf '%3s %4s %9s %9s %7s %7s %5s %6s  %s\n' QD bs "IOPS ours" \
		"IOPS peer" "CPU us" "CPU us" pairs ratio \
		"verdict (95% CI of the median ratio)"
	printf '%3s %4s %9s %9s %7s %7s\n' "" "" "" "" ours peer
	for id in "${bench_ids[@]}"; do
		read -r part mode qd bs <<<"$id"
		[ "$part" = peer ] || continue
		bench_summary "$id"
		printf '%3s %4s %9.0f %9.0f %7.2f %7.2f %5s %6.3f  %s\n' \
			"$qd" "$bs" "$BS_IOPS_A" "$BS_IOPS_B" "$BS_CPU_A" \
			"$BS_CPU_B" "$BS_N" "$BS_RATIO" "$BS_TEXT"
	done
fi
if [[ " $BENCH_PARTS " == *" stamp "* ]]; then
	printf '\n%s\n' "atomic-nvme, tear_check=1 against 0, same mode:"
	printf '%-10s %3s %4s %9s %9s %7s %7s %5s %6s  %s\n' mode QD bs IOPS \
		IOPS "CPU us" "CPU us" pairs ratio \
		"verdict (95% CI of the median ratio)"
	printf '%-10s %3s %4s %9s %9s %7s %7s\n' "" "" "" stamped unstamped \
		stamped unstamp.
	for id in "${bench_ids[@]}"; do
		read -r part mode qd bs <<<"$id"
		[ "$part" = stamp ] || continue
		bench_summary "$id"
		printf '%-10s %3s %4s %9.0f %9.0f %7.2f %7.2f %5s %6.3f  %s\n' \
			"$mode" "$qd" "$bs" "$BS_IOPS_A" "$BS_IOPS_B" \
			"$BS_CPU_A" "$BS_CPU_B" "$BS_N" "$BS_RATIO" "$BS_TEXT"
	done
fi
echo
echo "bench-nvme: IOPS and CPU: medians of each side's runs; CPU us: user+system time of fio's job thread per write (in the TCG guest); ratio: median of the pairs' IOPS ratios; CI: order statistics of the ratios (sign test, distribution-free)"
for id in "${bench_ids[@]}"; do
	echo "bench-nvme: $id ratios: $(bench_ratios "$id")"
done
