#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long
# Description: fio-atomic limits in the lab, one boot per geometry:
# statx, sysfs and the device's own limits (SCSI Block Limits VPD, NVMe
# Identify) agree, and agree with independent readers (sg_vpd, nvme-cli)
# (guest/limits-agree.sh); on the passthrough nodes (/dev/sgN, /dev/ngXnY)
# every atomic field equals sg_vpd / nvme-cli in blocks and bytes, the
# limits atomic-sg and atomic-nvme enforce are the expected ones, each
# node's block device found and cross-checked, other char devices refused,
# nothing written (guest/limits-passthru.sh); the NVMe multipath head-node
# gap is flagged, a non-atomic disk reported so (exit 3 and 4 through the
# nodes).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_tool
guest=$FA_TOP/tests/lab/guest
agree="$guest/limits-agree.sh \$LAB_SCSI_DISK \$LAB_NVME_NS \$LAB_NVME_NG"
passthru=$guest/limits-passthru.sh

fa_lab "default geometry; the passthrough nodes" -- \
	sh -c "$agree" \; \
	sh -c "$passthru \$LAB_SCSI_SG 0 'length_min=1024 length_max=65536 length_step=1024 offset_align=1024 boundary_max_blocks=128 boundary_length_max=4194304 sd.unit_min=1024 sd.unit_max=65536' \
		\$LAB_NVME_NG 0 'lba_size=4096 units.powerfail.field=awupf units.powerfail.length_max=65536 units.normal.field=awun units.normal.length_max=262144'"
fa_lab "scsi 4096 B gran 1 align 1 max 16; NVMe 512 B awupf 7 awun 31 dn on" \
	--sd-sector-size 4096 --sd-atomic-wr-gran 1 --sd-atomic-wr-align 1 \
	--sd-atomic-wr-max-length 16 --nvme-lbs 512 --nvme-awupf 7 \
	--nvme-awun 31 --nvme-atomic-dn on -- sh -c "$agree"
fa_lab "scsi gran 8 align 8 max 256 boundary 64/512; NVMe awupf 0" \
	--sd-atomic-wr-gran 8 --sd-atomic-wr-align 8 \
	--sd-atomic-wr-max-length 256 --sd-atomic-wr-max-bndry 64 \
	--sd-atomic-wr-max-length-bndry 512 --nvme-awupf 0 -- sh -c "$agree"
fa_lab "passthrough nodes: scsi_debug 4096 B, boundary only (max 0, with boundary 32, boundary 16); NVMe 512 B awupf 7 awun 31" \
	--sd-sector-size 4096 --sd-atomic-wr-gran 1 --sd-atomic-wr-align 1 \
	--sd-atomic-wr-max-length 0 --sd-atomic-wr-max-length-bndry 32 \
	--sd-atomic-wr-max-bndry 16 --nvme-lbs 512 --nvme-awupf 7 \
	--nvme-awun 31 -- \
	sh -c "$passthru \$LAB_SCSI_SG 0 'length_max=0 boundary_max_blocks=16 boundary_length_min=4096 boundary_length_max=131072 sd.use_boundary=true sd.unit_max=65536' \
		\$LAB_NVME_NG 0 'lba_size=512 units.powerfail.length_max=4096 units.normal.length_max=16384'"
fa_lab "NVMe multipath on, scsi_debug without atomics; their passthrough nodes (exit 3 and 4)" \
	--nvme-multipath on --sd-atomic-wr 0 -- \
	sh -c "$guest/limits-gap.sh \$LAB_NVME_NS \$LAB_SCSI_DISK" \; \
	sh -c "$passthru \$LAB_SCSI_SG 3 'length_max=0 boundary_max_blocks=0 sd.unit_max=0' \
		\$LAB_NVME_NG 4 'units.powerfail.length_max=65536'"

fa_done
