#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. fio-atomic limits on the passthrough
# nodes the engines write to: on the SCSI generic node every Block Limits
# atomic field, in blocks and bytes, must equal sg_vpd -p bl (sg3_utils)
# and the block length sg_readcap; on the NVMe generic node every atomic
# field of Identify (raw and in bytes with the LBA format's data size)
# must equal nvme id-ctrl / id-ns (nvme-cli). The enforced limits must be
# the expected ones, the exit status the expected one, the block device
# behind each node found and its report embedded. A char device of another
# kind is refused with exit 1, and no device changes by a byte.
#
#   limits-passthru.sh SG SG_RC SG_EXPECT NG NG_RC NG_EXPECT
#
# *_EXPECT: space-separated KEY=VALUE, each compared with .enforced.KEY
# of the JSON (a jq path under it: units.powerfail.length_max=65536).
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

sg=${1:?usage: limits-passthru.sh SG SG_RC SG_EXPECT NG NG_RC NG_EXPECT}
sg_rc=$2 sg_expect=$3 ng=$4 ng_rc=$5 ng_expect=$6

command -v sg_vpd >/dev/null && command -v nvme >/dev/null && command -v jq >/dev/null ||
	fa_skip "sg_vpd, nvme or jq not found: run 'make deps'"

# sg_vpd -p bl label of each field, by its SBC name (JSON key)
sg_pairs=(
	"MAXIMUM ATOMIC TRANSFER LENGTH|Maximum atomic transfer length"
	"ATOMIC ALIGNMENT|Atomic alignment"
	"ATOMIC TRANSFER LENGTH GRANULARITY|Atomic transfer length granularity"
	"MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY|Maximum atomic transfer length with atomic boundary"
	"MAXIMUM ATOMIC BOUNDARY SIZE|Maximum atomic boundary size"
)

# check DESC OURS THEIRS
check() {
	if [ -n "$3" ] && [ "$2" = "$3" ]; then
		fa_pass "$1 = $2"
	else
		fa_fail "$1: fio-atomic '$2', expected '$3'"
	fi
}

# run_limits DEV RC: text and JSON runs; sets TEXT and JSON
run_limits() {
	local rc

	TEXT=$("$FA_TOOL" limits "$1" 2>&1)
	rc=$?
	check "$1: text exit status" "$rc" "$2"
	[ "$rc" = "$2" ] || grep -E "DISAGREE|atomic writes|fio-atomic" <<<"$TEXT"
	JSON=$("$FA_TOOL" limits --json "$1")
	rc=$?
	check "$1: --json exit status" "$rc" "$2"
	fa_jq_true . >/dev/null <<<"$JSON" || fa_fail "$1: --json is not JSON"
}

# expect_enforced DEV EXPECT
expect_enforced() {
	local kv key val

	for kv in $2; do
		key=${kv%%=*} val=${kv#*=}
		check "$1 enforced $key" "$(jq -r ".enforced.$key" <<<"$JSON")" "$val"
	done
}

sum_dev() {
	dd if="$1" bs=1M iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1
}

disk=$(ls /sys/class/scsi_generic/"$(basename "$sg")"/device/block 2>/dev/null | head -n1)
ns=/dev/nvme${ng#/dev/ng}
before="$(sum_dev /dev/"$disk") $(sum_dev "$ns")"

# --- SCSI generic node
run_limits "$sg" "$sg_rc"
check "$sg kind" "$(jq -r .kind <<<"$JSON")" sg
check "$sg block device" "$(jq -r .block_device <<<"$JSON")" "/dev/$disk"
lbs=$(sg_readcap -l "$sg" | awk -F'=' '/Logical block length/ { print $2 + 0 }')
check "$sg logical block (sg_readcap)" "$(jq -r .logical_block <<<"$JSON")" "$lbs"
vpd=$(sg_vpd -p bl "$sg")
for p in "${sg_pairs[@]}"; do
	IFS='|' read -r field label <<<"$p"
	theirs=$(grep -m1 "^  $label:" <<<"$vpd" | sed 's/^[^:]*: *\([0-9]*\).*/\1/')
	check "$sg $field blocks (sg_vpd)" \
		"$(jq -r --arg f "$field" '.fields[$f].blocks' <<<"$JSON")" "$theirs"
	check "$sg $field bytes (sg_vpd x $lbs)" \
		"$(jq -r --arg f "$field" '.fields[$f].bytes' <<<"$JSON")" "$((theirs * lbs))"
	grep -qE "^  $field +$theirs  blocks +$((theirs * lbs)) bytes" <<<"$TEXT" ||
		fa_fail "$sg: text lacks '$field $theirs blocks $((theirs * lbs)) bytes'"
done
expect_enforced "$sg" "$sg_expect"
# The embedded block report is the block device's own.
check "$sg: block report verdict" "$(jq -r .block.verdict <<<"$JSON")" \
	"$("$FA_TOOL" limits --json "/dev/$disk" | jq -r .verdict)"
[ "$sg_rc" != 0 ] || check "$sg disagreements" "$(jq '.disagreements | length' <<<"$JSON")" 0

# --- NVMe generic node
run_limits "$ng" "$ng_rc"
check "$ng kind" "$(jq -r .kind <<<"$JSON")" ng
check "$ng block device" "$(jq -r .block_device <<<"$JSON")" "$ns"
ctrl=$(nvme id-ctrl -o json "$ng")
idns=$(nvme id-ns -o json "$ng")
ds=$(jq -r '.lbafs[.flbas % 16].ds' <<<"$idns")
lbs=$((1 << ds))
check "$ng LBA data size (nvme id-ns lbafs[flbas].ds)" "$(jq -r .logical_block <<<"$JSON")" "$lbs"
for f in awun awupf acwu nawun nawupf nabsn nabo nabspf; do
	src=$idns
	case $f in aw* | acwu) src=$ctrl ;; esac
	theirs=$(jq -r --arg f "$f" '.[$f]' <<<"$src")
	case $f in
	nabo)		bytes=$((theirs * lbs)) ;;
	nabsn | nabspf)	bytes=$((theirs ? (theirs + 1) * lbs : 0)) ;;
	*)		bytes=$(((theirs + 1) * lbs)) ;;
	esac
	check "$ng $f (nvme id-ctrl/id-ns)" \
		"$(jq -r --arg f "$f" '.fields[$f].value' <<<"$JSON")" "$theirs"
	check "$ng $f bytes" \
		"$(jq -r --arg f "$f" '.fields[$f].bytes' <<<"$JSON")" "$bytes"
	grep -qE "^  $f +$theirs  .* $bytes bytes" <<<"$TEXT" ||
		fa_fail "$ng: text lacks '$f $theirs ... $bytes bytes'"
done
expect_enforced "$ng" "$ng_expect"
check "$ng: block report verdict" "$(jq -r .block.verdict <<<"$JSON")" \
	"$("$FA_TOOL" limits --json "$ns" | jq -r .verdict)"

# --- a char device of another kind
for dev in /dev/null /dev/zero; do
	out=$("$FA_TOOL" limits "$dev" 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -q "neither a SCSI generic node (sg.*) nor an NVMe generic node (ng" <<<"$out"; then
		fa_pass "$dev: refused (exit 1): $(cut -c1-120 <<<"$out")"
	else
		fa_fail "$dev: exit $rc: $out"
	fi
done

after="$(sum_dev /dev/"$disk") $(sum_dev "$ns")"
check "devices unchanged (md5 of /dev/$disk and $ns)" "$after" "$before"

fa_done
