#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. Both engines write atomically to each
# lab block device given (e.g. $LAB_SCSI_DISK $LAB_NVME_NS) at unit_min, an
# intermediate size and unit_max as the device reports them, random and
# sequential, with fio's verify; then fio's own psync engine re-reads
# everything independently (verify_only).
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

fa_require_fio
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
		for bs in $(printf '%s\n' "$min" "$mid" "$max" | sort -nu); do
			for rw in randwrite write; do
				# 256 writes (2 MiB at most): every block of
				# the region written once and verified
				size=$((256 * bs > 2097152 ? 2097152 : 256 * bs))
				job=(--name=lab --filename="$dev" --size=$size
				     --offset=$((4 * 1024 * 1024)) --bs="$bs"
				     --rw="$rw" --direct=1 --verify=crc32c
				     --verify_fatal=1)
				desc="$dev $engine bs=$bs $rw"
				out=$(fa_fio --ioengine="$(fa_engine "$engine")" \
					--iodepth=8 "${job[@]}" 2>&1)
				if [ $? -ne 0 ] || ! grep -q "err= 0" <<<"$out"; then
					fa_fail "$desc: write+verify"
					echo "$out" | grep -E "fio:|err=|verify" | head -n 5
					continue
				fi
				out=$(fa_fio --ioengine=psync --verify_only=1 \
					"${job[@]}" 2>&1)
				if [ $? -ne 0 ] || ! grep -q "err= 0" <<<"$out"; then
					fa_fail "$desc: independent re-read"
					echo "$out" | grep -E "fio:|err=|verify" | head -n 5
					continue
				fi
				fa_pass "$desc: written atomically, verified, re-read"
			done
		done
	done
done

fa_done
