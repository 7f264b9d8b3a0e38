#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Both engines write atomically to each
# lab block device given (e.g. $LAB_SCSI_DISK $LAB_NVME_NS) at unit_min, an
# intermediate size and unit_max as the device reports them, random and
# sequential, with fio's verify; then fio's own psync engine re-reads
# everything independently (verify_only). Per device and engine one fio
# run writes and one re-reads, each (size, pattern) a job with a region
# of its own (fa_batch_run, tests/host/lib.sh).
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
fa_require_cmd jq
[ $# -gt 0 ] || fa_skip "no lab device given"

for dev in "$@"; do
	json=$("$FA_TOOL" limits --json "$dev")
	if [ "$(jq -r .supported <<<"$json")" != true ]; then
		fa_fail "$dev: no atomic support: $(jq -r .reason <<<"$json")"
		continue
	fi
	min=$(jq -r .limits.unit_min.enforced.value <<<"$json")
	max=$(jq -r .limits.unit_max.enforced.value <<<"$json")
	mid=$min
	while [ $((mid * 4)) -le "$max" ]; do mid=$((mid * 2)); done
	echo "$dev: atomic writes $min..$max bytes"
	for engine in "${FA_ENGINES[@]}"; do
		fa_batch_reset
		region=4
		for bs in $(printf '%s\n' "$min" "$mid" "$max" | sort -nu); do
			for rw in randwrite write; do
				# 256 writes (2 MiB at most): every block of
				# the region written once and verified
				size=$((256 * bs > 2097152 ? 2097152 : 256 * bs))
				fa_batch_add "bs=$bs,$rw" -- --offset=${region}m \
					--size=$size --bs="$bs" --rw="$rw"
				region=$((region + 2))
			done
		done
		fa_batch_run "$dev $engine" --ioengine="$(fa_engine "$engine")" \
			--iodepth=8 --filename="$dev" --direct=1 -- \
			--filename="$dev" --direct=1
	done
done

fa_done
