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

# fa_require_new_kernel [LAB-RUN OPTION...]: the 7.x lab kernel of the
# matrix tests (FA_LAB_NEW_KERNEL, default the newest 7.x cached or
# served) in $kernel, its cache prepared with the options (--modules), or
# the test skips saying why
fa_require_new_kernel() {
	kernel=${FA_LAB_NEW_KERNEL:-7}
	"$LAB_RUN" --kernel "$kernel" "$@" --prepare >/dev/null 2>&1 ||
		fa_skip "no $kernel lab kernel${*:+ with $*}: $("$LAB_RUN" --kernel "$kernel" "$@" --prepare 2>&1 | tail -n1)"
}

# fa_lab DESC [lab-run options] -- GUEST-SCRIPT [ARGS...] [\; GUEST-SCRIPT
# [ARGS...]]...: run them in one boot of the VM; their verdict lines appear
# in this test's output, and each one that does not exit 0 is a failure
# named by its script. lab-run's timing line (boot, each script, power-off)
# is kept in the log: it is what the lab tier's budget is made of.
fa_lab() {
	local desc=$1 rc st i s name failed
	shift
	echo "--- lab: $desc"
	fa_scratch_dir
	st=$FA_SCRATCH/lab-status
	# A boot that hangs before COMMAND starts (rare under TCG) is tried
	# once more, and so is a QEMU that crashed itself (one of TCG's own
	# assertions, seen once in some hundred boots): every boot has fresh
	# devices, so the guest scripts start again from the beginning.
	for attempt in 1 2; do
		rm -f "$st"
		"$LAB_RUN" --timeout "${FA_LAB_TIMEOUT:-900}" --time \
			--status-file "$st" --env FA_TOP="$FA_TOP" \
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
	124)	fa_fail "$desc: the lab VM timed out" ;;
	125)	fa_fail "$desc: the lab VM failed" ;;
	126)	fa_fail "$desc: the lab VM's boot hung twice" ;;
	123)	fa_fail "$desc: QEMU crashed twice" ;;
	*)
		# one verdict per guest script that did not pass
		failed=0
		while read -r i s _; do
			[ "$s" = 0 ] && continue
			failed=1
			name=$(fa_lab_command "$i" "$@")
			case $s in
			77)	fa_fail "$desc: $name: the guest skipped" ;;
			*)	fa_fail "$desc: $name: exit $s" ;;
			esac
		done < <(cat "$st" 2>/dev/null)
		if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
			fa_fail "$desc: exit $rc"
		fi
		;;
	esac
}

# fa_lab_command I ARGS...: the guest script of command I among fa_lab's
# arguments (after "--", separated by ";" words), for a verdict line; of
# "sh -c 'SCRIPT ARGS'" the script
fa_lab_command() {
	local want=$1 i=1 a seen=0 words=()
	shift
	for a; do
		if [ "$seen" = 0 ]; then
			[ "$a" = -- ] && seen=1
			continue
		fi
		if [ "$a" = ";" ]; then
			i=$((i + 1))
		elif [ "$i" = "$want" ]; then
			words+=("$a")
		fi
	done
	if [ ${#words[@]} -ge 3 ] && [ "${words[1]}" = -c ]; then
		read -r a _ <<<"${words[2]}"
		basename "$a"
	elif [ ${#words[@]} -gt 0 ]; then
		basename "${words[0]}"
	else
		echo "command $want"
	fi
}
