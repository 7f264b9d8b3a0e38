#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long
# Description: fio-atomic limits in the lab: statx, sysfs and the device's
# own limits (SCSI Block Limits VPD, NVMe Identify) agree in several
# geometries, and agree with independent readers (sg_vpd, nvme-cli); the
# NVMe multipath head-node gap is flagged, a non-atomic disk reported so.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
guest=$FA_TOP/tests/lab/guest
agree="$guest/limits-agree.sh \$LAB_SCSI_DISK \$LAB_NVME_NS \$LAB_NVME_NG"

fa_lab "default geometry" -- sh -c "$agree"
fa_lab "scsi 4096 B gran 1 align 1 max 16; NVMe 512 B awupf 7 awun 31 dn on" \
	--sd-sector-size 4096 --sd-atomic-wr-gran 1 --sd-atomic-wr-align 1 \
	--sd-atomic-wr-max-length 16 --nvme-lbs 512 --nvme-awupf 7 \
	--nvme-awun 31 --nvme-atomic-dn on -- sh -c "$agree"
fa_lab "scsi gran 8 align 8 max 256 boundary 64/512; NVMe awupf 0" \
	--sd-atomic-wr-gran 8 --sd-atomic-wr-align 8 \
	--sd-atomic-wr-max-length 256 --sd-atomic-wr-max-bndry 64 \
	--sd-atomic-wr-max-length-bndry 512 --nvme-awupf 0 -- sh -c "$agree"
fa_lab "NVMe multipath on, scsi_debug without atomics" \
	--nvme-multipath on --sd-atomic-wr 0 -- \
	sh -c "$guest/limits-gap.sh \$LAB_NVME_NS \$LAB_SCSI_DISK"

fa_done
