#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic probe power-fail on the host: on the XFS it makes
# on a loop image, 3 crashes (filesystem shutdown without log flush, then
# log recovery) under stamped O_DSYNC writes. Atomic writes through both
# engines: power_fail provided, 0 torn units and 0 lost acknowledged
# writes, trials > 0; the positive control (plain 1 MiB writes over one
# extent per block) tears. Its JSON is the probe format with the guarantee
# inside; nothing is left behind (no mount, no loop device, no scratch
# directory). Bad command lines exit 2 and make nothing. Needs root.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_require_tool
command -v mkfs.xfs >/dev/null || fa_skip "mkfs.xfs not found (xfsprogs)"
fa_require_cmd jq
fa_scratch_dir
S=$FA_SCRATCH

leftovers() {
	find "$S" -maxdepth 1 -name 'fio-atomic-power-fail.*' | wc -l
}
loops_before=$(losetup -a | grep -c fio-atomic-power-fail)

# --- bad command lines: exit 2, nothing made
for args in "$S/missing" "--runs 0" "--runs x" "--size 3k" "--engines atomic-sg" \
	"--image 1m" "--size 4m --image 1g" "$S $S"; do
	# shellcheck disable=SC2086
	FIO=$FIO "$FA_TOOL" probe power-fail $args --json >"$S/out" 2>"$S/err"
	rc=$?
	if [ $rc = 2 ] && [ ! -s "$S/out" ] && [ "$(leftovers)" = 0 ]; then
		fa_pass "probe power-fail $args: exit 2, $(head -n1 "$S/err" | cut -c1-100)"
	else
		fa_fail "probe power-fail $args: exit $rc, want 2 and nothing made"
	fi
done

# --- the probe: 3 crashes, scratch in S (on the test's own filesystem)
FIO=$FIO "$FA_TOOL" probe power-fail "$S" --runs 3 --json >"$S/pf.json" 2>"$S/pf.err"
rc=$?
out=$(cat "$S/pf.json")
if [ $rc = 0 ]; then
	fa_pass "power_fail provided: exit 0"
else
	fa_fail "power_fail: exit $rc, want 0: $(cat "$S/pf.err") $(jq -r .result.reason <<<"$out" 2>/dev/null)"
	jq -c '.counts, .result.examples' <<<"$out" 2>/dev/null
fi
check() {
	fa_expect_json "$1" "$2" .counts
}
check "the probe's format, version 1" '.format == "fio-atomic-probe" and .version == 1 and .probe == "power-fail"'
check "3 crashes" '.crashes == 3'
check "power_fail provided" '.result.guarantee == "power_fail" and .result.status == "provided"'
check "both engines, both sizes judged" '(.result.points | length) == 4 and all(.result.points[]; .trials > 0)'
check "0 torn, 0 lost of the acknowledged atomic writes" '.counts.atomic.torn == 0 and .counts.atomic.lost == 0 and .counts.atomic.acked > 0 and .result.failures == 0'
check "the control tore" '.counts.control.torn > 0 and .result.control.passed == true'
if [ "$(leftovers)" = 0 ] &&
   [ "$(losetup -a | grep -c fio-atomic-power-fail)" = "$loops_before" ] &&
   ! grep -q fio-atomic-power-fail /proc/mounts; then
	fa_pass "nothing left: no scratch directory, loop device or mount"
else
	fa_fail "the probe left something behind in $S, losetup or /proc/mounts"
fi
echo "figures: $(jq -c '{crashes, counts}' <<<"$out")"
fa_done
