#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic report compare on seeded results: five baseline
# runs made with jq from one real fio output (group a within +-2%, group b
# noisy, +-15%), then a current run with a's IOPS 30% lower, b's 20% lower
# (inside b's noise) and group c gone; a's tear reports show 0 torn of
# 1000 each night and 3 torn tonight. compare exits 7 and names a's IOPS
# and tear rate (in the one rate format) as regressed, leaves b alone with its threshold raised to 3 x MAD (30%),
# reports c as missing, not as a regression; --json says the same; against
# a named baseline with an unchanged run it exits 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_fio
fa_require_tool
fa_require_cmd jq
fa_report_db

fa_fio_seed "$S/real.json" --output-format=json \
	--name=a --rw=randwrite --bs=4k \
	--name=b --rw=randwrite --bs=8k \
	--name=c --rw=randwrite --bs=16k
fa_json_of "$S/real.json" >"$S/base.json"
for j in a b c; do
	v=$(jq -r ".jobs[] | select(.jobname == \"$j\") | .write.iops" "$S/base.json")
	[ "$(echo "$v > 0" | bc)" = 1 ] ||
		{ fa_fail "real run: job $j has no write IOPS ($v)"; fa_done; }
done

# seed NAME FACTOR_A FACTOR_B [DROP_C]: a run whose a and b IOPS are the
# real ones times the factors.
seed() {
	local name=$1 fa=$2 fb=$3 drop=${4:-}

	jq --argjson fa "$fa" --argjson fb "$fb" --arg drop "$drop" \
		--arg name "$name" '
		.timestamp += ($name | explode | add) |
		.jobs |= map(select($drop == "" or .jobname != "c")) |
		.jobs |= map(if .jobname == "a" then .write.iops *= $fa
			     elif .jobname == "b" then .write.iops *= $fb
			     else . end)' "$S/base.json" >"$S/$name.json"
	# a's readers' tear report: 0 torn of 1000 at night, 3 torn tonight
	jq -n --argjson torn "$([ "$name" = tonight ] && echo 3 || echo 0)" \
		--arg name "$name" '{ format: "fio-atomic-tear-1",
		engine: "psync", job: "a", note: $name, torn: $torn,
		intact: (1000 - $torn), checked_reads: 1000 }' >"$S/$name.tear.json"
	"$FA_TOOL" report ingest --db "$DB" --run "$name" "$S/$name.json" \
		"$S/$name.tear.json" >/dev/null ||
		fa_fail "ingest of seeded run $name failed"
}

# a: median 1.00, MAD 0.01 -> threshold 5%; b: median 1.00, MAD 0.10 -> 30%
seed base-1 1.00 1.00
seed base-2 1.02 1.15
seed base-3 0.98 0.85
seed base-4 1.01 1.10
seed base-5 0.99 0.90
seed tonight 0.70 0.80 drop-c

out=$("$FA_TOOL" report compare --db "$DB" 2>&1)
rc=$?
echo "$out"
line_a=$(grep -E "psync randwrite 4k qd1 +iops" <<<"$out")
line_b=$(grep -E "psync randwrite 8k qd1 +iops" <<<"$out")
if [ $rc = 7 ] && grep -q "REGRESSED" <<<"$line_a" &&
   grep -q -- "-30.0%" <<<"$line_a"; then
	fa_pass "exit 7, a regressed: $(tr -s ' ' <<<"$line_a")"
else
	fa_fail "a: exit $rc (want 7), line '$line_a'"
fi
if grep -qE -- "-20.0% +30.0% +ok" <<<"$line_b"; then
	fa_pass "b within its noise: $(tr -s ' ' <<<"$line_b")"
else
	fa_fail "b: want -20.0%, threshold 30.0%, ok: '$line_b'"
fi
line_t=$(grep -E "psync randwrite 4k qd1 +tear_rate" <<<"$out")
# the one rate format: 0 of 5,000 tonight's 3 of 1,000
grep -qE "baseline 0 of 5,000 \(95% upper bound 0\.060%\); now 0\.30% \(3 of 1,000; 95% upper bound 0\.78%\) +REGRESSED" <<<"$line_t" &&
	fa_pass "a's tear rate regressed: $(tr -s ' ' <<<"$line_t")" ||
	fa_fail "a's tear rate: '$line_t' (want 0 of 5,000 (95% upper bound 0.060%), now 0.30% (3 of 1,000; 95% upper bound 0.78%), REGRESSED)"
[ "$(grep -c REGRESSED <<<"$out")" = 2 ] &&
	fa_pass "two regressions in all, both a's (the p99 lines unchanged)" ||
	fa_fail "$(grep -c REGRESSED <<<"$out") REGRESSED lines, want 2"
grep -qE "psync randwrite 16k qd1 +missing from this run \(not a regression\)" <<<"$out" &&
	fa_pass "c reported missing, not regressed" ||
	fa_fail "c not reported as missing"

json=$("$FA_TOOL" report compare --db "$DB" --run tonight --last 5 --json)
rc=$?
reg=$(jq -r '[.groups[] | select(.metrics // [] | any(.verdict == "REGRESSED")) | .bs] | join(",")' <<<"$json")
thr_b=$(jq -r '.groups[] | select(.bs == 8192) | .metrics[] | select(.metric == "iops") | .threshold_pct | round' <<<"$json")
if [ $rc = 7 ] && [ "$reg" = 4096 ] && [ "$thr_b" = 30 ] &&
   [ "$(jq -r .missing <<<"$json")" = 1 ] &&
   [ "$(jq -r '.baseline | length' <<<"$json")" = 5 ]; then
	fa_pass "--json: exit 7, regressed bs $reg, b's threshold ${thr_b}%, 1 missing, 5 baseline runs"
else
	fa_fail "--json: exit $rc, regressed '$reg', b threshold '$thr_b'"
fi

# a fixed 40% floor hides a's 30% drop, not its torn units
out=$("$FA_TOOL" report compare --db "$DB" --threshold 40)
rc=$?
[ $rc = 7 ] && [ "$(grep -c REGRESSED <<<"$out")" = 1 ] &&
	grep -qE "4k qd1 +tear_rate .*REGRESSED" <<<"$out" &&
	fa_pass "--threshold 40: a's 30% drop inside it, only the tear rate regressed" ||
	fa_fail "--threshold 40: exit $rc: $out"

seed again 1.00 1.00
out=$("$FA_TOOL" report compare --db "$DB" --baseline base-1 2>&1)
rc=$?
[ $rc = 0 ] && grep -q "against run base-1" <<<"$out" &&
	fa_pass "against --baseline base-1, an unchanged run: exit 0" ||
	{ fa_fail "--baseline base-1: exit $rc"; echo "$out"; }

out=$("$FA_TOOL" report compare --db "$DB" --baseline nosuch 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "results.db: no baseline or run 'nosuch'" <<<"$out" &&
	fa_pass "unknown baseline: exit 1, named" ||
	fa_fail "unknown baseline: exit $rc: $out"
"$FA_TOOL" report compare --db "$DB" --baseline base-1 --last 2 >/dev/null 2>&1
[ $? = 2 ] && fa_pass "--baseline with --last: usage error" ||
	fa_fail "--baseline with --last accepted"

fa_done
