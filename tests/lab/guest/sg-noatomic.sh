#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM, on scsi_debug without atomic_wr. A
# WRITE ATOMIC(16) job is refused at setup with the reason from the Block
# Limits page, nothing written; the device view agrees with the kernel that
# there are no atomic writes; write_atomic=0 still writes and verifies with
# plain WRITE(16); with atomic_validate=off the device's answer to WRITE
# ATOMIC(16) comes back decoded and counted under rule unsupported.
#
#   sg-noatomic.sh SG_NODE DISK
. "$FA_TOP/tests/lab/guest/sg-lib.sh"

fa_require_sg
[ $# -eq 2 ] || fa_skip "usage: sg-noatomic.sh SG_NODE DISK"
sg=$1 disk=$2
lbs=$(cat "/sys/block/$(basename "$disk")/queue/logical_block_size")
SG_LBS=$lbs

out=$(FA_SCSI_DEVICE=$sg "$BUILD/tests/unit/test-scsi" 2>&1)
if grep -q "^PASS test_device_view_matches_kernel" <<<"$out" &&
   grep -q "device view unit_min 0 unit_max 0 .*are both 0" <<<"$out"; then
	fa_pass "$(grep "device view" <<<"$out")"
else
	fa_fail "$sg: the device view does not say 'no atomic writes' as the kernel does"
	grep -E "device view|test_device_view|assertion" <<<"$out"
fi

region=$((1024 * 1024))
dd if=/dev/urandom of="$disk" bs=1M count=1 oflag=direct conv=fsync \
	status=none || fa_skip "cannot fill $disk"
job=(--name=noatomic --filename="$sg" --rw=randwrite --bs=4k --size=64k)

before=$(sg_sum "$sg" 0 $region)
out=$(fa_fio "$(sg_engine)" "${job[@]}" 2>&1)
after=$(sg_sum "$sg" 0 $region)
expect="$sg does not support WRITE ATOMIC(16): MAXIMUM ATOMIC TRANSFER LENGTH and MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY are both 0 (Block Limits VPD page of $sg)"
if grep -qF "$expect" <<<"$out" && grep -qF "(rule unsupported;" <<<"$out" &&
   ! grep -q "err= 0" <<<"$out" && [ -n "$before" ] &&
   [ "$before" = "$after" ]; then
	fa_pass "refused at setup, nothing written: $expect"
else
	fa_fail "a WRITE ATOMIC(16) job on a device without atomic writes was not refused with the reason"
	grep -E "fio:|err=" <<<"$out" | head -n 5
fi

for mode in sync async; do
	out=$(fa_fio "$(sg_engine)" "${job[@]}" --sg_mode=$mode --iodepth=4 \
		--write_atomic=0 --verify=crc32c --verify_fatal=1 2>&1)
	if grep -q "err= 0" <<<"$out"; then
		fa_pass "write_atomic=0, $mode: plain WRITE(16) written and verified"
	else
		fa_fail "write_atomic=0, $mode: plain writes failed"
		grep -E "fio:|err=" <<<"$out" | head -n 5
	fi
done

out=$(fa_fio "$(sg_engine)" "${job[@]}" --size=8k --atomic_validate=off \
	--continue_on_error=write --ignore_error=EIO,EINVAL 2>&1)
if grep -q "failed: CHECK CONDITION: ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE" <<<"$out" &&
   grep -q "rule unsupported: 2 illegal writes sent, 2 rejected (" <<<"$out"; then
	fa_pass "off: $(grep -o "rule unsupported: .*" <<<"$out" | cut -c1-150)"
else
	fa_fail "off: the device's refusal of WRITE ATOMIC(16) was not decoded and counted"
	grep -E "atomic-sg|err=" <<<"$out" | head -n 5
fi

fa_done
