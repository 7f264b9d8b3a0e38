#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM for tests/lab/crash-states (a 7.x
# kernel with the dm-log-writes, dm-snapshot and xfs modules, four NVMe
# namespaces): every crash state of a workload, not a sample.
#
#   crash-states.sh run ATOMIC_WRITES CONTROL_WRITES UNIT CONTROL_UNIT
#	namespace 1 is the data device, 2 the log of a dm-log-writes device
#	over it; XFS on that device (dm-log-writes passes no atomic limits,
#	so RWF_ATOMIC takes XFS's software fallback: fio-atomic limits on
#	the file says what it reports, in $LAB_RESULTS/limits.json). Phase
#	"atomic": ATOMIC_WRITES stamped atomic writes of UNIT bytes
#	(atomic-uring, iodepth 4, O_DSYNC, CRASH_RATE_IOPS a second,
#	default 10) over 32 units of a file, with an
#	acknowledged-write log; every 0.1 s the lengths of the ack logs are
#	noted and a MARK ack-N put in the log after them. Phase "control":
#	CONTROL_WRITES plain O_DSYNC overwrites of CONTROL_UNIT bytes
#	(atomic-pvsync2, rwf_atomic=0) of a file laid out one extent per
#	UNIT, so each write goes out as several FUA bios. Then the log is
#	replayed (tests/tools/log-replay) onto namespace 3, and at every
#	crash point of each phase (FLUSH or FUA entry between its start and
#	end marks) this script's "check" runs on a copy-on-write view of it.
#   crash-states.sh check KIND FILE UNIT
#	one crash state (log-replay --check): a dm-snapshot of namespace 3
#	with namespace 4 as its COW store, mounted (XFS log recovery writes
#	only to the COW store), fio-atomic tearscan of FILE --after crash
#	with the ack logs as long as they were at the last MARK ack-N before
#	this state; its JSON in $LAB_RESULTS/states/KIND.STATE.json, and
#	"STATE ENTRY TEARSCAN-EXIT ACK-LOGS MARK" in $LAB_RESULTS/KIND.states.
#	Exit 0 good, 1 torn units or lost acknowledged writes, 2 the state
#	could not be judged (mount failed...). In the atomic phase a second
#	scan judges every write of the phase, acknowledged before the state
#	or not (KIND.STATE.all-acks.json): the loss control.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

export DM_DISABLE_UDEV=1
REPLAY=${LOG_REPLAY:-$BUILD/tests/tools/log-replay}
read -r data_dev log_dev replay_dev cow_dev _ <<<"${LAB_NVME_NSS:-}"
MNT=/tmp/crash-mnt
ACKS=/tmp/acks
MARKS=/tmp/marks
ACKS_CUT=/tmp/acks-cut

die() {
	echo "crash-states: $*" >&2
	exit 2
}

# dm NAME TABLE: a device-mapper device, /dev/mapper/NAME (no udev here)
dm() {
	dmsetup create "$1" --noudevsync --table "$2" ||
		die "dmsetup create $1 ($2) failed"
}

if [ "${1:-}" = check ]; then
	# Every exec costs tens of milliseconds under TCG, and this runs
	# once per state: no jq here, the harness reads the scans.
	kind=$2 file=$3 unit=$4
	state=${LOG_REPLAY_STATE:?not run by log-replay --check}
	entry=$LOG_REPLAY_ENTRY mark=$LOG_REPLAY_MARK
	dm snap "0 $(blockdev --getsz "$replay_dev") snapshot $replay_dev ${CRASH_COW:-$cow_dev} N 8"
	if ! mount -o nouuid /dev/mapper/snap "$MNT" 2>/tmp/mount.err; then
		dmsetup remove --noudevsync snap
		die "state $state (entry $entry): mount failed: $(cat /tmp/mount.err)"
	fi
	# the acknowledged writes to judge: those logged before the last
	# ack mark, which is in the log before this state
	acks=()
	if [[ $mark == ack-* ]] && [ -s "$MARKS/${mark#ack-}" ]; then
		while read -r f len; do
			[ "$len" -ge 40 ] || continue
			head -c $((len / 40 * 40)) "$f" >"$ACKS_CUT/${f##*/}"
			acks+=("$ACKS_CUT/${f##*/}")
		done <"$MARKS/${mark#ack-}"
	fi
	scan=$LAB_RESULTS/states/$kind.$state.json
	"$FA_TOOL" tearscan "$MNT/$file" --unit "$unit" --after crash --json \
		${acks[0]+--acks "${acks[@]}"} >"$scan" 2>/tmp/scan.err
	rc=$?
	# The loss control: judged against every write of the phase, an
	# early state must miss the ones not yet made durable (else the
	# states would not differ, or the check could not see a loss).
	if [ "$kind" = atomic ]; then
		"$FA_TOOL" tearscan "$MNT/$file" --unit "$unit" --after crash \
			--json --acks "$ACKS"/a.* \
			>"$LAB_RESULTS/states/$kind.$state.all-acks.json" 2>/dev/null
	fi
	umount "$MNT" && dmsetup remove --noudevsync snap ||
		die "state $state: cannot unmount or drop the snapshot"
	case $rc in
	0|5|6) ;;
	*) die "state $state (entry $entry): tearscan exit $rc: $(head -c 300 /tmp/scan.err)" ;;
	esac
	echo "$state $entry $rc ${#acks[@]} $mark" >>"$LAB_RESULTS/$kind.states"
	[ "$rc" = 0 ]
	exit
