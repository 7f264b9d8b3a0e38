#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic-nvme on the lab's QEMU NVMe namespace in four
# geometries (512 and 4096 byte LBAs; awupf 15, 7, 3 and 0; awun; atomic.dn
# on and off; nvme_core multipath on once). In each: lib/'s Identify fields
# agree with nvme-cli and the limits it derives with the kernel's sysfs;
# writes in both modes (uring_cmd, ioctl) are verified and re-read from the
# block device; jobs outside the atomic guarantee are refused before
# writing, naming the field; with atomic_validate=off they run and are
# counted. One VM boot per geometry.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
[ -x "$BUILD/tests/unit/test-nvme" ] ||
	fa_skip "no $BUILD/tests/unit/test-nvme: run 'make' first"
[ -f "$BUILD/engines/atomic-nvme.so" ] ||
	fa_skip "no $BUILD/engines/atomic-nvme.so: run 'make' first"
all=$FA_TOP/tests/lab/guest/nvme-all.sh

fa_lab "NVMe 4096 B LBA, awupf 15, awun 63, atomic.dn off" \
	--scsi-debug off -- "$all" 63 15 4096 off
fa_lab "NVMe 512 B LBA, awupf 7, awun 31, atomic.dn on" \
	--scsi-debug off --nvme-lbs 512 --nvme-awupf 7 --nvme-awun 31 \
	--nvme-atomic-dn on -- "$all" 31 7 512 on
fa_lab "NVMe 4096 B LBA, awupf 3, awun 31, atomic.dn off, multipath on" \
	--scsi-debug off --nvme-awupf 3 --nvme-awun 31 --nvme-multipath on -- \
	"$all" 31 3 4096 off
fa_lab "NVMe 512 B LBA, awupf 0, awun 0 (one block)" \
	--scsi-debug off --nvme-lbs 512 --nvme-awupf 0 --nvme-awun 0 -- \
	"$all" 0 0 512 off

fa_done
