#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: lab-run refuses, before it boots, what a stacked target or a
# filesystem cannot be (tests/lab/lab-targets.sh): too few devices for a
# stack, an fs option mkfs does not take, a device too small for mkfs.xfs,
# and a stack or filesystem on a kernel before the version that passes
# atomic writes through it (the default 6.12), naming that version. Each is
# exit 125 with its message and no guest output (nothing booted).
. "$(dirname "$0")/lab.sh"

fa_require_lab

# refused DESC WANT LAB-RUN-OPTION...: exit 125, WANT in the message, and
# no line from the guest's init
refused() {
	local desc=$1 want=$2 out rc
	shift 2
	out=$("$LAB_RUN" "$@" -- true 2>&1)
	rc=$?
	if [ $rc = 125 ] && [[ $out == *"$want"* ]] &&
	   [[ $out != *lab-init* ]]; then
		fa_pass "$desc: exit 125, $(tail -n 1 <<<"$out")"
	else
		fa_fail "$desc: exit $rc, want 125 with '$want' before a boot; got: $out"
	fi
}

refused "a stack of one device" "it needs 2 or more" --stack md-raid0
refused "dm-mirror of three" "takes 2 members" --sd-hosts 3 --stack dm-mirror
refused "a bigalloc cluster that is no power of two" \
	"bigalloc=3k is not a power of two" --fs ext4,bigalloc=3k
refused "a bigalloc cluster of one block" \
	"cluster larger than the block size (4096)" --fs ext4,bs=4k,bigalloc=4k
refused "an XFS block size mkfs.xfs does not take" \
	"block sizes of 512 to 64k, not 128k" --fs xfs,bs=128k --nvme-size-mb 512
refused "max_atomic_write of one block" \
	"must be more than the block size" --fs xfs,max_atomic_write=4k \
	--nvme-size-mb 512
refused "XFS on a 64 MB namespace" "mkfs.xfs wants 300 MB or more" --fs xfs
refused "XFS on md-raid1 of two 64 MB disks" \
	"the device has 64 MB" --sd-hosts 2 --stack md-raid1 --fs xfs
refused "md-raid0 on 6.12" "md-raid0: atomic writes from Linux 6.13 on" \
	--sd-hosts 2 --stack md-raid0
refused "ext4 on 6.12" "ext4: atomic writes from Linux 6.13 on" --fs ext4
refused "LVM on 6.12" "lvm: atomic writes from Linux 6.14 on" \
	--sd-hosts 2 --stack lvm

fa_done
