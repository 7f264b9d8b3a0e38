#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: acknowledged-write logs and fio-atomic tearscan --acks on
# regular files. Injected on purpose (tests/tools/stamp-write and
# ack-write): every acknowledged unit found (exit 0); dropped acks, i.e.
# records whose unit holds an older write of the same job that had
# completed before they were submitted, counted exactly as lost (exit 6,
# with the first ones in detail); writes in flight together (raced) and
# writes of another job not counted as lost; acks of a torn and of an
# unwritten unit lost (exit 5: torn takes precedence); damaged, truncated
# and foreign logs refused naming the record (exit 1); acks of another
# geometry not judged (exit 1); bad command lines (exit 2). Then the real
# thing: both engines log every write fio completes (tear_ack_log, iodepth
# 8), and the check finds each unit's last write and loses none;
# tear_ack_log without tear_check is refused. Needs no root.
. "$(dirname "$0")/lib.sh"

STAMP_WRITE=$BUILD/tests/tools/stamp-write
ACK_WRITE=$BUILD/tests/tools/ack-write
fa_require_tool
fa_require_test_tools stamp-write ack-write
fa_require_cmd jq
fa_scratch_dir
S=$FA_SCRATCH
U=65536
# Generations as fio makes them: thread 1, pid 7, then a sequence.
G=$(((1 << 48 | 7 << 32) + 1))
OTHER=$(((2 << 48 | 7 << 32) + 1))

# expect_json DESC JQ-FILTER: true of $out; a failure shows its acks
expect_json() {
	fa_expect_json "$1" "$2" .acks
}

expect_err() {
	if grep -qE -- "$2" <<<"$err"; then
		fa_pass "$1: $(grep -oE -- "$2.*" <<<"$err" | head -n1 | cut -c1-150)"
	else
		fa_fail "$1: stderr lacks '$2': $err"
	fi
}

# own_acks FIRST LAST: records for units FIRST..LAST holding G+i, each
# acknowledged before anything later was submitted
own_acks() {
	local i

	for ((i = $1; i <= $2; i++)); do
		echo "$((G + i)):$((G + i)):$((i * U)):$U"
	done
}

# --- 16 intact units; unit i holds generation G + i
"$STAMP_WRITE" -g "$G" "$S/clean" 16 $U 4096 || fa_fail "stamp-write clean"
sum_clean=$(fa_sum "$S/clean")

# shellcheck disable=SC2046
"$ACK_WRITE" "$S/acks.good" $(own_acks 0 15) || fa_fail "ack-write good"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.good" --json
fa_expect_rc "every acknowledged write found" 0
expect_json "16 acked, 16 found, 0 lost" \
	'.acks.acked == 16 and .acks.found == 16 and .acks.units == 16 and .acks.lost == 0'

# Dropped acks: writes acknowledged after the unit's write had completed,
# whose data is not there: exactly those three are lost.
"$ACK_WRITE" "$S/acks.dropped" "$((G + 102)):$((G + 102)):$((2 * U)):$U" \
	"$((G + 105)):$((G + 105)):$((5 * U)):$U" \
	"$((G + 109)):$((G + 109)):$((9 * U)):$U" || fa_fail "ack-write dropped"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.good" "$S/acks.dropped" \
	--json
fa_expect_rc "dropped acks" 6
expect_json "dropped acks: 19 acked, exactly 3 lost as older" \
	'.acks.acked == 19 and .acks.lost == 3 and .acks.lost_by_reason.older == 3 and .acks.found == 16'
expect_json "dropped acks: the first in detail" \
	".acks.lost_examples[0] == {offset: $((2 * U)), generation: $((G + 102)), found: $((G + 2)), found_submitted_hi: $((G + 2)), reason: \"older\"}"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.good" "$S/acks.dropped"
fa_expect_rc "dropped acks, report" 6
if grep -q "^3 of 19 acknowledged writes lost" <<<"$out" &&
   grep -q "offset $((5 * U)): generation $((G + 105)) acknowledged, the unit holds generation $((G + 5)), whose write had completed" <<<"$out"; then
	fa_pass "dropped acks, report: 3 of 19 lost, the second at offset $((5 * U))"
else
	fa_fail "dropped acks, report lacks the lost lines"
	echo "$out" | tail -n 8
fi

# In flight together: unit 4's write was acknowledged only after G+250 was
# submitted, unit 6's never; a write of another job on unit 8.
# shellcheck disable=SC2046
"$ACK_WRITE" "$S/acks.raced" $(own_acks 0 3) \
	"$((G + 4)):$((G + 300)):$((4 * U)):$U" \
	"$((G + 250)):$((G + 250)):$((4 * U)):$U" \
	"$((G + 260)):$((G + 260)):$((6 * U)):$U" \
	"$OTHER:$OTHER:$((8 * U)):$U" || fa_fail "ack-write raced"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.raced" --json
