#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. atomic-sg writes with WRITE
# ATOMIC(16) to the scsi_debug disk through its sg node, in both modes
# (SG_IO at unit_min, unit_max and a size legal for SCSI but not a power of
# two; the sg driver's write/read interface at iodepth 32, beyond the
# driver's 16 commands per open file, random and sequential); fio
# verifies what it wrote (reading with READ(16)), then sg_dd reads the
# region back independently with READ(16) and fio's psync verifies that
# copy. First, the device view lib/ derives from the Block Limits page is
# compared with the kernel's own limits for the disk.
#
#   sg-write.sh SG_NODE DISK [ATOMIC_BOUNDARY]
. "$FA_TOP/tests/lab/guest/sg-lib.sh"

fa_require_sg
[ $# -ge 2 ] || fa_skip "usage: sg-write.sh SG_NODE DISK [ATOMIC_BOUNDARY]"
sg=$1 disk=$2 boundary=${3:-0}
sg_read_limits "$sg"

# The derivation of sd_config_atomic() against the kernel's sysfs.
out=$(FA_SCSI_DEVICE=$sg "$BUILD/tests/unit/test-scsi" 2>&1)
if grep -q "^PASS test_device_view_matches_kernel" <<<"$out"; then
	fa_pass "$(grep "device view" <<<"$out")"
else
	fa_fail "$sg: the device view differs from the kernel's limits"
	grep -E "device view|test_device_view|assertion" <<<"$out"
fi

json=$("$FA_TOOL" limits --json "$disk")
min=$(jq -r .limits.unit_min.enforced.value <<<"$json")
max=$(jq -r .limits.unit_max.enforced.value <<<"$json")
if ! [[ $min =~ ^[0-9]+$ && $max =~ ^[0-9]+$ ]] || [ "$max" = 0 ]; then
	fa_fail "$disk: the kernel reports no atomic writes: $(jq -r .reason <<<"$json")"
	fa_done
fi
mid=$min
while [ $((mid * 4)) -le "$max" ]; do mid=$((mid * 2)); done
# WRITE ATOMIC(16) needs no power of two: 3 * unit_min keeps granularity
# and alignment (sd's unit_min is a multiple of both).
odd=$((3 * min))
if [ $odd -gt $((SG_MAX * SG_LBS)) ] && [ "$boundary" = 0 ]; then
	odd=$min
fi
# mode bs rw: the sizes in SG_IO mode, the depth beyond 16 in async mode
cases=("sync $min randwrite" "sync $max randwrite" "sync $odd randwrite"
       "async $mid randwrite" "async $max write")
echo "$disk: kernel atomic writes $min..$max bytes; atomic-sg also $odd" \
	"(atomic_boundary=$boundary)"

offset=$((4 * 1024 * 1024))
fa_scratch_dir
for c in "${cases[@]}"; do
	read -r mode bs rw <<<"$c"
	qd=1
	[ "$mode" = async ] && qd=32
	n=$((262144 / bs))
	[ $n -lt 32 ] && n=32
	size=$((n * bs))
	job=(--name=sg --size="$size" --offset="$offset" --bs="$bs"
	     --rw="$rw" --verify=crc32c --verify_fatal=1)
	desc="$sg sg_mode=$mode iodepth=$qd bs=$bs $rw"
	out=$(fa_fio "$(sg_engine)" --filename="$sg" --sg_mode="$mode" \
		--iodepth=$qd --atomic_boundary="$boundary" "${job[@]}" 2>&1)
	if [ $? -ne 0 ] || ! grep -q "err= 0" <<<"$out"; then
		fa_fail "$desc: write+verify"
		grep -E "fio:|err=|verify" <<<"$out" | head -n 5
		continue
	fi
	dump=$FA_SCRATCH/dump.bin
	if ! sg_dump "$sg" "$offset" "$size" "$dump"; then
		fa_fail "$desc: sg_dd could not read the region back"
		continue
	fi
	out=$(fa_fio --ioengine=psync --filename="$dump" --verify_only=1 \
		"${job[@]}" 2>&1)
	if [ $? -ne 0 ] || ! grep -q "err= 0" <<<"$out"; then
		fa_fail "$desc: the copy sg_dd read back does not verify"
		grep -E "fio:|err=|verify" <<<"$out" | head -n 5
		continue
	fi
	fa_pass "$desc: WRITE ATOMIC(16), verified, re-read by sg_dd READ(16) and verified"
done

fa_done
fi
mid=$min
while [ $((mid * 4)) -le "$max" ]; do mid=$((mid * 2)); done
sizes=$(printf '%s\n' "$min" "$mid" "$max" | sort -nu)
# WRITE ATOMIC(16) needs no power of two: 3 * unit_min keeps granularity
# and alignment (sd's unit_min is a multiple of both).
if [ $((3 * min)) -le $((SG_MAX * SG_LBS)) ] || [ "$boundary" != 0 ]; then
	sizes="$sizes $((3 * min))"
fi
echo "$disk: kernel atomic writes $min..$max bytes; atomic-sg sizes:" $sizes \
	"(atomic_boundary=$boundary)"

offset=$((4 * 1024 * 1024))
fa_scratch_dir
for mode in sync async; do
	qd=1
	[ $mode = async ] && qd=32
	for bs in $sizes; do
		n=$((262144 / bs))
		[ $n -lt 16 ] && n=16
		size=$((n * bs))
		for rw in randwrite write; do
			# sequential once per mode is enough
			[ $rw = write ] && [ "$bs" != "$mid" ] && continue
			job=(--name=sg --size="$size" --offset="$offset"
			     --bs="$bs" --rw="$rw" --verify=crc32c
			     --verify_fatal=1)
			desc="$sg sg_mode=$mode iodepth=$qd bs=$bs $rw"
			out=$(fa_fio "$(sg_engine)" --filename="$sg" \
				--sg_mode=$mode --iodepth=$qd \
				--atomic_boundary="$boundary" "${job[@]}" 2>&1)
			if [ $? -ne 0 ] || ! grep -q "err= 0" <<<"$out"; then
				fa_fail "$desc: write+verify"
				grep -E "fio:|err=|verify" <<<"$out" | head -n 5
				continue
			fi
			dump=$FA_SCRATCH/dump.bin
			if ! sg_dump "$sg" "$offset" "$size" "$dump"; then
				fa_fail "$desc: sg_dd could not read the region back"
				continue
			fi
			out=$(fa_fio --ioengine=psync --filename="$dump" \
				--verify_only=1 "${job[@]}" 2>&1)
			if [ $? -ne 0 ] || ! grep -q "err= 0" <<<"$out"; then
				fa_fail "$desc: the copy sg_dd read back does not verify"
				grep -E "fio:|err=|verify" <<<"$out" | head -n 5
				continue
			fi
			fa_pass "$desc: WRITE ATOMIC(16), verified, re-read by sg_dd READ(16) and verified"
		done
	done
done

fa_done
