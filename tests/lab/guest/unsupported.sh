#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM with a scsi_debug disk that has no
# atomic write support: both engines refuse it with the reason, and with
# validation off the kernel's EOPNOTSUPP is counted.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
dev=${1:?usage: unsupported.sh DEV}
disk=$(basename "$dev")
out=$("$FA_TOOL" limits "$dev")
rc=$?
if [ $rc = 3 ] && grep -q "NOT supported: $dev does not support atomic writes" <<<"$out"; then
	fa_pass "fio-atomic limits: $(grep 'NOT supported' <<<"$out")"
else
	fa_fail "fio-atomic limits $dev: exit $rc, expected 3 (not supported)"
fi
for engine in "${FA_ENGINES[@]}"; do
	out=$(fa_fio --name=na --ioengine="$(fa_engine "$engine")" \
		--filename="$dev" --rw=write --direct=1 --bs=4k --size=64k 2>&1)
	grep -qE "$dev does not support atomic writes \((statx reports atomic_write_unit_max 0, )?/sys/block/$disk/queue/atomic_write_unit_max_bytes is 0\)" <<<"$out" &&
		fa_pass "$engine: refused: not supported" ||
		{ fa_fail "$engine: no 'not supported' refusal"; echo "$out" | grep fio: | head -n 3; }
	out=$(fa_fio --name=na --ioengine="$(fa_engine "$engine")" \
		--filename="$dev" --rw=write --direct=1 --bs=4k --size=64k \
		--atomic_validate=off --continue_on_error=write \
		--ignore_error=EIO,22:95 2>&1)
	grep -qF "rule unsupported: 16 illegal writes sent, 16 rejected (Operation not supported), 0 accepted" <<<"$out" &&
		fa_pass "$engine: 16 writes rejected with EOPNOTSUPP" ||
		{ fa_fail "$engine: no EOPNOTSUPP count"; echo "$out" | grep -E "rule|err=" | head -n 3; }
done
fa_done