fi

[ "${1:-}" = run ] && [ $# -eq 5 ] ||
	die "usage: crash-states.sh run ATOMIC_WRITES CONTROL_WRITES UNIT CONTROL_UNIT"
writes=$2 control_writes=$3 unit=$4 control_unit=$5
# a few writes between two ack marks (0.1 s apart and more)
rate=${CRASH_RATE_IOPS:-10}
[ -n "$cow_dev" ] || die "four NVMe namespaces needed, have: ${LAB_NVME_NSS:-none}"
[ -x "$REPLAY" ] || die "no $REPLAY: run 'make' first"

t0=$SECONDS
uname -r >"$LAB_RESULTS/kernel"
dm lw "0 $(blockdev --getsz "$data_dev") log-writes $data_dev $log_dev"
lw=/dev/mapper/lw
# -K: no discard of the whole device, which the replay would only zero
mkfs.xfs -q -f -K "$lw" || die "mkfs.xfs on the dm-log-writes device failed"
dmsetup message lw 0 mark mkfs
mkdir -p "$MNT" "$ACKS" "$MARKS" "$ACKS_CUT" "$LAB_RESULTS/states"
mount "$lw" "$MNT" || die "cannot mount the XFS on $lw"
atomic_file=atomic.dat
control_file=control.dat
atomic_size=$((32 * unit))
control_size=$((16 * control_unit))

# the atomic file exists, of its size, before the phase starts
fa_fio --name=layout --filename="$MNT/$atomic_file" --size=$atomic_size \
	--rw=write --bs="$unit" --direct=1 --end_fsync=1 >/dev/null 2>&1 ||
	die "cannot lay out $atomic_file"
"$FA_TOOL" limits "$MNT/$atomic_file" >"$LAB_RESULTS/limits.txt" 2>&1
"$FA_TOOL" limits --json "$MNT/$atomic_file" >"$LAB_RESULTS/limits.json" 2>/dev/null
sed 's/^/  /' "$LAB_RESULTS/limits.txt" | head -n 8
# what the block layer says of the dm-log-writes device itself
for d in /sys/block/dm-*; do
	read -r name <"$d/dm/name"
	[ "$name" = lw ] || continue
	read -r v <"$d/queue/atomic_write_unit_max_bytes"
	echo "${d##*/} $v" >"$LAB_RESULTS/dm-atomic-unit-max"
done

# mark_acks N: note each ack log's length, then put MARK ack-N in the log
mark_acks() {
	local f
	for f in "$ACKS"/a.*; do
		[ -f "$f" ] && echo "$f $(stat -c %s "$f")"
	done >"$MARKS/$1"
	dmsetup message lw 0 mark "ack-$1"
}

sync
dmsetup message lw 0 mark atomic-start
(
	n=0
	while [ ! -e /tmp/stop-marks ]; do
		n=$((n + 1))
		mark_acks "$n"
		sleep 0.1
	done
	echo "$n" >/tmp/marks-made
) &
marker=$!
fa_fio --name=atomic --ioengine="$(fa_engine atomic-uring)" \
	--filename="$MNT/$atomic_file" --size=$atomic_size \
	--io_size=$((writes * unit)) --bs="$unit" --rw=randwrite \
	--iodepth=4 --rate_iops="$rate" --direct=1 --sync=dsync --tear_check=1 \
	--tear_ack_log="$ACKS/a" >"$LAB_RESULTS/atomic.fio.log" 2>&1
fio_rc=$?
: >/tmp/stop-marks
wait "$marker"
[ $fio_rc = 0 ] || die "the atomic writer failed (exit $fio_rc): $(tail -n 3 "$LAB_RESULTS/atomic.fio.log")"
# every acknowledged write is judged at the states after this mark, and
# the fsync puts one (a flush) after it
mark_acks final
xfs_io -c fsync "$MNT/$atomic_file"
dmsetup message lw 0 mark atomic-end
cp "$ACKS"/a.* "$LAB_RESULTS/" 2>/dev/null

# The control: one extent per UNIT (every other one written first), then
# stamped whole, then overwritten in place with plain O_DSYNC writes of
# CONTROL_UNIT bytes: each goes out as one FUA bio per extent.
cmds=()
for ((i = 0; i < control_size / unit; i += 2)); do
	cmds+=(-c "pwrite -q $((i * unit)) $unit")
done
for ((i = 1; i < control_size / unit; i += 2)); do
	cmds+=(-c "pwrite -q $((i * unit)) $unit")
done
xfs_io -f -d "${cmds[@]}" -c fsync "$MNT/$control_file" ||
	die "cannot lay out $control_file"
fa_fio --name=fill --ioengine="$(fa_engine atomic-pvsync2)" \
	--filename="$MNT/$control_file" --size=$control_size --rw=write \
	--bs="$control_unit" --direct=1 --rwf_atomic=0 --tear_check=1 \
	--end_fsync=1 >"$LAB_RESULTS/control-fill.fio.log" 2>&1 ||
	die "cannot fill $control_file"
xfs_io -c "bmap -v" "$MNT/$control_file" >"$LAB_RESULTS/control.bmap"
dmsetup message lw 0 mark control-start
fa_fio --name=control --ioengine="$(fa_engine atomic-pvsync2)" \
	--filename="$MNT/$control_file" --size=$control_size \
	--io_size=$((control_writes * control_unit)) --bs="$control_unit" \
	--rw=randwrite --direct=1 --sync=dsync --rwf_atomic=0 --tear_check=1 \
	>"$LAB_RESULTS/control.fio.log" 2>&1 ||
	die "the control writer failed: $(tail -n 3 "$LAB_RESULTS/control.fio.log")"
dmsetup message lw 0 mark control-end
umount "$MNT" || die "cannot unmount the XFS on $lw"
dmsetup remove --noudevsync lw || die "cannot remove the dm-log-writes device"
echo "workload: $((SECONDS - t0)) s, $(cat /tmp/marks-made) ack marks"

"$REPLAY" info "$log_dev" --json >"$LAB_RESULTS/info.json" ||
	die "log-replay info failed"
"$REPLAY" info "$log_dev" | sed 's/^/  /'

# replay PHASE-FROM PHASE-TO [KIND FILE UNIT]: entries between two marks,
# with the check at every crash point when KIND is given
replay() {
	local from=$1 to=$2 kind=${3:-} rc
	if [ -z "$kind" ]; then
		"$REPLAY" replay "$log_dev" "$replay_dev" --from "$from" \
			--to "$to" || die "replay $from..$to failed"
		return
	fi
	: >"$LAB_RESULTS/$kind.states"
	"$REPLAY" replay "$log_dev" "$replay_dev" --from "$from" --to "$to" \
		--check "$0 check $kind $4 $5" --json \
		>"$LAB_RESULTS/$kind.replay.json"
	rc=$?
	case $rc in
	0|4) ;;
	*) die "replay of the $kind phase: exit $rc" ;;
	esac
}

t1=$SECONDS
cow_size=$((64 * 2048))
# a small COW store: recovery of one state writes little
dm cow "0 $cow_size linear $cow_dev 0"
export CRASH_COW=/dev/mapper/cow
replay 0 mark:atomic-start
replay mark:atomic-start mark:atomic-end atomic "$atomic_file" "$unit"
replay mark:atomic-end mark:control-start
replay mark:control-start mark:control-end control "$control_file" "$control_unit"
dmsetup remove --noudevsync cow
echo "replay and checks: $((SECONDS - t1)) s"
