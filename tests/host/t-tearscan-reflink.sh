#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: tearscan reads the geometry from the stamps, so a reflinked
# copy does not change its verdict on the original. On XFS a file's direct
# I/O offset alignment (statx) rose from 512 to 4096 here once `cp` shared
# its extents; a scan that took its block size from statx found the
# original's 4 units of 512-byte-block stamps mismatched. The test measures
# the alignment before and after the copy (and says so if it did not
# rise), then scans the original and the copy without --unit and --block:
# 4 intact each, geometry from the stamps; a --block of the new alignment
# is refused (exit 2) naming both sizes. The same with stamps written by
# fio's tear_check=1 through atomic-pvsync2, when fio and the engines are
# built. Needs root (loop device, XFS).
. "$(dirname "$0")/lib.sh"

STAMP_WRITE=$BUILD/tests/tools/stamp-write
fa_require_tool
fa_require_test_tools stamp-write
fa_require_cmd jq
fa_require_root
fa_make_xfs 400
UNIT=16384

# dio_align FILE: statx's direct I/O offset alignment, from fio-atomic limits
dio_align() {
	"$FA_TOOL" limits --json "$1" 2>/dev/null |
		jq -r '.limits.dio_offset_align.statx.value // empty'
}

# check_reflinked DESC FILE BEFORE: FILE was stamped with BEFORE-byte
# blocks in 4 units of UNIT bytes and has just been copied.
check_reflinked() {
	local desc=$1 f=$2 before=$3 after sum refuse

	after=$(dio_align "$f")
	[ -n "$after" ] || { fa_fail "$desc: no DIO alignment after cp"; return; }
	if [ "$after" != "$before" ]; then
		fa_pass "$desc: DIO alignment rose from $before to $after after cp"
		refuse=$after
	else
		echo "note: $desc: DIO alignment stayed $before after cp (reflink off or kernel changed)"
		refuse=$((before == 4096 ? 512 : 4096))
	fi
	sum=$(fa_sum "$f")

	fa_tearscan "$f"
	fa_expect_rc "$desc: original, no --unit/--block" 0
	grep -qE "^geometry from the stamps: unit $UNIT, block $before " <<<"$out" &&
		fa_pass "$desc: geometry from the stamps said" ||
		fa_fail "$desc: no 'geometry from the stamps' line: $(head -n 3 <<<"$out")"
	fa_tearscan "$f" --json
	fa_expect_json "$desc: original: 4 intact of 4, from the stamps" \
		".geometry_source == \"stamps\" and .unit == $UNIT
		 and .block == $before and .units == 4 and .intact == 4
		 and .torn == 0 and .mismatched == 0 and .unwritten == 0"
	fa_tearscan "$f.bak" --json
	fa_expect_rc "$desc: copy" 0
	fa_expect_json "$desc: copy: 4 intact of 4" \
		".block == $before and .units == 4 and .intact == 4"

	fa_tearscan "$f" --block "$refuse"
	fa_expect_rc "$desc: --block $refuse refused" 2
	grep -q -- "--block $refuse disagrees with the stamps, which say $before: the stamp at byte 0 " <<<"$err" &&
		fa_pass "$desc: the refusal names $refuse and $before" ||
		fa_fail "$desc: refusal: $err"
	[ -z "$out" ] && fa_pass "$desc: refused without a report" ||
		fa_fail "$desc: a report despite the refusal"
	[ "$(fa_sum "$f")" = "$sum" ] && fa_pass "$desc: the original is unchanged" ||
		fa_fail "$desc: the original changed"
}

# --- stamps written by the test's helper, with the file's DIO alignment
f=$FA_MNT/rt
: >"$f"
before=$(dio_align "$f")
[ -n "$before" ] || fa_skip "statx gives no DIO alignment on $f"
"$STAMP_WRITE" "$f" 4 $UNIT "$before" || fa_fail "stamp-write $f"
[ "$(dio_align "$f")" = "$before" ] || fa_fail "DIO alignment changed before cp"
cp "$f" "$f.bak"
check_reflinked "stamp-write" "$f" "$before"

# --- stamps written by fio with tear_check=1
if [ -x "$FIO" ] && [ -f "$ENGINE_DIR/atomic-pvsync2.so" ]; then
	f=$FA_MNT/fio
	: >"$f"
	before=$(dio_align "$f")
	fio_out=$(fa_fio --name=w --ioengine="$(fa_engine atomic-pvsync2)" \
		--filename="$f" --size=$((4 * UNIT)) --bs=$UNIT --rw=write \
		--direct=1 --tear_check=1 --tear_report="$FA_SCRATCH/w.json" 2>&1)
	if grep -q "tear check: 4 writes stamped in $before-byte blocks" <<<"$fio_out"; then
		fa_pass "fio: 4 writes stamped in $before-byte blocks"
		cp "$f" "$f.bak"
		check_reflinked "fio" "$f" "$before"
	else
		fa_fail "fio: no stamped-writes line"
		echo "$fio_out" | grep -E "fio:|tear|err" | head -n 5
	fi
else
	echo "note: no fio or atomic-pvsync2 engine: the fio case was not run"
fi

fa_done
