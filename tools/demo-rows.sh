#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the rows of make demo's table for one target: the RWF_ATOMIC
# engines (atomic-pvsync2 at QD1, atomic-uring at QD1 and QD32) at every
# power-of-two size from the target's atomic unit_min to unit_max. Runs on
# the host and, through lab-run, inside the lab VM. Each row ends with the
# torn/checked units of a short racing run (tools/demo-tear.sh).
#
#   demo-rows.sh LABEL PATH [SIZE_MB]
#
# A regular file is laid out again before every point: XFS's out-of-place
# atomic writes fragment it, which would penalise whichever point runs last.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${DEMO_RUNTIME:=2}"
label=${1:?usage: demo-rows.sh LABEL PATH [SIZE_MB]}
target=${2:?usage: demo-rows.sh LABEL PATH [SIZE_MB]}
size_mb=${3:-64}
out=$(mktemp -d "${TMPDIR:-/tmp}/fio-atomic-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$top/tools/demo-tear.sh"

limits=$("$BUILD/fio-atomic" limits --json "$target") || true
if [ "$(jq -r .supported <<<"$limits")" != true ]; then
	echo "demo: $label: $(jq -r .reason <<<"$limits")" >&2
	exit 1
fi
unit_min=$(jq -r .limits.unit_min.enforced.value <<<"$limits")
unit_max=$(jq -r .limits.unit_max.enforced.value <<<"$limits")

human() { numfmt --to=iec "$1" | sed 's/K$/KiB/; s/M$/MiB/'; }

for engine_qd in "atomic-pvsync2 1" "atomic-uring 1" "atomic-uring 32"; do
	read -r engine qd <<<"$engine_qd"
	for ((size = unit_min; size <= unit_max; size *= 2)); do
		if [ -f "$target" ]; then
			rm -f "$target"
			"$FIO" --name=layout --filename="$target" \
				--size="${size_mb}m" --rw=write --bs=1m \
				--direct=1 --ioengine=psync >/dev/null
		fi
		if ! (cd "$out" && "$FIO" --output-format=json \
			--output="$out/point.json" --name=demo \
			--ioengine=external:"$BUILD/engines/$engine.so" \
			--filename="$target" --size="${size_mb}m" \
			--rw=randwrite --bs="$size" --iodepth="$qd" --direct=1 \
			--time_based --runtime="$DEMO_RUNTIME") \
			>"$out/log" 2>&1; then
			echo "demo: $label $engine bs=$size failed:" >&2
			cat "$out/log" >&2
			exit 1
		fi
		tear=$(demo_tear "$out" "$size" \
			--ioengine=external:"$BUILD/engines/$engine.so" \
			--filename="$target" --iodepth="$qd" --direct=1)
		jq -r --arg t "$label" --arg e "$engine" --arg qd "$qd" \
			--arg s "$(human "$size")" --arg tear "$tear" '
			.jobs[0].write as $w |
			[$t, $e, $qd, $s, ($w.iops | floor),
			 ($w.clat_ns.percentile["50.000000"] / 1000),
			 ($w.clat_ns.percentile["99.000000"] / 1000), $tear] |
			@tsv' "$out/point.json"
	done
done
