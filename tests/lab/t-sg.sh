#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-sg sends WRITE ATOMIC(16) to the lab's scsi_debug disk
# through its sg node: writes verified by fio and re-read independently
# with sg_dd (512 B blocks, granularity and alignment 2, and a disk with
# only boundary limits; t-engines-write has two more geometries), each
# rule of the Block Limits page broken once (refused before writing; with
# validation off the device's ILLEGAL REQUEST / INVALID FIELD IN CDB
# decoded and counted), the device guard through the sg node and the job
# files in jobs/. (A disk without atomic writes refused at setup: t-reject.)
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
[ -f "$ENGINE_DIR/atomic-sg.so" ] ||
	fa_skip "no engine $ENGINE_DIR/atomic-sg.so: run 'make' first"
g=$FA_TOP/tests/lab/guest

fa_lab "scsi_debug 512 B, gran 2, align 2, max 128, with boundary 256: writes, every rule, job files" \
	--sd-param delay=0 --sd-atomic-wr-max-length-bndry 256 --nvme off -- \
	sh -c "$g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK" \; \
	sh -c "$g/sg-reject.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK" \; \
	sh -c "$g/sg-jobs.sh \$LAB_SCSI_SG"
fa_lab "scsi_debug 512 B, MAXIMUM ATOMIC TRANSFER LENGTH 0: writes with atomic_boundary=2" \
	--sd-param delay=0 --sd-atomic-wr-max-length 0 --nvme off -- \
	sh -c "$g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK 2"

fa_done
