#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic probe write-isolation on an 8 GiB sparse XFS
# image (software atomic fallback, unit_max 2 MiB): two RWF_ATOMIC
# pwritev2 writes of one unit at the same instant leave 2 MiB units mixed
# (NOT PROVIDED, exit 8, mixed > 0), never 64 KiB ones; the positive
# control (plain writes crossing in 4 KiB pieces) must see mixes. The
# io_uring mode at 64 KiB is provided. 1 MiB and io_uring at 2 MiB are
# measured and printed, not asserted: their mix rates here are too low
# or zero to give one verdict run after run (README, "write_isolation").
# Bad input: a size that is not a power of two, a size above unit_max, a
# missing directory, an existing file and a mounted block device, each
# with its exit status and nothing written.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_cmd jq
fa_require_tool
fa_make_xfs 8192
mnt=$FA_MNT
dev=$FA_LOOP

probe() { # ARGS...: sets out, err, rc
	out=$("$FA_TOOL" probe write-isolation "$@" 2>"$FA_SCRATCH/probe.err")
	rc=$?
	err=$(cat "$FA_SCRATCH/probe.err")
}

point() { # ENGINE SIZE FIELD: from the last JSON output
	jq -r --arg e "$1" --argjson s "$2" ".guarantees[0].points[] |
		select(.engine == \$e and .size == \$s) | $3" <<<"$out"
}

no_scratch_left() { # DESC
	local left

	left=$(ls -A "$mnt")
	if [ -z "$left" ]; then
		fa_pass "$1: no scratch file left in $mnt"
	else
		fa_fail "$1: left in $mnt: $left"
	fi
}

# pwritev2 pairs: 2 MiB mixed at 0.7% (14 of 2,000) to 3.6% (108 of
# 3,000) on such images, so 3,000 pairs miss every mix with probability
# 7e-10 at the lowest rate.
start=$SECONDS
probe "$mnt" --mode pwritev2 --size 64k,2m --pairs 3000 --json
secs=$((SECONDS - start))
mixed=$(point atomic-pvsync2 2097152 .outcomes.mixed)
f64=$(point atomic-pvsync2 65536 .failures)
status=$(jq -r '.guarantees[0].status' <<<"$out")
ctl=$(jq -r '.guarantees[0].control | "\(.failures) of \(.trials), passed \(.passed)"' <<<"$out")
if [ "$rc" = 8 ] && [ "$status" = not_provided ] && [ "${mixed:-0}" -gt 0 ]; then
	fa_pass "pwritev2 2 MiB: NOT PROVIDED, exit 8, $mixed mixed of 3000 pairs (${secs}s)"
else
	fa_fail "pwritev2 2 MiB: exit $rc, status $status, mixed ${mixed:-?}: want exit 8, not_provided, mixed > 0"
	echo "$err"
fi
if [ "$f64" = 0 ] && [ "$(point atomic-pvsync2 65536 .trials)" = 3000 ]; then
	fa_pass "pwritev2 64 KiB: 0 mixed or torn of 3000 pairs"
else
	fa_fail "pwritev2 64 KiB: ${f64:-?} mixed or torn, want 0"
fi
if [ "$(jq -r '.guarantees[0].control.passed' <<<"$out")" = true ]; then
	fa_pass "positive control (plain writes crossing in 4 KiB pieces): mixed $ctl"
else
	fa_fail "positive control: $ctl: the probe proves nothing"
fi
ex=$(jq -r '.guarantees[0].examples[0].what' <<<"$out")
case $ex in
*"of write A"*"of write B"* | *"of write B"*"of write A"*)
	fa_pass "example: $ex" ;;
*)	fa_fail "example names no blocks of both writes: $ex" ;;
esac
no_scratch_left "pwritev2 run"

# 64 KiB alone is judged provided, exit 0, in both modes
probe "$mnt" --size 64k --pairs 1000
if [ "$rc" = 0 ] && grep -q "^write_isolation: provided at 65536 bytes" <<<"$out"; then
	fa_pass "64 KiB, pwritev2 and io_uring: provided, exit 0: $(grep -c 'mixed or torn 0 of 1,000' <<<"$out") points with 0 of 1000"
else
	fa_fail "64 KiB: exit $rc, want 0 and 'provided'"
	echo "$out" "$err" | tail -n 12
fi

# measured, not asserted (rates too low or zero for one verdict)
probe "$mnt" --mode pwritev2 --size 1m --pairs 3000 --no-control --json
echo "measured: pwritev2 1 MiB: $(point atomic-pvsync2 1048576 .outcomes.mixed) mixed of $(point atomic-pvsync2 1048576 .trials) (exit $rc)"
probe "$mnt" --mode io_uring --size 2m --pairs 500 --no-control --json
echo "measured: io_uring 2 MiB: $(point atomic-uring 2097152 '.outcomes | tostring') (exit $rc)"

# bad input: nothing written
probe "$mnt" --size 24k
if [ "$rc" = 2 ] && grep -q "size=24576 is not a power of two" <<<"$err"; then
	fa_pass "size 24k: exit 2: $err"
else
	fa_fail "size 24k: exit $rc, want 2 naming the size: $err"
fi
no_scratch_left "size 24k"
probe "$mnt" --size 4m
if [ "$rc" = 2 ] && grep -q "size=4194304 is above atomic_write_unit_max 2097152.*statx" <<<"$err"; then
	fa_pass "size 4m: exit 2: $err"
else
	fa_fail "size 4m: exit $rc, want 2 naming unit_max and statx: $err"
fi
no_scratch_left "size 4m"
probe "$mnt/missing/dir"
if [ "$rc" = 1 ] && [ ! -e "$mnt/missing" ]; then
	fa_pass "missing directory: exit 1: $err"
else
	fa_fail "missing directory: exit $rc, want 1"
fi
echo precious >"$mnt/existing"
probe "$mnt/existing" --size 64k --pairs 10
if [ "$rc" = 9 ] && [ "$(cat "$mnt/existing")" = precious ]; then
	fa_pass "existing file without --destroy-data: exit 9, unchanged"
else
	fa_fail "existing file: exit $rc, want 9 and the file unchanged"
fi
rm -f "$mnt/existing"
before=$(head -c 64M "$dev" | sha256sum)
probe "$dev" --size 64k --pairs 10
after=$(head -c 64M "$dev" | sha256sum)
if [ "$rc" = 9 ] && [ "$before" = "$after" ] && grep -q "mounted" <<<"$err"; then
	fa_pass "mounted block device: exit 9, first 64 MiB unchanged: $err"
else
	fa_fail "mounted block device: exit $rc, want 9 and nothing written: $err"
fi
fa_done
