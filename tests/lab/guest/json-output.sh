#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. The passthrough engines leave fio's
# own output intact and count conformance in their job reports: atomic-sg
# (sync and async) breaks ATOMIC ALIGNMENT twice, atomic-nvme (ioctl and
# uring_cmd) writes twice the AWUPF unit 4 times, each with
# --output-format=json and json+ (stdout parses as fio's JSON, no engine
# line on it) and with --output=FILE (the engine's lines in FILE, stdout
# empty); the reports hold the counts: SCSI sense key 5h, ASC 24h for
# every rejection; NVMe writes counted outside the guarantee (enforced
# false), all completed. Each report's run context names the device with
# what sg_inq (vendor, product, revision, unit serial number) and nvme
# id-ctrl (mn, sn, fr) print.
#
#   json-output.sh SG NG
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
fa_require_cmd jq
sg=${1:?usage: json-output.sh SG NG}
ng=${2:?usage: json-output.sh SG NG}
fa_scratch_dir
S=$FA_SCRATCH
lbs=$(sg_readcap -l "$sg" 2>/dev/null | sed -n 's/.*Logical block length=\([0-9]*\).*/\1/p')
[ -n "$lbs" ] || fa_skip "sg_readcap cannot read $sg"

# run TAG FORMAT ENGINE-ARGS...: stdout to $S/TAG.out, report $S/TAG.json
# (an engine option on fio's command line only after --ioengine)
run() {
	local tag=$1 fmt=$2
	shift 2
	if [ "$fmt" = file ]; then
		# errors (a rejected command, per I/O) go to stderr, as fio's own
		FA_FIO_DIR=$S fa_fio --output="$S/$tag.txt" --name=c "$@" \
			--atomic_report="$S/$tag.json" >"$S/$tag.out" 2>"$S/$tag.err"
	else
		FA_FIO_DIR=$S fa_fio --output-format="$fmt" --name=c "$@" \
			--atomic_report="$S/$tag.json" >"$S/$tag.out" 2>"$S/$tag.err"
	fi
}

check() { # TAG FORMAT LINE-PATTERN REPORT-FILTER DESC
	local tag=$1 fmt=$2 pattern=$3 filter=$4 desc=$5
	if [ "$fmt" = file ]; then
		if [ -s "$S/$tag.out" ] || ! grep -q "$pattern" "$S/$tag.txt"; then
			fa_fail "$desc --output=FILE: stdout '$(head -c 200 "$S/$tag.out")', FILE has the line: $(grep -c "$pattern" "$S/$tag.txt")"
			return
		fi
	elif ! fa_jq_true '.jobs | length == 1' "$S/$tag.out" >/dev/null 2>&1 ||
	     grep -q "$pattern" "$S/$tag.out"; then
		fa_fail "$desc --output-format=$fmt: stdout is not fio's JSON alone: $(head -c 200 "$S/$tag.out")"
		return
	fi
	if fa_jq_true "$filter" "$S/$tag.json" >/dev/null 2>&1; then
		fa_pass "$desc ($fmt): $(jq -c '.conformance.rules[0] | {rule, sent, rejected, accepted, enforced, last: .last_rejection}' "$S/$tag.json" | cut -c1-200)"
	else
		fa_fail "$desc ($fmt): report $(jq -c '.conformance' "$S/$tag.json" 2>&1 | cut -c1-300)"
	fi
}

align=$(sg_vpd -p bl "$sg" | sed -n 's/.*[Aa]tomic alignment: *\([0-9]*\).*/\1/p')
gran=$(sg_vpd -p bl "$sg" | sed -n 's/.*[Aa]tomic transfer length granularity: *\([0-9]*\).*/\1/p')
[ -n "$align" ] && [ "$align" -gt 1 ] || fa_skip "scsi_debug has no atomic alignment above 1 block"
bs=$(( ${gran:-1} * align * lbs ))
for mode in sync async; do
	for fmt in json json+ file; do
		tag=sg-$mode-$fmt
		run "$tag" "$fmt" --ioengine="$(fa_engine atomic-sg)" \
			--filename="$sg" --sg_mode=$mode --atomic_validate=off \
			--continue_on_error=write --ignore_error=EIO,EINVAL \
			--rw=write --bs=$bs --offset="$lbs" --size=$((2 * bs))
		check "$tag" "$fmt" "rule alignment: 2 illegal writes sent" \
			'.format == "fio-atomic-job-report" and .mode == "sg-'$mode'" and .target.kind == "sg" and (.conformance.rules | length) == 1 and .conformance.rules[0].rule == "alignment" and .conformance.rules[0].sent == 2 and .conformance.rules[0].rejected == 2 and .conformance.rules[0].last_rejection.sense_key == 5 and .conformance.rules[0].last_rejection.asc == 36 and .limits.atomic_alignment.value > 0' \
			"atomic-sg $mode, misaligned"
	done
