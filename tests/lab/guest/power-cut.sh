#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM for tests/lab/power-cut, one phase
# per boot on the same NVMe image:
#
#   power-cut.sh write ENGINE MODE UNIT CONTROL
#	one writer job, iodepth 8, random stamped writes of UNIT bytes over
#	the first 128 units of the namespace, each made durable on
#	completion (sync=1, i.e. FUA, or the atomic-nvme engine's fua=1),
#	every acknowledged write logged to $LAB_RESULTS/acks.*; it runs
#	until the power is cut, whose clock starts at the first
#	acknowledged write ($LAB_RESULTS/writing). CONTROL=1: plain writes
#	(rwf_atomic=0) on a queue with max_sectors_kb=4, so each is split
#	into UNIT/4096 requests.
#   power-cut.sh scan UNIT
#	fio-atomic tearscan of the namespace with the logs: the JSON goes
#	to $LAB_RESULTS/scan.json, the exit status is tearscan's.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

phase=${1:?usage: power-cut.sh write ENGINE MODE UNIT CONTROL | scan UNIT}
shift
ns=${LAB_NVME_NS:?no NVMe namespace in the lab VM}

if [ "$phase" = scan ]; then
	unit=${1:?unit}
	acks=()
	for f in "$LAB_RESULTS"/acks.*; do
		[ -f "$f" ] && acks+=("$f")
	done
	"$FA_TOOL" tearscan "$ns" --unit "$unit" --json \
		${acks[0]+--acks "${acks[@]}"} >"$LAB_RESULTS/scan.json"
	exit $?
fi

engine=${1:-} mode=${2:-} unit=${3:-} control=${4:-}
[ "$phase" = write ] && [ -n "$control" ] ||
	{ echo "usage: power-cut.sh write ENGINE MODE UNIT CONTROL" >&2; exit 2; }
job=(--name=w --rw=randwrite --bs="$unit" --size=$((128 * unit))
     --iodepth=8 --time_based --runtime=3600 --tear_check=1
     --tear_ack_log="$LAB_RESULTS/acks" --tear_report=/tmp/w.tear.json)
case $engine in
atomic-nvme)
	eng=(--ioengine="$(fa_engine atomic-nvme)" --filename="$LAB_NVME_NG"
	     --nvme_mode="$mode" --fua=1)
	;;
*)
	eng=(--ioengine="$(fa_engine "$engine")" --filename="$ns" --direct=1
	     --sync=1)
	;;
esac
# The kernel's atomic unit may be below the harness's (7.x ignores the
# controller's AWUPF: one block): the block-device engines cannot write
# such units atomically, so there is nothing to cut. Exit 3, saying why.
if [ "$engine" != atomic-nvme ] && [ "$control" = 0 ]; then
	max=$("$FA_TOOL" limits --json "$ns" | jq -r '.limits.unit_max.enforced.value // 0')
	if [ "${max:-0}" -lt "$unit" ]; then
		echo "the kernel's atomic unit_max on $ns is ${max:-0} bytes ($(uname -r)), below the $unit-byte units: $engine cannot write them atomically" >"$LAB_RESULTS/not-atomic"
		exit 3
	fi
fi
if [ "$control" = 1 ]; then
	q=/sys/block/$(basename "$ns")/queue
	echo 4 >"$q/max_sectors_kb" ||
		{ echo "cannot lower $q/max_sectors_kb" >&2; exit 1; }
	# Few requests in flight: a split write reaches the device over many
	# rounds instead of one doorbell, so a cut finds some half done.
	echo 4 >"$q/nr_requests" ||
		{ echo "cannot lower $q/nr_requests" >&2; exit 1; }
	eng+=(--rwf_atomic=0)
fi
# Output to the host as it comes: the power cut leaves no other trace.
fa_fio "${eng[@]}" "${job[@]}" >"$LAB_RESULTS/fio.log" 2>&1 &
pid=$!
# The cut's window opens at the first acknowledged write (lab-run
# --power-cut-after writing): on a loaded host a TCG guest can take
# seconds to start fio.
for ((i = 0; i < 600; i++)); do
	for f in "$LAB_RESULTS"/acks.*; do
		[ -s "$f" ] && break 2
	done
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
: >"$LAB_RESULTS/writing"
wait "$pid"
echo "fio ended before the power cut (exit $?)" >&2
exit 1
