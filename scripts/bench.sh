#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-pvsync2 and atomic-uring against fio's own pvsync2
# and io_uring on two host XFS targets, one RAM-backed (its image in
# /dev/shm) and one disk-backed (its image under build/bench), in paired
# runs: per point the median of the pairs' IOPS ratios with its 95%
# confidence interval and a verdict that says whether a 2% difference
# could be told; CPU time per write for each side.
#
# With a fio >= 3.38 (the newest source Debian serves, fetched into
# build/fio-sid) both sides send RWF_ATOMIC: ours with the default options,
# fio's with atomic=1, all in that one fio binary. Without one (or with
# BENCH_SID=0), both sides send plain O_DIRECT writes (ours with
# rwf_atomic=0) so that the engines' own overhead is still measured; the
# table says which.
#
# Then the cost of tear checking: each of our engines with tear_check=1
# (every block of every write stamped) against itself without, RWF_ATOMIC
# writes on both sides, with the same statistics.
#
# Every run starts from a freshly laid-out file; the pairs, the interval
# and the rule to stop are scripts/bench-lib.sh's; docs/benchmark.md says
# how to read the tables.
#
# Environment: BENCH_RUNTIME (s per run, 3), BENCH_MIN_PAIRS (10),
# BENCH_MAX_PAIRS (40), BENCH_TOLERANCE (0.02), BENCH_PARTS ("peer
# stamp"), BENCH_TARGETS ("shm disk"), BENCH_POINTS (an extended regular
# expression; only the comparisons whose name matches, e.g.
# 'uring io_uring 32'), BENCH_SID (1; 0: bookworm's fio, plain writes),
# BENCH_CPU (the CPU fio's job runs on, the last one; empty: any), BENCH_SEED
# (the first pair's random seed; both sides of a pair write the same offsets).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${BENCH_TARGETS:=shm disk}"
: "${BENCH_SID:=1}"
# fio's job on one CPU, the same for both sides: a job that the scheduler
# moves between the two CPUs scattered QD1 runs twice as much
: "${BENCH_CPU=$(($(nproc) > 1 ? $(nproc) - 1 : 0))}"
# fa_xfs_mount: the XFS-on-loop target of the host tests
. "$top/tests/host/lib.sh"
. "$top/scripts/bench-lib.sh"
set -e

bench_check_settings bench
for t in $BENCH_TARGETS; do
	case $t in
	shm|disk) ;;
	*) echo "bench: BENCH_TARGETS names '$t'; the targets are shm and disk" >&2
	   exit 2 ;;
	esac
done

peer_points=(
	"atomic-pvsync2 pvsync2 1 4k"  "atomic-pvsync2 pvsync2 1 16k"
	"atomic-uring io_uring 1 4k"   "atomic-uring io_uring 1 16k"
	"atomic-uring io_uring 32 4k"  "atomic-uring io_uring 32 16k"
)
stamp_points=("atomic-pvsync2 1 4k" "atomic-pvsync2 1 16k"
	      "atomic-uring 32 4k" "atomic-uring 32 16k")

for t in $BENCH_TARGETS; do
	if [[ " $BENCH_PARTS " == *" peer "* ]]; then
		for p in "${peer_points[@]}"; do
			read -r e peer qd bs <<<"$p"
			[[ "$t peer $p" =~ $BENCH_POINTS ]] || continue
			bench_add "$t peer $p" "$t ours $e $qd $bs" \
				"$t peer $peer $qd $bs" "the peer"
		done
	fi
	if [[ " $BENCH_PARTS " == *" stamp "* ]]; then
		for p in "${stamp_points[@]}"; do
			read -r e qd bs <<<"$p"
			[[ "$t stamp $p" =~ $BENCH_POINTS ]] || continue
			bench_add "$t stamp $p" "$t stamped $e $qd $bs" \
				"$t unstamped $e $qd $bs" "unstamped"
		done
	fi
