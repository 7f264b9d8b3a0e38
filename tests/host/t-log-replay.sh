#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: tests/tools/log-replay on dm-log-writes logs built here
# byte for byte (perl pack, the layout of lib/fa_logwrites.h, 512-byte
# blocks) and on image files: info lists the entries by kind, the crash
# points (every FLUSH or FUA entry) and the marks; replay writes each
# write's data at its sector, zeroes over a discard, [from, to) by index
# or mark:TEXT; --check runs at each crash point of the range with the
# entry, state number and last mark in its environment, counts bad states
# (exit 4) and stops at one it cannot judge (exit 5); a log that is not
# one, a damaged entry, an entry past the device's end and a bad range
# are refused with nothing written. Needs no root.
. "$(dirname "$0")/lib.sh"

REPLAY=$BUILD/tests/tools/log-replay
fa_require_test_tools log-replay
fa_require_cmd jq
command -v perl >/dev/null || fa_skip "perl not found"
fa_scratch_dir
S=$FA_SCRATCH

# mklog FILE NR ENTRY...: a log of 512-byte blocks whose super counts NR;
# ENTRY is SECTOR:BLOCKS:FLAGS[:TEXT-or-FILLBYTE]
mklog() {
	perl -e '
	my ($file, $nr, @e) = @ARGV;
	my $ss = 512;
	my $out = pack("Q<Q<Q<L<", 0x6a736677736872, 1, $nr, $ss);
	$out .= "\0" x ($ss - length($out));
	for (@e) {
		my ($sec, $n, $fl, $x) = split /:/;
		my $text = ($fl & 8) ? $x : "";
		my $h = pack("Q<Q<Q<Q<", $sec, $n, $fl, length($text)) . $text;
		$out .= $h . "\0" x ($ss - length($h));
		$out .= chr(hex($x)) x ($n * $ss) unless $fl & 12;
	}
	open(my $f, ">", $file) or die; binmode $f; print $f $out;
	' "$@"
}

# byte FILE OFFSET: one byte of FILE, in hex
byte() {
	od -An -tx1 -j "$2" -N1 "$1" | tr -d ' '
}

# write a1 at 4..5, flush, FUA b2 at 8, discard 4..4, mark, FUA c3 at 0
mklog "$S/log" 6 4:2:0:a1 0:0:1 8:1:2:b2 4:1:4 0:0:8:half 0:1:3:c3
info=$("$REPLAY" info "$S/log" --json)
if fa_jq_true '.format == "fio-atomic-log-replay" and .version == 1 and
	  .nr_entries == 6 and .sectorsize == 512 and
	  .counts == {writes: 3, flush: 2, fua: 2, discard: 1, mark: 1,
		      metadata: 0} and .crash_points == [1, 2, 5] and
	  .marks == [{index: 4, text: "half"}] and .data_bytes == 2048' \
	<<<"$info" >/dev/null; then
	fa_pass "info: 6 entries by kind, crash points 1 2 5, mark 'half' at 4"
else
	fa_fail "info: $(jq -c . <<<"$info")"
fi
"$REPLAY" info "$S/log" --entries | grep -q '^ *4 .*MARK.*"half"' &&
	fa_pass "info --entries: one line per entry" ||
	fa_fail "info --entries: no line for the mark"

# the whole log onto a 16-block image of 0xee
perl -e 'print "\xee" x (16 * 512)' >"$S/dev"
"$REPLAY" replay "$S/log" "$S/dev" 2>/dev/null
if [ "$(byte "$S/dev" 0)$(byte "$S/dev" 2047)$(byte "$S/dev" 2048)$(byte "$S/dev" 2560)$(byte "$S/dev" 4096)$(byte "$S/dev" 4607)$(byte "$S/dev" 4608)" = c3ee00a1b2b2ee ]; then
	fa_pass "replay: each write at its sector, zeroes over the discard"
else
	fa_fail "replay: wrong bytes on the device"
	od -An -tx1 -w512 "$S/dev" | cut -c1-12
fi

# up to the mark: entries 0..3, and on from it
perl -e 'print "\xee" x (16 * 512)' >"$S/dev"
out=$("$REPLAY" replay "$S/log" "$S/dev" --to mark:half --json)
if fa_jq_true '.from == 0 and .to == 4 and .entries_replayed == 4 and
	  .crash_points == 2 and .checks.run == 0' <<<"$out" >/dev/null &&
   [ "$(byte "$S/dev" 0)$(byte "$S/dev" 2048)" = ee00 ]; then
	fa_pass "replay --to mark:half: entries 0..3, the last FUA not yet"
