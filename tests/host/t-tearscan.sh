#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic tearscan on regular files of stamped units made by
# tests/tools/stamp-write: a clean file has every unit intact, 0 torn and a
# "< bound" tear rate (exit 0); torn units injected on purpose (second half
# from another write, half written, a flipped byte, a block of another
# unit) and unwritten units are counted exactly, in the report and in the
# JSON, and exit 5; --offset/--length fa_tearscan a region; 512-byte blocks;
# the default block size; stamps of another geometry are not judged (exit
# 1); bad command lines exit 2; the files are never written. Needs no root.
. "$(dirname "$0")/lib.sh"

STAMP_WRITE=$BUILD/tests/tools/stamp-write
[ -x "$FA_TOOL" ] || fa_skip "no $FA_TOOL: run 'make' first"
[ -x "$STAMP_WRITE" ] || fa_skip "no $STAMP_WRITE: run 'make' first"
command -v jq >/dev/null || fa_skip "jq not found: run 'make deps'"
fa_scratch_dir
S=$FA_SCRATCH
U=65536

# expect_line DESC REGEX: a line of $out matches
expect_line() {
	if grep -qE -- "$2" <<<"$out"; then
		fa_pass "$1"
	else
		fa_fail "$1: no line matching '$2' in:"
		echo "$out" | head -n 30
	fi
}

# expect_json DESC JQ-FILTER: true on $out
expect_json() {
	local got

	got=$(jq -e "$2" <<<"$out" 2>&1)
	if [ $? -eq 0 ] && [ "$got" = true ]; then
		fa_pass "$1"
	else
		fa_fail "$1: '$2' is not true of the JSON (jq says: $got)"
		echo "$out" | head -n 40
	fi
}

# count NAME: the report line "NAME   N"
count_line() {
	printf '^ *%s +%s$' "$1" "$2"
}

# --- a clean file: 64 units of 64 KiB, 4096-byte blocks
"$STAMP_WRITE" "$S/clean" 64 $U 4096 || fa_fail "stamp-write clean"
sum_clean=$(fa_sum "$S/clean")
fa_tearscan "$S/clean" --unit 64k --block 4k
fa_expect_rc "clean file" 0
expect_line "clean: 64 units" "$(count_line units 64)"
expect_line "clean: 64 intact" "$(count_line intact 64)"
expect_line "clean: 0 torn" "$(count_line torn 0)"
expect_line "clean: bound 1 - 0.05^(1/64)" \
	"^0 of 64 written units torn: tear rate < 4\.57% \(95% upper bound\)$"
fa_tearscan "$S/clean" --unit 64k --block 4k --json
fa_expect_rc "clean file, JSON" 0
expect_json "clean JSON: counts" \
	'.units == 64 and .intact == 64 and .torn == 0 and .unwritten == 0
	 and .mismatched == 0 and .examples == []'
expect_json "clean JSON: rate and bound" \
	'.tear_rate == 0 and (.tear_rate_upper95 * 100000 | round) == 4573'

# --- torn units of every kind, and unwritten ones, in 200 units
"$STAMP_WRITE" -m 3 -m 50 -m 199 -p 10 -p 11 -f 20 -x 30 \
	-u 0 -u 100 -u 150 "$S/torn" 200 $U 4096 || fa_fail "stamp-write torn"
sum_torn=$(fa_sum "$S/torn")
fa_tearscan "$S/torn" --unit 64k --block 4k
fa_expect_rc "torn file" 5
expect_line "torn: 200 units" "$(count_line units 200)"
expect_line "torn: 3 unwritten" "$(count_line unwritten 3)"
expect_line "torn: 190 intact" "$(count_line intact 190)"
expect_line "torn: 7 torn" "$(count_line torn 7)"
expect_line "torn: 3 mixed" "$(count_line mixed_generation 3)"
expect_line "torn: 2 partial" "$(count_line partial 2)"
expect_line "torn: 1 bad checksum" "$(count_line bad_checksum 1)"
expect_line "torn: 1 misplaced" "$(count_line misplaced 1)"
expect_line "torn: rate and bound" \
	"^7 of 197 written units torn: tear rate 3\.55% \(95% upper bound [0-9.]+%\)$"
expect_line "torn: the mixed unit 3 in detail" \
	"^  offset 196608 \(unit 3\): mixed_generation from block 8; blocks: 16 valid; generations 4 \(8 blocks\), 204 \(8 blocks\)$"
expect_line "torn: the flipped unit 20 in detail" \
	"^  offset 1310720 \(unit 20\): bad_checksum from block 1; blocks: 15 valid, 1 failing their CRC"
fa_tearscan "$S/torn" --unit 64k --block 4k --json
fa_expect_rc "torn file, JSON" 5
expect_json "torn JSON: counts" \
	'.units == 200 and .unwritten == 3 and .intact == 190 and .torn == 7
	 and .written_units == 197'
