#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: matrix
# Description: the power-cut harness on files (tests/lab/power-cut --fs) on
# a 7.x lab kernel (FA_LAB_NEW_KERNEL, default the newest 7.x), one run per
# engine and unit: XFS on the NVMe namespace (-b size=4096, mounted with
# max_atomic_write=64k) at the hardware path's unit (unit_max_opt) and
# above it (unit_max: the software fallback), ext4 with 16 KiB bigalloc
# clusters at its unit; atomic-pvsync2 and atomic-uring must pass each
# (0 torn units, 0 lost of some acknowledged writes), atomic-nvme and
# atomic-sg are not applicable to a file, and the positive control (plain
# 256 KiB writes to a file, the namespace under XFS split at
# max_sectors_kb=4) must tear.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_new_kernel --modules xfs,ext4
command -v jq >/dev/null || fa_skip "jq not found: run 'make deps'"
fa_scratch_dir
harness=$FA_TOP/tests/lab/power-cut
control_runs=${FA_POWER_CUT_FS_CONTROL_RUNS:-2}

# power_cut DESC JSON ARGS...: the harness, its exit judged
power_cut() {
	local desc=$1 json=$2 rc start=$SECONDS
	shift 2

	echo "--- lab: power-cut $desc, kernel $kernel"
	"$harness" --kernel "$kernel" --runs 1 --cut-min 1 --cut-max 3 \
		--json "$json" "$@" 2>&1
	rc=$?
	echo "--- harness: exit $rc after $((SECONDS - start)) s"
	case $rc in
	0)	fa_pass "$desc: every engine that ran passed" ;;
	125)	fa_fail "$desc: the lab failed" ;;
	*)	fa_fail "$desc: exit $rc" ;;
	esac
	[ -s "$json" ] || fa_fail "$desc: no JSON from the harness"
}

# check_engine JSON FS WORD PATH ENGINE: one engine at one unit passed,
# on the path unit_max_opt says
check_engine() {
	local json=$1 fs=$2 word=$3 path=$4 e=$5 r

	r=$(jq -c --arg e "$e" --arg w "$word" \
		'.engines[] | select(.engine == $e and .unit_word == $w)' \
		"$json" 2>/dev/null)
	if fa_jq_true --arg p "$path" '.verdict == "PASS" and .runs == 1 and
		  .cuts == 1 and .torn == 0 and .lost == 0 and .acked > 0 and
		  .path == $p' <<<"$r" >/dev/null 2>&1; then
		fa_pass "$fs $e at $word = $(jq -r '"\(.unit) bytes (\(.path)): \(.units) units, \(.intact) intact, \(.torn) torn; \(.acked) acknowledged writes, \(.lost) lost"' <<<"$r")"
	else
		fa_fail "$fs $e at $word (want PASS on the $path path): $(jq -r '"\(.unit) \(.path) \(.verdict): \(.reason)"' <<<"$r" 2>/dev/null)"
	fi
}

xfs=$FA_SCRATCH/xfs.json
power_cut "xfs,bs=4k,max_atomic_write=64k" "$xfs" \
	--fs xfs,bs=4k,max_atomic_write=64k --units hw,sw \
	--engines atomic-pvsync2,atomic-uring,atomic-nvme,atomic-sg \
	--control --control-runs "$control_runs"
if fa_jq_true '.format == "fio-atomic-power-cut" and .version == 2 and
	  .fs.type == "xfs" and .fs.mount_options == "max_atomic_write=64k" and
	  .fs.limits.unit_max_opt > 0 and
	  .fs.limits.unit_max > .fs.limits.unit_max_opt' "$xfs" >/dev/null; then
	fa_pass "xfs: statx $(jq -r '.fs.limits | "unit_min \(.unit_min), unit_max \(.unit_max), unit_max_opt \(.unit_max_opt)"' "$xfs"): a hardware path and a software fallback above it"
else
	fa_fail "xfs: the report's fs and limits: $(jq -c .fs "$xfs" 2>/dev/null)"
fi
for e in atomic-pvsync2 atomic-uring; do
	check_engine "$xfs" xfs hw hardware "$e"
	check_engine "$xfs" xfs sw software_fallback "$e"
done
for m in ioctl uring_cmd; do
	fa_jq_true --arg m "$m" '.engines[] | select(.engine == "atomic-nvme" and
		.mode == $m) | .verdict == "N/A"' "$xfs" >/dev/null &&
		fa_pass "atomic-nvme ($m): not applicable to a file" ||
		fa_fail "atomic-nvme ($m): want N/A on a file"
done
fa_jq_true '.engines[] | select(.engine == "atomic-sg") | .verdict == "N/A"' \
	"$xfs" >/dev/null &&
	fa_pass "atomic-sg: not applicable to a file" ||
	fa_fail "atomic-sg: want N/A on a file"
r=$(jq -c .control "$xfs" 2>/dev/null)
if fa_jq_true '.verdict == "PASS" and .torn > 0 and .path == "plain"' \
	<<<"$r" >/dev/null 2>&1; then
	fa_pass "positive control on xfs: $(jq -r '"\(.runs) runs, \(.torn) torn of \(.intact + .torn) written units; \(.lost) of \(.acked) acknowledged writes lost"' <<<"$r")"
else
	fa_fail "positive control on xfs: $(jq -r '"\(.verdict): \(.reason)"' <<<"$r" 2>/dev/null)"
fi

ext4=$FA_SCRATCH/ext4.json
power_cut "ext4,bigalloc=16k" "$ext4" --fs ext4,bigalloc=16k --units hw \
	--engines atomic-pvsync2,atomic-uring
fa_jq_true '.version == 2 and .fs.type == "ext4" and .fs.limits.unit_max > 0' \
	"$ext4" >/dev/null &&
	fa_pass "ext4: statx $(jq -r '.fs.limits | "unit_min \(.unit_min), unit_max \(.unit_max), unit_max_opt \(.unit_max_opt)"' "$ext4")" ||
	fa_fail "ext4: the report's fs and limits: $(jq -c .fs "$ext4" 2>/dev/null)"
for e in atomic-pvsync2 atomic-uring; do
	check_engine "$ext4" ext4 hw hardware "$e"
done
fa_done
