#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: both engines write atomically to a file on XFS (real
# RWF_ATOMIC through XFS's software fallback) at several sizes, sequential
# and random; fio's verify checks the data, and a second, independent pass
# with fio's own psync engine (verify_only) reads it back again.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_make_xfs 512
mnt=$FA_MNT

check_job() {
	local desc=$1 out rc
	shift
	out=$(fa_fio --output-format=normal "$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q "err= 0" <<<"$out" ||
	   grep -qE "verify: bad|bad magic|crc32c: verify failed" <<<"$out"; then
		fa_fail "$desc: fio exit $rc"
		echo "$out" | grep -E "fio:|err=|verify" | head -n 8
		return 1
	fi
	fa_pass "$desc"
}

for engine in "${FA_ENGINES[@]}"; do
	for bs in 4k 64k 1m; do
		for rw in write randwrite; do
			f=$mnt/$engine-$bs-$rw
			common=(--name=v --filename="$f" --size=8m --bs="$bs"
				--rw="$rw" --direct=1 --verify=crc32c
				--verify_fatal=1)
			extra=()
			[ "$engine" = atomic-uring ] && extra=(--iodepth=16)
			check_job "$engine bs=$bs rw=$rw write+verify" \
				--ioengine="$(fa_engine "$engine")" \
				"${common[@]}" "${extra[@]}" || continue
			check_job "$engine bs=$bs rw=$rw independent psync re-read" \
				--ioengine=psync --verify_only=1 "${common[@]}"
		done
	done
done

# The io_uring options fio users know, with atomic writes. fixedbufs only
# with plain writes: the kernel takes atomic writes from user buffers only
# (t-bad-jobs checks that it is refused).
for opts in "--registerfiles" "--sqthread_poll" \
	    "--sqthread_poll --registerfiles" \
	    "--fixedbufs --registerfiles --rwf_atomic=0"; do
	f=$mnt/uring-opts
	# shellcheck disable=SC2086
	check_job "atomic-uring $opts QD32" \
		--ioengine="$(fa_engine atomic-uring)" $opts --name=o \
		--filename="$f" --size=8m --bs=16k --rw=randwrite --direct=1 \
		--iodepth=32 --iodepth_batch_submit=8 \
		--iodepth_batch_complete_max=8 --verify=crc32c --verify_fatal=1
done

# A mix of legal sizes: random writes need blockalign of the largest.
check_job "atomic-uring bssplit 4k/16k/64k blockalign=64k" \
	--ioengine="$(fa_engine atomic-uring)" --name=m --filename="$mnt/mix" \
	--size=16m --bssplit=4k/40:16k/40:64k/20 --blockalign=64k \
	--rw=randwrite --direct=1 --iodepth=8 --verify=crc32c --verify_fatal=1

fa_done
