#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-nvme (nvme_mode=uring_cmd) against fio's own
# io_uring_cmd engine (cmd_type=nvme) on the same QEMU NVMe namespace, in
# one lab VM boot: random writes at QD1 and QD32, 4 KiB and 16 KiB,
# interleaved (the side that goes first alternates), repeated, medians of
# IOPS and p50 completion latency, and per point the median of the ratios
# of each repetition's back-to-back pair against the target (a pair shares
# the machine's load of the moment; medians of each side alone do not). Both sides send the same NVMe Write commands through
# NVME_URING_CMD_IO on /dev/ngXnY; ours also checks each against the atomic
# unit. The VM runs under TCG: absolute figures are the emulator's, the
# ratio is the point. A third side, ours with tear_check=1 (every block of
# every write stamped), runs in the same rotation; a second table gives its
# paired ratio against ours without stamps, in both nvme_modes (ioctl
# only stamped against unstamped).
#
#   scripts/bench-nvme.sh            boots the lab VM and runs itself in it
#
# Environment: BENCH_RUNTIME (s per run, 3), BENCH_REPS (7),
# BENCH_TARGET_RATIO (0.95), BENCH_STAMP_RATIO (0.95).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${BENCH_RUNTIME:=3}"
: "${BENCH_REPS:=7}"
: "${BENCH_TARGET_RATIO:=0.95}"
: "${BENCH_STAMP_RATIO:=0.95}"

if [ "${1:-}" != --in-lab ]; then
	for f in "$FIO" "$BUILD/engines/atomic-nvme.so"; do
		[ -e "$f" ] || { echo "bench-nvme: no $f: run 'make' first" >&2; exit 1; }
	done
	exec "$top/tests/lab/lab-run" --timeout 3600 --scsi-debug off \
		--nvme-size-mb 256 --env BUILD="$BUILD" --env FIO="$FIO" \
		--env BENCH_RUNTIME="$BENCH_RUNTIME" \
		--env BENCH_REPS="$BENCH_REPS" \
		--env BENCH_TARGET_RATIO="$BENCH_TARGET_RATIO" \
		--env BENCH_STAMP_RATIO="$BENCH_STAMP_RATIO" -- \
		"$top/scripts/bench-nvme.sh" --in-lab
fi

ng=${LAB_NVME_NG:?bench-nvme: --in-lab runs inside the lab VM only}
out=$(mktemp -d /tmp/bench-nvme.XXXXXX)
trap 'rm -rf "$out"' EXIT
cd "$out"

# run_point SIDE QD BS: prints "IOPS p50_us"; a failed run ends the bench.
run_point() {
	local side=$1 qd=$2 bs=$3 engine

	case $side in
	ours) engine=(--ioengine=external:"$BUILD/engines/atomic-nvme.so"
		      --nvme_mode=uring_cmd) ;;
	stamped) engine=(--ioengine=external:"$BUILD/engines/atomic-nvme.so"
			 --nvme_mode=uring_cmd --tear_check=1
			 --tear_report="$out/tear.json") ;;
	ioctl) engine=(--ioengine=external:"$BUILD/engines/atomic-nvme.so"
		       --nvme_mode=ioctl) ;;
	ioctl-stamped) engine=(--ioengine=external:"$BUILD/engines/atomic-nvme.so"
			       --nvme_mode=ioctl --tear_check=1
			       --tear_report="$out/tear.json") ;;
	peer) engine=(--ioengine=io_uring_cmd --cmd_type=nvme) ;;
	esac
	if ! "$FIO" --output-format=json --output="$out/point.json" --name=b \
		"${engine[@]}" --filename="$ng" --rw=randwrite --bs="$bs" \
		--iodepth="$qd" --time_based --runtime="$BENCH_RUNTIME" \
		--ramp_time=1 --norandommap --randrepeat=0 >"$out/log" 2>&1 ||
	   [ "$(jq -r '.jobs[0].error' "$out/point.json")" != 0 ]; then
		echo "bench-nvme: fio failed: $side qd=$qd bs=$bs" >&2
		cat "$out/log" >&2
		exit 1
	fi
	jq -r '.jobs[0].write | "\(.iops) \(.clat_ns.percentile["50.000000"] / 1000)"' \
		"$out/point.json"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

awupf=$(nvme id-ctrl -o json "$ng" | jq -r .awupf)
lbs=$((1 << $(nvme id-ns -o json "$ng" | jq -r '.lbafs[.flbas % 16].ds')))
echo "bench-nvme: $("$FIO" --version), kernel $(uname -r), QEMU NVMe $ng" \
	"($lbs-byte blocks, awupf=$awupf), TCG"
echo "bench-nvme: atomic-nvme uring_cmd vs io_uring_cmd cmd_type=nvme," \
	"randwrite, ${BENCH_REPS}x${BENCH_RUNTIME}s per point, interleaved"

