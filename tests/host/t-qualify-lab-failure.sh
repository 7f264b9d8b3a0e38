#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: qualify --lab when the lab itself fails: a failure of QEMU
# or of the power-cut harness is the tool's, never a verdict on the lab's
# devices. The tool binary runs from a tree of its own whose
# tests/lab/lab-run and power-cut are stand-ins: QEMU crashing on every
# boot (lab-run exit 123: one boot again, then "could not measure", exit
# 1, no verdict, no JSON); device reports but a harness that fails (exit
# 125, no report: the same); and, as the control that the stand-ins reach
# a verdict at all, a device report that is NOT QUALIFIED with a harness
# that passes (exit 8, NOT QUALIFIED).
. "$(dirname "$0")/lib.sh"

fa_require_fio
[ -x "$FA_TOOL" ] || fa_skip "no $FA_TOOL: run 'make' first"
command -v jq >/dev/null || fa_skip "jq not found: run 'make deps'"
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
report() { # KIND VERDICT
	printf '{"fio_atomic_qualify": {"target": "/dev/lab-%s", "verdict": "%s", "failing_steps": [%s], "results": []}}\n' \
		"$1" "$2" "$([ "$2" = QUALIFIED ] || echo '"writes"')" \
		>"$results/qualify-$1.json"
}
case $STUB_LAB in
crash)	echo "qemu-system-x86_64: tcg.c:1234: Assertion failed" >&2; exit 123 ;;
good)	report scsi QUALIFIED; report nvme QUALIFIED ;;
bad)	report scsi "NOT QUALIFIED"; report nvme QUALIFIED ;;
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

# case NAME STUB_LAB STUB_PC: runs qualify --lab; sets rc, out, boots, cuts
case_run() {
	local name=$1
	mkdir -p "$FA_SCRATCH/$name"
	out=$(cd "$FA_SCRATCH" && STUB_DIR=$FA_SCRATCH/$name STUB_LAB=$2 \
		STUB_PC=$3 TMPDIR=$FA_SCRATCH \
		"$T/build/fio-atomic" qualify --lab --runs 1 \
		--json "$FA_SCRATCH/$name/q.json" 2>&1)
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

fa_done
