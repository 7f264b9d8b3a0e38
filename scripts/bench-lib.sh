# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Description: the paired comparisons of scripts/bench*.sh, sourced by them:
# each comparison runs side A and side B back to back (a pair), the side
# that goes first alternating from pair to pair, and repeats pairs until
# the 95% confidence interval of the median of the pairs' ratios A/B lies
# within +-BENCH_TOLERANCE of that median, or BENCH_MAX_PAIRS is reached;
# never fewer than BENCH_MIN_PAIRS. The interval is the median's
# order-statistic (sign test) interval, tests/tools/bench-ci.
#
# The rule to stop looks at the interval's width only, never at where it
# lies against 1: stopping as soon as a point looked slower or faster would
# pick the pairs that say so.
#
# The caller defines bench_run SPEC, which runs one side and prints
# "IOPS CPU_US_PER_IO" (or exits on a failure), registers its comparisons
# with bench_add, calls bench_pairs, then reads each with bench_summary.
#
# Both sides of a pair get the same random seed, bench_seed (BENCH_SEED +
# the pair's number), so they write the same offsets: common random numbers,
# the pair differs only in the engine.
#
# Environment: BENCH_RUNTIME (s per run, 3), BENCH_PARTS ("peer stamp"),
# BENCH_POINTS (an extended regular expression on the comparisons' names,
# "."), BENCH_MIN_PAIRS (10), BENCH_MAX_PAIRS (40), BENCH_TOLERANCE (0.02),
# BENCH_SEED (random); the lab's: FIO (BUILD/fio/fio), BENCH_LAB_TIMEOUT (s,
# 14400).

: "${FIO:=$BUILD/fio/fio}"
: "${BENCH_RUNTIME:=3}"
: "${BENCH_PARTS:=peer stamp}"
: "${BENCH_POINTS:=.}"
: "${BENCH_LAB_TIMEOUT:=14400}"
: "${BENCH_MIN_PAIRS:=10}"
: "${BENCH_MAX_PAIRS:=40}"
: "${BENCH_TOLERANCE:=0.02}"
: "${BENCH_SEED:=$RANDOM}"
: "${BENCH_CI:=$BUILD/tests/tools/bench-ci}"

bench_ids=()
declare -A bench_side_a bench_side_b bench_against bench_open bench_samples

# bench_check_settings NAME: refuses settings the statistics cannot use.
bench_check_settings() {
	local name=$1

	[ -x "$BENCH_CI" ] || {
		echo "$name: no $BENCH_CI: run 'make' first" >&2
		exit 1
	}
	[[ $BENCH_MIN_PAIRS =~ ^[0-9]+$ && $BENCH_MAX_PAIRS =~ ^[0-9]+$ ]] || {
		echo "$name: BENCH_MIN_PAIRS=$BENCH_MIN_PAIRS and BENCH_MAX_PAIRS=$BENCH_MAX_PAIRS must be whole numbers" >&2
		exit 2
	}
	[[ $BENCH_SEED =~ ^[0-9]+$ ]] || {
		echo "$name: BENCH_SEED=$BENCH_SEED is not a whole number" >&2
		exit 2
	}
	# 6 pairs are the fewest with a 95% interval, v(1)..v(6)
	if ((BENCH_MIN_PAIRS < 6)); then
		echo "$name: BENCH_MIN_PAIRS=$BENCH_MIN_PAIRS is below 6, the fewest pairs with a 95% CI of their median" >&2
		exit 2
	fi
	if ((BENCH_MAX_PAIRS < BENCH_MIN_PAIRS)); then
		echo "$name: BENCH_MAX_PAIRS=$BENCH_MAX_PAIRS is below BENCH_MIN_PAIRS=$BENCH_MIN_PAIRS" >&2
		exit 2
	fi
	if ! awk -v t="$BENCH_TOLERANCE" 'BEGIN { exit !(t + 0 > 0 && t + 0 < 1) }'; then
		echo "$name: BENCH_TOLERANCE=$BENCH_TOLERANCE is not a fraction in (0, 1) (0.02 is 2%)" >&2
		exit 2
	fi
}

# bench_add ID SPEC_A SPEC_B AGAINST: a comparison of A against B; AGAINST
# names B in the verdict ("the peer", "unstamped").
bench_add() {
	bench_ids+=("$1")
	bench_side_a[$1]=$2
	bench_side_b[$1]=$3
	bench_against[$1]=$4
	bench_open[$1]=1
}

# bench_ci ID: bench-ci's line for the comparison's ratios so far.
bench_ci() {
	local ratios

	ratios=$(awk 'NF { print $1 / $3 }' <<<"${bench_samples[$1]}")
	"$BENCH_CI" --tolerance "$BENCH_TOLERANCE" \
		--against "${bench_against[$1]}" <<<"$ratios"
}