points=("1 4k" "1 16k" "32 4k" "32 16k")
# ioctl mode is synchronous: QD1 only.
stamp_points=("uring_cmd 1 4k" "uring_cmd 1 16k" "uring_cmd 32 4k"
	      "uring_cmd 32 16k" "ioctl 1 4k" "ioctl 1 16k")
declare -A iops lat ratios pair sratios
for ((rep = 1; rep <= BENCH_REPS; rep++)); do
	for p in "${points[@]}"; do
		read -r qd bs <<<"$p"
		# Reverse the order every other repetition: for each pair of
		# sides, each goes first as often, so drift favours none.
		if ((rep % 2)); then
			order="ours peer stamped"
		else
			order="stamped peer ours"
		fi
		for side in $order; do
			read -r i l <<<"$(run_point "$side" "$qd" "$bs")"
			iops[$side $p]+="$i "
			lat[$side $p]+="$l "
			pair[$side]=$i
		done
		ratios[$p]+="$(awk -v o="${pair[ours]}" -v t="${pair[peer]}" \
			'BEGIN { print o / t }') "
		sratios[uring_cmd $p]+="$(awk -v s="${pair[stamped]}" \
			-v o="${pair[ours]}" 'BEGIN { print s / o }') "
	done
	for bs in 4k 16k; do
		if ((rep % 2)); then order="ioctl ioctl-stamped"; else order="ioctl-stamped ioctl"; fi
		for side in $order; do
			read -r i l <<<"$(run_point "$side" 1 "$bs")"
			iops[$side 1 $bs]+="$i "
			pair[$side]=$i
		done
		sratios[ioctl 1 $bs]+="$(awk -v s="${pair[ioctl-stamped]}" \
			-v o="${pair[ioctl]}" 'BEGIN { print s / o }') "
	done
	echo "bench-nvme: repetition $rep of $BENCH_REPS done"
done

printf '\n%-26s %3s %5s %10s %10s %9s %9s %7s %s\n' engine QD bs "IOPS ours" \
	"IOPS peer" "p50 ours" "p50 peer" ratio verdict
below=0
for p in "${points[@]}"; do
	read -r qd bs <<<"$p"
	o=$(tr ' ' '\n' <<<"${iops[ours $p]}" | grep . | median)
	t=$(tr ' ' '\n' <<<"${iops[peer $p]}" | grep . | median)
	lo=$(tr ' ' '\n' <<<"${lat[ours $p]}" | grep . | median)
	lt=$(tr ' ' '\n' <<<"${lat[peer $p]}" | grep . | median)
	r=$(tr ' ' '\n' <<<"${ratios[$p]}" | grep . | median |
		awk '{ printf "%.3f", $1 }')
	v=ok
	if awk -v r="$r" -v m="$BENCH_TARGET_RATIO" 'BEGIN { exit !(r < m) }'; then
		v="below $BENCH_TARGET_RATIO"
		below=$((below + 1))
	fi
	printf '%-26s %3s %5s %10.0f %10.0f %6.1f us %6.1f us %7s %s\n' \
		"atomic-nvme uring_cmd" "$qd" "$bs" "$o" "$t" "$lo" "$lt" "$r" "$v"
done
echo
for p in "${points[@]}"; do
	read -r qd bs <<<"$p"
	echo "bench-nvme: QD$qd $bs paired ratios:" $(tr ' ' '\n' <<<"${ratios[$p]}" |
		grep . | awk '{ printf "%.3f\n", $1 }')
done
echo "bench-nvme: peer is fio's io_uring_cmd cmd_type=nvme; $below of ${#points[@]} ratios below $BENCH_TARGET_RATIO (ratio: median of $BENCH_REPS paired runs)"

printf '\n%-26s %3s %5s %14s %14s %7s %s\n' engine QD bs "IOPS unstamped" \
	"IOPS stamped" ratio verdict
below=0
for p in "${stamp_points[@]}"; do
	read -r mode qd bs <<<"$p"
	if [ "$mode" = ioctl ]; then plain=ioctl stamp=ioctl-stamped; else plain=ours stamp=stamped; fi
	o=$(tr ' ' '\n' <<<"${iops[$plain $qd $bs]}" | grep . | median)
	s=$(tr ' ' '\n' <<<"${iops[$stamp $qd $bs]}" | grep . | median)
	r=$(tr ' ' '\n' <<<"${sratios[$p]}" | grep . | median |
		awk '{ printf "%.3f", $1 }')
	v=ok
	if awk -v r="$r" -v m="$BENCH_STAMP_RATIO" 'BEGIN { exit !(r < m) }'; then
		v="below $BENCH_STAMP_RATIO"
		below=$((below + 1))
	fi
	printf '%-26s %3s %5s %14.0f %14.0f %7s %s\n' "atomic-nvme $mode" "$qd" \
		"$bs" "$o" "$s" "$r" "$v"
done
echo "bench-nvme: tear_check=1 against 0, same engine and mode; $below of ${#stamp_points[@]} ratios below $BENCH_STAMP_RATIO (ratio: median of $BENCH_REPS paired runs)"
