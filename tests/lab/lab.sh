# SPDX-License-Identifier: GPL-2.0
#
# Description: helpers for lab-tier tests (host side): boot the lab VM with
# a geometry and run a guest script from tests/lab/guest in it.
. "$(dirname "${BASH_SOURCE[0]}")/../host/lib.sh"

LAB_RUN=$FA_TOP/tests/lab/lab-run

fa_require_lab() {
	command -v qemu-system-x86_64 >/dev/null ||
		fa_skip "qemu-system-x86_64 not found: run 'make deps' (or FA_SKIP_LAB=1 to opt out of the lab tier)"
	"$LAB_RUN" --prepare >/dev/null 2>&1 ||
		fa_skip "the lab VM cannot be prepared: $("$LAB_RUN" --prepare 2>&1 | tail -n1)"
}

# fa_lab DESC [lab-run options] -- GUEST-SCRIPT [ARGS...]: run it in the VM;
# its verdict lines appear in this test's output.
fa_lab() {
	local desc=$1 rc
	shift
	echo "--- lab: $desc"
	# A boot that hangs before COMMAND starts (rare under TCG) is tried
	# once more, and so is a QEMU that crashed itself (one of TCG's own
	# assertions, seen once in some hundred boots): every boot has fresh
	# devices, so the guest script starts again from the beginning.
	for attempt in 1 2; do
		"$LAB_RUN" --timeout 900 --env FA_TOP="$FA_TOP" \
			--env BUILD="$BUILD" --env FIO="$FIO" \
			--env FA_PRELOAD="${FA_PRELOAD:-}" "$@"
		rc=$?
		case $rc in
		126)	echo "--- lab: boot hung (attempt $attempt), booting again" ;;
		123)	echo "--- lab: QEMU crashed (attempt $attempt), booting again" ;;
		*)	break ;;
		esac
	done
	case $rc in
	0)	;;
	77)	fa_fail "$desc: the guest skipped" ;;
	124)	fa_fail "$desc: the lab VM timed out" ;;
	125)	fa_fail "$desc: the lab VM failed" ;;
	126)	fa_fail "$desc: the lab VM's boot hung twice" ;;
	123)	fa_fail "$desc: QEMU crashed twice" ;;
	*)	fa_fail "$desc: exit $rc" ;;
	esac
}
