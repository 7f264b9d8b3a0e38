#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the engines write atomically to the lab's devices in three
# geometries, one boot each (512 and 4096 byte blocks, different
# granularity, alignment and awupf): atomic-pvsync2 and atomic-uring to the
# scsi_debug disk and the QEMU NVMe namespace (guest/engines-write.sh) and
# atomic-sg through the disk's sg node (guest/sg-write.sh, the two
# non-default geometries; t-sg has the default one), data verified by fio
# and re-read independently. In the default geometry also: the passthrough
# engines leave fio's JSON and --output intact and count conformance in
# their job reports (guest/json-output.sh).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
[ -f "$ENGINE_DIR/atomic-sg.so" ] ||
	fa_skip "no engine $ENGINE_DIR/atomic-sg.so: run 'make' first"
g=$FA_TOP/tests/lab/guest
write="$g/engines-write.sh \$LAB_SCSI_DISK \$LAB_NVME_NS"
sg="$g/sg-write.sh \$LAB_SCSI_SG \$LAB_SCSI_DISK"

fa_lab "default: scsi_debug 512 B gran 2 align 2 max 128; NVMe 4096 B awupf 15; fio's output" \
	--sd-param delay=0 -- \
	sh -c "$write" \; \
	sh -c "$g/json-output.sh \$LAB_SCSI_SG \$LAB_NVME_NG"
fa_lab "scsi_debug 4096 B gran 1 align 1 max 16; NVMe 512 B awupf 7, atomic.dn on" \
	--sd-param delay=0 --sd-sector-size 4096 --sd-atomic-wr-gran 1 \
	--sd-atomic-wr-align 1 --sd-atomic-wr-max-length 16 \
	--nvme-lbs 512 --nvme-awupf 7 --nvme-atomic-dn on -- \
	sh -c "$write" \; sh -c "$sg"
fa_lab "scsi_debug 512 B gran 8 align 8 max 256; NVMe 4096 B awupf 3" \
	--sd-param delay=0 --sd-atomic-wr-gran 8 --sd-atomic-wr-align 8 \
	--sd-atomic-wr-max-length 256 --nvme-awupf 3 -- \
	sh -c "$write" \; sh -c "$sg"

fa_done
