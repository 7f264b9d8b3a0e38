#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM booted with --fs (a 7.x kernel): a file
# on the filesystem at $LAB_FS_DIR (XFS or ext4, made by tests/lab/target
# with the options atomic writes need) reports statx atomic write limits,
# fio-atomic limits finds them, and atomic-pvsync2 and atomic-uring writes
# to the file at unit_min and unit_max pass fio's verify and an independent
# re-read.
#
#   fs-atomic.sh [MIN-UNIT-MAX]   fail unless unit_max >= MIN-UNIT-MAX
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
dir=${LAB_FS_DIR:?no LAB_FS_DIR: boot with lab-run --fs}
want_max=${1:-1}
fs="$LAB_FS on $LAB_FS_DEV ($LAB_FS_MKFS${LAB_FS_MOUNT_OPTS:+, -o $LAB_FS_MOUNT_OPTS})"
echo "$(uname -r): $fs"
file=$dir/atomic.dat
# the file the jobs write, made first so statx has one to describe
fa_fio --name=layout --filename="$file" --size=16m --rw=write --bs=1m \
	--direct=1 >/dev/null 2>&1 || fa_fail "$fs: cannot lay out $file"

json=$("$FA_TOOL" limits --json "$file" 2>&1)
umin=$(jq -r .limits.unit_min.enforced.value <<<"$json" 2>/dev/null)
umax=$(jq -r .limits.unit_max.enforced.value <<<"$json" 2>/dev/null)
echo "$file: $(jq -c '{supported, reason, unit_min: .limits.unit_min, unit_max: .limits.unit_max}' <<<"$json" 2>/dev/null | cut -c1-400)"
if [ "$(jq -r .supported <<<"$json" 2>/dev/null)" = true ] &&
   [ "${umin:-0}" -gt 0 ] && [ "${umax:-0}" -ge "$want_max" ]; then
	fa_pass "$fs: statx atomic write unit $umin..$umax (want unit_max >= $want_max)"
else
	fa_fail "$fs: statx atomic write unit ${umin:-?}..${umax:-?}, want nonzero and unit_max >= $want_max"
	echo "$json" | head -c 600
	fa_done
fi

# Both engines that apply to a file write at unit_min and unit_max:
# atomic-pvsync2 and atomic-uring (atomic-sg and atomic-nvme are
# passthrough to a SCSI or NVMe device, not to a file). 64 writes of each
# size (4 MiB at most), each job in a 4 MiB region of its own in the
# laid-out file; one fio run writes them all, one re-reads them.
fa_batch_reset
region=0
for engine in "${FA_ENGINES[@]}"; do
	for bs in $(printf '%s\n' "$umin" "$umax" | sort -nu); do
		fa_batch_add "$engine,bs=$bs" --ioengine="$(fa_engine "$engine")" \
			--iodepth=4 -- --offset=${region}m \
			--size=$((64 * bs > 4194304 ? 4194304 : 64 * bs)) \
			--bs="$bs" --rw=randwrite
		region=$((region + 4))
	done
done
fa_batch_run "$fs: $file" --filename="$file" --direct=1 -- \
	--filename="$file" --direct=1
fa_done
