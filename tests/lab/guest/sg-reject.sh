#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Each rule of the device's Block
# Limits page broken once: LBA not a multiple of ATOMIC ALIGNMENT, length
# not a multiple of ATOMIC TRANSFER LENGTH GRANULARITY, longer than MAXIMUM
# ATOMIC TRANSFER LENGTH, ATOMIC BOUNDARY above MAXIMUM ATOMIC BOUNDARY
# SIZE, longer than MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY. The
# offending values are computed from what sg_vpd reads. With
# atomic_validate=strict the engine refuses the job before writing (the
# region's checksum, read with sg_dd, is unchanged) and names the field,
# the value and the limit; with atomic_validate=off the writes go out, the
# device answers ILLEGAL REQUEST / INVALID FIELD IN CDB, decoded per I/O,
# and the end-of-job count says how many were sent and rejected, in both
# modes. Then the device guard: a swap signature on the disk stops a write
# to its sg node unless allow_mounted_write=1.
#
#   sg-reject.sh SG_NODE DISK
. "$FA_TOP/tests/lab/guest/sg-lib.sh"

fa_require_sg
[ $# -eq 2 ] || fa_skip "usage: sg-reject.sh SG_NODE DISK"
sg=$1 disk=$2
sg_read_limits "$sg"
[ "$SG_ALIGN" -gt 1 ] && [ "$SG_GRAN" -gt 1 ] && [ "$SG_MAX" -gt 0 ] &&
	[ "$SG_MAX_BNDRY" -gt 0 ] ||
	fa_skip "$sg: every rule needs ATOMIC ALIGNMENT and GRANULARITY > 1 and boundary support"
lbs=$SG_LBS
dev_note="(Block Limits VPD page of $sg)"

# A region of known random contents: a refused write must leave it so.
region=$((2 * 1024 * 1024))
dd if=/dev/urandom of="$disk" bs=1M count=$((region / 1048576)) \
	oflag=direct conv=fsync status=none || fa_skip "cannot fill $disk"

# check_rule NAME RULE EXPECTED-MESSAGE FIO-ARGS...: two illegal writes.
check_rule() {
	local name=$1 rule=$2 expect=$3 before after out mode qd
	shift 3

	before=$(sg_sum "$sg" 0 $region)
	out=$(fa_fio "$(sg_engine)" --name="$name" --filename="$sg" "$@" 2>&1)
	after=$(sg_sum "$sg" 0 $region)
	if ! grep -qF -- "$expect" <<<"$out"; then
		fa_fail "$name, strict: output lacks '$expect'"
		grep -E "fio:|err=" <<<"$out" | head -n 5
	elif ! grep -qF "(rule $rule;" <<<"$out"; then
		fa_fail "$name, strict: the refusal does not name rule $rule"
	elif grep -q "err= 0" <<<"$out"; then
		fa_fail "$name, strict: fio reported success"
	elif [ -z "$before" ] || [ "$before" != "$after" ]; then
		fa_fail "$name, strict: the region changed although the job was refused"
	else
		fa_pass "$name, strict: refused before writing: $(grep -oF -- "$expect" <<<"$out")"
	fi

	for mode in sync async; do
		qd=1
		[ $mode = async ] && qd=2
		before=$(sg_sum "$sg" 0 $region)
		out=$(fa_fio "$(sg_engine)" --name="$name" --filename="$sg" \
			--sg_mode=$mode --iodepth=$qd --atomic_validate=off \
			--continue_on_error=write \
			--ignore_error=EIO,EINVAL "$@" 2>&1)
		after=$(sg_sum "$sg" 0 $region)
		if ! grep -q "failed: CHECK CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB" <<<"$out"; then
			fa_fail "$name, off, $mode: no decoded ILLEGAL REQUEST / INVALID FIELD IN CDB per I/O"
			grep -E "fio:|atomic-sg|err=" <<<"$out" | head -n 5
		elif ! grep -q "of [0-9]* blocks at LBA [0-9]* (" <<<"$out"; then
			fa_fail "$name, off, $mode: the failed I/O is not logged with its LBA and length"
		elif ! grep -q "rule $rule: 2 illegal writes sent, 2 rejected (CHECK CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB.*), 0 accepted" <<<"$out"; then
			fa_fail "$name, off, $mode: the count for rule $rule is not 2 sent, 2 rejected"
			grep -E "rule|err=" <<<"$out" | head -n 5
		elif [ -z "$before" ] || [ "$before" != "$after" ]; then
			fa_fail "$name, off, $mode: the device accepted part of an illegal write (region changed)"
		else
			fa_pass "$name, off, $mode: $(grep -o "rule $rule: .*" <<<"$out" | cut -c1-150)"
		fi
	done
}

check_rule alignment alignment \
	"offset=$lbs (LBA 1) is not a multiple of ATOMIC ALIGNMENT $SG_ALIGN blocks $dev_note" \
	--rw=write --bs=$((SG_GRAN * SG_ALIGN * lbs)) --offset="$lbs" \
	--size=$((2 * SG_GRAN * SG_ALIGN * lbs))

bs=$(((SG_GRAN + 1) * lbs))
check_rule granularity granularity \
	"bs=$bs ($((SG_GRAN + 1)) blocks) is not a multiple of ATOMIC TRANSFER LENGTH GRANULARITY $SG_GRAN blocks $dev_note" \
	--rw=write --bs=$bs --size=$((2 * bs))

# Longer by a multiple of granularity and alignment: only the length rule
# breaks (scsi_debug's MAXIMUM ATOMIC TRANSFER LENGTH is such a multiple).
blocks=$((SG_MAX + SG_GRAN * SG_ALIGN))
check_rule max_length max_length \
	"bs=$((blocks * lbs)) ($blocks blocks) exceeds MAXIMUM ATOMIC TRANSFER LENGTH $SG_MAX blocks $dev_note" \
	--rw=write --bs=$((blocks * lbs)) --size=$((2 * blocks * lbs))

bndry=$((2 * SG_MAX_BNDRY))
check_rule boundary_size boundary_size \
	"atomic_boundary=$bndry blocks exceeds MAXIMUM ATOMIC BOUNDARY SIZE $SG_MAX_BNDRY blocks $dev_note" \
	--rw=write --bs=$((SG_GRAN * SG_ALIGN * lbs)) \
	--size=$((2 * SG_GRAN * SG_ALIGN * lbs)) --atomic_boundary=$bndry

blocks=$((SG_MAX_BNDRY_LEN + SG_GRAN * SG_ALIGN))
if [ $((2 * blocks * lbs)) -le $region ]; then
	check_rule boundary_length boundary_length \
		"bs=$((blocks * lbs)) ($blocks blocks) exceeds MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY $SG_MAX_BNDRY_LEN blocks $dev_note" \
		--rw=write --bs=$((blocks * lbs)) \
		--size=$((2 * blocks * lbs)) --atomic_boundary="$SG_GRAN"
else
	echo "boundary_length: not tried, MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY $SG_MAX_BNDRY_LEN blocks is beyond the ${region}-byte region (boot with --sd-atomic-wr-max-length-bndry 256)"
fi

# The guard resolves the sg node to its disk.
command -v mkswap >/dev/null || fa_skip "mkswap not found (util-linux)"
legal=(--rw=write --bs=$((SG_GRAN * SG_ALIGN * lbs)) --offset=$region
       --size=$((SG_GRAN * SG_ALIGN * lbs)))
mkswap -q "$disk" >/dev/null || fa_fail "mkswap $disk"
before=$(sg_sum "$sg" $region $((SG_GRAN * SG_ALIGN * lbs)))
out=$(fa_fio "$(sg_engine)" --name=guard --filename="$sg" "${legal[@]}" 2>&1)
after=$(sg_sum "$sg" $region $((SG_GRAN * SG_ALIGN * lbs)))
if grep -q "refusing to write to $sg: .*swap.*allow_mounted_write=1" <<<"$out" &&
   ! grep -q "err= 0" <<<"$out" && [ "$before" = "$after" ]; then
	fa_pass "guard: $(grep -o "refusing to write.*" <<<"$out" | cut -c1-150)"
else
	fa_fail "guard: a write to $sg with a swap signature on $disk was not refused"
	grep -E "fio:|err=" <<<"$out" | head -n 5
fi
out=$(fa_fio "$(sg_engine)" --name=guard --filename="$sg" \
	--allow_mounted_write=1 "${legal[@]}" 2>&1)
if grep -q "err= 0" <<<"$out"; then
	fa_pass "guard: allow_mounted_write=1 writes anyway"
else
	fa_fail "guard: allow_mounted_write=1 did not write"
	grep -E "fio:|err=" <<<"$out" | head -n 5
fi
wipefs -q -a "$disk" >/dev/null 2>&1

fa_done
