#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-sg against fio's own sg engine, in one lab VM boot, on
# the same scsi_debug disk (delay=0) through its sg node: random writes of
# 4 KiB and 16 KiB at queue depth 1 and 32, interleaved and repeated,
# medians, ratios against the target.
#
# Both engines use the sg driver's asynchronous write/read interface. The
# driver takes at most 16 commands per open file, where fio's sg engine
# stops with EDOM, so queue depth 32 is two jobs of 16 for both sides (the
# table also shows atomic-sg keeping 32 in flight in one job, through one
# descriptor per command). atomic-sg sends WRITE ATOMIC(16); it is also measured with
# write_atomic=0 (plain WRITE(16)) to tell the engine's overhead from the
# command's. fio's sg engine sends WRITE(10) below LBA 2^32, which is all
# of a 64 MiB disk. A second table gives the cost of tear checking:
# atomic-sg's WRITE ATOMIC(16) with tear_check=1 (every logical block of
# every write stamped) against the same without, in the same rotation, the
# ratio being the median of each repetition's stamped/unstamped pair.
#
#   scripts/bench-sg.sh            boots the lab VM and runs itself inside
#
# Environment: BENCH_RUNTIME (s per point, 3), BENCH_REPS (5),
# BENCH_TARGET_RATIO (0.95), BENCH_STAMP_RATIO (0.95).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${BENCH_RUNTIME:=3}"
: "${BENCH_REPS:=5}"
: "${BENCH_TARGET_RATIO:=0.95}"
: "${BENCH_STAMP_RATIO:=0.95}"
engine=$BUILD/engines/atomic-sg.so

if [ "${1:-}" != --in-lab ]; then
	[ -x "$FIO" ] && [ -f "$engine" ] || {
		echo "bench-sg: needs $FIO and $engine: run 'make' first" >&2
		exit 1
	}
	# The VM is emulated (TCG): anything else busy on the host shows.
	echo "bench-sg: host load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	rc=0
	"$top/tests/lab/lab-run" --timeout 3600 --sd-param delay=0 \
		--nvme off --env BUILD="$BUILD" --env FIO="$FIO" \
		--env BENCH_RUNTIME="$BENCH_RUNTIME" \
		--env BENCH_REPS="$BENCH_REPS" \
		--env BENCH_TARGET_RATIO="$BENCH_TARGET_RATIO" \
		--env BENCH_STAMP_RATIO="$BENCH_STAMP_RATIO" \
		-- "$top/scripts/bench-sg.sh" --in-lab || rc=$?
	echo "bench-sg: host load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	exit $rc
fi

sg=${LAB_SCSI_SG:?bench-sg: --in-lab runs inside tests/lab/lab-run}
work=$(mktemp -d /tmp/bench-sg.XXXXXX)
cd "$work"

# run_point ARGS...: write IOPS of one run; a failed run ends the bench.
run_point() {
	if ! "$FIO" --output-format=json --output=point.json --name=b \
		--filename="$sg" --rw=randwrite --size=32m --time_based \
		--runtime="$BENCH_RUNTIME" --ramp_time=1 --randrepeat=0 \
		--group_reporting "$@" >point.log 2>&1 ||
	   [ "$(jq -r '.jobs[0].error' point.json)" != 0 ]; then
		echo "bench-sg: fio failed: $*" >&2
		cat point.log >&2
		exit 1
	fi
	jq -r '.jobs[0].write.iops' point.json
}

# side QD: the fio arguments of one side at one queue depth
shape() {
	case $1 in
	1)	echo --iodepth=1 --numjobs=1 ;;
	32)	echo --iodepth=16 --numjobs=2 ;;
	32x1)	echo --iodepth=32 --numjobs=1 ;;
	esac
}
side_args() {
	case $1 in
	atomic)	echo --ioengine=external:"$engine" --sg_mode=async ;;
	plain)	echo --ioengine=external:"$engine" --sg_mode=async --write_atomic=0 ;;
	fio)	echo --ioengine=sg ;;
	stamped) echo --ioengine=external:"$engine" --sg_mode=async \
			--tear_check=1 --tear_report="$work/tear.json" ;;
	esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

