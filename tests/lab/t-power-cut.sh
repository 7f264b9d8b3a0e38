#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long
# Description: the power-cut harness (tests/lab/power-cut) with 2 runs per
# engine and 2 control runs, each cut 2..4 s after the writer's first
# acknowledged write: both RWF_ATOMIC engines and atomic-nvme in
# both modes must pass (0 torn units, 0 lost acknowledged writes, some
# acknowledged), atomic-sg is not applicable, and the positive control
# (plain writes split at max_sectors_kb=4) must show torn units. The JSON
# is checked against the schema the qualification reads.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
command -v jq >/dev/null || fa_skip "jq not found: run 'make deps'"
fa_scratch_dir
json=$FA_SCRATCH/power-cut.json

echo "--- lab: power-cut harness, 2 runs per engine, control 2 runs"
start=$SECONDS
"$FA_TOP/tests/lab/power-cut" --runs 2 --control --control-runs 2 \
	--cut-min 2 --cut-max 4 \
	--json "$json" 2>&1
rc=$?
echo "--- harness: exit $rc after $((SECONDS - start)) s"
case $rc in
0)	fa_pass "harness: every engine passed and the control showed tears" ;;
125)	fa_fail "harness: the lab failed" ;;
*)	fa_fail "harness: exit $rc" ;;
esac
[ -s "$json" ] || { fa_fail "no JSON from the harness"; fa_done; }

if fa_jq_true '.format == "fio-atomic-power-cut" and .version == 2 and
	  .fs == null and .harness == "power-cut" and .runs_per_engine == 2 and
	  .unit == 65536 and .device == "qemu-nvme" and
	  (.engines | length) == 5 and
	  ([.engines[], .control | keys] | all(
	    contains(["engine", "mode", "runs", "cuts", "units", "intact",
		      "torn", "unwritten", "acked", "lost", "tear_rate",
		      "tear_rate_upper95", "verdict", "reason", "unit",
		      "path"])))' \
	"$json" >/dev/null; then
	fa_pass "JSON: the harness's schema, 5 engines and the control"
else
	fa_fail "JSON does not follow the schema"
	jq -c . "$json" | cut -c1-400
fi

for e in atomic-pvsync2 atomic-uring; do
	r=$(jq -c --arg e "$e" '.engines[] | select(.engine == $e)' "$json")
	if fa_jq_true '.verdict == "PASS" and .runs == 2 and .cuts == 2 and
		  .torn == 0 and .lost == 0 and .acked > 0' <<<"$r" >/dev/null; then
		fa_pass "$e: $(jq -r '"\(.runs) runs, \(.cuts) cuts, \(.units) units: \(.intact) intact, \(.torn) torn, \(.unwritten) unwritten; \(.acked) acknowledged writes, \(.lost) lost; tear rate < \(.tear_rate_upper95) (95% upper bound)"' <<<"$r")"
	else
		fa_fail "$e: $(jq -r '"\(.verdict): \(.reason)"' <<<"$r" 2>/dev/null)"
	fi
done
for m in ioctl uring_cmd; do
	r=$(jq -c --arg m "$m" '.engines[] | select(.engine == "atomic-nvme" and .mode == $m)' "$json")
	if fa_jq_true '.verdict == "PASS" and .torn == 0 and .lost == 0 and .acked > 0' \
		<<<"$r" >/dev/null; then
		fa_pass "atomic-nvme ($m): $(jq -r '"\(.runs) runs: \(.torn) torn, \(.acked) acknowledged, \(.lost) lost"' <<<"$r")"
	else
		fa_fail "atomic-nvme ($m): $(jq -r '"\(.verdict): \(.reason)"' <<<"$r" 2>/dev/null)"
	fi
done
r=$(jq -c '.engines[] | select(.engine == "atomic-sg")' "$json")
fa_jq_true '.verdict == "N/A"' <<<"$r" >/dev/null &&
	fa_pass "atomic-sg: not applicable: $(jq -r .reason <<<"$r")" ||
	fa_fail "atomic-sg: $(jq -r .verdict <<<"$r" 2>/dev/null), want N/A"

r=$(jq -c .control "$json")
if fa_jq_true '.verdict == "PASS" and .torn > 0' <<<"$r" >/dev/null; then
	fa_pass "positive control: $(jq -r '"\(.runs) runs, \(.torn) torn of \(.intact + .torn) written units (tear rate \(.tear_rate)); \(.lost) of \(.acked) acknowledged writes lost"' <<<"$r")"
else
	fa_fail "positive control: $(jq -r '"\(.verdict): \(.reason)"' <<<"$r" 2>/dev/null)"
fi
fa_done
