#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: tear rates under racing readers, one boot of the lab's
# default geometry (scsi_debug's default 1-jiffy command delay, so split
# writes stay visible): a positive control with split plain writes must show
# torn units, atomic writes none, on the scsi_debug disk and the NVMe
# namespace through both RWF_ATOMIC engines (guest/tear-race.sh), and
# through the passthrough engines, atomic-sg in both modes on the disk's sg
# node and atomic-nvme (ioctl, uring_cmd) on the namespace's generic node,
# each engine reading too (guest/tear-race-passthrough.sh).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
for e in atomic-sg atomic-nvme; do
	[ -f "$ENGINE_DIR/$e.so" ] ||
		fa_skip "no engine $ENGINE_DIR/$e.so: run 'make' first"
done
guest=$FA_TOP/tests/lab/guest

fa_lab "racing readers: RWF_ATOMIC engines on scsi_debug and NVMe; atomic-sg and atomic-nvme" -- \
	sh -c "$guest/tear-race.sh \$LAB_SCSI_DISK" \; \
	sh -c "$guest/tear-race.sh \$LAB_NVME_NS" \; \
	"$guest/tear-race-passthrough.sh"

fa_done
