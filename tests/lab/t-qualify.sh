#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long
# Description: fio-atomic qualify --lab from the host: the lab's scsi_debug
# disk and QEMU NVMe namespace are each QUALIFIED (exit 0, JSON verdict;
# every step PASS, or SKIP with its reason; read_isolation provided on
# both), the power-cut harness run and power_fail provided. A scsi_debug disk without atomic writes is NOT
# QUALIFIED (exit 8), its limits step saying why.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
command -v jq >/dev/null || fa_skip "jq not found: run 'make deps'"
[ -x "$FA_TOOL" ] || fa_skip "no $FA_TOOL: run 'make' first"
fa_scratch_dir

json=$FA_SCRATCH/lab.json
echo "--- lab: fio-atomic qualify --lab --quick --max-size 16k"
out=$("$FA_TOOL" qualify --lab --quick --max-size 16k --runs 1 \
	--fio "$FIO" --json "$json" --html "$FA_SCRATCH/html" 2>&1)
rc=$?
echo "$out" | grep -E "^(step|[a-z-]+: (PASS|FAIL|SKIP)|verdict|  lab-)"
q='.fio_atomic_qualify'
verdict=$(jq -r "$q.verdict" "$json" 2>/dev/null)
if [ $rc = 0 ] && [ "$verdict" = QUALIFIED ]; then
	fa_pass "qualify --lab: QUALIFIED, exit 0"
else
	fa_fail "qualify --lab: exit $rc, verdict '$verdict'"
	echo "$out" | tail -n 20
fi
for kind in scsi nvme; do
	d="$q.devices[] | select(.kind == \"$kind\")"
	v=$(jq -r "$d | .verdict" "$json" 2>/dev/null)
	steps=$(jq -r "[$d | .steps[] | \"\(.name)=\(.result)\"] | join(\" \")" "$json" 2>/dev/null)
	bad=$(jq -r "[$d | .steps[] | select(.result == \"FAIL\" or (.result == \"SKIP\" and (.reason // \"\") == \"\")) | .name] | join(\",\")" "$json" 2>/dev/null)
	rows=$(jq -r "[$d | .results[]] | length" "$json" 2>/dev/null)
	engines=$(jq -r "[$d | .results[] | \"\(.engine)/\(.mode)\"] | unique | join(\" \")" "$json" 2>/dev/null)
	if [ "$v" = QUALIFIED ] && [ -z "$bad" ] && [ "${rows:-0}" -gt 0 ]; then
		fa_pass "$kind: QUALIFIED: $steps; $rows points through $engines"
	else
		fa_fail "$kind: verdict '$v', steps '$steps', bad '$bad', $rows rows"
	fi
done
conf=$(jq -r "$q.devices[] | select(.kind == \"scsi\") | .steps[] | select(.name == \"conformance\") | .details.cases[] | select(.engine == \"atomic-sg\") | .rule" "$json" 2>/dev/null | xargs)
[ -n "$conf" ] && fa_pass "scsi: device rules rejected with ILLEGAL REQUEST: $conf" ||
	fa_fail "scsi: no atomic-sg conformance case"
pc=$(jq -r "$q.steps[] | select(.name == \"power-cut\") | \"\(.result): \(.reason // \"\")\"" "$json" 2>/dev/null)
pf=$(jq -r "$q.guarantees.power_fail | \"\(.status) \(.trials) \(.failures)\"" "$json" 2>/dev/null)
if [[ "$pc" == PASS* ]] && [[ "$pf" == "provided "[1-9]*" 0" ]]; then
	fa_pass "power-cut: $pc; power_fail $pf (status, units judged, torn or lost)"
else
	fa_fail "power-cut step: '$pc', power_fail '$pf'"
fi
for kind in scsi nvme; do
	ri=$(jq -r "$q.devices[] | select(.kind == \"$kind\") | .guarantees.read_isolation | \"\(.status) \(.trials) \(.failures)\"" "$json" 2>/dev/null)
	if [[ "$ri" == "provided "[1-9]*" 0" ]]; then
		fa_pass "$kind: read_isolation $ri (status, units read, torn)"
	else
		fa_fail "$kind: read_isolation '$ri'"
	fi
done
[ -s "$FA_SCRATCH/html/index.html" ] && fa_pass "HTML report for both devices" ||
	fa_fail "no HTML report"

# A disk that claims no atomic writes.
res=$FA_SCRATCH/noatomic
mkdir -p "$res"
echo "--- lab: qualify a scsi_debug disk with atomic_wr=0"
out=$("$LAB_RUN" --timeout 900 --results "$res" --sd-atomic-wr 0 --nvme off \
	-- sh -c '"$0" qualify "$LAB_SCSI_DISK" --quick --fio "$1" --json "$LAB_RESULTS/na.json"; echo "qualify exit $?"' \
	"$FA_TOOL" "$FIO" 2>&1)
rc=$(grep -o "qualify exit [0-9]*" <<<"$out" | grep -o "[0-9]*$")
reason=$(jq -r "$q.steps[] | select(.name == \"limits\") | .reason" "$res/na.json" 2>/dev/null)
v=$(jq -r "$q.verdict" "$res/na.json" 2>/dev/null)
if [ "$rc" = 8 ] && [ "$v" = "NOT QUALIFIED" ] &&
   [[ "$reason" == "no atomic writes: "* ]]; then
	fa_pass "atomic_wr=0: NOT QUALIFIED, exit 8, limits: $reason"
else
	fa_fail "atomic_wr=0: exit '$rc', verdict '$v', limits reason '$reason'"
	echo "$out" | tail -n 10
fi
fa_done