# bench_pairs NAME: the rounds; in each, one pair of every open comparison.
bench_pairs() {
	local name=$1 r id order s out a b open within start=$SECONDS
	local -a f

	for ((r = 1; r <= BENCH_MAX_PAIRS; r++)); do
		for id in "${bench_ids[@]}"; do
			[ "${bench_open[$id]}" = 1 ] || continue
			# Odd pairs run A first, even pairs B first: drift
			# over the pair favours neither side.
			if ((r % 2)); then order="a b"; else order="b a"; fi
			bench_seed=$((BENCH_SEED + r))
			for s in $order; do
				if [ $s = a ]; then
					out=$(bench_run "${bench_side_a[$id]}") || exit 1
					a=$out
				else
					out=$(bench_run "${bench_side_b[$id]}") || exit 1
					b=$out
				fi
			done
			# one line per pair: IOPS_A CPU_A IOPS_B CPU_B
			bench_samples[$id]+="$a $b"$'\n'
		done
		open=0
		for id in "${bench_ids[@]}"; do
			[ "${bench_open[$id]}" = 1 ] || continue
			if ((r >= BENCH_MIN_PAIRS)); then
				IFS=$'\t' read -r -a f <<<"$(bench_ci "$id")"
				within=${f[5]}
				if [ "$within" = 1 ]; then
					bench_open[$id]=0
					continue
				fi
			fi
			open=$((open + 1))
		done
		echo "$name: pair $r done, $((SECONDS - start)) s; $open of ${#bench_ids[@]} comparisons not yet within +-$(awk -v t="$BENCH_TOLERANCE" 'BEGIN { print 100 * t }')%"
		((open)) || break
	done
}

bench_median() {
	sort -g | awk '{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_summary ID: sets BS_IOPS_A, BS_IOPS_B, BS_CPU_A, BS_CPU_B (medians
# of each side's runs), BS_N, BS_RATIO (median of the pairs' ratios),
# BS_LO, BS_HI, BS_VERDICT (same, slower, faster, not-slower, unresolved,
# too-few) and BS_TEXT (the verdict in words, with the interval).
bench_summary() {
	local id=$1
	local -a f

	BS_IOPS_A=$(awk 'NF { print $1 }' <<<"${bench_samples[$id]}" | bench_median)
	BS_CPU_A=$(awk 'NF { print $2 }' <<<"${bench_samples[$id]}" | bench_median)
	BS_IOPS_B=$(awk 'NF { print $3 }' <<<"${bench_samples[$id]}" | bench_median)
	BS_CPU_B=$(awk 'NF { print $4 }' <<<"${bench_samples[$id]}" | bench_median)
	IFS=$'\t' read -r -a f <<<"$(bench_ci "$id")"
	BS_N=${f[0]} BS_RATIO=${f[1]} BS_LO=${f[2]} BS_HI=${f[3]}
	BS_VERDICT=${f[6]} BS_TEXT=${f[7]}
}

# bench_ratios ID: the pairs' ratios A/B in the order they ran.
bench_ratios() {
	awk 'NF { printf "%s%.3f", (NR > 1 ? " " : ""), $1 / $3 }
		END { print "" }' \
		<<<"${bench_samples[$1]}"
}

# bench_fio_figures JSON: "IOPS CPU_US_PER_IO" of fio's first (or grouped)
# job. fio takes the job thread's user and system time with
# getrusage(RUSAGE_THREAD) and its runtime in ms from the same start (both
# reset when ramp_time ends), and gives usr_cpu and sys_cpu as percentages
# of that runtime; under group_reporting the runtimes and the times are
# summed over the jobs. So (usr_cpu + sys_cpu) / 100 x job_runtime is the
# CPU time in ms, and per write: x 1000 / total_ios in microseconds.
bench_fio_figures() {
	jq -r '.jobs[0] | "\(.write.iops) \((.usr_cpu + .sys_cpu) / 100 *
		.job_runtime * 1000 / .write.total_ios)"' "$1"
}

# bench_lab NAME ENGINE ARG [LAB-RUN OPTION...]: a lab benchmark's start,
# scripts/NAME.sh called with ARG (its first argument): on the host, boots
# the lab VM (bench_in_lab) and runs the script there with --in-lab; in the
# VM, sets work, a scratch directory removed at exit, and goes there.
bench_lab() {
	local name=$1 engine=$2 arg=$3
	shift 3

	[ "$arg" = --in-lab ] ||
		bench_in_lab "$name" "$top/scripts/$name.sh" "$engine" "$@"
	work=$(mktemp -d "/tmp/$name.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	cd "$work"
}

# bench_in_lab NAME SCRIPT ENGINE [LAB-RUN OPTION...]: the host side of a
# lab benchmark: checks fio and ENGINE are built and the settings, then
# boots the lab VM with the options and runs SCRIPT --in-lab inside with
# the BENCH_* settings, printing the host's load average before and after
# (the VM is emulated, TCG: anything else busy on the host shows). Exits
# with SCRIPT's status.
bench_in_lab() {
	local name=$1 script=$2 engine=$3 rc=0 f
	shift 3

	for f in "$FIO" "$engine"; do
		[ -e "$f" ] || { echo "$name: no $f: run 'make' first" >&2; exit 1; }
	done
	bench_check_settings "$name"
	echo "$name: host load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$top/tests/lab/lab-run" --timeout "$BENCH_LAB_TIMEOUT" "$@" \
		--env BUILD="$BUILD" --env FIO="$FIO" \
		--env BENCH_RUNTIME="$BENCH_RUNTIME" \
		--env BENCH_MIN_PAIRS="$BENCH_MIN_PAIRS" \
		--env BENCH_MAX_PAIRS="$BENCH_MAX_PAIRS" \
		--env BENCH_TOLERANCE="$BENCH_TOLERANCE" \
		--env BENCH_PARTS="$BENCH_PARTS" \
		--env BENCH_POINTS="$BENCH_POINTS" \
		-- "$script" --in-lab || rc=$?
	echo "$name: host load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	exit $rc
}
