#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. The rejection matrix on a block
# device with atomic support: every kernel rule broken once. Strict
# validation refuses the job before writing (device unchanged) with the
# rule's message; with atomic_validate=off the writes go out and the
# kernel's errno is counted per rule. The iovec rule, which an engine never
# breaks, is broken with a two-iovec pwritev2().
#
#   reject.sh DEV
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
dev=${1:?usage: reject.sh DEV}
disk=$(basename "$dev")
json=$("$FA_TOOL" limits --json "$dev")
[ "$(jq -r .supported <<<"$json")" = true ] ||
	fa_skip "$dev has no atomic support: $(jq -r .reason <<<"$json")"
min=$(jq -r .limits.unit_min.enforced.value <<<"$json")
max=$(jq -r .limits.unit_max.enforced.value <<<"$json")
lbs=$(jq -r .limits.logical_block.sysfs.value <<<"$json")
src="from statx on $dev"
echo "$dev: atomic writes $min..$max bytes, logical block $lbs"

# A region the strict runs must leave alone, compared by checksum.
region() { dd if="$dev" bs=1M count=4 iflag=direct status=none | sha256sum; }

# name | fio options | strict message | errno of the kernel
cases=(
	"pow2|--bs=$((3 * min)) --size=$((48 * min))|bs=$((3 * min)) is not a power of two \(atomic writes here must be $min\.\.$max bytes, $src\)|Invalid argument"
	"unit_max|--bs=$((2 * max)) --size=$((32 * max))|bs=$((2 * max)) is above atomic_write_unit_max $max .*$src|Invalid argument"
	"align|--bs=$((2 * min)) --offset=$min --size=$((32 * min))|offset=$min is not naturally aligned to bs=$((2 * min))|Invalid argument"
)
# unit_min can only be broken where unit_min is above the logical block.
if [ "$min" -gt "$lbs" ]; then
	cases+=("unit_min|--bs=$lbs --size=$((16 * lbs))|bs=$lbs is below atomic_write_unit_min $min .*$src|Invalid argument")
fi

for engine in "${FA_ENGINES[@]}"; do
	for c in "${cases[@]}"; do
		IFS='|' read -r rule opts msg err <<<"$c"
		before=$(region)
		# shellcheck disable=SC2086
		out=$(fa_fio --name=rej --ioengine="$(fa_engine "$engine")" \
			--filename="$dev" --rw=write --direct=1 $opts 2>&1)
		if ! grep -qE -- "$msg" <<<"$out"; then
			fa_fail "$dev $engine $rule: strict message missing: $msg"
			echo "$out" | grep -E "fio:" | head -n 3
		elif [ "$before" != "$(region)" ]; then
			fa_fail "$dev $engine $rule: device changed although refused"
		else
			fa_pass "$dev $engine $rule: refused before writing"
		fi
		# shellcheck disable=SC2086
		out=$(fa_fio --name=rej --ioengine="$(fa_engine "$engine")" \
			--filename="$dev" --rw=write --direct=1 $opts \
			--atomic_validate=off --continue_on_error=write \
			--ignore_error=EIO,22:95 2>&1)
		want="rule $rule: 16 illegal writes sent, 16 rejected ($err), 0 accepted"
		if grep -qF "$want" <<<"$out"; then
			fa_pass "$dev $engine $want"
		else
			fa_fail "$dev $engine: expected '$want'"
			echo "$out" | grep -E "rule|err=" | head -n 3
		fi
	done

	# direct=0: strict refuses; the kernel refuses buffered RWF_ATOMIC.
	out=$(fa_fio --name=rej --ioengine="$(fa_engine "$engine")" \
		--filename="$dev" --rw=write --direct=0 --bs="$min" \
		--size=$((16 * min)) 2>&1)
	grep -q "direct=0: atomic writes need O_DIRECT" <<<"$out" &&
		fa_pass "$dev $engine direct=0: refused" ||
		fa_fail "$dev $engine direct=0: not refused"
	out=$(fa_fio --name=rej --ioengine="$(fa_engine "$engine")" \
		--filename="$dev" --rw=write --direct=0 --bs="$min" \
		--size=$((16 * min)) --atomic_validate=off \
		--continue_on_error=write --ignore_error=EIO,22:95 2>&1)
	if grep -qE "rule direct: 16 illegal writes sent, 16 rejected \((Operation not supported|Invalid argument)\), 0 accepted" <<<"$out"; then
		fa_pass "$dev $engine $(grep -o 'rule direct: .*' <<<"$out")"
	else
		fa_fail "$dev $engine direct=0 with validation off: no rejection count"
		echo "$out" | grep -E "rule|err=" | head -n 3
	fi
done

# The one-segment rule (atomic_write_segments_max 1).
tool=$BUILD/tests/tools/pwritev2-atomic
out=$("$tool" "$dev" 0 "$((2 * min))" 2)
[ "$out" = "EINVAL: Invalid argument" ] &&
	fa_pass "$dev: two iovecs refused: $out" ||
	fa_fail "$dev: two iovecs: $out"
out=$("$tool" "$dev" 0 "$((2 * min))" 1)
grep -q "^ok" <<<"$out" && fa_pass "$dev: one iovec accepted" ||
	fa_fail "$dev: one iovec: $out"

fa_done
