#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-sg sends WRITE ATOMIC(16) to the lab's scsi_debug disk
# through its sg node: writes verified by fio and re-read independently
# with sg_dd in four geometries (512 and 4096 byte blocks, granularity and
# alignment 1, 2 and 8, only boundary limits), each rule of the Block
# Limits page broken once (refused before writing; with validation off the
# device's ILLEGAL REQUEST / INVALID FIELD IN CDB decoded and counted), the
# device guard through the sg node, the job files in jobs/, and a disk
# without atomic writes refused at setup with the reason.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
[ -f "$ENGINE_DIR/atomic-sg.so" ] ||
	fa_skip "no engine $ENGINE_DIR/atomic-sg.so: run 'make' first"
g=$FA_TOP/tests/lab/guest

fa_lab "scsi_debug 512 B, gran 2, align 2, max 128, with boundary 256: writes, every rule, job files" \
	--sd-param delay=0 --sd-atomic-wr-max-length-bndry 256 --nvme off -- \
	sh -c "rc=0
	       $g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK || rc=1
	       $g/sg-reject.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK || rc=1
	       $g/sg-jobs.sh \$LAB_SCSI_SG || rc=1
	       exit \$rc"
fa_lab "scsi_debug 4096 B, gran 1, align 1, max 16" \
	--sd-param delay=0 --sd-sector-size 4096 --sd-atomic-wr-gran 1 \
	--sd-atomic-wr-align 1 --sd-atomic-wr-max-length 16 --nvme off -- \
	sh -c "$g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK"
fa_lab "scsi_debug 512 B, gran 8, align 8, max 256" \
	--sd-param delay=0 --sd-atomic-wr-gran 8 --sd-atomic-wr-align 8 \
	--sd-atomic-wr-max-length 256 --nvme off -- \
	sh -c "$g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK"
fa_lab "scsi_debug 512 B, MAXIMUM ATOMIC TRANSFER LENGTH 0: writes with atomic_boundary=2" \
	--sd-param delay=0 --sd-atomic-wr-max-length 0 --nvme off -- \
	sh -c "$g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK 2"
fa_lab "scsi_debug without atomic_wr: refused at setup" \
	--sd-param delay=0 --sd-atomic-wr 0 --nvme off -- \
	sh -c "$g/sg-noatomic.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK"

fa_done
