#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. fio-atomic limits on the scsi_debug
# disk and the NVMe namespace must find statx, sysfs and the device's own
# limits in agreement (exit 0), and the device fields it read must equal
# what independent readers print: sg_vpd -p bl (sg3_utils) and nvme id-ctrl
# / id-ns (nvme-cli).
#
#   limits-agree.sh [SCSI_DISK] [NVME_NS NVME_NG]
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

scsi=${1:-}
nvme_ns=${2:-}
nvme_ng=${3:-}

# field name in fio-atomic's device view | sg_vpd -p bl label
sg_pairs=(
	"MAXIMUM ATOMIC TRANSFER LENGTH|Maximum atomic transfer length"
	"ATOMIC ALIGNMENT|Atomic alignment"
	"ATOMIC TRANSFER LENGTH GRANULARITY|Atomic transfer length granularity"
	"MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY|Maximum atomic transfer length with atomic boundary"
	"MAXIMUM ATOMIC BOUNDARY SIZE|Maximum atomic boundary size"
	"MAXIMUM TRANSFER LENGTH|Maximum transfer length"
)

limits_ok() { # DEV: prints the JSON; fails the test unless exit 0
	local dev=$1 out rc

	out=$("$FA_TOOL" limits "$dev" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		fa_pass "$dev: statx, sysfs and the device agree: $(tail -n1 <<<"$out")" >&2
	else
		fa_fail "$dev: fio-atomic limits exit $rc" >&2
		grep -E "DISAGREE|atomic writes|device" <<<"$out" >&2
	fi
	"$FA_TOOL" limits --json "$dev"
}

if [ -n "$scsi" ]; then
	json=$(limits_ok "$scsi")
	vpd=$(sg_vpd -p bl "$scsi")
	for p in "${sg_pairs[@]}"; do
		IFS='|' read -r field label <<<"$p"
		ours=$(jq -r --arg f "$field" '.device_view.fields[$f]' <<<"$json")
		theirs=$(grep -m1 "^  $label:" <<<"$vpd" | sed 's/^[^:]*: *\([0-9]*\).*/\1/')
		if [ -n "$theirs" ] && [ "$ours" = "$theirs" ]; then
			fa_pass "$scsi $field = $ours (sg_vpd: $theirs)"
		else
			fa_fail "$scsi $field: fio-atomic '$ours', sg_vpd '$theirs'"
		fi
	done
	lbs=$(sg_readcap --long "$scsi" | sed -n 's/^ *Logical block length=\([0-9]*\) bytes.*/\1/p')
	ours=$(jq -r '.device_view.fields["LOGICAL BLOCK LENGTH IN BYTES"]' <<<"$json")
	[ "$ours" = "$lbs" ] && fa_pass "$scsi logical block $ours (sg_readcap: $lbs)" ||
		fa_fail "$scsi logical block: fio-atomic '$ours', sg_readcap '$lbs'"
fi

if [ -n "$nvme_ns" ]; then
	json=$(limits_ok "$nvme_ns")
	ctrl=$(nvme id-ctrl -o json "$nvme_ng")
	ns=$(nvme id-ns -o json "$nvme_ng")
	for f in awun awupf acwu; do
		ours=$(jq -r --arg f "$f" '.device_view.fields[$f]' <<<"$json")
		theirs=$(jq -r --arg f "$f" '.[$f]' <<<"$ctrl")
		[ "$ours" = "$theirs" ] && fa_pass "$nvme_ns $f = $ours (nvme id-ctrl: $theirs)" ||
			fa_fail "$nvme_ns $f: fio-atomic '$ours', nvme id-ctrl '$theirs'"
	done
	for f in nsfeat nawun nawupf nacwu nabsn nabo nabspf flbas nlbaf nsze; do
		ours=$(jq -r --arg f "$f" '.device_view.fields[$f]' <<<"$json")
		theirs=$(jq -r --arg f "$f" '.[$f]' <<<"$ns")
		[ "$ours" = "$theirs" ] && fa_pass "$nvme_ns $f = $ours (nvme id-ns: $theirs)" ||
			fa_fail "$nvme_ns $f: fio-atomic '$ours', nvme id-ns '$theirs'"
	done
fi

fa_done