done
((${#bench_ids[@]})) || {
	echo "bench: BENCH_PARTS='$BENCH_PARTS', BENCH_TARGETS='$BENCH_TARGETS' and BENCH_POINTS='$BENCH_POINTS' leave no comparison" >&2
	exit 2
}

sid_src=$top/build/fio-sid
sid_build=$top/build/sid
mode=atomic
if [ "$BENCH_SID" = 1 ] && "$top/scripts/fetch-fio.sh" "$sid_src" sid; then
	# its quiet build lines on stdout are left out; errors are not
	make -s -C "$top" BUILD="$sid_build" FIO_SRC="$sid_src" engines >/dev/null
	fio=$sid_src/fio
	engines=$sid_build/engines
	# fio 3.38 gave atomic= its RWF_ATOMIC meaning (before: O_ATOMIC).
	if ! printf '%s\n' fio-3.38 "$("$fio" --version)" | sort -V -C; then
		mode=plain
	fi
else
	[ "$BENCH_SID" = 1 ] &&
		echo "bench: no newer fio source from Debian's sid today"
	echo "bench: comparing plain writes with fio $("$BUILD/fio/fio" --version)"
	fio=$BUILD/fio/fio
	engines=$BUILD/engines
	mode=plain
fi

# Sparse 8 GiB filesystems: XFS's software atomic writes are out-of-place,
# fragment the file quickly (tens of thousands of extents in seconds) and
# hit ENOSPC on a small filesystem long before it is full. The RAM-backed
# image lives in /dev/shm (tmpfs): no device, no writeback under it.
shm_img="" disk_img=$BUILD/bench/xfs.img
trap 'fa_cleanup; rm -f "$disk_img" ${shm_img:+"$shm_img"}' EXIT
mkdir -p "$BUILD/bench"
declare -A mnt
for t in $BENCH_TARGETS; do
	if [ $t = shm ]; then
		[ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ] || {
			echo "bench: /dev/shm is not a tmpfs: no RAM-backed target (BENCH_TARGETS=disk leaves it out)" >&2
			exit 1
		}
		shm_img=/dev/shm/fio-atomic-bench.$$.img
		img=$shm_img
	else
		img=$disk_img
	fi
	mnt[$t]=$BUILD/bench/mnt-$t
	fa_xfs_mount "$img" "${mnt[$t]}" 8192 ||
		{ echo "bench: $FA_WHY" >&2; exit 1; }
done
point_json=$BUILD/bench/point.json

# bench_run "TARGET SIDE ENGINE QD BS": one run on a freshly laid-out,
# unfragmented file; prints "IOPS CPU_US_PER_IO". SIDE is ours, peer,
# stamped or unstamped.
bench_run() {
	local t side e qd bs file args

	read -r t side e qd bs <<<"$1"
	file=${mnt[$t]}/bench
	case $side in
	ours)	args=(--ioengine=external:"$engines/$e.so"
		      --atomic_report="$BUILD/bench/report.json")
		[ $mode = plain ] && args+=(--rwf_atomic=0) ;;
	peer)	args=(--ioengine="$e")
		[ $mode = atomic ] && args+=(--atomic=1) ;;
	stamped|unstamped)
		args=(--ioengine=external:"$engines/$e.so"
		      --atomic_report="$BUILD/bench/report.json" --tear_check=0)
		[ $side = stamped ] && args[2]=--tear_check=1 ;;
	esac
	rm -f "$file"
	"$fio" --name=layout --filename="$file" --size=64m --rw=write \
		--bs=1m --direct=1 --ioengine=psync >"$point_json.log" 2>&1 || {
		echo "bench: laying out $file failed" >&2
		cat "$point_json.log" >&2
		exit 1
	}
	if ! "$fio" --output-format=json --output="$point_json" --name=b \
		--filename="$file" --size=64m --rw=randwrite --direct=1 \
		--time_based --runtime="$BENCH_RUNTIME" --ramp_time=1 \
		--randseed="$bench_seed" --iodepth="$qd" --bs="$bs" \
		${BENCH_CPU:+--cpus_allowed="$BENCH_CPU"} "${args[@]}" \
		>"$point_json.log" 2>&1 ||
	   [ "$(jq -r '.jobs[0].error' "$point_json")" != 0 ]; then
		echo "bench: fio failed: $1" >&2
		cat "$point_json.log" >&2
		exit 1
	fi
	bench_fio_figures "$point_json"
}

