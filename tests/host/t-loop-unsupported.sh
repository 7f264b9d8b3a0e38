#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a raw loop device has no atomic write support (its queue's
# atomic_write_* limits are 0): both engines refuse the job with that reason
# and write nothing; with atomic_validate=off the kernel's EOPNOTSUPP comes
# back and is counted.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_scratch_dir
img=$FA_SCRATCH/raw.img
fa_fill "$img" 32
fa_loop "$img"
dev=$FA_LOOP
disk=$(basename "$dev")

for engine in "${FA_ENGINES[@]}"; do
	fa_expect_refusal "$engine on $dev" "$img" \
		"$dev does not support atomic writes \(/sys/block/$disk/queue/atomic_write_unit_max_bytes is 0\)" \
		--name=raw --ioengine="$(fa_engine "$engine")" --filename="$dev" \
		--size=16m --io_size=256k --rw=randwrite --bs=16k --direct=1

	before=$(fa_sum "$img")
	out=$(fa_fio --name=conf --ioengine="$(fa_engine "$engine")" \
		--filename="$dev" --size=1m --rw=randwrite \
		--bs=16k --direct=1 --atomic_validate=off \
		--continue_on_error=write --ignore_error=EIO,95:22 2>&1)
	# 1 MiB of 16 KiB writes: 64 sent, the kernel rejects every one.
	if grep -q "rule unsupported: 64 illegal writes sent, 64 rejected (Operation not supported), 0 accepted" <<<"$out"; then
		fa_pass "$engine atomic_validate=off: 64 writes rejected with EOPNOTSUPP"
	else
		fa_fail "$engine atomic_validate=off: no EOPNOTSUPP count"
		echo "$out" | grep -E "rule|err=" | head -n 5
	fi
	[ "$before" = "$(fa_sum "$img")" ] ||
		fa_fail "$engine: the kernel wrote although it rejected"
done

fa_done
