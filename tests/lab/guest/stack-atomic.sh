#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM booted with --stack (a 7.x kernel):
# the stacked device ($LAB_STACK_DEV: md raid0/1/10, dm linear/stripe/
# mirror or an LVM volume over $LAB_STACK_MEMBERS) reports nonzero atomic
# write limits in sysfs, no larger than its members' (the kernel stacks
# them: md on 6.13+, dm on 6.14+), fio-atomic limits finds them and the
# kernel's stacking rule over the members gives them (no disagreement),
# and atomic-pvsync2 and atomic-uring jobs at the stack's unit_min and
# unit_max pass fio's verify and an independent re-read.
#
#   stack-atomic.sh
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
dev=${LAB_STACK_DEV:?no LAB_STACK_DEV: boot with lab-run --stack}
kind=${LAB_STACK:-?}

attr() { # DEV NAME: queue/atomic_write_NAME of the device behind DEV
	cat "/sys/class/block/$(basename "$(readlink -f "$1")")/queue/atomic_write_$2"
}

echo "$(uname -r): $kind $dev over $LAB_STACK_MEMBERS"
min_member_max=
for m in $LAB_STACK_MEMBERS "$dev"; do
	echo "  $m: unit_min $(attr "$m" unit_min_bytes) unit_max $(attr "$m" unit_max_bytes) max $(attr "$m" max_bytes) boundary $(attr "$m" boundary_bytes)"
	[ "$m" = "$dev" ] && continue
	v=$(attr "$m" unit_max_bytes)
	[ -n "$min_member_max" ] && [ "$min_member_max" -le "$v" ] || min_member_max=$v
done
umin=$(attr "$dev" unit_min_bytes)
umax=$(attr "$dev" unit_max_bytes)
if [ "$umin" -gt 0 ] && [ "$umax" -ge "$umin" ] &&
   [ "$umax" -le "$min_member_max" ]; then
	fa_pass "$kind: sysfs atomic_write_unit_min/max $umin..$umax (members' smallest unit_max $min_member_max)"
else
	fa_fail "$kind: sysfs atomic_write_unit_min/max $umin..$umax, want 0 < min <= max <= $min_member_max (the members')"
	fa_done
fi

json=$("$FA_TOOL" limits --json "$dev" 2>&1)
rc=$?
tmin=$(jq -r .limits.unit_min.enforced.value <<<"$json" 2>/dev/null)
tmax=$(jq -r .limits.unit_max.enforced.value <<<"$json" 2>/dev/null)
if [ $rc = 0 ] && [ "$(jq -r .supported <<<"$json" 2>/dev/null)" = true ] &&
   [ "$tmin" = "$umin" ] && [ "$tmax" = "$umax" ]; then
	fa_pass "$kind: fio-atomic limits enforces $tmin..$tmax, exit 0"
else
	fa_fail "$kind: fio-atomic limits: exit $rc, supported $(jq -r .supported <<<"$json" 2>/dev/null), $tmin..$tmax, want $umin..$umax"
	jq -c .disagreements <<<"$json" 2>/dev/null | head -c 600
fi
# The members' limits stacked by the kernel's rule give what sysfs says
# (a disagreement would be exit 4 above, named)
rule=$(jq -r '.stack | "\(.members) \(.supported) \(.unit_min) \(.unit_max)"' <<<"$json" 2>/dev/null)
if [ "$rule" = "$(wc -w <<<"$LAB_STACK_MEMBERS" | tr -d ' ') true $umin $umax" ]; then
	fa_pass "$kind: the stacking rule over the members gives $umin..$umax: $(jq -r .stack.origin <<<"$json")"
else
	fa_fail "$kind: the stacking rule: '$rule' (members supported unit_min unit_max), want $umin..$umax"
fi

# Both engines that apply to a stacked block device write at unit_min and
# unit_max: atomic-pvsync2 and atomic-uring. atomic-sg and atomic-nvme are
# passthrough to one SCSI or NVMe device (/dev/sg*, /dev/ng*): md and dm
# have no such node, so they do not apply here. 64 writes of each size
# (enough for verify, short under TCG), each job in a region of its own;
# one fio run writes them all, one re-reads them (fa_batch_run).
fa_batch_reset
region=1
for engine in "${FA_ENGINES[@]}"; do
	for bs in $(printf '%s\n' "$umin" "$umax" | sort -nu); do
		fa_batch_add "$engine,bs=$bs" --ioengine="$(fa_engine "$engine")" \
			--iodepth=4 -- --offset=${region}m --size=$((64 * bs)) \
			--bs="$bs" --rw=randwrite
		region=$((region + (64 * bs + 1048575) / 1048576))
	done
done
fa_batch_run "$kind $dev" --filename="$dev" --direct=1 -- \
	--filename="$dev" --direct=1
fa_done