else
	fa_fail "replay --to mark:half: $(jq -c . <<<"$out")"
fi
out=$("$REPLAY" replay "$S/log" "$S/dev" --from mark:half --json)
[ "$(jq -c '[.from, .to, .entries_replayed]' <<<"$out")" = "[4,6,2]" ] &&
[ "$(byte "$S/dev" 0)" = c3 ] &&
	fa_pass "replay --from mark:half: the rest" ||
	fa_fail "replay --from mark:half: $(jq -c . <<<"$out")"

# --check at each crash point: its entry, state number and last mark
check='echo "$LOG_REPLAY_STATE $LOG_REPLAY_ENTRY $LOG_REPLAY_FLAGS [$LOG_REPLAY_MARK]" >>'"$S/seen"
rm -f "$S/seen"
out=$("$REPLAY" replay "$S/log" "$S/dev" --from 2 --check "$check" --json)
rc=$?
if [ $rc = 0 ] && [ "$(cat "$S/seen" | xargs)" = "1 2 FUA [] 2 5 FLUSH|FUA [half]" ] &&
   fa_jq_true '.checks.run == 2 and .checks.good == 2 and .crash_points == 2' \
	<<<"$out" >/dev/null; then
	fa_pass "--check: states 1 and 2 at entries 2 and 5, the mark seen"
else
	fa_fail "--check: exit $rc, saw: $(xargs <"$S/seen" 2>/dev/null)"
fi
out=$("$REPLAY" replay "$S/log" "$S/dev" --check '[ $LOG_REPLAY_ENTRY != 2 ]' --json)
rc=$?
[ $rc = 4 ] && fa_jq_true '.checks.bad == 1 and .checks.good == 2 and
	.checks.bad_entries == [2] and .entries_replayed == 6' <<<"$out" >/dev/null &&
	fa_pass "--check saying bad: counted, the replay goes on, exit 4" ||
	fa_fail "--check saying bad: exit $rc: $(jq -c .checks <<<"$out")"
out=$("$REPLAY" replay "$S/log" "$S/dev" --check 'exit 3' --json 2>/dev/null)
rc=$?
[ $rc = 5 ] && fa_jq_true '.checks.stopped_at == 1 and .entries_replayed == 2' \
	<<<"$out" >/dev/null &&
	fa_pass "--check that cannot judge: the replay stops there, exit 5" ||
	fa_fail "--check exit 3: exit $rc: $(jq -c . <<<"$out")"

# refusals: nothing written
refused() { # DESC WANT-RC PATTERN ARGS...
	local desc=$1 want=$2 pat=$3 before err rc
	shift 3
	perl -e 'print "\xee" x (16 * 512)' >"$S/dev"
	before=$(fa_sum "$S/dev")
	err=$("$REPLAY" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc = "$want" ] && grep -q -- "$pat" <<<"$err" &&
	   [ "$(fa_sum "$S/dev")" = "$before" ]; then
		fa_pass "$desc: exit $rc, $(head -n1 <<<"$err" | cut -c1-110)"
	else
		fa_fail "$desc: exit $rc (want $want), '$err'"
	fi
}
head -c 512 /dev/zero >"$S/zero"
refused "not a log" 1 "not a dm-log-writes log" replay "$S/zero" "$S/dev"
mklog "$S/bad" 2 4:1:0:a1 0:1:40:11
refused "unknown flags in entry 1" 1 "entry 1 at byte 1536" replay "$S/bad" "$S/dev"
mklog "$S/short" 3 4:1:0:a1 0:0:1
refused "nr_entries past the log" 1 "entry 2 at byte 2048: its header" replay "$S/short" "$S/dev"
mklog "$S/past" 2 4:1:0:a1 15:2:2:b2
refused "an entry past the device" 1 "past the end of" replay "$S/past" "$S/dev"
refused "--from after --to" 2 "is after" replay "$S/log" "$S/dev" --from 4 --to 2
refused "--to mark:none" 2 'no MARK "none"' replay "$S/log" "$S/dev" --to mark:none
refused "--from 7" 2 "not an entry index 0..6" replay "$S/log" "$S/dev" --from 7
refused "no device" 2 "usage" replay "$S/log"
fa_done