echo "bench: $("$fio" --version), mode $mode, ${#bench_ids[@]} comparisons, ${BENCH_MIN_PAIRS}..${BENCH_MAX_PAIRS} pairs of ${BENCH_RUNTIME}s runs each, fio on CPU ${BENCH_CPU:-any}, seed $BENCH_SEED, host load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$SECONDS
bench_pairs bench
echo "bench: $((SECONDS - start)) s; host load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

target_name() {
	[ "$1" = shm ] && echo "shm (RAM)" || echo "disk"
}

if [[ " $BENCH_PARTS " == *" peer "* ]]; then
	peer_mode="plain writes, ours rwf_atomic=0"
	[ $mode = atomic ] && peer_mode="RWF_ATOMIC, fio's with atomic=1"
	printf '\n%s\n' "Ours against fio's own engines ($peer_mode; $("$fio" --version)):"
	printf '%-9s %-15s %-9s %3s %4s %9s %9s %7s %7s %5s %6s  %s\n' \
		target engine peer QD bs "IOPS ours" "IOPS peer" \
		"CPU us" "CPU us" pairs ratio "verdict (95% CI of the median ratio)"
	printf '%-9s %-15s %-9s %3s %4s %9s %9s %7s %7s %5s %6s\n' \
		"" "" "" "" "" "" "" "ours" "peer" "" ""
	for id in "${bench_ids[@]}"; do
		read -r t part e peer qd bs <<<"$id"
		[ "$part" = peer ] || continue
		bench_summary "$id"
		printf '%-9s %-15s %-9s %3s %4s %9.0f %9.0f %7.2f %7.2f %5s %6.3f  %s\n' \
			"$(target_name "$t")" "$e" "$peer" "$qd" "$bs" \
			"$BS_IOPS_A" "$BS_IOPS_B" "$BS_CPU_A" "$BS_CPU_B" \
			"$BS_N" "$BS_RATIO" "$BS_TEXT"
	done
fi
if [[ " $BENCH_PARTS " == *" stamp "* ]]; then
	printf '\n%s\n' "tear_check=1 against 0, same engine, RWF_ATOMIC writes:"
	printf '%-9s %-15s %3s %4s %9s %9s %7s %7s %5s %6s  %s\n' \
		target engine QD bs "IOPS" "IOPS" "CPU us" "CPU us" \
		pairs ratio "verdict (95% CI of the median ratio)"
	printf '%-9s %-15s %3s %4s %9s %9s %7s %7s %5s %6s\n' \
		"" "" "" "" stamped unstamped stamped unstamp. "" ""
	for id in "${bench_ids[@]}"; do
		read -r t part e qd bs <<<"$id"
		[ "$part" = stamp ] || continue
		bench_summary "$id"
		printf '%-9s %-15s %3s %4s %9.0f %9.0f %7.2f %7.2f %5s %6.3f  %s\n' \
			"$(target_name "$t")" "$e" "$qd" "$bs" \
			"$BS_IOPS_A" "$BS_IOPS_B" "$BS_CPU_A" "$BS_CPU_B" \
			"$BS_N" "$BS_RATIO" "$BS_TEXT"
	done
fi
echo
echo "bench: IOPS and CPU: medians of each side's runs; CPU us: user+system time of fio's job thread per write; ratio: median of the pairs' IOPS ratios (A/B, A first in odd pairs); CI: order statistics of the ratios (sign test, distribution-free)"
for id in "${bench_ids[@]}"; do
	echo "bench: $id ratios: $(bench_ratios "$id")"
done
