#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM booted with NVMe multipath on (and a
# non-atomic scsi_debug disk). The 6.12 head node reports atomic limits 0
# while its path node and the device's Identify data promise 64 KiB:
# fio-atomic limits must flag the disagreement (exit 4) and name the path,
# not report a bare "not supported". The non-atomic SCSI disk is "not
# supported" (exit 3), and sg_vpd agrees that it reports no atomic length.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

ns=${1:?usage: limits-gap.sh NVME_NS SCSI_DISK}
scsi=${2:?usage: limits-gap.sh NVME_NS SCSI_DISK}

out=$("$FA_TOOL" limits "$ns" 2>&1)
rc=$?
if [ $rc -eq 4 ] &&
   grep -q "DISAGREE unit_max: .*/sys/block/$(basename "$ns")/queue/atomic_write_unit_max_bytes says 0, .*nvme0c0n1.* says 65536" <<<"$out" &&
   grep -q "DISAGREE unit_max: NVMe Identify.*says 65536, .* says 0" <<<"$out" &&
   grep -q "although its multipath path nvme0c0n1 reports 65536" <<<"$out"; then
	fa_pass "multipath head: flagged: $(grep -m1 DISAGREE <<<"$out" | cut -c1-150)"
else
	fa_fail "multipath head: exit $rc, expected 4 with the head/path and device disagreements"
	grep -E "DISAGREE|atomic writes" <<<"$out"
fi

out=$("$FA_TOOL" limits "$scsi" 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "NOT supported: $scsi does not support atomic writes" <<<"$out"; then
	fa_pass "non-atomic scsi_debug: not supported (exit 3)"
else
	fa_fail "non-atomic scsi_debug: exit $rc"
	grep -E "DISAGREE|atomic writes" <<<"$out"
fi
theirs=$(sg_vpd -p bl "$scsi" | grep -m1 "Maximum atomic transfer length:" | sed 's/^[^:]*: *\([0-9]*\).*/\1/')
ours=$("$FA_TOOL" limits --json "$scsi" | jq -r '.device_view.fields["MAXIMUM ATOMIC TRANSFER LENGTH"]')
[ "$ours" = "${theirs:-0}" ] && fa_pass "non-atomic: MAXIMUM ATOMIC TRANSFER LENGTH $ours (sg_vpd: ${theirs:-0})" ||
	fa_fail "non-atomic: fio-atomic '$ours', sg_vpd '$theirs'"

fa_done