fa_expect_rc "writes in flight together and another job's" 0
expect_json "raced 2, other_job 1, lost 0" \
	'.acks.raced == 2 and .acks.other_job == 1 and .acks.found == 5 and .acks.lost == 0'

# --- a torn unit (14) and an unwritten one (15), both acknowledged
"$STAMP_WRITE" -g "$G" -m 14 -u 15 "$S/torn" 16 $U 4096 ||
	fa_fail "stamp-write torn"
fa_tearscan "$S/torn" --unit 64k --block 4k --acks "$S/acks.good" --json
fa_expect_rc "acks of a torn and an unwritten unit (torn takes precedence)" 5
expect_json "1 torn, 2 lost: 1 torn, 1 unwritten" \
	'.torn == 1 and .acks.lost == 2 and .acks.lost_by_reason.torn == 1 and .acks.lost_by_reason.unwritten == 1 and .acks.found == 14'

# --- logs that are not intact
cp "$S/acks.good" "$S/acks.flipped"
printf '\x55' | dd of="$S/acks.flipped" bs=1 seek=$((2 * 40 + 30)) conv=notrunc status=none
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.flipped"
fa_expect_rc "a damaged record" 1
expect_err "a damaged record named" "acks.flipped: record 2 \(byte 80\): CRC mismatch"
cp "$S/acks.good" "$S/acks.short"
truncate -s $((16 * 40 - 13)) "$S/acks.short"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.short"
fa_expect_rc "a truncated log" 1
expect_err "a truncated log named" "acks.short: record 15 \(byte 600\): truncated record"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/clean"
fa_expect_rc "not a log" 1
expect_err "not a log named" "record 0 \(byte 0\): not an acknowledged-write record"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/missing"
fa_expect_rc "a missing log" 1

# --- acks of another geometry: not judged
"$ACK_WRITE" "$S/acks.4k" "$G:$G:0:4096" || fa_fail "ack-write 4k"
fa_tearscan "$S/clean" --unit 64k --block 4k --acks "$S/acks.4k"
fa_expect_rc "acks of 4 KiB writes, 64 KiB units" 1
expect_err "acks off the grid" "1 acknowledged writes not judged"

# --- command lines
fa_tearscan "$S/clean" --unit 64k --acks
fa_expect_rc "--acks without FILE" 2
fa_tearscan --acks "$S/acks.good" --unit 64k
fa_expect_rc "--acks FILE... eats what follows, PATH missing" 2
[ "$(fa_sum "$S/clean")" = "$sum_clean" ] &&
	fa_pass "the scanned file was never written" ||
	fa_fail "tearscan wrote to $S/clean"

# --- fio: every completed write logged, then checked
fa_require_fio
for engine in "${FA_ENGINES[@]}"; do
	f=$S/$engine.img
	fa_fio --name=w --ioengine="$(fa_engine "$engine")" --filename="$f" \
		--size=4m --bs=64k --rw=randwrite --direct=1 --rwf_atomic=0 \
		--tear_check=1 --tear_ack_log="$S/$engine.acks" --iodepth=8 \
		--atomic_report="$S/$engine.report.json" \
		--loops=4 >"$S/$engine.log" 2>&1 ||
		{ fa_fail "$engine: fio failed"; tail -n 5 "$S/$engine.log"; continue; }
	stamped=$(jq -r .tear.stamped_writes "$S/$engine.report.json")
	acked=$(jq -r .tear.acked_writes "$S/$engine.report.json")
	size=$(stat -c %s "$S/$engine.acks.w.1" 2>/dev/null || echo 0)
	if [ "$acked" = 256 ] && [ "$stamped" = 256 ] && [ "$size" = $((256 * 40)) ]; then
		fa_pass "$engine: 256 writes stamped, 256 logged ($size bytes in $engine.acks.w.1)"
	else
		fa_fail "$engine: stamped $stamped, acked $acked, log $size bytes (want 256, 256, $((256 * 40)))"
	fi
	fa_tearscan "$f" --unit 64k --acks "$S/$engine.acks.w.1" --json
	fa_expect_rc "$engine: tearscan --acks after a clean run" 0
	expect_json "$engine: 64 units found with their last write, 192 newer, 0 lost" \
		'.acks.acked == 256 and .acks.found == 64 and .acks.newer == 192 and .acks.lost == 0'
done
out=$(fa_fio --name=w --ioengine="$(fa_engine atomic-uring)" \
	--filename="$S/x.img" --size=1m --bs=64k --rw=write --direct=1 \
	--rwf_atomic=0 --tear_ack_log="$S/x.acks" 2>&1)
if grep -q "tear_ack_log=.* needs tear_check=1" <<<"$out" &&
   ! ls "$S"/x.acks* >/dev/null 2>&1; then
	fa_pass "tear_ack_log without tear_check refused: $(grep -o 'tear_ack_log=.*' <<<"$out" | head -n1 | cut -c1-120)"
else
	fa_fail "tear_ack_log without tear_check not refused"
	echo "$out" | tail -n 5
fi
fa_done
