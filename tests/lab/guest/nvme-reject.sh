#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Jobs that can produce a write outside
# the namespace's atomic guarantee, or one no NVMe command can carry, are
# refused by atomic-nvme before anything is written, with the field, its
# value and where it came from; the namespace is unchanged. With
# atomic_validate=off the writes go out (the device accepts them and says
# nothing) and the engine reports how many were outside the guarantee, per
# rule, matching the writes fio issued. An NVMe status the device does
# return (a Read of unwritten blocks with DULBE set) is decoded per command
# with its LBA and length. A namespace with a signature on its block device
# is not written without allow_mounted_write=1.
. "$FA_TOP/tests/lab/guest/nvme-lib.sh"

nvme_require
nvme_identify "$NG" || fa_done
unit=$((pf_blocks * lbs))
ctrl_src="from NVMe Identify Controller of $NG"
echo "$NG: $lbs-byte blocks, awupf=$id_awupf ($unit bytes), awun=$id_awun, dn=${id_dn:-?}"

# Known contents, so that "unchanged" means something.
dd if=/dev/urandom of="$NS" bs=1M count=8 oflag=direct status=none
before=$(nvme_sum 0 8)

# refused DESC PATTERN FIO-OPTIONS...
refused() {
	local desc=$1 pattern=$2 out rc
	shift 2

	out=$(fa_fio --name=rej --ioengine="$NVME_ENGINE" --filename="$NG" \
		--size=4m "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q "err=[ ]*[1-9]" <<<"$out"; then
		fa_fail "$desc: fio succeeded; expected a refusal matching '$pattern'"
		echo "$out" | tail -n 5
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		fa_fail "$desc: output lacks '$pattern'"
		echo "$out" | grep -E "fio:|err" | head -n 5
	elif [ "$(nvme_sum 0 8)" != "$before" ]; then
		fa_fail "$desc: the namespace changed although the job was refused"
	else
		fa_pass "$desc: refused: $(grep -E -o -- "$pattern.*" <<<"$out" | head -n1 | cut -c1-200)"
	fi
}

long=$((unit + lbs))
for mode in uring_cmd ioctl; do
	refused "$mode: one block longer than the unit" \
		"bs=$long \($((pf_blocks + 1)) blocks\) exceeds the power-fail atomic unit: awupf=$id_awupf \($pf_blocks blocks, $unit bytes\) $ctrl_src \(rule atomic_unit" \
		--nvme_mode=$mode --rw=write --bs=$long
done
refused "bssplit with one size too long" \
	"bssplit=$((2 * unit)) \($((2 * pf_blocks)) blocks\) exceeds the power-fail atomic unit: awupf=$id_awupf" \
	--rw=randwrite --bssplit="$lbs/50:$((2 * unit))/50" --blockalign="$lbs"
refused "offset misaligned to the LBA" \
	"offset=$((lbs / 2)) does not start on a logical block \(the LBA data size is $lbs bytes: lbads=$id_lbads of LBA format $id_lbaf .*\(rule lba_align" \
	--rw=write --bs="$lbs" --offset=$((lbs / 2))
refused "length not a whole number of blocks, even with validation off" \
	"bs=$((lbs * 3 / 2)) is not a whole number of logical blocks .*\(rule lba_length: no NVMe command can carry it\)" \
	--rw=write --bs=$((lbs * 3 / 2)) --atomic_validate=off
if [ "${id_dn:-0}" = 1 ]; then
	refused "atomic_unit=normal with Disable Normal set" \
		"bs=$long \($((pf_blocks + 1)) blocks\) exceeds the normal atomic unit, which is the power-fail one because Write Atomicity Normal \(Get Features 0Ah\) has DN set: awupf=$id_awupf" \
		--rw=write --bs=$long --atomic_unit=normal
else
	nlong=$(((normal_blocks + 1) * lbs))
	refused "atomic_unit=normal, one block longer than awun" \
		"bs=$nlong \($((normal_blocks + 1)) blocks\) exceeds the normal atomic unit: awun=$id_awun \($normal_blocks blocks" \
		--rw=write --bs=$nlong --atomic_unit=normal
fi
refused "nsid of another namespace" \
	"nsid=$((id_nsid + 1)), but $NG is namespace $id_nsid" \
	--rw=write --bs="$lbs" --nsid=$((id_nsid + 1))
refused "the block device instead of the char device" \
	"$NS is not an NVMe generic char device" \
	--rw=write --bs="$lbs" --filename="$NS"

# atomic_validate=off: the writes go out and are counted.
off=$((2 * unit))
for mode in uring_cmd ioctl; do
	out=$(fa_fio --name=off --ioengine="$NVME_ENGINE" --filename="$NG" \
		--nvme_mode=$mode --atomic_validate=off --rw=write --bs=$off \
		--offset=16m --size=$((8 * off)) --iodepth=4 --verify=crc32c 2>&1)
	if grep -q "atomic-nvme: off: 8 writes, 8 outside the power-fail atomic guarantee" <<<"$out" &&
	   grep -q "rule atomic_unit: 8 writes sent outside the guarantee, 0 failed, 8 completed without error" <<<"$out" &&
	   grep -q "err= 0" <<<"$out"; then
		fa_pass "$mode: atomic_validate=off sent 8 writes of $off bytes, counted 8 outside the guarantee, data verified"
	else
		fa_fail "$mode: atomic_validate=off with bs=$off"
		echo "$out" | grep -E "atomic-nvme|fio:|err=" | head -n 6
	fi
done
out=$(fa_fio --name=in --ioengine="$NVME_ENGINE" --filename="$NG" \
	--atomic_validate=off --rw=write --bs=$unit --offset=16m \
	--size=$((4 * unit)) 2>&1)
if grep -q "atomic-nvme: in: 4 writes, 0 outside the power-fail atomic guarantee" <<<"$out"; then
	fa_pass "atomic_validate=off within the unit: 4 writes, 0 outside"
else
	fa_fail "atomic_validate=off within the unit"
	echo "$out" | grep -E "atomic-nvme|fio:|err=" | head -n 4
fi
# A mix: the count must be the writes fio issued of the long size.
out=$(fa_fio --name=mix --ioengine="$NVME_ENGINE" --filename="$NG" \
	--atomic_validate=off --rw=randwrite --bssplit="$unit/50:$off/50" \
	--blockalign=$off --offset=16m --size=4m --randrepeat=0 2>&1)
total=$(sed -n 's/.*atomic-nvme: mix: \([0-9]*\) writes, \([0-9]*\) outside.*/\1/p' <<<"$out")
outside=$(sed -n 's/.*atomic-nvme: mix: \([0-9]*\) writes, \([0-9]*\) outside.*/\2/p' <<<"$out")
issued=$(sed -n 's/.*issued rwts: total=[0-9]*,\([0-9]*\),.*/\1/p' <<<"$out")
per_rule=$(sed -n 's/.*rule atomic_unit: \([0-9]*\) writes sent outside.*/\1/p' <<<"$out")
if [ -n "$total" ] && [ "$total" = "$issued" ] && [ "${outside:-0}" -gt 0 ] &&
   [ "$outside" -lt "$total" ] && [ "$outside" = "$per_rule" ]; then
	fa_pass "atomic_validate=off, bssplit $unit/$off: $outside of $total writes outside the guarantee (fio issued $issued)"
else
	fa_fail "atomic_validate=off mix: total=$total outside=$outside rule=$per_rule issued=$issued"
	echo "$out" | grep -E "atomic-nvme|fio:|err=|issued" | head -n 6
fi

# An NVMe status from the device, decoded per command with its LBA and
# length: with DULBE (Error Recovery feature 05h, bit 16) set, a Read of
# blocks never written fails with Deallocated or Unwritten Logical Block.
if nvme set-feature "$NG" -f 5 -n "$id_nsid" -v 0x10000 >/dev/null 2>&1; then
	lba=$(((60 << 20) / lbs))
	for mode in uring_cmd ioctl; do
		out=$(fa_fio --name=dulbe --ioengine="$NVME_ENGINE" \
			--filename="$NG" --nvme_mode=$mode --rw=read \
			--bs=$((4 * lbs)) --offset=60m --size=$((4 * lbs)) 2>&1)
		want="atomic-nvme: read of 4 blocks at LBA $lba ($((4 * lbs)) bytes at offset $((60 << 20))) on $NG failed: NVMe status 0x4287 (SCT 2h SC 87h, DNR): Deallocated or Unwritten Logical Block: The command failed"
		if grep -qF -- "$want" <<<"$out" &&
		   grep -q "err= 5" <<<"$out"; then
			fa_pass "$mode: the device's status decoded: $(grep -o "read of 4 blocks.*Block:" <<<"$out")"
		else
			fa_fail "$mode: expected '$want'"
			echo "$out" | grep -E "atomic-nvme|fio:|err=" | head -n 4
		fi
	done
	nvme set-feature "$NG" -f 5 -n "$id_nsid" -v 0 >/dev/null 2>&1
else
	fa_fail "nvme set-feature 05h (DULBE) failed on $NG"
fi

# The guard, on the block device behind the char device.
mkswap "$NS" >/dev/null 2>&1 || fa_fail "mkswap $NS failed"
before=$(nvme_sum 0 8)
refused "a namespace with a swap signature" \
	"refusing to write to $NG: $NS holds a swap signature" \
	--rw=write --bs="$lbs" --offset=32m
out=$(fa_fio --name=ok --ioengine="$NVME_ENGINE" --filename="$NG" \
	--rw=write --bs="$lbs" --offset=32m --size=64k \
	--allow_mounted_write=1 2>&1)
if grep -q "err= 0" <<<"$out"; then
	fa_pass "allow_mounted_write=1 writes anyway"
else
	fa_fail "allow_mounted_write=1 did not write"
	echo "$out" | grep -E "fio:|err=" | head -n 4
fi
out=$(fa_fio --name=rd --ioengine="$NVME_ENGINE" --filename="$NG" \
	--rw=read --bs="$lbs" --size=64k 2>&1)
if grep -q "err= 0" <<<"$out"; then
	fa_pass "reading a namespace with a signature is allowed"
else
	fa_fail "a read-only job was refused"
	echo "$out" | grep -E "fio:|err=" | head -n 4
fi
wipefs -q -a "$NS"

fa_done
