#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: unsanitized
# Description: completion latency measured as fio's own engines measure
# it: atomic-uring against fio's io_uring on scsi_debug with a fixed 1 ms
# delay, atomic-nvme uring_cmd against fio's io_uring_cmd on the NVMe
# generic node, medians of 5 alternating runs' clat p50 within 25%
# (guest/latency-peers.sh says why not with no delay).
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab

fa_lab "clat p50 against fio's io_uring and io_uring_cmd" -- \
	sh -c "$FA_TOP/tests/lab/guest/latency-peers.sh \$LAB_SCSI_DISK \$LAB_NVME_NG"

fa_done
