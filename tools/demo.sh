#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic's main job on its built-in default target. Makes
# an XFS image under build/demo, mounts it on a loop device, reads the
# file's atomic write limits, runs both engines at every power-of-two size
# from unit_min to unit_max, prints a table (engine, QD, size, IOPS, p50 and
# p99 completion latency) and unmounts.
#
# Environment: DEMO_RUNTIME (seconds per point, default 2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${DEMO_RUNTIME:=2}"
. "$top/tools/xfs-target.sh"

tool=$BUILD/fio-atomic
engines=$BUILD/engines
out=$BUILD/demo/point.json

fa_target_up "$BUILD/demo" 8192
file=$FA_TARGET_MNT/demo
"$FIO" --name=layout --filename="$file" --size=64m --rw=write --bs=1m \
	--direct=1 --ioengine=psync >/dev/null

"$tool" limits "$file" || true
limits=$("$tool" limits --json "$file")
if [ "$(jq -r .supported <<<"$limits")" != true ]; then
	echo "demo: $(jq -r .reason <<<"$limits")" >&2
	exit 1
fi
unit_min=$(jq -r .limits.unit_min.enforced.value <<<"$limits")
unit_max=$(jq -r .limits.unit_max.enforced.value <<<"$limits")
echo
echo "demo: XFS on $fa_target_loop, atomic writes $unit_min..$unit_max bytes," \
	"random writes, ${DEMO_RUNTIME}s per point, $("$FIO" --version)"

human() { numfmt --to=iec "$1" | sed 's/K$/KiB/; s/M$/MiB/'; }

printf '\n%-16s %4s %8s %10s %12s %12s\n' engine QD size IOPS "p50 clat" "p99 clat"
for engine_qd in "atomic-pvsync2 1" "atomic-uring 1" "atomic-uring 32"; do
	read -r engine qd <<<"$engine_qd"
	for ((size = unit_min; size <= unit_max; size *= 2)); do
		# A fresh file each point: XFS's out-of-place atomic writes
		# fragment it, which would penalise whichever point runs last.
		rm -f "$file"
		"$FIO" --name=layout --filename="$file" --size=64m --rw=write \
			--bs=1m --direct=1 --ioengine=psync >/dev/null
		if ! "$FIO" --output-format=json --output="$out" --name=demo \
			--ioengine=external:"$engines/$engine.so" \
			--filename="$file" --size=64m --rw=randwrite \
			--bs="$size" --iodepth="$qd" --direct=1 --time_based \
			--runtime="$DEMO_RUNTIME" >"$out.log" 2>&1; then
			echo "demo: $engine bs=$size failed:" >&2
			cat "$out.log" >&2
			exit 1
		fi
		jq -r --arg e "$engine" --arg qd "$qd" --arg s "$(human "$size")" '
			.jobs[0].write as $w |
			[$e, $qd, $s, ($w.iops | floor),
			 ($w.clat_ns.percentile["50.000000"] / 1000),
			 ($w.clat_ns.percentile["99.000000"] / 1000)] |
			@tsv' "$out" |
		awk -F'\t' '{ printf "%-16s %4s %8s %10d %9.1f us %9.1f us\n",
			$1, $2, $3, $4, $5, $6 }'
	done
done
echo
echo "demo: done; the target is unmounted and its image kept in $BUILD/demo"
