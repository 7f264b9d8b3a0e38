#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. atomic-nvme writes to the namespace
# through its generic char device in both modes (uring_cmd at iodepth 8,
# ioctl) at one logical block, one block short of the power-fail atomic
# unit (NVMe needs no power of two) and the whole unit, random and
# sequential, with fio's verify (Reads through the engine); then fio's own
# psync engine re-reads everything from the block device, bypassing the
# page cache (verify_only). The normal atomic unit (atomic_unit=normal) with
# FUA set, fsync= as NVMe Flush, and the queue depth each mode reaches, are
# checked too.
. "$FA_TOP/tests/lab/guest/nvme-lib.sh"

nvme_require
nvme_identify "$NG" || fa_done
unit=$((pf_blocks * lbs))
echo "$NG: nsid $id_nsid, $lbs-byte blocks, awupf=$id_awupf ($unit bytes), awun=$id_awun, dn=${id_dn:-?}"

# batch_add NAME ENGINE-OPTIONS -- JOB-OPTIONS: one job of the batch that
# writes through $NG and is re-read from $NS (fa_batch_run). Each job
# writes its own MiB of the namespace, so that data an earlier one left
# cannot pass for this one's: 256 writes of the job's bs, as many as fit
# in the MiB when fewer do (a whole number of them: a last write past the
# MiB would land in the next job's), every block written once and
# verified.
region=4
batch_add() {
	local name=$1 eng=() a bs=0 size
	shift
	while [ "$1" != -- ]; do
		eng+=("$1")
		shift
	done
	shift
	for a; do
		case $a in
		--bs=*) bs=${a#--bs=} ;;
		esac
	done
	size=$((1048576 / bs))
	[ "$size" -le 256 ] || size=256
	size=$((size * bs))
	fa_batch_add "$name" "${eng[@]}" -- --size=$size \
		--offset=$((region++))m "$@"
}

sizes=$lbs
[ "$pf_blocks" -gt 2 ] && sizes+=" $(((pf_blocks - 1) * lbs))"
[ "$pf_blocks" -gt 1 ] && sizes+=" $unit"
fa_batch_reset
# Sequential writes once (uring_cmd): the modes differ in submission only.
for mode in uring_cmd ioctl; do
	for bs in $sizes; do
		for rw in randwrite write; do
			[ $mode = ioctl ] && [ $rw = write ] && continue
			batch_add "$mode,bs=$bs,$rw" --nvme_mode=$mode -- \
				--bs="$bs" --rw="$rw" --iodepth=8
		done
	done
done

normal=$((normal_blocks * lbs))
# atomic_unit=normal with FUA; when dn makes the normal unit the
# power-fail one, that one
batch_add "atomic_unit=normal,bs=$normal,fua=1" --atomic_unit=normal \
	--fua=1 -- --bs="$normal" --rw=randwrite --iodepth=4
[ "$normal_blocks" -ne "$pf_blocks" ] ||
	echo "atomic_unit=normal is the power-fail unit here (dn=${id_dn:-?})"
fa_batch_run "$NG (re-read from $NS)" --ioengine="$NVME_ENGINE" \
	--filename="$NG" -- --filename="$NS" --direct=1

# fsync=N: an NVMe Flush through the same path after every N writes (fio
# issues 15 for 64 writes one at a time, more with writes in flight).
for mode in uring_cmd ioctl; do
	json=$(fa_fio --output-format=json --name=fl --ioengine="$NVME_ENGINE" \
		--nvme_mode=$mode --filename="$NG" --size=$((64 * lbs)) \
		--offset=40m --bs="$lbs" --rw=write --fsync=4 --iodepth=4 \
		2>/dev/null)
	syncs=$(jq -r '.jobs[0].sync.total_ios' <<<"$json" 2>/dev/null)
	err=$(jq -r '.jobs[0].error' <<<"$json" 2>/dev/null)
	if [ "$err" = 0 ] && [ "${syncs:-0}" -ge 15 ] 2>/dev/null; then
		fa_pass "$mode: fsync=4 sent $syncs NVMe Flush commands for 64 writes"
	else
		fa_fail "$mode: fsync=4: error ${err:-?}, ${syncs:-?} flushes for 64 writes"
	fi
done

# iodepth: uring_cmd keeps 8 commands in flight, ioctl one.
for mode in uring_cmd ioctl; do
	json=$(fa_fio --output-format=json --name=qd --ioengine="$NVME_ENGINE" \
		--nvme_mode=$mode --filename="$NG" --size=2m --bs="$lbs" \
		--rw=randwrite --iodepth=8 2>/dev/null)
	deep=$(jq -r '.jobs[0].iodepth_level["8"]' <<<"$json" 2>/dev/null)
	one=$(jq -r '.jobs[0].iodepth_level["1"]' <<<"$json" 2>/dev/null)
	case $mode in
	uring_cmd) cond="d > 50" ;;
	ioctl) cond="o == 100" ;;
	esac
	if [[ $deep =~ ^[0-9.]+$ && $one =~ ^[0-9.]+$ ]] &&
	   awk -v d="$deep" -v o="$one" "BEGIN { exit !($cond) }"; then
		fa_pass "$mode: iodepth=8 gives depth 8 for $deep% and depth 1 for $one% of the I/O"
	else
		fa_fail "$mode: iodepth=8 gave depth 8 for ${deep:-?}% and depth 1 for ${one:-?}% of the I/O (want $cond)"
	fi
done

fa_done