expect_json "torn JSON: by reason" \
	'.torn_by_reason == {"mixed_generation": 3, "partial": 2, "bad_checksum": 1, "misplaced": 1}'
expect_json "torn JSON: the torn units" \
	"[.examples[].offset / $U] == [3, 10, 11, 20, 30, 50, 199]"
expect_json "torn JSON: reasons of the torn units" \
	'[.examples[].reasons[0]] == ["mixed_generation", "partial", "partial", "bad_checksum", "misplaced", "mixed_generation", "mixed_generation"]'
expect_json "torn JSON: rate" '(.tear_rate * 197 | round) == 7'
expect_json "torn JSON: bound above the rate" \
	'.tear_rate_upper95 > .tear_rate and .tear_rate_upper95 < 0.1'

# --- a region: units 40..49 are clean, unit 20 is torn
fa_tearscan "$S/torn" --unit 64k --block 4k --offset 2560k --length 640k
fa_expect_rc "region of clean units" 0
expect_line "region: 10 units" "$(count_line units 10)"
expect_line "region: 10 intact" "$(count_line intact 10)"
fa_tearscan "$S/torn" --unit 64k --block 4k --offset $((20 * U)) --length $U --json
fa_expect_rc "region of one torn unit" 5
expect_json "region: the one unit" \
	".units == 1 and .torn == 1 and .examples[0].offset == $((20 * U))"

# --- 512-byte blocks, 16 KiB units, stamps from an offset
"$STAMP_WRITE" -o 8192 -m 5 -f 6 "$S/small" 32 16384 512 ||
	fa_fail "stamp-write small"
fa_tearscan "$S/small" --unit 16k --block 512 --offset 8k --json
fa_expect_rc "512-byte blocks" 5
expect_json "512-byte blocks: counts" \
	'.units == 32 and .intact == 30 and .torn == 2
	 and .torn_by_reason.mixed_generation == 1
	 and .torn_by_reason.bad_checksum == 1'

# --- the default block size is the file's (statx DIO alignment or 4096)
fa_tearscan "$S/clean" --unit 64k --json
block=$(jq -r .block <<<"$out")
origin=$(jq -r .block_origin <<<"$out")
case $block in
512 | 1024 | 2048 | 4096 | 8192 | 16384 | 32768 | 65536)
	fa_pass "default block: $block ($origin)" ;;
*)
	fa_fail "default block: '$block' ($origin)" ;;
esac
"$STAMP_WRITE" "$S/default" 16 $U "$block" || fa_fail "stamp-write default"
fa_tearscan "$S/default" --unit 64k
fa_expect_rc "default block size" 0
expect_line "default block: 16 intact" "$(count_line intact 16)"

# --- stamps of another geometry are not judged
fa_tearscan "$S/clean" --unit 16k --block 4k
fa_expect_rc "another unit size" 1
expect_line "another unit size: mismatched" "$(count_line mismatched 256)"
expect_line "another unit size: named" \
	"belongs to a unit of 65536 bytes at offset 0 with 4096-byte blocks"
grep -q "not judged" <<<"$err" && fa_pass "another unit size: says why" ||
	fa_fail "another unit size: stderr lacks 'not judged': $err"

# --- a file without stamps
truncate -s 1m "$S/zeros"
fa_tearscan "$S/zeros" --unit 64k --block 4k
fa_expect_rc "unstamped file" 0
expect_line "unstamped: 16 unwritten" "$(count_line unwritten 16)"
expect_line "unstamped: nothing to judge" "nothing to judge"

# --- bad command lines: exit 2
for args in "--block 4k" "$S/clean --unit 6k --block 4k" \
	    "$S/clean --unit 64q" "$S/clean --unit 64k --block 1000" \
	    "$S/clean $S/clean --unit 64k" "$S/clean --unit 64k --block 4k --offset 1" \
	    "$S/clean --unit 64k --block 4k --offset 1g" \
	    "$S/clean --unit 64k --block 4k --length 8m" \
	    "$S/clean --unit 64k --frobnicate" "$S/clean --unit"; do
	# shellcheck disable=SC2086 # the words are the arguments
	fa_tearscan $args
	fa_expect_rc "usage error: ${args//$S\//}" 2
done

# --- targets that cannot be scanned: exit 1
fa_tearscan "$S/missing" --unit 64k
fa_expect_rc "missing file" 1
fa_tearscan "$S" --unit 64k
fa_expect_rc "a directory" 1

# --- nothing was written
[ "$(fa_sum "$S/clean")" = "$sum_clean" ] && [ "$(fa_sum "$S/torn")" = "$sum_torn" ] &&
	fa_pass "the scanned files are unchanged" ||
	fa_fail "a scanned file changed"

fa_done
