#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the passthrough engines leave fio's JSON and --output intact
# and count conformance in their job reports (guest/json-output.sh), one
# boot: atomic-sg in both modes, atomic-nvme in both; the reports' run
# context gives the devices' model, serial and firmware as sg_inq and nvme
# id-ctrl print them.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab

fa_lab "fio's output with atomic-sg and atomic-nvme: json, json+, --output" \
	--sd-param delay=0 -- \
	sh -c "$FA_TOP/tests/lab/guest/json-output.sh \$LAB_SCSI_SG \$LAB_NVME_NG"

fa_done
