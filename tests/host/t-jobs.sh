#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every job file in jobs/ for a file target runs unchanged on
# two XFS targets with different limits (8 GiB sparse: unit_max 2 MiB;
# 1 GiB: 1 MiB), its variables from `fio-atomic limits --env` and short
# FIO_ATOMIC_SIZE/FIO_ATOMIC_RUNTIME overrides: the workloads succeed within
# the overrides, and each conformance case breaks exactly its rule (one
# rule with writes sent, the expected one, every write rejected, none
# accepted). The sg and NVMe job files need the lab's devices: they run in
# tests/lab/t-sg.sh and t-nvme.sh. Also: --env quotes an awkward path so
# eval gives it back, and prints nothing, exit 3, on a raw loop device.
#
# Each conformance case runs alone (--section) so that it can have its own
# atomic_report=DIR/CASE.json (a command-line engine option needs
# --ioengine before it, and applies to every job of the run).
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_require_tool
fa_require_cmd jq

export FIO_ATOMIC_SIZE=32m FIO_ATOMIC_RUNTIME=2
size_bytes=$((32 << 20))
declare -A want_rule=(
	[not-power-of-two]=pow2 [below-unit-min]=unit_min
	[above-unit-max]=unit_max [misaligned]=align
)
# conformance_counts CASE: "RULE SENT REJECTED ACCEPTED" per rule the
# case sent writes for, from its job report.
conformance_counts() {
	jq -r 'if .format == "fio-atomic-job-report" and .version == 2
		then .conformance.rules[] | select(.sent > 0) |
			"\(.rule) \(.sent) \(.rejected) \(.accepted)"
		else "unknown-schema \(.format) \(.version)" end' \
		"$FA_SCRATCH/$1.json"
}

# run_conformance JOB TAG: each section alone; exactly its rule broken.
run_conformance() {
	local job=$1 tag=$2 case out rc counts rule sent rej acc

	for case in $(sed -n 's/^\[\(.*\)\]$/\1/p' "$job" | grep -vx global); do
		out=$(fa_fio --ioengine="$(fa_engine atomic-pvsync2)" \
			--atomic_report="$FA_SCRATCH/$case.json" \
			--section="$case" "$job" 2>&1)
		rc=$?
		counts=$(conformance_counts "$case" 2>&1)
		read -r rule sent rej acc <<<"$counts"
		if [ $rc -ne 0 ] || [ "$(grep -c . <<<"$counts")" != 1 ]; then
			fa_fail "$tag $case: fio exit $rc, rules with writes sent: ${counts:-none} (want only ${want_rule[$case]})"
			grep -E "rule|fio:" <<<"$out" | head -n 5
		elif [ "$rule" != "${want_rule[$case]}" ] || [ "$sent" -eq 0 ] ||
		     [ "$rej" != "$sent" ] || [ "$acc" != 0 ]; then
			fa_fail "$tag $case: rule $rule: $sent sent, $rej rejected, $acc accepted (want ${want_rule[$case]}, all rejected)"
		elif [[ " $FIO_ATOMIC_MIXED_CASES " == *" $case "* ]]; then
			fa_fail "$tag $case: limits --env says it cannot break $rule alone here"
		else
			fa_pass "$tag $case: rule $rule: $sent sent, $rej rejected, $acc accepted"
		fi
	done
}

# run_workload JOB TAG: fio succeeds within the size and runtime overrides.
run_workload() {
	local job=$1 tag=$2 name out rc longest

	name=$(basename "$job" .fio)
	out=$(fa_fio "$job" 2>&1)
	rc=$?
	longest=$(grep -oE 'run=[0-9]+-[0-9]+msec' <<<"$out" |
		  sed -E 's/.*-([0-9]+)msec/\1/' | sort -n | tail -n 1)
	if [ $rc -ne 0 ] || ! grep -q "err= 0" <<<"$out" ||
	   grep -q "err=[ ]*[1-9]" <<<"$out"; then
		fa_fail "$tag $name: fio exit $rc"
		grep -E "fio:|err=" <<<"$out" | head -n 5
	elif [ "$(stat -c %s "$FIO_ATOMIC_TARGET")" != $size_bytes ]; then
		fa_fail "$tag $name: target is $(stat -c %s "$FIO_ATOMIC_TARGET") bytes, not FIO_ATOMIC_SIZE=$FIO_ATOMIC_SIZE"
	elif [ "${longest:-0}" -gt $(((FIO_ATOMIC_RUNTIME + 1) * 1000)) ]; then
		fa_fail "$tag $name: ran ${longest} ms, beyond FIO_ATOMIC_RUNTIME=$FIO_ATOMIC_RUNTIME s"
	else
		fa_pass "$tag $name: $(grep -oE "(write|read): IOPS=[^,]*" <<<"$out" | tr '\n' ' ')"
	fi
}

for mb in 8192 1024; do
	tag=xfs-$((mb >> 10))g
	fa_make_xfs "$mb" "$tag"
	for job in "$FA_TOP"/jobs/*.fio; do
		name=$(basename "$job" .fio)
		if grep -qE '^filename=\$\{FIO_ATOMIC_(SG|NG)\}' "$job"; then
			[ "$mb" = 8192 ] &&
				echo "skip $name: needs the lab's sg or NVMe generic node (tests/lab/t-sg.sh, t-nvme.sh)"
			continue
		fi
		touch "$FA_MNT/$name"
		env=$("$FA_TOOL" limits --env "$FA_MNT/$name") ||
			{ fa_fail "$tag $name: limits --env exit $?"; continue; }
		eval "$env"
		case $name in
		*conformance*) run_conformance "$job" "$tag" ;;
		*) run_workload "$job" "$tag" ;;
		esac
	done
	echo "$tag: unit_min $FIO_ATOMIC_UNIT_MIN, unit_max $FIO_ATOMIC_UNIT_MAX, above-unit-max bs $FIO_ATOMIC_ABOVE_MAX"
	[ "$FIO_ATOMIC_ABOVE_MAX" = $((2 * FIO_ATOMIC_UNIT_MAX)) ] ||
		fa_fail "$tag: FIO_ATOMIC_ABOVE_MAX=$FIO_ATOMIC_ABOVE_MAX, want twice unit_max"
done

# A path the shell would mangle comes back whole through eval.
odd="$FA_MNT/it's \$HOME \"q\" \`x\` *"
touch "$odd"
env=$("$FA_TOOL" limits --env "$odd") && eval "$env"
if [ "$FIO_ATOMIC_TARGET" = "$odd" ]; then
	fa_pass "limits --env: an awkward path survives eval"
else
	fa_fail "limits --env: FIO_ATOMIC_TARGET is '$FIO_ATOMIC_TARGET', want '$odd'"
fi

# No atomic writes: nothing to eval, the "not supported" status.
env=$("$FA_TOOL" limits --env "$FA_LOOP" 2>/dev/null)
rc=$?
if [ $rc = 3 ] && [ -z "$env" ]; then
	fa_pass "limits --env on a raw loop device: exit 3, nothing printed"
else
	fa_fail "limits --env on a raw loop device: exit $rc, printed '$env' (want 3, nothing)"
fi

fa_done
