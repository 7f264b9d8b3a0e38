#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM (7.x kernel, a stack and a
# filesystem set up by lab-run). fio-atomic qualify --quick on the stack's
# block device ($LAB_STACK_DEV, which it writes whole: --destroy-data) and
# on a directory of the filesystem ($LAB_FS_DIR): each QUALIFIED (exit 0),
# its JSON naming all three guarantees, each with a status; on the
# stack, read_isolation and write_isolation measured (trials > 0, as the
# hardware under it promises both: provided); on the filesystem,
# read_isolation provided and write_isolation NOT provided: without
# max_atomic_write, 7.3's XFS takes atomic writes up to 1 MiB (statx),
# beyond the NVMe's one block through its software fallback, and two
# concurrent writes of one 1 MiB unit leave it mixed (measured: 32 of 600
# pairs), as on the host. power_fail is
# not_tested on both with its reason, never missing: a block device gets
# no power cut here, and the filesystem's step is left out (--steps): it
# crashes a scratch XFS on a loop image, and the lab's kernels are cached
# without the loop module.
#
#   qualify-stack.sh MAX-SIZE
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
command -v jq >/dev/null || fa_skip "jq not found"
max=${1:-16k}
[ -n "${LAB_STACK_DEV:-}" ] && [ -n "${LAB_FS_DIR:-}" ] ||
	fa_skip "needs lab-run --stack and --fs"
fa_scratch_dir

# qualify_one NAME TARGET [OPTION...]: sets j (the report's object)
qualify_one() {
	local name=$1 target=$2 json=$FA_SCRATCH/$1.json rc
	shift 2
	echo "--- qualify $target ($name)"
	"$FA_TOOL" qualify "$target" --quick --max-size "$max" --fio "$FIO" \
		--json "$json" "$@" >"$FA_SCRATCH/$name.log" 2>&1
	rc=$?
	grep -E "^(verdict|[a-z_-]+: (PASS|FAIL|SKIP))" "$FA_SCRATCH/$name.log"
	j=$(jq -c .fio_atomic_qualify "$json" 2>/dev/null)
	if [ $rc = 0 ] && [ "$(jq -r .verdict <<<"$j")" = QUALIFIED ]; then
		fa_pass "$name: QUALIFIED, exit 0"
	else
		fa_fail "$name: exit $rc, verdict '$(jq -r .verdict <<<"$j" 2>/dev/null)'"
		tail -n 15 "$FA_SCRATCH/$name.log"
	fi
}

# guarantee NAME G WANT: the guarantee's status is WANT, with a reason
# when not provided and trials when provided
guarantee() {
	local name=$1 g=$2 want=$3 got
	got=$(jq -r --arg g "$g" '.guarantees[$g] | "\(.status) \(.trials) \(.reason // "")"' <<<"$j" 2>/dev/null)
	case $want in
	provided)
		[[ "$got" == "provided "[1-9]* ]] ;;
	not_provided)
		[[ "$got" == "not_provided "[1-9]* ]] ;;
	not_tested)
		[[ "$got" == "not_tested 0 "?* ]] ;;
	esac && fa_pass "$name: $g $got" ||
		fa_fail "$name: $g is '$got', want $want"
}

qualify_one stack "$LAB_STACK_DEV" --destroy-data
for g in read_isolation write_isolation; do
	guarantee stack $g provided
done
guarantee stack power_fail not_tested

qualify_one fs "$LAB_FS_DIR" \
	--steps conformance,writes,read-isolation,write-isolation
guarantee fs read_isolation provided
guarantee fs power_fail not_tested
guarantee fs write_isolation not_provided
jq -r '.guarantees.write_isolation.points[]? | "  write_isolation \(.engine // "") \(.size // .bs // "") \(.failures) of \(.trials)"' <<<"$j" 2>/dev/null

fa_done
