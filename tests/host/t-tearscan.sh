#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic tearscan on regular files of stamped units made by
# tests/tools/stamp-write: a clean file has every unit intact, 0 torn and a
# "< bound" tear rate (exit 0); torn units injected on purpose (second half
# from another write, half written, a flipped byte, a block of another
# unit) and unwritten units are counted exactly, in the report and in the
# JSON, and exit 5; --offset/--length fa_tearscan a region; 512-byte blocks;
# the geometry read from the stamps when not given (and their grid), the
# fallback without stamps; a --unit or --block the stamps contradict is
# refused (exit 2, both sizes named, no report); stamps of two geometries
# are reported and units off the grid not judged (exit 1); bad command
# lines exit 2; the files are never written. Needs no root.
. "$(dirname "$0")/lib.sh"

STAMP_WRITE=$BUILD/tests/tools/stamp-write
fa_require_tool
fa_require_test_tools stamp-write
fa_require_cmd jq
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
	"^write_isolation: torn units 0 of 64 \(95% upper bound 4\.6%\), at rest after a run without a crash \(--after run\)$"
fa_tearscan "$S/clean" --unit 64k --block 4k --json
fa_expect_rc "clean file, JSON" 0
fa_expect_json "clean JSON: counts" \
	'.units == 64 and .intact == 64 and .torn == 0 and .unwritten == 0
	 and .mismatched == 0 and .examples == []'
fa_expect_json "clean JSON: rate and bound" \
	'.tear_rate == 0 and (.tear_rate_upper95 * 100000 | round) == 4573'
fa_expect_json "clean JSON: after a run, the counts speak to write_isolation" \
	'.measures.guarantee == "write_isolation" and .measures.trials == 64 and .measures.failures == 0 and (.measures.condition | test("without a crash"))'
fa_tearscan "$S/clean" --unit 64k --block 4k --json --after crash
fa_expect_json "clean JSON, --after crash: the counts speak to power_fail" \
	'.measures.guarantee == "power_fail" and .measures.trials == 64 and (.measures.condition | test("after a crash"))'
fa_tearscan "$S/clean" --after reboot
fa_expect_rc "--after reboot: a usage error" 2

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
	"^write_isolation: torn units 3\.6% \(7 of 197; 95% upper bound [0-9.]+%\), at rest after a run without a crash \(--after run\)$"
expect_line "torn: the mixed unit 3 in detail" \
	"^  offset 196608 \(unit 3\): mixed_generation from block 8; blocks: 16 valid; generations 4 \(8 blocks\), 204 \(8 blocks\)$"
expect_line "torn: the flipped unit 20 in detail" \
	"^  offset 1310720 \(unit 20\): bad_checksum from block 1; blocks: 15 valid, 1 failing their CRC"
fa_tearscan "$S/torn" --unit 64k --block 4k --json
fa_expect_rc "torn file, JSON" 5
fa_expect_json "torn JSON: counts" \
	'.units == 200 and .unwritten == 3 and .intact == 190 and .torn == 7
	 and .written_units == 197'
fa_expect_json "torn JSON: by reason" \
	'.torn_by_reason == {"mixed_generation": 3, "partial": 2, "bad_checksum": 1, "misplaced": 1}'
fa_expect_json "torn JSON: the torn units" \
	"[.examples[].offset / $U] == [3, 10, 11, 20, 30, 50, 199]"
fa_expect_json "torn JSON: reasons of the torn units" \
	'[.examples[].reasons[0]] == ["mixed_generation", "partial", "partial", "bad_checksum", "misplaced", "mixed_generation", "mixed_generation"]'
fa_expect_json "torn JSON: rate" '(.tear_rate * 197 | round) == 7'
fa_expect_json "torn JSON: bound above the rate" \
	'.tear_rate_upper95 > .tear_rate and .tear_rate_upper95 < 0.1'

# --- a region: units 40..49 are clean, unit 20 is torn
fa_tearscan "$S/torn" --unit 64k --block 4k --offset 2560k --length 640k
fa_expect_rc "region of clean units" 0
expect_line "region: 10 units" "$(count_line units 10)"
expect_line "region: 10 intact" "$(count_line intact 10)"
fa_tearscan "$S/torn" --unit 64k --block 4k --offset $((20 * U)) --length $U --json
fa_expect_rc "region of one torn unit" 5
fa_expect_json "region: the one unit" \
	".units == 1 and .torn == 1 and .examples[0].offset == $((20 * U))"

# --- 512-byte blocks, 16 KiB units, stamps from an offset
"$STAMP_WRITE" -o 8192 -m 5 -f 6 "$S/small" 32 16384 512 ||
	fa_fail "stamp-write small"
fa_tearscan "$S/small" --unit 16k --block 512 --offset 8k --json
fa_expect_rc "512-byte blocks" 5
fa_expect_json "512-byte blocks: counts" \
	'.units == 32 and .intact == 30 and .torn == 2
	 and .torn_by_reason.mixed_generation == 1
	 and .torn_by_reason.bad_checksum == 1'

# --- no --unit, no --block: the geometry is the stamps'
fa_tearscan "$S/clean"
fa_expect_rc "geometry from the stamps" 0
expect_line "stamps: said so" \
	"^geometry from the stamps: unit 65536, block 4096 \(first valid stamp at byte 0; [0-9]+ stamps read in [0-9]+ bytes, all of this geometry\)$"
