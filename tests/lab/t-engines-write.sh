#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-pvsync2 and atomic-uring write atomically to the lab's
# scsi_debug disk and QEMU NVMe namespace in several geometries (512 and
# 4096 byte blocks, different granularity, alignment and awupf), with the
# data verified by fio and re-read independently.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
guest=$FA_TOP/tests/lab/guest/engines-write.sh

fa_lab "default: scsi_debug 512 B gran 2 align 2 max 128; NVMe 4096 B awupf 15" \
	--sd-param delay=0 -- \
	sh -c "$guest \$LAB_SCSI_DISK \$LAB_NVME_NS"
fa_lab "scsi_debug 4096 B gran 1 align 1 max 16; NVMe 512 B awupf 7, atomic.dn on" \
	--sd-param delay=0 --sd-sector-size 4096 --sd-atomic-wr-gran 1 \
	--sd-atomic-wr-align 1 --sd-atomic-wr-max-length 16 \
	--nvme-lbs 512 --nvme-awupf 7 --nvme-atomic-dn on -- \
	sh -c "$guest \$LAB_SCSI_DISK \$LAB_NVME_NS"
fa_lab "scsi_debug 512 B gran 8 align 8 max 256; NVMe 4096 B awupf 3" \
	--sd-param delay=0 --sd-atomic-wr-gran 8 --sd-atomic-wr-align 8 \
	--sd-atomic-wr-max-length 256 --nvme-awupf 3 -- \
	sh -c "$guest \$LAB_SCSI_DISK \$LAB_NVME_NS"

fa_done
