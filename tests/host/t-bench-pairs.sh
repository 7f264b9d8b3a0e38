#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the benchmark's paired comparisons (scripts/bench-lib.sh)
# with a scripted bench_run instead of fio: odd pairs run side A first,
# even pairs side B; a quiet comparison stops after BENCH_MIN_PAIRS with
# "indistinguishable", a quiet one 10% down after as many with "slower by
# 10.0%", a noisy one runs to BENCH_MAX_PAIRS and "cannot tell 2%"; CPU
# microseconds per write from a fio JSON; settings the statistics cannot
# use are refused. No fio, no device, no timing.
. "$(dirname "$0")/lib.sh"

fa_require_test_tools bench-ci
fa_require_cmd jq
fa_scratch_dir
log=$FA_SCRATCH/runs

BENCH_MIN_PAIRS=10 BENCH_MAX_PAIRS=14 BENCH_TOLERANCE=0.02
. "$FA_TOP/scripts/bench-lib.sh"

# bench_run "NAME SIDE": logs the run, prints IOPS and CPU. A's IOPS per
# pair: quiet 1000 x (1 +- 0.4%), slow 900 x (1 +- 0.4%), noisy 800 and
# 1250 in turn; B's always 1000.
bench_run() {
	local name side pair iops

	read -r name side <<<"$1"
	echo "$name $side" >>"$log"
	pair=$(( ($(grep -c "^$name " "$log") + 1) / 2 ))
	if [ "$side" = b ]; then
		echo "1000 5"
		return
	fi
	case $name in
	quiet) iops=$((pair % 2 ? 1004 : 996)) ;;
	slow) iops=$((pair % 2 ? 904 : 896)) ;;
	noisy) iops=$((pair % 2 ? 800 : 1250)) ;;
	esac
	echo "$iops 7"
}

: >"$log"
for c in quiet slow noisy; do
	bench_add "$c" "$c a" "$c b" "the peer"
done
bench_pairs t-bench-pairs >"$FA_SCRATCH/progress"

# every pair of one comparison sits together in the log: A B, then B A
order=$(awk '$1 == "quiet" { printf "%s", $2 }' "$log")
if [ "${order:0:8}" = abbaabba ]; then
	fa_pass "pairs alternate which side runs first ($order)"
else
	fa_fail "run order of one comparison is $order, expected abba..."
fi

expect() { # NAME PAIRS VERDICT TEXT
	bench_summary "$1"
	if [ "$BS_N" = "$2" ] && [ "$BS_VERDICT" = "$3" ] &&
	   [[ "$BS_TEXT" == "$4"* ]]; then
		fa_pass "$1: $BS_N pairs, $BS_TEXT"
	else
		fa_fail "$1: $BS_N pairs, $BS_VERDICT, '$BS_TEXT'; expected $2 pairs, $3, '$4...'"
	fi
}
expect quiet 10 same "indistinguishable from the peer (CI 0.996..1.004)"
expect slow 10 slower "slower by 10.0% (CI 0.896..0.904)"
expect noisy 14 unresolved "cannot tell 2%: CI 0.800..1.250"
if [ "$BS_IOPS_A" = 1025 ] && [ "$BS_IOPS_B" = 1000 ] &&
   [ "$BS_CPU_A" = 7 ] && [ "$BS_CPU_B" = 5 ]; then
	fa_pass "each side's medians: IOPS $BS_IOPS_A and $BS_IOPS_B, CPU $BS_CPU_A and $BS_CPU_B"
else
	fa_fail "medians IOPS $BS_IOPS_A $BS_IOPS_B CPU $BS_CPU_A $BS_CPU_B; expected 1025 1000 7 5"
fi
n=$(grep -c . "$log")
# 2 x 10 + 2 x 10 + 2 x 14 runs
[ "$n" = 68 ] && fa_pass "68 runs: no pair after a comparison closed" ||
	fa_fail "$n runs, expected 68"

# 10% user + 15% system of 2000 ms = 500 ms over 10000 writes: 50 us each
cat >"$FA_SCRATCH/fio.json" <<'EOF'
{ "jobs": [ { "usr_cpu": 10.0, "sys_cpu": 15.0, "job_runtime": 2000,
  "write": { "iops": 5000.0, "total_ios": 10000 } } ] }
EOF
got=$(bench_fio_figures "$FA_SCRATCH/fio.json")
[ "$got" = "5000 50" ] && fa_pass "IOPS and CPU us per write from fio's JSON: $got" ||
	fa_fail "bench_fio_figures gave '$got', expected '5000 50'"

for bad in "BENCH_MIN_PAIRS=5" "BENCH_MAX_PAIRS=8" "BENCH_TOLERANCE=2" \
	   "BENCH_MAX_PAIRS=x"; do
	msg=$(env BUILD="$BUILD" "$bad" bash -c '. "$1"; bench_check_settings t' _ \
		"$FA_TOP/scripts/bench-lib.sh" 2>&1)
	rc=$?
	if [ $rc = 2 ] && [[ "$msg" == *"${bad#*=}"* ]]; then
		fa_pass "$bad refused: $msg"
	else
		fa_fail "$bad: exit $rc, '$msg' (expected exit 2 naming the value)"
	fi
done
fa_done
