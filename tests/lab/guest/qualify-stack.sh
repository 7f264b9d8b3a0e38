#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM (7.x kernel, a stack set up by
# lab-run, the loop module loaded). fio-atomic qualify --quick with every
# step on the stack's block device ($LAB_STACK_DEV, which it writes whole:
# --destroy-data) and then on a directory of a filesystem: $LAB_FS_DIR,
# or, with EXT4-CLUSTER, an ext4 with bigalloc clusters of that size made
# on the stack device once its own qualify is done (ext4 on LVM, as
# users run it). Each QUALIFIED (exit 0), its JSON naming all three
# guarantees, each with the status asked for:
#   the stack: read_isolation and write_isolation provided (trials > 0:
#     the hardware under it promises both), power_fail not_tested with
#     its reason (a block device gets no power cut here);
#   the filesystem: read_isolation provided, write_isolation FS-WI,
#     power_fail FS-PF: provided means crashes made, units judged, 0
#     failed and the control torn (the scratch XFS of the target's
#     geometry on a loop image, shut down); not_tested means the reason
#     says why (a scratch ext4 on a loop device has no atomic writes:
#     ext4 has no software fallback).
#
#   qualify-stack.sh MAX-SIZE FS-WI FS-PF [EXT4-CLUSTER]
#     FS-WI, FS-PF: provided | not_provided | not_tested
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
command -v jq >/dev/null || fa_skip "jq not found"
max=${1:-16k} fs_wi=${2:?FS-WI} fs_pf=${3:?FS-PF} ext4_cluster=${4:-}
[ -n "${LAB_STACK_DEV:-}" ] || fa_skip "needs lab-run --stack"
[ -n "$ext4_cluster" ] || [ -n "${LAB_FS_DIR:-}" ] ||
	fa_skip "needs lab-run --fs, or EXT4-CLUSTER"
fa_scratch_dir

# qualify_one NAME TARGET [OPTION...]: sets j (the report's object)
qualify_one() {
	local name=$1 target=$2 json=$FA_SCRATCH/$1.json rc t0=$SECONDS
	shift 2
	echo "--- qualify $target ($name)"
	"$FA_TOOL" qualify "$target" --quick --max-size "$max" --fio "$FIO" \
		--json "$json" "$@" >"$FA_SCRATCH/$name.log" 2>&1
	rc=$?
	grep -E "^(verdict|[a-z_-]+: (PASS|FAIL|SKIP|PROVIDED|NOT))|^crash [0-9]|^  (a scratch|block size)" \
		"$FA_SCRATCH/$name.log"
	j=$(jq -c .fio_atomic_qualify "$json" 2>/dev/null)
	if [ $rc = 0 ] && [ "$(jq -r .verdict <<<"$j")" = QUALIFIED ]; then
		fa_pass "$name: QUALIFIED, exit 0, $((SECONDS - t0)) s"
	else
		fa_fail "$name: exit $rc, verdict '$(jq -r .verdict <<<"$j" 2>/dev/null)'"
		tail -n 15 "$FA_SCRATCH/$name.log"
	fi
}

# guarantee NAME G WANT [REASON-PART]: the guarantee's status is WANT,
# with trials when measured; provided also with none failed, and for
# power_fail its control torn; not_tested with 0 trials and a reason
# (containing REASON-PART when given)
guarantee() {
	local name=$1 g=$2 want=$3 part=${4:-} got
	got=$(jq -r --arg g "$g" '.guarantees[$g] | "\(.status) \(.trials) \(.failures) \(.control.passed // "-") \(.reason // "")"' <<<"$j" 2>/dev/null)
	if fa_jq_true --arg g "$g" --arg want "$want" --arg part "$part" '
		.guarantees[$g] | .status == $want and
		if $want == "not_tested" then
			.trials == 0 and (.reason // "") != "" and
			((.reason // "") | contains($part))
		else .trials > 0 end and
		if $want == "provided" then
			.failures == 0 and
			($g != "power_fail" or .control.passed == true)
		else true end' <<<"$j" >/dev/null 2>&1; then
		fa_pass "$name: $g $got"
	else
		fa_fail "$name: $g is '$got', want $want${part:+ ($part)}"
	fi
}

# the stack's block device
qualify_one "$LAB_STACK" "$LAB_STACK_DEV" --destroy-data
for g in read_isolation write_isolation; do
	guarantee "$LAB_STACK" $g provided
done
guarantee "$LAB_STACK" power_fail not_tested "power cut"

# a directory of the filesystem
if [ -n "$ext4_cluster" ]; then
	fs=ext4 dir=/run/lab/fs-q
	mkfs.ext4 -q -F -O bigalloc -C "$ext4_cluster" "$LAB_STACK_DEV" &&
		mkdir -p "$dir" && mount -t ext4 "$LAB_STACK_DEV" "$dir" ||
		{ fa_fail "ext4 (bigalloc $ext4_cluster) on $LAB_STACK_DEV: not made"; fa_done; }
	fs_on="ext4 (bigalloc $ext4_cluster) on $LAB_STACK"
else
	fs=$LAB_FS dir=$LAB_FS_DIR fs_on="$LAB_FS on $LAB_FS_DEV"
fi
mkdir -p "$dir/q"
echo "$fs_on: $(findmnt -no OPTIONS "$dir" 2>/dev/null)"
qualify_one "$fs" "$dir/q"
guarantee "$fs" read_isolation provided
guarantee "$fs" write_isolation "$fs_wi"
case $fs in
ext4)	guarantee "$fs" power_fail "$fs_pf" "no software fallback" ;;
*)	guarantee "$fs" power_fail "$fs_pf" ;;
esac
jq -r '.guarantees | to_entries[] | .key as $g | .value.points[]? | "  \($g) \(.engine // "") \(.size // .bs // "") \(.failures) of \(.trials)"' <<<"$j" 2>/dev/null
[ -z "$ext4_cluster" ] || umount "$dir"
fa_done
