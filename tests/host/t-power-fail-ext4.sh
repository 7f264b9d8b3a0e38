#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic probe power-fail --fs ext4 for a directory on
# ext4 (an ext4 image with 16 KiB bigalloc clusters on a loop device the
# test makes): the probe makes a scratch ext4 with that geometry (block size
# 4096, cluster 16384, read with dumpe2fs -h from the loop device) and
# crashes it with EXT4_IOC_SHUTDOWN. ext4 has no software fallback, so
# the scratch has atomic writes only when loop devices have them: where
# this kernel's loop device reports atomic_write_unit_max_bytes 0 (6.18
# here) the probe cannot measure (exit 1, nothing on stdout) and says so
# with the geometry it copied and that sysfs value; where loop devices
# have atomic writes, power_fail is provided with the crashes' units
# judged and the control torn. Either way nothing is left behind (no
# scratch directory, loop device or mount). Needs root.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
[ -x "$FA_TOOL" ] || fa_skip "no $FA_TOOL: run 'make' first"
for t in mkfs.ext4 dumpe2fs jq; do
	command -v $t >/dev/null || fa_skip "$t not found: run 'make deps'"
done
fa_scratch_dir
S=$FA_SCRATCH
truncate -s 1G "$S/ext4.img"
mkfs.ext4 -q -F -b 4096 -O bigalloc -C 16384 "$S/ext4.img" ||
	fa_skip "mkfs.ext4 -O bigalloc failed"
fa_loop "$S/ext4.img"
mkdir -p "$S/mnt"
mount -t ext4 "$FA_LOOP" "$S/mnt" || fa_skip "cannot mount ext4 from $FA_LOOP"
fa_mounts+=("$S/mnt")
mkdir "$S/mnt/d"
loops_before=$(losetup -a | grep -c fio-atomic-power-fail)
loop_max=$(cat "/sys/block/${FA_LOOP##*/}/queue/atomic_write_unit_max_bytes")
echo "$(uname -r): $FA_LOOP atomic_write_unit_max_bytes $loop_max"

FIO=$FIO "$FA_TOOL" probe power-fail "$S/mnt/d" --fs ext4 --runs 2 --json \
	>"$S/pf.json" 2>"$S/pf.err"
rc=$?
err=$(cat "$S/pf.err")
geometry="(the scratch ext4: block size 4096, bigalloc cluster size 16384, from dumpe2fs -h $FA_LOOP)"
if [ "$loop_max" = 0 ]; then
	if [ $rc = 1 ] && [ ! -s "$S/pf.json" ] &&
	   [[ "$err" == *"no atomic writes on a scratch ext4 on /dev/loop"* ]] &&
	   [[ "$err" == *"ext4 has no software fallback and /sys/block/loop"*"/queue/atomic_write_unit_max_bytes is 0 ($(uname -r)) $geometry" ]]; then
		fa_pass "cannot measure, exit 1: ${err#*could not measure: }"
	else
		fa_fail "exit $rc, want 1 with the geometry and the loop device's 0: $err $(head -c 300 "$S/pf.json")"
	fi
else
	if [ $rc = 0 ] && fa_jq_true '.filesystem.type == "ext4" and
	   .filesystem.cluster_size == 16384 and .result.status == "provided" and
	   .crashes == 2 and all(.result.points[]; .trials > 0) and
	   .counts.control.torn > 0' "$S/pf.json" >/dev/null; then
		fa_pass "power_fail provided on a scratch ext4: $(jq -c '{crashes, counts}' "$S/pf.json")"
	else
		fa_fail "exit $rc, want 0 and provided: $err $(jq -c '{filesystem, crashes, counts, r: .result.reason}' "$S/pf.json" 2>/dev/null)"
	fi
fi
if [ -z "$(find "$S/mnt/d" -mindepth 1 | head -n1)" ] &&
   [ "$(losetup -a | grep -c fio-atomic-power-fail)" = "$loops_before" ] &&
   ! grep -q fio-atomic-power-fail /proc/mounts; then
	fa_pass "nothing left: no scratch directory, loop device or mount"
else
	fa_fail "the probe left something behind in $S/mnt/d, losetup or /proc/mounts"
fi
fa_done
