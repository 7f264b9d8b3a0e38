#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: matrix
# Description: filesystems made for atomic writes on a 7.x lab kernel
# (FA_LAB_NEW_KERNEL, default the newest 7.x), one boot each: a file reports
# statx atomic limits, fio-atomic limits enforces them, and atomic-pvsync2
# and atomic-uring writes at unit_min and unit_max pass fio's verify and a
# re-read (guest/fs-atomic.sh; atomic-sg and atomic-nvme are passthrough
# to a device and do not apply to files). XFS on the NVMe namespace (-b size=4096, mounted
# with max_atomic_write=64k: unit_max 64 KiB); ext4 with bigalloc 16 KiB
# clusters on the NVMe namespace (unit_max as the device allows) and on a
# 4096 B scsi_debug disk (unit_max the 16 KiB cluster); XFS on md raid0 over
# two NVMe namespaces.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_new_kernel
fs=$FA_TOP/tests/lab/guest/fs-atomic.sh

# mkfs.xfs wants 300 MB or more: sparse NVMe images cost nothing
fa_lab "xfs,bs=4k,max_atomic_write=64k on NVMe, kernel $kernel" \
	--kernel "$kernel" --scsi-debug off --nvme-size-mb 512 \
	--fs xfs,bs=4k,max_atomic_write=64k -- "$fs" 65536
fa_lab "ext4,bigalloc=16k on NVMe, kernel $kernel" \
	--kernel "$kernel" --scsi-debug off --fs ext4,bigalloc=16k -- "$fs" 4096
fa_lab "ext4,bigalloc=16k on scsi_debug 4096 B (max 16 blocks), kernel $kernel" \
	--kernel "$kernel" --nvme off --sd-param delay=0 \
	--sd-sector-size 4096 --sd-atomic-wr-gran 1 --sd-atomic-wr-align 1 \
	--sd-atomic-wr-max-length 16 --fs ext4,bigalloc=16k --fs-on scsi -- \
	"$fs" 16384
fa_lab "xfs,bs=4k on md-raid0 over 2 NVMe namespaces, kernel $kernel" \
	--kernel "$kernel" --scsi-debug off --nvme-namespaces 2 \
	--nvme-size-mb 512 --stack md-raid0 --fs xfs,bs=4k -- "$fs" 4096

fa_done
