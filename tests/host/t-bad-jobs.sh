#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: jobs that would produce an illegal atomic write are refused
# before anything is written, by both engines, with a message naming the
# rule, the value, the limit and where the limit came from; the target file
# is unchanged.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_make_xfs 512
mnt=$FA_MNT
f=$mnt/target
fa_fill "$f" 16
src="from statx on $f"

for engine in "${FA_ENGINES[@]}"; do
	job=(--name=bad --ioengine="$(fa_engine "$engine")" --filename="$f"
	     --size=16m --io_size=1m --rw=randwrite --direct=1)
	fa_expect_refusal "$engine bs=24k" "$f" \
		"bs=24576 is not a power of two \(atomic writes here must be 4096\.\.1048576 bytes, $src\)" \
		"${job[@]}" --bs=24k
	fa_expect_refusal "$engine bs=2m" "$f" \
		"bs=2097152 is above atomic_write_unit_max 1048576 .*$src" \
		"${job[@]}" --bs=2m
	fa_expect_refusal "$engine bs=2k" "$f" \
		"bs=2048 is below atomic_write_unit_min 4096 .*$src" \
		"${job[@]}" --bs=2k
	fa_expect_refusal "$engine offset=4k bs=16k" "$f" \
		"offset=4096 is not naturally aligned to bs=16384" \
		"${job[@]}" --bs=16k --offset=4k
	fa_expect_refusal "$engine direct=0" "$f" \
		"direct=0: atomic writes need O_DIRECT" \
		"${job[@]}" --bs=16k --direct=0
	fa_expect_refusal "$engine bssplit with 24k" "$f" \
		"bssplit=24576 is not a power of two .*$src" \
		"${job[@]}" --bssplit=4k/50:24k/50
	fa_expect_refusal "$engine bssplit random without blockalign" "$f" \
		"blockalign=4096 lets a bssplit=16384 write start at an offset that is not a multiple of 16384" \
		"${job[@]}" --bssplit=4k/50:16k/50
	fa_expect_refusal "$engine bsrange 4k-16k" "$f" \
		"bsrange=12288 is not a power of two" \
		"${job[@]}" --bsrange=4k-16k
	fa_expect_refusal "$engine sequential mixed sizes" "$f" \
		"sequential writes of mixed sizes start a bssplit=8192 write at an offset that is only a multiple of 4096" \
		"${job[@]}" --rw=write --bssplit=4k/50:8k/50
done

fa_expect_refusal "atomic-uring fixedbufs" "$f" \
	"fixedbufs: registered \(fixed\) buffers .* one user buffer" \
	--name=bad --ioengine="$(fa_engine atomic-uring)" --filename="$f" \
	--size=16m --io_size=1m --rw=randwrite --direct=1 --bs=16k --fixedbufs

# fio's own file layout must not have happened either: a job on a file
# that exists but is too small would be extended by fio's layout.
small=$mnt/small
fa_fill "$small" 1
fa_expect_refusal "refused before fio's layout" "$small" \
	"bs=24576 is not a power of two" \
	--name=bad --ioengine="$(fa_engine atomic-pvsync2)" \
	--filename="$small" --size=8m --rw=write --direct=1 --bs=24k
[ "$(stat -c %s "$small")" = 1048576 ] ||
	fa_fail "fio extended $small although the job was refused"

fa_done
