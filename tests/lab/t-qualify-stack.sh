#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: matrix
# Description: fio-atomic qualify, every step, on what databases run, on a
# 7.x lab kernel (FA_LAB_NEW_KERNEL, default the newest 7.x), with the loop
# module (qualify's power-fail step mounts a loop image), two boots
# (guest/qualify-stack.sh):
#  1 md raid0 over two scsi_debug hosts (its block device) and XFS on the
#    NVMe namespace (a directory, default mount options; 2 GiB, sparse:
#    atomic writes up to 2 MiB through the software fallback, and room
#    for the power-fail step's scratch XFS);
#  2 an LVM volume over two scsi_debug hosts with 4096-byte blocks (its
#    block device), then ext4 with 16 KiB bigalloc clusters made on it (a
#    directory: atomic writes of 4096..16384 bytes).
# Each QUALIFIED with its three guarantees named: on md and LVM read and
# write isolation provided, power_fail not tested (no power cut for a
# block device here); on XFS write_isolation NOT provided (2 MiB units
# through the software fallback mix, as on the host) and power_fail
# provided (a scratch XFS of its geometry crashed 3 times, the control
# torn); on ext4 read and write isolation provided (the hardware path) and
# power_fail not tested, the reason saying why (a scratch ext4 on a loop
# device has no atomic writes: ext4 has no software fallback).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_new_kernel --modules loop,ext4
guest=$FA_TOP/tests/lab/guest

fa_lab "qualify md-raid0 over 2 scsi_debug hosts and XFS on NVMe, kernel $kernel" \
	--kernel "$kernel" --sd-param delay=0 --sd-hosts 2 --stack md-raid0 \
	--stack-on scsi --nvme-size-mb 2048 --fs xfs,bs=4k --fs-on nvme \
	--modules loop -- "$guest/qualify-stack.sh" 16k not_provided provided

fa_lab "qualify LVM over 2 scsi_debug hosts (4096 B) and ext4 bigalloc 16k on it, kernel $kernel" \
	--kernel "$kernel" --nvme off --sd-param delay=0 --sd-hosts 2 \
	--sd-sector-size 4096 --sd-atomic-wr-gran 1 --sd-atomic-wr-align 1 \
	--sd-atomic-wr-max-length 16 --stack lvm --modules loop,ext4 -- \
	"$guest/qualify-stack.sh" 16k provided not_tested 16384

fa_done
