#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long
# Description: fio-atomic limits on the passthrough nodes (/dev/sgN,
# /dev/ngXnY) in the lab: every atomic field read through the node equals
# sg_vpd / nvme-cli in blocks and bytes, the limits atomic-sg and
# atomic-nvme enforce are the expected ones in three geometries (defaults;
# 4096 B blocks with boundary-only SCSI limits and a 512 B NVMe namespace
# with awupf 7; a scsi_debug disk without atomics and an NVMe multipath
# head whose block device disagrees), each node's block device found and
# cross-checked, other char devices refused, nothing written.
. "$(dirname "$0")/lab.sh"

fa_require_lab
[ -x "$FA_TOOL" ] || fa_skip "no $FA_TOOL: run 'make' first"
g="$FA_TOP/tests/lab/guest/limits-passthru.sh"

fa_lab "defaults: scsi_debug 512 B gran 2 align 2 max 128; NVMe 4096 B awupf 15" -- \
	sh -c "$g \$LAB_SCSI_SG 0 'length_min=1024 length_max=65536 length_step=1024 offset_align=1024 boundary_max_blocks=128 boundary_length_max=4194304 sd.unit_min=1024 sd.unit_max=65536' \
		\$LAB_NVME_NG 0 'lba_size=4096 units.powerfail.field=awupf units.powerfail.length_max=65536 units.normal.field=awun units.normal.length_max=262144'"
fa_lab "scsi_debug 4096 B, boundary only (max 0, with boundary 32, boundary 16); NVMe 512 B awupf 7 awun 31" \
	--sd-sector-size 4096 --sd-atomic-wr-gran 1 --sd-atomic-wr-align 1 \
	--sd-atomic-wr-max-length 0 --sd-atomic-wr-max-length-bndry 32 \
	--sd-atomic-wr-max-bndry 16 --nvme-lbs 512 --nvme-awupf 7 \
	--nvme-awun 31 -- \
	sh -c "$g \$LAB_SCSI_SG 0 'length_max=0 boundary_max_blocks=16 boundary_length_min=4096 boundary_length_max=131072 sd.use_boundary=true sd.unit_max=65536' \
		\$LAB_NVME_NG 0 'lba_size=512 units.powerfail.length_max=4096 units.normal.length_max=16384'"
fa_lab "scsi_debug without atomic_wr (exit 3); NVMe multipath head (exit 4)" \
	--sd-atomic-wr 0 --nvme-multipath on -- \
	sh -c "$g \$LAB_SCSI_SG 3 'length_max=0 boundary_max_blocks=0 sd.unit_max=0' \
		\$LAB_NVME_NG 4 'units.powerfail.length_max=65536'"

fa_done
