#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: matrix
# Description: stacked atomic targets on a 7.x lab kernel (FA_LAB_NEW_KERNEL,
# default the newest cached or served 7.x), one boot each: md raid0, raid1
# and raid10, dm linear, stripe and mirror, and an LVM volume over two
# scsi_debug hosts with their own stores (add_host=2 per_host_store=1, as
# blktests md/002), and md raid1 over two NVMe namespaces. The stack device
# reports nonzero atomic limits no larger than its members' (md stacks them
# since 6.13, dm since 6.14), fio-atomic limits enforces them, and
# atomic-pvsync2 and atomic-uring writes at unit_min and unit_max pass
# fio's verify and a re-read (guest/stack-atomic.sh). The engines that
# apply: atomic-sg and atomic-nvme are passthrough to one SCSI or NVMe
# device, and md and dm devices have no generic node.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_new_kernel
guest=$FA_TOP/tests/lab/guest

for stack in md-raid0 md-raid1 md-raid10 dm-linear dm-stripe dm-mirror lvm; do
	fa_lab "$stack over 2 scsi_debug hosts, kernel $kernel" \
		--kernel "$kernel" --sd-param delay=0 --sd-hosts 2 --nvme off \
		--stack "$stack" -- "$guest/stack-atomic.sh"
done
fa_lab "md-raid1 over 2 NVMe namespaces, kernel $kernel" \
	--kernel "$kernel" --scsi-debug off --nvme-namespaces 2 \
	--stack md-raid1 -- "$guest/stack-atomic.sh"

fa_done
