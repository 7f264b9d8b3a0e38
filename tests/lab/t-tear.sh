#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: tear rates under racing readers on the lab's scsi_debug disk
# (default 1-jiffy command delay, so split writes stay visible) and NVMe
# namespace: a positive control with split plain writes must show torn
# units, atomic writes through both RWF_ATOMIC engines none.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
guest=$FA_TOP/tests/lab/guest

fa_lab "racing readers on scsi_debug and NVMe" -- \
	sh -c "$guest/tear-race.sh \$LAB_SCSI_DISK && $guest/tear-race.sh \$LAB_NVME_NS"

fa_done
