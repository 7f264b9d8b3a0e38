#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: make demo's rows for the NVMe passthrough path, inside the
# lab VM: atomic-nvme (nvme_mode=uring_cmd) at QD1 and QD32, random writes
# at every power-of-two size from one logical block to the namespace's
# power-fail atomic unit, on the generic char device $LAB_NVME_NG. Prints
# the rows of tools/demo-rows.sh, tab-separated: target, engine, QD, size,
# IOPS, p50 and p99 completion latency in microseconds, and the
# torn/checked units of a short racing run (tools/demo-tear.sh).
#
#   demo-nvme.sh [NG]      (default $LAB_NVME_NG)
#
# Environment: DEMO_RUNTIME (seconds per point, default 2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${DEMO_RUNTIME:=2}"
ng=${1:-${LAB_NVME_NG:-}}
if [ -z "$ng" ] || [ ! -c "$ng" ]; then
	echo "demo: no NVMe generic char device (LAB_NVME_NG='${LAB_NVME_NG:-}'): run inside the lab VM" >&2
	exit 1
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/fio-atomic-demo-nvme.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$top/tools/demo-tear.sh"

# The unit the engine enforces by default: NAWUPF when NSFEAT says the
# namespace fields apply and it is set, else AWUPF (0's based blocks).
ctrl=$(nvme id-ctrl -o json "$ng")
ns=$(nvme id-ns -o json "$ng")
lbs=$((1 << $(jq -r '.lbafs[(.flbas % 16) + ((.flbas / 32 | floor) % 4) * 16].ds' <<<"$ns")))
blocks=$(jq -r --argjson awupf "$(jq -r .awupf <<<"$ctrl")" '
	if (.nsfeat / 2 | floor) % 2 == 1 and .nawupf > 0 then .nawupf
	else $awupf end + 1' <<<"$ns")
unit=$((blocks * lbs))
echo "demo: $ng: $lbs-byte blocks, power-fail atomic unit $blocks blocks ($unit bytes)" >&2

human() { numfmt --to=iec "$1" | sed 's/K$/KiB/; s/M$/MiB/'; }

for qd in 1 32; do
	for ((size = lbs; size <= unit; size *= 2)); do
		if ! (cd "$out" && "$FIO" --output-format=json \
			--output="$out/point.json" --name=demo \
			--ioengine=external:"$BUILD/engines/atomic-nvme.so" \
			--nvme_mode=uring_cmd --filename="$ng" --size=64m \
			--rw=randwrite --bs="$size" --iodepth="$qd" \
			--time_based --runtime="$DEMO_RUNTIME") \
			>"$out/log" 2>&1; then
			echo "demo: atomic-nvme $ng bs=$size failed:" >&2
			cat "$out/log" >&2
			exit 1
		fi
		tear=$(demo_tear "$out" "$size" \
			--ioengine=external:"$BUILD/engines/atomic-nvme.so" \
			--nvme_mode=uring_cmd --filename="$ng" --iodepth="$qd")
		jq -r --arg t "qemu-nvme:$(basename "$ng")" --arg qd "$qd" \
			--arg s "$(human "$size")" --arg tear "$tear" '
			.jobs[0].write as $w |
			[$t, "atomic-nvme", $qd, $s, ($w.iops | floor),
			 ($w.clat_ns.percentile["50.000000"] / 1000),
			 ($w.clat_ns.percentile["99.000000"] / 1000), $tear] |
			@tsv' "$out/point.json"
	done
done
