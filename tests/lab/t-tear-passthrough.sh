#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: tear rates under racing readers through the passthrough
# engines, in one boot: atomic-sg on the scsi_debug disk's sg node and
# atomic-nvme (ioctl and uring_cmd) on the NVMe namespace. Each engine's
# readers must see torn units when plain writes are split (positive
# control), and none when the engine writes atomically.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
for e in atomic-sg atomic-nvme; do
	[ -f "$ENGINE_DIR/$e.so" ] ||
		fa_skip "no engine $ENGINE_DIR/$e.so: run 'make' first"
done

fa_lab "racing readers through atomic-sg and atomic-nvme" -- \
	"$FA_TOP/tests/lab/guest/tear-race-passthrough.sh"

fa_done
