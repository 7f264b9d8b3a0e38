#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic limits on a character device that is neither a
# SCSI generic (sg) nor an NVMe generic (ng) node: refused with exit 1 and
# a message naming its sysfs class, in text and JSON mode, with nothing on
# stdout (the sg and ng nodes themselves are tested in the lab).
. "$(dirname "$0")/lib.sh"

fa_require_tool

for dev in /dev/null /dev/zero; do
	[ -c "$dev" ] || fa_skip "$dev is not a character device here"
	for opt in "" --json; do
		out=$("$FA_TOOL" limits $opt "$dev" 2>/dev/null)
		err=$("$FA_TOOL" limits $opt "$dev" 2>&1 >/dev/null)
		rc=$?
		if [ $rc = 1 ] && [ -z "$out" ] &&
		   grep -q "$dev is a character device .* of class 'mem', neither a SCSI generic node (sg" <<<"$err"; then
			fa_pass "limits $opt $dev: exit 1: $(cut -c1-100 <<<"$err")"
		else
			fa_fail "limits $opt $dev: exit $rc, stdout '$out', stderr '$err'"
		fi
	done
done

fa_done
