#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: matrix
# Description: every crash state, not a sample (tests/lab/crash-states, one
# boot of a 7.x lab kernel, FA_LAB_NEW_KERNEL, default the newest 7.x): XFS
# on dm-log-writes, whose RWF_ATOMIC takes the software fallback (the
# device reports atomic_write_unit_max_bytes 0, the file statx limits);
# 48 durable 64 KiB atomic writes and 4 plain 256 KiB overwrites split
# into FUA bios, the log replayed to every FLUSH and FUA entry and each
# state scanned on a dm-snapshot. Asserts: states checked == crash points
# of each phase (> 0); 0 torn units and 0 lost acknowledged writes over
# every atomic state, each of the 48 writes judged at the last one; the
# control tore at some state; the JSON follows the harness's schema.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_cmd jq
[ -x "$BUILD/tests/tools/log-replay" ] ||
	fa_skip "no $BUILD/tests/tools/log-replay: run 'make' first"
fa_require_new_kernel --modules dm-log-writes,dm-snapshot,xfs
fa_scratch_dir
json=$FA_SCRATCH/crash-states.json
writes=48

echo "--- lab: crash-states harness, kernel $kernel, $writes atomic writes, 4 control writes"
start=$SECONDS
"$FA_TOP/tests/lab/crash-states" --kernel "$kernel" --writes $writes \
	--control-writes 4 --json "$json" 2>&1
rc=$?
echo "--- harness: exit $rc after $((SECONDS - start)) s"
case $rc in
0)	fa_pass "harness: power_fail held at every crash state, the control tore" ;;
125)	fa_fail "harness: the lab failed" ;;
*)	fa_fail "harness: exit $rc" ;;
esac
[ -s "$json" ] || { fa_fail "no JSON from the harness"; fa_done; }

if fa_jq_true '.format == "fio-atomic-crash-states" and .version == 1 and
	  (.kernel | startswith("7.")) and .log.crash_points > 0 and
	  ([.atomic, .control][] | keys | contains(["crash_points",
	    "states_checked", "units", "intact", "torn", "torn_states",
	    "acks_judged", "lost", "lost_states", "verdict", "reason"])) and
	  (.power_fail | has("status") and has("reason"))' \
	"$json" >/dev/null; then
	fa_pass "JSON: the harness's schema, kernel $(jq -r .kernel "$json")"
else
	fa_fail "JSON does not follow the schema"
	jq -c . "$json" | cut -c1-400
fi

p=$(jq -c .atomic_write_path "$json")
if fa_jq_true '.dm_atomic_write_unit_max == 0 and .file_unit_max >= 65536' \
	<<<"$p" >/dev/null; then
	fa_pass "software fallback: dm-log-writes atomic_write_unit_max_bytes 0, the file $(jq -r '"\(.file_unit_min)..\(.file_unit_max)"' <<<"$p") (statx)"
else
	fa_fail "atomic write path: $p"
fi

a=$(jq -c .atomic "$json")
if fa_jq_true '.crash_points > 0 and .states_checked == .crash_points and
	  .replay_checks == .crash_points' <<<"$a" >/dev/null; then
	fa_pass "atomic: $(jq -r '"\(.states_checked) states checked of \(.crash_points) crash points (entries \(.from_entry)..\(.to_entry))"' <<<"$a")"
else
	fa_fail "atomic: $(jq -r '"\(.states_checked) states checked, \(.crash_points) crash points"' <<<"$a")"
fi
if fa_jq_true '.torn == 0 and .lost == 0 and .mismatched == 0 and .acks_judged > 0' \
	<<<"$a" >/dev/null; then
	fa_pass "atomic: $(jq -r '"0 torn of \(.units) units scanned, 0 lost of \(.acks_judged) acknowledged writes judged, over all states"' <<<"$a")"
else
	fa_fail "atomic: $(jq -r '"\(.torn) torn units in \(.torn_states) states, \(.lost) acknowledged writes lost in \(.lost_states) states: \(.torn_examples + .lost_examples)"' <<<"$a" | cut -c1-600)"
fi
fa_jq_true --argjson w $writes '.acked_last_state == $w' <<<"$a" >/dev/null &&
	fa_pass "atomic: all $writes acknowledged writes judged at the last state" ||
	fa_fail "atomic: $(jq -r .acked_last_state <<<"$a") of $writes writes judged at the last state"
fa_jq_true '.power_fail.status == "provided"' "$json" >/dev/null &&
	fa_pass "power_fail: provided at every crash state" ||
	fa_fail "power_fail: $(jq -c .power_fail "$json")"

c=$(jq -c .control "$json")
if fa_jq_true '.crash_points > 0 and .states_checked == .crash_points and
	  .torn_states > 0 and .verdict == "PASS"' <<<"$c" >/dev/null; then
	fa_pass "positive control: $(jq -r '"\(.torn_states) of \(.states_checked) crash states hold a torn unit of plain writes (\(.torn_examples[0].unit.reasons[0]))"' <<<"$c")"
else
	fa_fail "positive control: $(jq -r '"\(.verdict): \(.reason)"' <<<"$c")"
fi
l=$(jq -c .loss_control "$json")
if fa_jq_true '.states_missing_later_writes > 0 and .lost_at_last_state == 0 and
	  .verdict == "PASS"' <<<"$l" >/dev/null; then
	fa_pass "loss control: $(jq -r '"\(.states_missing_later_writes) of \(.states) states miss writes acknowledged after them, the last state none"' <<<"$l")"
else
	fa_fail "loss control: $(jq -r '"\(.verdict): \(.reason)"' <<<"$l")"
fi
fa_done
