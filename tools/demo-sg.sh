#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the SCSI rows of fio-atomic's demo table, run inside the lab
# VM on its scsi_debug disk: atomic-sg's random WRITE ATOMIC(16) writes at
# every power-of-two size from the disk's atomic unit_min to unit_max, at
# QD1 (SG_IO) and QD32 (the sg driver's asynchronous interface). Prints the
# rows as tools/demo-rows.sh does, for tools/demo.sh's table: tab-separated
# target, engine, QD, size, IOPS, p50 and p99 completion latency (us) and
# the torn/checked units of a short racing run (tools/demo-tear.sh);
# --table prints them formatted under a header instead.
#
#   tools/demo-sg.sh [--table] [SG_NODE [DISK]]
#
# SG_NODE and DISK default to the lab's $LAB_SCSI_SG and $LAB_SCSI_DISK.
# From the host:
#
#   tests/lab/lab-run --sd-param delay=0 --nvme off --env BUILD=$PWD/build \
#       --env FIO=$PWD/build/fio/fio -- $PWD/tools/demo-sg.sh --table
#
# Environment: DEMO_RUNTIME (seconds per point, default 2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${DEMO_RUNTIME:=2}"

table=0
if [ "${1:-}" = --table ]; then
	table=1
	shift
fi
sg=${1:-${LAB_SCSI_SG:-}}
disk=${2:-${LAB_SCSI_DISK:-}}
if [ -z "$sg" ] || [ -z "$disk" ]; then
	echo "demo-sg: no SCSI device: run inside tests/lab/lab-run, or name SG_NODE and DISK" >&2
	exit 1
fi

# The disk's atomic unit range as the kernel derives it from the Block
# Limits page; every power of two in it is legal for WRITE ATOMIC(16).
limits=$("$BUILD/fio-atomic" limits --json "$disk")
if [ "$(jq -r .supported <<<"$limits")" != true ]; then
	echo "demo-sg: $disk: $(jq -r .reason <<<"$limits")" >&2
	exit 1
fi
unit_min=$(jq -r .limits.unit_min.enforced.value <<<"$limits")
unit_max=$(jq -r .limits.unit_max.enforced.value <<<"$limits")

work=$(mktemp -d /tmp/demo-sg.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=$work/point.json
. "$top/tools/demo-tear.sh"

human() { numfmt --to=iec "$1" | sed 's/K$/KiB/; s/M$/MiB/'; }

# Formatted as tools/demo.sh prints its table.
format() {
	if [ $table = 1 ]; then
		awk -F'\t' '{ printf "%-22s %-16s %4s %8s %10d %9.1f us %9.1f us %12s\n",
			$1, $2, $3, $4, $5, $6, $7, $8 }'
	else
		cat
	fi
}

label="scsi_debug:$(basename "$sg")"
[ $table = 1 ] &&
	printf '%-22s %-16s %4s %8s %10s %12s %12s %12s\n' target engine QD \
		size IOPS "p50 clat" "p99 clat" "torn/checked"
for mode_qd in "sync 1" "async 32"; do
	read -r mode qd <<<"$mode_qd"
	for ((size = unit_min; size <= unit_max; size *= 2)); do
		if ! (cd "$work" && "$FIO" --output-format=json --output="$out" \
			--name=demo --ioengine=external:"$BUILD/engines/atomic-sg.so" \
			--filename="$sg" --sg_mode="$mode" --iodepth="$qd" \
			--size=32m --rw=randwrite --bs="$size" --time_based \
			--runtime="$DEMO_RUNTIME" >"$out.log" 2>&1); then
			echo "demo-sg: atomic-sg bs=$size failed:" >&2
			cat "$out.log" >&2
			exit 1
		fi
		tear=$(demo_tear "$work" "$size" \
			--ioengine=external:"$BUILD/engines/atomic-sg.so" \
			--filename="$sg" --sg_mode="$mode" --iodepth="$qd")
		jq -r --arg t "$label" --arg qd "$qd" \
			--arg s "$(human "$size")" --arg tear "$tear" '
			.jobs[0].write as $w |
			[$t, "atomic-sg", $qd, $s, ($w.iops | floor),
			 ($w.clat_ns.percentile["50.000000"] / 1000),
			 ($w.clat_ns.percentile["99.000000"] / 1000), $tear] |
			@tsv' "$out" | format
	done
done
