#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-pvsync2 and atomic-uring against fio's own engines, in
# one run, on the host XFS target: interleaved, repeated, medians, ratios.
#
# With a fio >= 3.38 (the newest source Debian serves, fetched into
# build/fio-sid) both sides send RWF_ATOMIC: ours with the default options,
# fio's with atomic=1, all in that one fio binary. Without one, both sides
# send plain O_DIRECT writes (ours with rwf_atomic=0) so that the engines'
# own overhead is still measured; the table says which.
#
# Then the cost of tear checking: each of our engines with tear_check=1
# (every block of every write stamped) against itself without, same job,
# RWF_ATOMIC writes, back to back, the side that goes first alternating;
# the ratio is the median of each repetition's pair (a pair shares the
# machine's load of the moment), and ratios below BENCH_STAMP_RATIO are
# flagged.
#
# Environment: BENCH_RUNTIME (s per point, 3), BENCH_REPS (5),
# BENCH_TARGET_RATIO (0.98), BENCH_STAMP_RATIO (0.95), BENCH_PARTS
# ("peer stamp": which comparisons to run).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${BENCH_RUNTIME:=3}"
: "${BENCH_REPS:=5}"
: "${BENCH_TARGET_RATIO:=0.98}"
: "${BENCH_STAMP_RATIO:=0.95}"
: "${BENCH_PARTS:=peer stamp}"
# fa_xfs_mount: the XFS-on-loop target of the host tests
. "$top/tests/host/lib.sh"

sid_src=$top/build/fio-sid
sid_build=$top/build/sid
mode=atomic
if "$top/scripts/fetch-fio.sh" "$sid_src" sid; then
	make -s -C "$top" BUILD="$sid_build" FIO_SRC="$sid_src" engines
	fio=$sid_src/fio
	engines=$sid_build/engines
	# fio 3.38 gave atomic= its RWF_ATOMIC meaning (before: O_ATOMIC).
	if ! printf '%s\n' fio-3.38 "$("$fio" --version)" | sort -V -C; then
		mode=plain
	fi
else
	echo "bench: no newer fio source from Debian's sid today; comparing plain writes with fio $("$BUILD/fio/fio" --version)"
	fio=$BUILD/fio/fio
	engines=$BUILD/engines
	mode=plain
fi

# A sparse 8 GiB filesystem: XFS's software atomic writes are out-of-place,
# fragment the file quickly (tens of thousands of extents in seconds) and
# hit ENOSPC on a small filesystem long before it is full.
mkdir -p "$BUILD/bench"
fa_xfs_mount "$BUILD/bench/xfs.img" "$BUILD/bench/mnt" 8192 ||
	{ echo "bench: $FA_WHY" >&2; exit 1; }
file=$BUILD/bench/mnt/bench
out=$BUILD/bench/point.json

# run_point ENGINE-ARGS... : prints write IOPS; a failed run ends the bench.
# Every point starts from a freshly laid-out, unfragmented file, so the
# order of the points cannot favour either side.
run_point() {
	rm -f "$file"
	"$fio" --name=layout --filename="$file" --size=64m --rw=write \
		--bs=1m --direct=1 --ioengine=psync >/dev/null
	if ! "$fio" --output-format=json --output="$out" --name=b \
		--filename="$file" --size=64m --rw=randwrite --direct=1 \
		--time_based --runtime="$BENCH_RUNTIME" --ramp_time=1 \
		--randrepeat=0 "$@" >"$out.log" 2>&1 ||
	   [ "$(jq -r '.jobs[0].error' "$out")" != 0 ]; then
		echo "bench: fio failed: $*" >&2
		cat "$out.log" >&2
		exit 1
	fi
	jq -r '.jobs[0].write.iops' "$out"
}