expect_line "stamps: 64 intact" "$(count_line intact 64)"
fa_tearscan "$S/clean" --json
fa_expect_json "stamps JSON: geometry and counts" \
	'.geometry_source == "stamps" and .unit == 65536 and .block == 4096
	 and .geometry.unit_source == "stamps"
	 and .geometry.block_source == "stamps"
	 and .geometry.first_stamp == {"at": 0, "unit_offset": 0, "unit": 65536, "block": 4096}
	 and .geometry.conflict == null and .units == 64 and .intact == 64'
fa_tearscan "$S/clean" --block 4k --json
fa_expect_rc "--block as the stamps say" 0
fa_expect_json "--block as the stamps say: sources" \
	'.geometry_source == "stamps" and .geometry.block_source == "option"
	 and .geometry.unit_source == "stamps" and .intact == 64'
fa_tearscan "$S/clean" --unit 64k --block 4k --json
fa_expect_json "both given and agreeing: options" \
	'.geometry_source == "options" and .intact == 64'
# 512-byte blocks from byte 8192 on: the stamps' grid, without --offset
fa_tearscan "$S/small" --json
fa_expect_rc "stamps' grid, 512-byte blocks" 5
fa_expect_json "stamps' grid: offset 8192, 32 units" \
	'.offset == 8192 and .geometry.offset_from_stamps and .unit == 16384
	 and .block == 512 and .units == 32 and .intact == 30 and .torn == 2'

# --- a --unit or --block the stamps contradict: refused, nothing scanned
fa_tearscan "$S/clean" --unit 16k
fa_expect_rc "a disagreeing --unit" 2
grep -q -- "--unit 16384 disagrees with the stamps, which say 65536: the stamp at byte 0 of .*clean belongs to a unit of 65536 bytes at offset 0 with 4096-byte blocks" <<<"$err" &&
	fa_pass "a disagreeing --unit: both named" ||
	fa_fail "a disagreeing --unit: stderr: $err"
[ -z "$out" ] && fa_pass "a disagreeing --unit: no report" ||
	fa_fail "a disagreeing --unit: a report was printed"
fa_tearscan "$S/clean" --block 512 --json
fa_expect_rc "a disagreeing --block" 2
grep -q -- "--block 512 disagrees with the stamps, which say 4096: the stamp at byte 0 " <<<"$err" &&
	fa_pass "a disagreeing --block: both named" ||
	fa_fail "a disagreeing --block: stderr: $err"
[ -z "$out" ] && fa_pass "a disagreeing --block: no JSON" ||
	fa_fail "a disagreeing --block: JSON was printed"

# --- stamps of two geometries: 8 units of 64 KiB, then 32 of 16 KiB
"$STAMP_WRITE" "$S/two.a" 8 $U 4096 || fa_fail "stamp-write two.a"
"$STAMP_WRITE" -o 524288 -g 100 "$S/two.b" 32 16384 4096 ||
	fa_fail "stamp-write two.b"
{ cat "$S/two.a"; tail -c +524289 "$S/two.b"; } >"$S/two"
fa_tearscan "$S/two"
fa_expect_rc "two geometries" 1
expect_line "two geometries: the first 8 intact" "$(count_line intact 8)"
expect_line "two geometries: 8 not judged" "$(count_line mismatched 8)"
expect_line "two geometries: both named" \
	"^the stamps disagree: the one at byte 0 belongs to a unit of 65536 bytes at offset 0 with 4096-byte blocks, the one at byte 524288 to a unit of 16384 bytes at offset 524288 with 4096-byte blocks"
fa_tearscan "$S/two" --json
fa_expect_json "two geometries JSON: the conflict" \
	'.geometry_source == "stamps" and .unit == 65536
	 and .geometry.conflict == {"at": 524288, "unit_offset": 524288, "unit": 16384, "block": 4096}'
fa_tearscan "$S/two" --offset 512k --json
fa_expect_rc "the second part alone" 0
fa_expect_json "the second part alone: its own geometry" \
	'.unit == 16384 and .intact == 32 and .geometry.conflict == null'

# --- units off the stamps' grid are not judged
fa_tearscan "$S/clean" --offset 16k
fa_expect_rc "off the grid" 1
expect_line "off the grid: mismatched" "$(count_line mismatched 63)"
expect_line "off the grid: named" \
	"belongs to a unit of 65536 bytes at offset 0 with 4096-byte blocks"
grep -q "not judged" <<<"$err" && fa_pass "off the grid: says why" ||
	fa_fail "off the grid: stderr lacks 'not judged': $err"

# --- a file without stamps: the fallback, one block per unit
truncate -s 1m "$S/zeros"
fa_tearscan "$S/zeros" --json
fa_expect_rc "unstamped file, no geometry given" 0
block=$(jq -r .block <<<"$out")
case $block in
512 | 1024 | 2048 | 4096 | 8192 | 16384 | 32768 | 65536)
	fa_pass "fallback block: $block ($(jq -r .block_origin <<<"$out"))" ;;
*)
	fa_fail "fallback block: '$block'" ;;
esac
fa_expect_json "unstamped: the fallback, said so" \
	".geometry_source == \"fallback\" and .unit == $block
	 and .geometry.first_stamp == null and .geometry.stamps_read == 0
	 and .units == 1048576 / $block and .unwritten == .units"
fa_tearscan "$S/zeros" --unit 64k --block 4k
fa_expect_rc "unstamped file" 0
expect_line "unstamped: said so" \
	"^geometry: no valid stamp in the region; unit 65536 \(given with --unit\), block 4096 \(given with --block\)$"
expect_line "unstamped: 16 unwritten" "$(count_line unwritten 16)"
expect_line "unstamped: nothing to judge" "nothing to judge"

# --- bad command lines: exit 2
for args in "--block 4k" "$S/zeros --unit 6k --block 4k" \
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
