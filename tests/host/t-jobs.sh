#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every job file in jobs/ runs as shipped (with a shorter
# runtime) against an XFS file; the conformance job's report shows every
# illegal write rejected and none accepted.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_make_xfs 1024
export FIO_ATOMIC_ENGINES=$ENGINE_DIR

for job in "$FA_TOP"/jobs/*.fio; do
	name=$(basename "$job" .fio)
	# Jobs for a SCSI sg node or an NVMe generic node run in the lab
	# (tests/lab/t-sg.sh, tests/lab/t-nvme.sh).
	grep -qE '^filename=\$\{FIO_ATOMIC_(SG|NG)\}' "$job" && continue
	short=$FA_SCRATCH/$name.fio
	sed -e 's/^runtime=.*/runtime=2/' -e 's/^size=256m/size=32m/' \
		"$job" >"$short"
	export FIO_ATOMIC_TARGET=$FA_MNT/$name
	out=$(fa_fio "$short" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		fa_fail "$name: fio exit $rc"
		echo "$out" | grep -E "fio:|err=" | head -n 5
		continue
	fi
	case $name in
	*conformance*)
		n=$(grep -c "illegal writes sent, \([0-9]*\) rejected" <<<"$out")
		if [ "$n" -ge 4 ] && ! grep -q "[1-9][0-9]* accepted" <<<"$out"; then
			fa_pass "$name: $n rules, every illegal write rejected"
		else
			fa_fail "$name: expected 4 rule counts with 0 accepted"
			echo "$out" | grep "rule" | head
		fi
		;;
	*)
		if grep -q "err= 0" <<<"$out" && ! grep -q "err=[ ]*[1-9]" <<<"$out"; then
			fa_pass "$name"
		else
			fa_fail "$name: a job reported an error"
			echo "$out" | grep -E "fio:|err=" | head -n 5
		fi
		;;
	esac
done

fa_done