ours_args() { # engine qd
	local e=$1 qd=$2 extra=()
	[ $mode = plain ] && extra=(--rwf_atomic=0)
	echo --ioengine=external:"$engines/$e.so" --iodepth="$qd" \
		--atomic_report="$BUILD/bench/report.json" "${extra[@]}"
}
peer_args() { # engine qd
	local e=$1 qd=$2 extra=()
	[ $mode = atomic ] && extra=(--atomic=1)
	echo --ioengine="$e" --iodepth="$qd" "${extra[@]}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The same engine with and without stamps: RWF_ATOMIC writes in both modes.
stamp_bench() {
	local p e qd bs rep s i on off r v below=0
	local stamp_points=("atomic-pvsync2 1 4k" "atomic-pvsync2 1 16k"
			    "atomic-uring 32 4k" "atomic-uring 32 16k")
	declare -A stamped ratios pair

	echo "bench: tear_check=1 vs 0, ${BENCH_REPS}x${BENCH_RUNTIME}s per point, interleaved"
	for ((rep = 1; rep <= BENCH_REPS; rep++)); do
		for p in "${stamp_points[@]}"; do
			read -r e qd bs <<<"$p"
			# Alternate which side goes first so drift favours neither.
			for s in $( ((rep % 2)) && echo "1 0" || echo "0 1"); do
				i=$(run_point \
					--ioengine=external:"$engines/$e.so" \
					--iodepth="$qd" --bs="$bs" --tear_check="$s" \
					--tear_report="$BUILD/bench/tear.json")
				stamped[$p,$s]+="$i "
				pair[$s]=$i
			done
			ratios[$p]+="$(awk -v s="${pair[1]}" -v u="${pair[0]}" \
				'BEGIN { print s / u }') "
		done
		echo "bench: stamps: repetition $rep of $BENCH_REPS done"
	done
	printf '\n%-15s %3s %5s %14s %14s %7s %s\n' engine QD bs \
		"IOPS unstamped" "IOPS stamped" ratio verdict
	for p in "${stamp_points[@]}"; do
		read -r e qd bs <<<"$p"
		off=$(tr ' ' '\n' <<<"${stamped[$p,0]}" | grep . | median)
		on=$(tr ' ' '\n' <<<"${stamped[$p,1]}" | grep . | median)
		r=$(tr ' ' '\n' <<<"${ratios[$p]}" | grep . | median |
			awk '{ printf "%.3f", $1 }')
		v=ok
		if awk -v r="$r" -v m="$BENCH_STAMP_RATIO" 'BEGIN { exit !(r < m) }'; then
			v="below $BENCH_STAMP_RATIO"
			below=$((below + 1))
		fi
		printf '%-15s %3s %5s %14.0f %14.0f %7s %s\n' "$e" "$qd" "$bs" \
			"$off" "$on" "$r" "$v"
	done
	echo
	for p in "${stamp_points[@]}"; do
		echo "bench: $p stamped/unstamped pairs:" $(tr ' ' '\n' <<<"${ratios[$p]}" |
			grep . | awk '{ printf "%.3f\n", $1 }')
	done
	echo "bench: tear_check=1 against 0 (RWF_ATOMIC writes), IOPS medians; $below of ${#stamp_points[@]} ratios below $BENCH_STAMP_RATIO (ratio: median of $BENCH_REPS paired runs)"
}

if [[ " $BENCH_PARTS " != *" peer "* ]]; then
	stamp_bench
	exit 0
fi

points=(
	"atomic-pvsync2 pvsync2 1 4k"  "atomic-pvsync2 pvsync2 1 16k"
	"atomic-uring io_uring 1 4k"   "atomic-uring io_uring 1 16k"
	"atomic-uring io_uring 32 4k"  "atomic-uring io_uring 32 16k"
)
declare -A ours theirs
echo "bench: $(basename "$fio") $("$fio" --version), mode $mode, ${BENCH_REPS}x${BENCH_RUNTIME}s per point, interleaved"
for ((rep = 1; rep <= BENCH_REPS; rep++)); do
	for p in "${points[@]}"; do
		read -r e peer qd bs <<<"$p"
		# Alternate which side goes first so drift favours neither.
		if ((rep % 2)); then
			# shellcheck disable=SC2046
			ours[$p]+="$(run_point $(ours_args "$e" "$qd") --bs="$bs") "
			# shellcheck disable=SC2046
			theirs[$p]+="$(run_point $(peer_args "$peer" "$qd") --bs="$bs") "
		else
			# shellcheck disable=SC2046
			theirs[$p]+="$(run_point $(peer_args "$peer" "$qd") --bs="$bs") "
			# shellcheck disable=SC2046
			ours[$p]+="$(run_point $(ours_args "$e" "$qd") --bs="$bs") "
		fi
	done
	echo "bench: repetition $rep of $BENCH_REPS done"
done

printf '\n%-15s %-18s %3s %5s %12s %12s %7s %s\n' engine peer QD bs \
	"IOPS ours" "IOPS peer" ratio verdict
below=0
for p in "${points[@]}"; do
	read -r e peer qd bs <<<"$p"
	o=$(tr ' ' '\n' <<<"${ours[$p]}" | grep . | median)
	t=$(tr ' ' '\n' <<<"${theirs[$p]}" | grep . | median)
	r=$(echo "scale=3; $o / $t" | bc)
	v=ok
	if [ "$(echo "$r < $BENCH_TARGET_RATIO" | bc)" = 1 ]; then
		v="below $BENCH_TARGET_RATIO"
		below=$((below + 1))
	fi
	peer_name=$peer
	[ $mode = atomic ] && peer_name="$peer atomic=1"
	printf '%-15s %-18s %3s %5s %12.0f %12.0f %7s %s\n' "$e" "$peer_name" \
		"$qd" "$bs" "$o" "$t" "$r" "$v"
done
echo "bench: mode $mode; $below of ${#points[@]} ratios below $BENCH_TARGET_RATIO (medians of $BENCH_REPS)"
if [[ " $BENCH_PARTS " == *" stamp "* ]]; then
	echo
	stamp_bench
fi
