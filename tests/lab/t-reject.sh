#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the rejection matrix on the lab's block devices (every
# kernel rule broken once, refused before writing in strict mode, the
# kernel's errno counted with validation off), and a scsi_debug disk
# without atomic support refused cleanly, through its block device
# (guest/unsupported.sh) and by atomic-sg at setup, with the reason
# (guest/sg-noatomic.sh).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
[ -f "$ENGINE_DIR/atomic-sg.so" ] ||
	fa_skip "no engine $ENGINE_DIR/atomic-sg.so: run 'make' first"
guest=$FA_TOP/tests/lab/guest

fa_lab "rules on scsi_debug (512 B, gran 2) and NVMe (4096 B)" \
	--sd-param delay=0 -- \
	sh -c "$guest/reject.sh \$LAB_SCSI_DISK" \; \
	sh -c "$guest/reject.sh \$LAB_NVME_NS"
fa_lab "scsi_debug without atomic support" \
	--sd-param delay=0 --sd-atomic-wr 0 --nvme off -- \
	sh -c "$guest/unsupported.sh \$LAB_SCSI_DISK" \; \
	sh -c "$guest/sg-noatomic.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK"

fa_done
