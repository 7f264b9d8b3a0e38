#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the host side of qualify --lab, against stand-in labs: the
# tool binary runs from a tree of its own whose tests/lab/lab-run and
# power-cut are stand-ins. When the lab itself fails, that is the tool's
# failure, never a verdict on the lab's devices: QEMU crashing on every
# boot (lab-run exit 123: one boot again, then "could not measure", exit
# 1, no verdict, no JSON); device reports but a harness that fails (exit
# 125, no report: the same); and, as the control that the stand-ins reach
# a verdict at all, a device report that is NOT QUALIFIED with a harness
# that passes (exit 8, NOT QUALIFIED). --kernels 6.12,7: the lab runs once
# per kernel ($LAB_KERNEL), and the side-by-side report (text and JSON)
# shows each kernel's release, limits, guarantees, atomic cost and
# verdict; a kernel the lab cannot boot leaves its column empty and the
# command exits 1.
. "$(dirname "$0")/lib.sh"

fa_require_fio
fa_require_tool
fa_require_cmd jq
fa_scratch_dir
T=$FA_SCRATCH/tree
# a tree as fa_paths.c recognises one: plots/ and a Makefile above the build
mkdir -p "$T/plots" "$T/tests/lab" "$T/build/fio" "$T/build/tests"
: >"$T/Makefile"
cp "$FA_TOOL" "$T/build/fio-atomic"
ln -s "$BUILD/engines" "$T/build/engines"
ln -s "$FIO" "$T/build/fio/fio"
ln -s "$BUILD/tests/tools" "$T/build/tests/tools"

# lab-run: counts its boots; STUB_LAB says what the "guest" does
cat >"$T/tests/lab/lab-run" <<'EOF'
#!/bin/bash
echo boot >>"$STUB_DIR/boots"
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	[ "$1" = --results ] && results=$2
	shift
done
# report KIND VERDICT: a device report as the guest writes one; what the
# kernel changes: the NVMe unit_max and write_isolation, the cost
report() {
	local max=65536 wiso=provided cost=0.80 rel=6.12.118+deb12-amd64
	[ "$1" = scsi ] && max=131072
	case ${LAB_KERNEL:-} in
	7*) rel=7.3.4+deb13-amd64 cost=0.70
	    [ "$1" = nvme ] && max=4096 ;;
	esac
	cat >"$results/qualify-$1.json" <<EOR
{"fio_atomic_qualify": {"target": "/dev/lab-$1", "kind": "$1", "verdict": "$2",
 "failing_steps": [$([ "$2" = QUALIFIED ] || echo '"writes"')],
 "kernel": {"release": "$rel"},
 "context": {"limits": {"unit_min": 4096, "unit_max": $max}},
 "guarantees": {"power_fail": {"status": "not_tested"},
  "read_isolation": {"status": "provided"},
  "write_isolation": {"status": "$wiso"}},
 "results": [{"engine": "atomic-uring", "mode": "io_uring", "bs": 16384,
  "iops": 800, "plain_iops": 1000, "atomic_cost": $cost}]}}
EOR
}
case $STUB_LAB in
crash)	echo "qemu-system-x86_64: tcg.c:1234: Assertion failed" >&2; exit 123 ;;
good)	report scsi QUALIFIED; report nvme QUALIFIED ;;
bad)	report scsi "NOT QUALIFIED"; report nvme QUALIFIED ;;
kernels)
	case $LAB_KERNEL in
	6.12|7) report scsi QUALIFIED; report nvme QUALIFIED ;;
	*) echo "lab-run: no kernel $LAB_KERNEL is served" >&2; exit 125 ;;
	esac ;;