points=("1 4k" "1 16k" "32 4k" "32 16k" "32x1 4k" "32x1 16k")
sides=(atomic plain fio stamped)
declare -A iops pair sratios
echo "bench-sg: $("$FIO" --version), $sg (scsi_debug delay=0, $(sg_vpd -p bl "$sg" | awk -F': ' '/Maximum atomic transfer length:/ { print "max atomic " $2 }')), ${BENCH_REPS}x${BENCH_RUNTIME}s per point, interleaved"
for ((rep = 1; rep <= BENCH_REPS; rep++)); do
	for p in "${points[@]}"; do
		read -r qd bs <<<"$p"
		# Rotate which side goes first so drift favours none.
		for ((k = 0; k < ${#sides[@]}; k++)); do
			s=${sides[$(((k + rep) % ${#sides[@]}))]}
			# fio's sg engine cannot keep 32 in flight in one job.
			[ "$qd" = 32x1 ] && [ "$s" = plain -o "$s" = fio ] &&
				continue
			# shellcheck disable=SC2046
			pair[$s]=$(run_point $(side_args "$s") $(shape "$qd") --bs="$bs")
			iops[$p,$s]+="${pair[$s]} "
		done
		sratios[$p]+="$(awk -v s="${pair[stamped]}" -v u="${pair[atomic]}" \
			'BEGIN { print s / u }') "
	done
	echo "bench-sg: repetition $rep of $BENCH_REPS done"
done

med() { tr ' ' '\n' <<<"${iops[$1]}" | grep . | median; }

printf '\n%-10s %5s %14s %14s %14s %9s %9s %s\n' QD bs "WRITE ATOMIC16" \
	"atomic-sg W16" "fio sg W10" "atomic/fio" "plain/fio" verdict
below=0
for p in "${points[@]}"; do
	read -r qd bs <<<"$p"
	base=${p/32x1/32}
	a=$(med "$p,atomic")
	f=$(med "$base,fio")
	ra=$(printf '%.3f' "$(echo "scale=4; $a / $f" | bc)")
	if [ "$qd" = 32x1 ]; then
		pl=- rp=-
		label="32 (1x32)"
	else
		pl=$(med "$p,plain")
		rp=$(printf '%.3f' "$(echo "scale=4; $pl / $f" | bc)")
		label=$qd
		[ "$qd" = 32 ] && label="32 (2x16)"
	fi
	v=ok
	if [ "$(echo "$ra < $BENCH_TARGET_RATIO" | bc)" = 1 ]; then
		v="below $BENCH_TARGET_RATIO"
		below=$((below + 1))
	fi
	[ "$pl" != - ] && pl=$(printf '%.0f' "$pl")
	printf '%-10s %5s %14.0f %14s %14.0f %9s %9s %s\n' "$label" "$bs" \
		"$a" "$pl" "$f" "$ra" "$rp" "$v"
done
echo "bench-sg: IOPS medians of $BENCH_REPS; atomic/fio: atomic-sg's WRITE ATOMIC(16) against fio's sg engine; $below of ${#points[@]} below $BENCH_TARGET_RATIO"

printf '\n%-10s %5s %14s %14s %7s %s\n' QD bs "IOPS unstamped" \
	"IOPS stamped" ratio verdict
below=0
for p in "${points[@]}"; do
	read -r qd bs <<<"$p"
	a=$(med "$p,atomic")
	st=$(med "$p,stamped")
	r=$(tr ' ' '\n' <<<"${sratios[$p]}" | grep . | median |
		awk '{ printf "%.3f", $1 }')
	v=ok
	if [ "$(echo "$r < $BENCH_STAMP_RATIO" | bc)" = 1 ]; then
		v="below $BENCH_STAMP_RATIO"
		below=$((below + 1))
	fi
	label=$qd
	[ "$qd" = 32 ] && label="32 (2x16)"
	[ "$qd" = 32x1 ] && label="32 (1x32)"
	printf '%-10s %5s %14.0f %14.0f %7s %s\n' "$label" "$bs" "$a" "$st" \
		"$r" "$v"
done
for p in "${points[@]}"; do
	echo "bench-sg: $p stamped/unstamped pairs:" $(tr ' ' '\n' <<<"${sratios[$p]}" |
		grep . | awk '{ printf "%.3f\n", $1 }')
done
echo "bench-sg: atomic-sg WRITE ATOMIC(16) with tear_check=1 against without, IOPS medians of $BENCH_REPS; $below of ${#points[@]} ratios below $BENCH_STAMP_RATIO (ratio: median of $BENCH_REPS paired runs)"
rm -rf "$work"
