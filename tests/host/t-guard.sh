#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the engines never write to a block device that is in use: a
# loop device holding an XFS signature, or mounted, is refused with the
# reason and the option that overrides it; nothing is written. With
# allow_mounted_write=1 the job gets past the guard (and is then refused for
# lack of atomic support, which a loop device has not).
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
command -v mkfs.xfs >/dev/null || fa_skip "mkfs.xfs not found: run 'make deps'"
fa_scratch_dir
img=$FA_SCRATCH/fs.img
truncate -s 512M "$img"
mkfs.xfs -q -f "$img" || fa_skip "mkfs.xfs failed"
fa_loop "$img"
dev=$FA_LOOP

for engine in "${FA_ENGINES[@]}"; do
	job=(--name=g --ioengine="$(fa_engine "$engine")" --filename="$dev"
	     --size=16m --io_size=256k --rw=randwrite --bs=16k --direct=1)
	fa_expect_refusal "$engine: XFS signature" "$img" \
		"refusing to write: $dev holds a xfs signature used as filesystem \(set allow_mounted_write=1 to write anyway\)" \
		"${job[@]}"
	fa_expect_refusal "$engine: XFS signature, atomic_validate=off" "$img" \
		"refusing to write: $dev holds a xfs signature" \
		"${job[@]}" --atomic_validate=off
	fa_expect_refusal "$engine: allowed past the guard" "$img" \
		"$dev does not support atomic writes" \
		"${job[@]}" --allow_mounted_write=1
done

mkdir -p "$FA_SCRATCH/mnt"
mount -t xfs "$dev" "$FA_SCRATCH/mnt" || fa_skip "cannot mount XFS from $dev"
fa_mounts+=("$FA_SCRATCH/mnt")
for engine in "${FA_ENGINES[@]}"; do
	# fio's own mount check may come first; either refusal will do.
	FA_REFUSAL_RC0=1 fa_expect_refusal "$engine: mounted" "$img" \
		"(refusing to write: $dev is mounted on $FA_SCRATCH/mnt|$dev appears mounted)" \
		--name=g --ioengine="$(fa_engine "$engine")" --filename="$dev" \
		--size=16m --io_size=256k --rw=randwrite --bs=16k --direct=1
done

fa_done
