#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: with atomic_validate=off the engines send illegal atomic
# writes on purpose; the kernel must reject each one, and the end-of-job
# report counts the rejections per rule with the errno (EINVAL here). A
# write the kernel accepted would be reported as "accepted" and fail this.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_make_xfs 512
f=$FA_MNT/target
fa_fill "$f" 16

# rule, fio options producing exactly 16 writes that break only that rule
cases=(
	"pow2|--bs=24k --size=384k"
	"unit_min|--bs=2k --size=32k"
	"unit_max|--bs=2m --size=32m"
	"align|--bs=16k --offset=4k --size=256k"
)
for engine in "${FA_ENGINES[@]}"; do
	for c in "${cases[@]}"; do
		rule=${c%%|*}
		opts=${c#*|}
		# shellcheck disable=SC2086
		out=$(fa_fio --name=conf --ioengine="$(fa_engine "$engine")" \
			--filename="$f" --rw=write --direct=1 $opts \
			--atomic_validate=off --continue_on_error=write \
			--ignore_error=EIO,22:95 2>&1)
		want="rule $rule: 16 illegal writes sent, 16 rejected (Invalid argument), 0 accepted"
		if grep -qF "$want" <<<"$out"; then
			fa_pass "$engine: $want"
		else
			fa_fail "$engine $rule: expected '$want'"
			echo "$out" | grep -E "rule|err=|fio:" | head -n 5
		fi
	done
done

# Buffered atomic writes: the same count with direct=0.
out=$(fa_fio --name=conf --ioengine="$(fa_engine atomic-pvsync2)" \
	--filename="$f" --rw=write --direct=0 --bs=16k --size=256k \
	--atomic_validate=off --continue_on_error=write \
	--ignore_error=EIO,22:95 2>&1)
if grep -qE "rule direct: 16 illegal writes sent, 16 rejected \(.*\), 0 accepted" <<<"$out"; then
	fa_pass "direct=0: $(grep -o 'rule direct: .*' <<<"$out")"
else
	fa_fail "direct=0: no count for rule direct"
	echo "$out" | grep -E "rule|err=" | head -n 5
fi

fa_done
