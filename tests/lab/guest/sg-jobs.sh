#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. The atomic-sg job files in jobs/ run
# as shipped (FIO_ATOMIC_RUNTIME=1, FIO_ATOMIC_SIZE=32m) on the scsi_debug
# disk's sg node: the random write job without an error, the conformance job with every
# illegal WRITE ATOMIC(16) rejected by the device and none accepted.
#
#   sg-jobs.sh SG_NODE
. "$FA_TOP/tests/lab/guest/sg-lib.sh"

fa_require_sg
[ $# -eq 1 ] || fa_skip "usage: sg-jobs.sh SG_NODE"
export FIO_ATOMIC_SIZE=32m FIO_ATOMIC_RUNTIME=1
export FIO_ATOMIC_ENGINES=$ENGINE_DIR FIO_ATOMIC_SG=$1
fa_scratch_dir

for job in "$FA_TOP"/jobs/*.fio; do
	grep -q '^filename=${FIO_ATOMIC_SG}' "$job" || continue
	name=$(basename "$job" .fio)
	out=$(fa_fio "$job" 2>&1)
	rc=$?
	case $name in
	*conformance*)
		sections=$(grep -c '^\[' "$job")
		n=$(grep -c "rule [a-z_]*: \([0-9]*\) illegal writes sent, \1 rejected (CHECK CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB" <<<"$out")
		if [ $rc -eq 0 ] && [ "$n" -eq $((sections - 1)) ] &&
		   ! grep -q "[1-9][0-9]* accepted" <<<"$out"; then
			fa_pass "$name: $n rules, every illegal write rejected by the device"
		else
			fa_fail "$name: expected $((sections - 1)) rules all rejected, none accepted (fio exit $rc)"
			grep -E "rule|fio:|err=" <<<"$out" | head -n 8
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
