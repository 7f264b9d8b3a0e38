#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. The atomic-nvme job files in jobs/
# run as shipped (FIO_ATOMIC_RUNTIME=1, FIO_ATOMIC_SIZE=32m) on the
# namespace's generic char device: the random write job without an
# error; the conformance job with the writes outside the power-fail atomic
# guarantee counted (none in the first section, all in the second, some in
# the third) and none failed by the device. The conformance job's sizes assume the lab's default
# geometry (4096-byte blocks, awupf=15).
. "$FA_TOP/tests/lab/guest/nvme-lib.sh"

nvme_require
export FIO_ATOMIC_SIZE=32m FIO_ATOMIC_RUNTIME=1
export FIO_ATOMIC_ENGINES=$ENGINE_DIR FIO_ATOMIC_NG=$NG
fa_scratch_dir

for job in "$FA_TOP"/jobs/*.fio; do
	grep -q '^filename=${FIO_ATOMIC_NG}' "$job" || continue
	name=$(basename "$job" .fio)
	out=$(fa_fio "$job" 2>&1)
	rc=$?
	case $name in
	*conformance*)
		counts=$(sed -n 's/^atomic-nvme: \([a-z-]*\): \([0-9]*\) writes, \([0-9]*\) outside.*/\1 \2 \3/p' <<<"$out")
		ok=1
		while read -r section writes outside; do
			case $section in
			within-unit) [ "$writes" -gt 0 ] && [ "$outside" = 0 ] || ok=0 ;;
			twice-the-unit) [ "$writes" -gt 0 ] && [ "$outside" = "$writes" ] || ok=0 ;;
			mixed) [ "$outside" -gt 0 ] && [ "$outside" -lt "$writes" ] || ok=0 ;;
			*) ok=0 ;;
			esac
		done <<<"$counts"
		if [ $rc -eq 0 ] && [ $ok = 1 ] && [ "$(wc -l <<<"$counts")" = 3 ] &&
		   ! grep -q ", [1-9][0-9]* failed" <<<"$out" &&
		   grep -q "err= 0" <<<"$out"; then
			fa_pass "$name: $(tr '\n' ';' <<<"$counts") (section writes outside)"
		else
			fa_fail "$name: unexpected counts (fio exit $rc): $(tr '\n' ';' <<<"$counts")"
			grep -E "atomic-nvme|fio:|err=" <<<"$out" | head -n 8
		fi
		;;
	*)
		if [ $rc -eq 0 ] && grep -q "err= 0" <<<"$out" &&
		   ! grep -q "err=[ ]*[1-9]" <<<"$out"; then
			fa_pass "$name: $(grep -oE "write: IOPS=[^,]*" <<<"$out" | tr '\n' ' ')"
		else
			fa_fail "$name: fio exit $rc"
			grep -E "fio:|err=" <<<"$out" | head -n 5
		fi
		;;
	esac
done

fa_done