esac
exit 0
EOF
# power-cut: STUB_PC=fail exits 125 with no report, else one engine passes
cat >"$T/tests/lab/power-cut" <<'EOF'
#!/bin/bash
echo run >>"$STUB_DIR/power-cuts"
while [ $# -gt 0 ]; do
	[ "$1" = --json ] && json=$2
	shift
done
[ "$STUB_PC" = fail ] && { echo "power-cut: lab failure: QEMU crashed twice" >&2; exit 125; }
echo '{"engines": [{"engine": "atomic-nvme", "mode": "ioctl", "verdict": "PASS", "runs": "1", "torn": 0, "intact": 8, "reason": ""}]}' >"$json"
EOF
chmod +x "$T/tests/lab/lab-run" "$T/tests/lab/power-cut"

# case NAME STUB_LAB STUB_PC [OPTION...]: runs qualify --lab; sets rc,
# out, boots, cuts
case_run() {
	local name=$1 lab=$2 pc=$3
	shift 3
	mkdir -p "$FA_SCRATCH/$name"
	out=$(cd "$FA_SCRATCH" && STUB_DIR=$FA_SCRATCH/$name STUB_LAB=$lab \
		STUB_PC=$pc TMPDIR=$FA_SCRATCH \
		"$T/build/fio-atomic" qualify --lab --runs 1 \
		--json "$FA_SCRATCH/$name/q.json" "$@" 2>&1)
	rc=$?
	boots=$(cat "$FA_SCRATCH/$name/boots" 2>/dev/null | wc -l)
	cuts=$(cat "$FA_SCRATCH/$name/power-cuts" 2>/dev/null | wc -l)
}

# no_verdict NAME WHY: exit 1, the reason, no verdict line and no JSON
no_verdict() {
	local name=$1 why=$2
	if [ $rc = 1 ] && grep -q "^qualify: could not measure: .*$why" <<<"$out" &&
	   ! grep -q '^verdict:' <<<"$out" && ! grep -q 'NOT QUALIFIED' <<<"$out" &&
	   [ ! -e "$FA_SCRATCH/$name/q.json" ]; then
		fa_pass "$name: exit 1, could not measure ($why), no verdict, no JSON"
	else
		fa_fail "$name: expected exit 1 and 'could not measure: ...$why' with no verdict and no JSON; got exit $rc: $(tail -n 4 <<<"$out")"
	fi
}

case_run crash crash pass
no_verdict crash "lab-run exit 123"
[ "$boots" = 2 ] && [ "$cuts" = 0 ] &&
	grep -q "lab-run exit 123 (QEMU crashed), booting again" <<<"$out" &&
	fa_pass "crash: booted twice, said so, the harness never started" ||
	fa_fail "crash: expected 2 boots and 0 harness runs, got $boots and $cuts"

case_run harness good fail
no_verdict harness "the power-cut harness exited 125 and wrote no report"
[ "$boots" = 1 ] && [ "$cuts" = 1 ] ||
	fa_fail "harness: expected 1 boot and 1 harness run, got $boots and $cuts"

case_run control bad pass
verdict=$(jq -r .fio_atomic_qualify.verdict "$FA_SCRATCH/control/q.json" 2>/dev/null)
if [ $rc = 8 ] && grep -q '^verdict: NOT QUALIFIED: lab' <<<"$out" &&
   [ "$verdict" = "NOT QUALIFIED" ]; then
	fa_pass "control: a device report NOT QUALIFIED is the lab's verdict (exit 8, JSON says so)"
else
	fa_fail "control: expected exit 8 and NOT QUALIFIED, got exit $rc, JSON verdict '$verdict': $(tail -n 4 <<<"$out")"
fi

# --kernels: once per kernel, side by side
case_run kernels kernels pass --kernels 6.12,7
sed -n '/^kernels side by side/,$p' <<<"$out"
j=$FA_SCRATCH/kernels/q.json
k=.fio_atomic_qualify_kernels
row() { # DEVICE WHAT: the row's values per kernel, space-separated
	jq -r --arg d "$1" --arg w "$2" "$k.rows[] | select(.device == \$d and
		.what == \$w) | .per_kernel | map(. // \"-\") | join(\" \")" "$j"
}
if [ $rc = 0 ] && [ "$boots" = 2 ] && [ "$cuts" = 2 ] &&
   [ "$(jq -r "$k.version" "$j")" = 1 ] &&
   [ "$(jq -r "[$k.kernels[].requested] | join(\",\")" "$j")" = 6.12,7 ] &&
   [ "$(row lab kernel)" = "6.12.118+deb12-amd64 7.3.4+deb13-amd64" ] &&
   [ "$(row nvme "atomic write sizes (bytes)")" = "4096..65536 4096..4096" ] &&
   [ "$(row scsi "atomic write sizes (bytes)")" = "4096..131072 4096..131072" ] &&
   [ "$(row nvme write_isolation)" = "provided provided" ] &&
   [ "$(row nvme "atomic/plain IOPS atomic-uring io_uring 16384")" = "0.80 0.70" ] &&
   [ "$(row lab verdict)" = "QUALIFIED QUALIFIED" ] &&
   grep -q "^nvme atomic write sizes (bytes) *4096..65536 *4096..4096" <<<"$out"; then
	fa_pass "--kernels 6.12,7: two labs, side by side in text and JSON (NVMe 4096..65536 against 4096..4096)"
else
	fa_fail "--kernels 6.12,7: exit $rc, $boots boots, $cuts harness runs; rows: $(jq -c "$k.rows" "$j" 2>&1 | cut -c1-400); $(tail -n 12 <<<"$out")"
fi

case_run kernels-missing kernels pass --kernels 6.12,9.9
j=$FA_SCRATCH/kernels-missing/q.json
if [ $rc = 1 ] && [ "$(row lab verdict)" = "QUALIFIED could not measure" ] &&
   [ "$(row nvme "atomic write sizes (bytes)")" = "4096..65536 -" ] &&
   grep -q "could not measure every kernel" <<<"$out"; then
	fa_pass "--kernels 6.12,9.9: the kernel the lab cannot boot has an empty column, exit 1"
else
	fa_fail "--kernels 6.12,9.9: exit $rc; rows: $(jq -c "$k.rows" "$j" 2>&1 | cut -c1-300)"
fi

fa_done
