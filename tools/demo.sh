#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic's main job on its built-in default targets.
#  1. host: an XFS image under build/demo on a loop device, mounted; atomic
#     writes through XFS's software fallback;
#  2. lab: the lab VM's emulated atomic-capable scsi_debug disk and QEMU NVMe
#     namespace (skipped, saying why, when the lab cannot boot here, or with
#     DEMO_LAB=0).
# Both RWF_ATOMIC engines run at every power-of-two size from each target's
# unit_min to unit_max; one table: target, engine, QD, size, IOPS, p50 and
# p99 completion latency, and the torn/checked units of a short racing run
# (writers and readers with tear_check=1) on the same target, engine and
# size; the performance figures are measured without stamps. Then
# `fio-atomic qualify --lab --quick` gives the lab's devices their verdicts
# (report in build/demo/qualify*).
#
# Environment: DEMO_RUNTIME (seconds per point, default 2), DEMO_LAB (1),
# DEMO_TEAR_RUNTIME (seconds per racing run, default 1), DEMO_POWER_CUTS
# (power-cut runs per engine in the qualification, default 2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${DEMO_RUNTIME:=2}"
: "${DEMO_LAB:=1}"
: "${DEMO_POWER_CUTS:=2}"
: "${DEMO_TEAR_RUNTIME:=1}"
export BUILD FIO DEMO_RUNTIME DEMO_TEAR_RUNTIME
. "$top/tools/xfs-target.sh"

rows=$BUILD/demo/rows.tsv
mkdir -p "$BUILD/demo"
: >"$rows"

fa_target_up "$BUILD/demo" 8192
file=$FA_TARGET_MNT/demo
"$FIO" --name=layout --filename="$file" --size=64m --rw=write --bs=1m \
	--direct=1 --ioengine=psync >/dev/null
"$BUILD/fio-atomic" limits "$file" | tail -n 1
echo "demo: host XFS on $fa_target_loop ($("$FIO" --version))..."
"$top/tools/demo-rows.sh" "xfs-file" "$file" >>"$rows"
fa_target_down

if [ "$DEMO_LAB" = 1 ]; then
	echo "demo: booting the lab VM (scsi_debug + QEMU NVMe)..."
	lab_rows=$BUILD/demo/lab
	rm -rf "$lab_rows"
	mkdir -p "$lab_rows"
	if "$top/tests/lab/lab-run" --results "$lab_rows" --sd-param delay=0 \
		--env BUILD="$BUILD" --env FIO="$FIO" \
		--env DEMO_RUNTIME="$DEMO_RUNTIME" \
		--env DEMO_TEAR_RUNTIME="$DEMO_TEAR_RUNTIME" -- sh -c '
		set -e
		for d in "$LAB_SCSI_DISK scsi_debug" "$LAB_NVME_NS qemu-nvme"; do
			set -- $d
			'"$top"'/tools/demo-rows.sh "$2:$(basename $1)" "$1" \
				>>"$LAB_RESULTS/rows.tsv"
		done
		for extra in '"$top"'/tools/demo-sg.sh '"$top"'/tools/demo-nvme.sh; do
			[ -x "$extra" ] || continue
			"$extra" >>"$LAB_RESULTS/rows.tsv"
		done'; then
		cat "$lab_rows/rows.tsv" >>"$rows"
	else
		echo "demo: the lab VM did not run (see above); host rows only" >&2
	fi
else
	echo "demo: DEMO_LAB=0: lab targets skipped"
fi

printf '\n%-22s %-16s %4s %8s %10s %12s %12s %12s\n' target engine QD size \
	IOPS "p50 clat" "p99 clat" "torn/checked"
awk -F'\t' '{ printf "%-22s %-16s %4s %8s %10d %9.1f us %9.1f us %12s\n",
	$1, $2, $3, $4, $5, $6, $7, $8 }' "$rows"
echo
echo "demo: ${DEMO_RUNTIME}s random writes per point, without stamps;" \
	"torn/checked: units torn of those written, seen by 2 readers racing" \
	"2 writers (tear_check=1) for ${DEMO_TEAR_RUNTIME}s on 16 units"
echo "demo: rows also in $rows"
if [ "$DEMO_LAB" = 1 ]; then
	echo
	echo "demo: fio-atomic qualify --lab --quick (a verdict per lab device)..."
	rc=0
	"$BUILD/fio-atomic" qualify --lab --quick --runs "$DEMO_POWER_CUTS" \
		--fio "$FIO" \
		--json "$BUILD/demo/qualify.json" --html "$BUILD/demo/qualify" ||
		rc=$?
	echo "demo: qualify exit $rc; report in $BUILD/demo/qualify.json and $BUILD/demo/qualify/index.html"
fi