done

unit=$(nvme id-ctrl "$ng" -o json | jq -r '.awupf')
lba=$(nvme id-ns "$ng" -o json | jq -r '.lbafs[.flbas % 16].ds')
[ -n "$unit" ] && [ -n "$lba" ] || fa_skip "nvme-cli cannot read $ng"
off=$(( 2 * (unit + 1) * (1 << lba) ))
for mode in ioctl uring_cmd; do
	for fmt in json json+ file; do
		tag=nvme-$mode-$fmt
		run "$tag" "$fmt" --ioengine="$(fa_engine atomic-nvme)" \
			--filename="$ng" --nvme_mode=$mode --atomic_validate=off \
			--rw=write --bs=$off --offset=16m --size=$((4 * off))
		check "$tag" "$fmt" "rule atomic_unit: 4 writes sent outside the guarantee" \
			'.mode == "nvme-'$mode'" and .target.kind == "ng" and .conformance.rules[0].rule == "atomic_unit" and .conformance.rules[0].enforced == false and .conformance.rules[0].sent == 4 and .conformance.rules[0].accepted == 4 and .limits.awupf.value == '$(( (unit + 1) * (1 << lba) )) \
			"atomic-nvme $mode, twice AWUPF"
	done
done

# The run context names the device as its own tools do: sg_inq's vendor,
# product, revision and unit serial number; nvme id-ctrl's mn, sn, fr.
trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }
inq() { sg_inq "$@" "$sg" 2>/dev/null; }
vendor=$(inq | sed -n 's/^ *Vendor identification: *//p' | trim)
product=$(inq | sed -n 's/^ *Product identification: *//p' | trim)
rev=$(inq | sed -n 's/^ *Product revision level: *//p' | trim)
serial=$(inq -p 0x80 | sed -n 's/^ *Unit serial number: *//p' | trim)
disk=$(ls "/sys/class/scsi_generic/${sg##*/}/device/block" 2>/dev/null)
for mode in sync async; do
	r=$S/sg-$mode-json.json
	if [ -n "$product" ] && fa_jq_true --arg v "$vendor" --arg p "$product" \
		--arg r "$rev" --arg s "$serial" --arg d "$disk" \
		'.version == 2 and .context.target.kind == "sg" and .context.device.name == $d and .context.device.transport == "scsi" and .context.device.vendor == $v and .context.device.model == $p and .context.device.firmware == $r and .context.device.serial == (if $s == "" then null else $s end) and .context.device.source == "SCSI INQUIRY and VPD 80h" and .context.filesystem == null and .context.limits.unit_max > 0' \
		"$r" >/dev/null 2>&1; then
		fa_pass "atomic-sg $mode: context: $disk, '$vendor' '$product' rev '$rev' serial '$serial', as sg_inq says"
	else
		fa_fail "atomic-sg $mode: context $(jq -c .context.device "$r" 2>&1), sg_inq: '$vendor' '$product' '$rev' '$serial' ($disk)"
	fi
done
idc=$(nvme id-ctrl "$ng" -o json 2>/dev/null)
mn=$(jq -r .mn <<<"$idc" | trim)
sn=$(jq -r .sn <<<"$idc" | trim)
fr=$(jq -r .fr <<<"$idc" | trim)
ns=${ng##*/}
ns=nvme${ns#ng}
for mode in ioctl uring_cmd; do
	r=$S/nvme-$mode-json.json
	if [ -n "$mn" ] && fa_jq_true --arg mn "$mn" --arg sn "$sn" --arg fr "$fr" \
		--arg ns "$ns" \
		'.version == 2 and .context.target.kind == "ng" and .context.device.name == $ns and .context.device.transport == "nvme" and .context.device.model == $mn and .context.device.serial == $sn and .context.device.firmware == $fr and .context.device.vendor == null and .context.device.source == "NVMe Identify Controller" and .context.filesystem == null and .context.limits.unit_max > 0' \
		"$r" >/dev/null 2>&1; then
		fa_pass "atomic-nvme $mode: context: $ns, '$mn' serial '$sn' firmware '$fr', as nvme id-ctrl says"
	else
		fa_fail "atomic-nvme $mode: context $(jq -c .context.device "$r" 2>&1), nvme id-ctrl: '$mn' '$sn' '$fr' ($ns)"
	fi
done
fa_done
