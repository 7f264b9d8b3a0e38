# SPDX-License-Identifier: GPL-2.0
#
# Description: helpers for the atomic-sg guest scripts (sourced, inside the
# lab VM): the device's limits as sg3_utils reads them (independently of
# lib/fa_scsi_*.c), region checksums and dumps read back with sg_dd's
# READ(16), and the engine's fio arguments.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

SG_ENGINE=$ENGINE_DIR/atomic-sg.so

fa_require_sg() {
	fa_require_fio
	[ -f "$SG_ENGINE" ] || fa_skip "no engine $SG_ENGINE: run 'make' first"
	command -v sg_dd >/dev/null && command -v sg_vpd >/dev/null ||
		fa_skip "sg_dd/sg_vpd not found: run 'make deps' (sg3-utils)"
}

# sg_vpd_field DEV LABEL: the number sg_vpd -p bl prints after "LABEL:".
sg_vpd_field() {
	sg_vpd -p bl "$1" | awk -F': ' -v l="$2" \
		'$1 ~ "^ *" l "$" { split($2, v, " "); print v[1]; exit }'
}

# sg_read_limits DEV: sets SG_LBS, SG_MAX, SG_ALIGN, SG_GRAN, SG_MAX_BNDRY_LEN,
# SG_MAX_BNDRY (blocks) from sg_vpd and sg_readcap.
sg_read_limits() {
	SG_LBS=$(sg_readcap -l "$1" | awk -F'=' '/Logical block length/ { print $2 + 0 }')
	SG_MAX=$(sg_vpd_field "$1" "Maximum atomic transfer length")
	SG_ALIGN=$(sg_vpd_field "$1" "Atomic alignment")
	SG_GRAN=$(sg_vpd_field "$1" "Atomic transfer length granularity")
	SG_MAX_BNDRY_LEN=$(sg_vpd_field "$1" "Maximum atomic transfer length with atomic boundary")
	SG_MAX_BNDRY=$(sg_vpd_field "$1" "Maximum atomic boundary size")
	for v in SG_LBS SG_MAX SG_ALIGN SG_GRAN SG_MAX_BNDRY_LEN SG_MAX_BNDRY; do
		[[ ${!v} =~ ^[0-9]+$ ]] ||
			fa_skip "sg_vpd/sg_readcap on $1 gave no $v (sg3-utils too old for the atomic fields?)"
	done
	echo "$1: sg_vpd: LOGICAL BLOCK LENGTH $SG_LBS, MAXIMUM ATOMIC TRANSFER LENGTH $SG_MAX, ATOMIC ALIGNMENT $SG_ALIGN, GRANULARITY $SG_GRAN, WITH ATOMIC BOUNDARY $SG_MAX_BNDRY_LEN, MAXIMUM ATOMIC BOUNDARY SIZE $SG_MAX_BNDRY"
}

# sg_dump DEV OFFSET SIZE FILE: READ(16) the region with sg_dd into FILE at
# the same offset (a sparse file), so fio can verify it like the device.
sg_dump() {
	local lbs=$SG_LBS

	rm -f "$4"
	sg_dd if="$1" of="$4" bs="$lbs" skip=$(($2 / lbs)) seek=$(($2 / lbs)) \
		count=$(($3 / lbs)) cdbsz=16 2>&1 | grep -v "records \(in\|out\)"
	return "${PIPESTATUS[0]}"
}

# sg_sum DEV OFFSET SIZE: sha256 of the region, read with sg_dd.
sg_sum() {
	fa_scratch_dir
	sg_dump "$1" "$2" "$3" "$FA_SCRATCH/sum.bin" >/dev/null || return 1
	fa_sum "$FA_SCRATCH/sum.bin"
}

sg_engine() {
	echo "--ioengine=external:$SG_ENGINE"
}
