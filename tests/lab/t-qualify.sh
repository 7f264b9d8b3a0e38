#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long matrix
# Description: fio-atomic qualify --lab --kernels 6.12,7 from the host: on
# each kernel the lab's scsi_debug disk and QEMU NVMe namespace are
# QUALIFIED (exit 0, JSON verdict; every step PASS, or SKIP with its
# reason; read_isolation provided on both), the power-cut harness run and
# power_fail provided; the side-by-side report shows each kernel's release
# and what 7.x changed: the NVMe's atomic writes are one 4096-byte block
# there (7.x ignores the controller's AWUPF: 4096..65536 on 6.12), the
# block-device engines N/A in the power cut (its 64k units are above
# that), atomic-nvme still judged. A scsi_debug disk without atomic
# writes is NOT QUALIFIED (exit 8), its limits step saying why.
. "$(dirname "$0")/lab.sh"

fa_require_fio
fa_require_lab
fa_require_cmd jq
fa_require_tool
fa_scratch_dir

fa_require_new_kernel
mkdir -p "$FA_SCRATCH/html"
kjson=$FA_SCRATCH/kernels.json
echo "--- lab: fio-atomic qualify --lab --kernels 6.12,$kernel --quick --max-size 16k"
out=$("$FA_TOOL" qualify --lab --kernels "6.12,$kernel" --quick --max-size 16k \
	--runs 1 --fio "$FIO" --json "$kjson" --html "$FA_SCRATCH/html" 2>&1)
rc=$?
echo "$out" | grep -E "^(=== kernel|step|[a-z-]+: (PASS|FAIL|SKIP)|verdict|  lab-)"
sed -n '/^kernels side by side/,$p' <<<"$out"
k=.fio_atomic_qualify_kernels
if [ $rc = 0 ] && [ "$(jq -r "[$k.kernels[].report.verdict] | join(\",\")" "$kjson")" = "QUALIFIED,QUALIFIED" ]; then
	fa_pass "qualify --lab --kernels 6.12,$kernel: QUALIFIED on both, exit 0"
else
	fa_fail "qualify --lab --kernels 6.12,$kernel: exit $rc"
	echo "$out" | tail -n 20
fi
row() { # DEVICE WHAT: the row's values per kernel, space-separated
	jq -r --arg d "$1" --arg w "$2" "$k.rows[] | select(.device == \$d and
		.what == \$w) | .per_kernel | map(. // \"-\") | join(\" \")" "$kjson"
}
rel=$(row lab kernel)
nv=$(row nvme "atomic write sizes (bytes)")
if [[ "$rel" == 6.12.*" $kernel".* ]] && [ "$nv" = "4096..65536 4096..4096" ]; then
	fa_pass "side by side: kernels $rel; NVMe atomic writes $nv"
else
	fa_fail "side by side: kernels '$rel', NVMe atomic writes '$nv' (want 4096..65536 then 4096..4096)"
fi
pc7=$(jq -r "$k.kernels[1].report.power_cut.engines | map(\"\(.engine)\(if .mode != \"\" then \":\" + .mode else \"\" end)=\(.verdict)\") | join(\" \")" "$kjson" 2>/dev/null)
if [ "$pc7" = "atomic-pvsync2=N/A atomic-uring=N/A atomic-nvme:ioctl=PASS atomic-nvme:uring_cmd=PASS atomic-sg=N/A" ]; then
	fa_pass "power cut on $kernel: $pc7 (the block-device engines cannot write 64k atomically there)"
else
	fa_fail "power cut on $kernel: '$pc7'"
fi
[ -s "$FA_SCRATCH/html/6.12/index.html" ] && [ -s "$FA_SCRATCH/html/$kernel/index.html" ] &&
	fa_pass "an HTML report per kernel" || fa_fail "no HTML report per kernel in $FA_SCRATCH/html"

# The 6.12 lab's report, as qualify --lab alone writes it
json=$FA_SCRATCH/lab.json
jq "{fio_atomic_qualify: $k.kernels[0].report}" "$kjson" >"$json"
q='.fio_atomic_qualify'
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
