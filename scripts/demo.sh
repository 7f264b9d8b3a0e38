#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic's main job on its built-in default targets, one
# table at the end. Each target gets `fio-atomic qualify --quick` (a smoke
# test: one short run per point), its details in files:
#  1. host: an 8 GiB sparse XFS image under build/demo on a loop device;
#     atomic writes through XFS's software fallback; power_fail by a crash
#     of a scratch XFS (filesystem shutdown);
#  2. lab: the lab VM's scsi_debug disk and QEMU NVMe namespace, and the
#     power-cut harness (DEMO_LAB=0 leaves the lab out).
# The table: target x (limits, conformance, power_fail, read_isolation,
# write_isolation, atomic cost at 16 KiB), then where the reports are.
# The full sweep is one command away: fio-atomic qualify DIR (no --quick).
#
# Environment: DEMO_LAB (1), DEMO_POWER_CUTS (power-cut runs per engine in
# the lab, default 1).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${FIO:=$BUILD/fio/fio}"
: "${DEMO_LAB:=1}"
: "${DEMO_POWER_CUTS:=1}"
# fa_xfs_mount: the XFS-on-loop target of the host tests
. "$top/tests/host/lib.sh"

out=$BUILD/demo
mkdir -p "$out"
rm -rf "$out"/host "$out"/lab "$out"/*.json "$out"/*.log
start=$(date +%s)

fa_xfs_mount "$out/xfs.img" "$out/mnt" 8192 || { echo "demo: $FA_WHY" >&2; exit 1; }
mkdir -p "$out/mnt/q"
echo "demo: host: qualify XFS on $FA_LOOP, $("$FIO" --version) (log: $out/host.log)"
rc=0
"$BUILD/fio-atomic" qualify "$out/mnt/q" --quick --fio "$FIO" \
	--json "$out/host.json" --html "$out/host" >"$out/host.log" 2>&1 ||
	rc=$?
echo "demo: host: $(grep -E '^verdict|could not measure' "$out/host.log" | tail -n 1) (exit $rc)"
fa_cleanup

if [ "$DEMO_LAB" = 1 ]; then
	echo "demo: lab: qualify --lab, scsi_debug and QEMU NVMe, $DEMO_POWER_CUTS power cut(s) per engine (log: $out/lab.log)"
	rc=0
	"$BUILD/fio-atomic" qualify --lab --quick --runs "$DEMO_POWER_CUTS" \
		--fio "$FIO" --json "$out/lab.json" --html "$out/lab" \
		>"$out/lab.log" 2>&1 || rc=$?
	echo "demo: lab: $(grep -E '^verdict|could not measure' "$out/lab.log" | tail -n 1) (exit $rc)"
else
	echo "demo: DEMO_LAB=0: lab targets left out"
fi

# One row per target: the steps and guarantees of its qualify report.
row() { # TARGET-OBJECT-JQ LABEL FILE [POWER_FAIL-JQ]
	jq -r --arg name "$2" '
	def g(n): (.guarantees[n].status // "not_tested") |
		if . == "provided" then "provided"
		elif . == "not_provided" then "NOT PROVIDED"
		else "not tested" end;
	def step(n): ([.steps[] | select(.name == n) | .result][0] // "-");
	def cost: ([.results[] | select(.bs == 16384 and .atomic_cost != null) |
		"\(.engine | sub("atomic-"; "")) \(.atomic_cost * 100 | floor)%"] |
		join(", ")) | if . == "" then "-" else . end;
	'"$1"' | [$name, step("limits"), step("conformance"),
		'"${4:-g(\"power_fail\")}"', g("read_isolation"),
		g("write_isolation"), cost] | @tsv' "$3"
}
{
	printf 'target\tlimits\tconformance\tpower_fail\tread_isolation\twrite_isolation\tatomic/plain IOPS at 16 KiB\n'
	[ -s "$out/host.json" ] &&
		row '.fio_atomic_qualify' "host XFS (software)" "$out/host.json"
	if [ -s "$out/lab.json" ]; then
		# scsi_debug keeps its data in RAM: no power cut reaches it
		row '.fio_atomic_qualify.devices[] | select(.kind == "scsi")' \
		    "lab scsi_debug" "$out/lab.json" '"not tested (RAM disk)"'
		row '.fio_atomic_qualify.devices[] | select(.kind == "nvme")' \
		    "lab QEMU NVMe" "$out/lab.json" \
		    "\"$(jq -r '.fio_atomic_qualify.guarantees.power_fail.status // "not_tested" |
			if . == "provided" then "provided (power cut)"
			elif . == "not_provided" then "NOT PROVIDED"
			else "not tested" end' "$out/lab.json")\""
	fi
} | column -t -s "$(printf '\t')"
echo
echo "demo: NOT PROVIDED read/write isolation is a finding about the target, not a failure of the kernel's promise (power_fail); see README, Three guarantees"
echo "demo: --quick figures are a smoke test; the full sweep: $BUILD/fio-atomic qualify DIR --json R.json --html DIR"
reports="$out/host.json, $out/host/index.html"
[ "$DEMO_LAB" = 1 ] && reports="$reports, $out/lab.json, $out/lab/index.html"
echo "demo: reports: $reports"
echo "demo: $(( $(date +%s) - start )) s"
