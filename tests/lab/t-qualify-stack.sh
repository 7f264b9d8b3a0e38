#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: matrix
# Description: fio-atomic qualify on what databases run, on a 7.x lab
# kernel (FA_LAB_NEW_KERNEL, default the newest 7.x), in one boot: md
# raid0 over two scsi_debug hosts (its block device) and XFS on the NVMe
# namespace (a directory, default mount options). Each QUALIFIED with its
# three guarantees named: on md, read and write isolation provided; on
# XFS write_isolation NOT provided (1 MiB units through the software
# fallback mix, as on the host) (guest/qualify-stack.sh).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_new_kernel

fa_lab "qualify md-raid0 over 2 scsi_debug hosts and XFS on NVMe, kernel $kernel" \
	--kernel "$kernel" --sd-param delay=0 --sd-hosts 2 --stack md-raid0 \
	--stack-on scsi --nvme-size-mb 512 --fs xfs,bs=4k \
	--fs-on nvme -- "$FA_TOP/tests/lab/guest/qualify-stack.sh" 16k

fa_done
