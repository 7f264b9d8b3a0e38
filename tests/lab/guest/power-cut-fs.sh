#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM for tests/lab/power-cut --fs, one
# phase per boot on the same NVMe image:
#
#   power-cut-fs.sh write ENGINES UNITS CONTROL
#	boot 1, with lab-run --fs (the filesystem made on the namespace and
#	mounted at $LAB_FS_DIR). The file system's atomic write limits are
#	read with fio-atomic limits --json on a file (statx: unit_min,
#	unit_max, unit_max_opt) and each word of UNITS (comma-separated)
#	resolved: hw, the largest unit of the hardware path (unit_max_opt;
#	ext4, which has no software fallback and leaves unit_max_opt 0:
#	unit_max), sw, the largest unit above unit_max_opt (XFS's software
#	fallback: unit_max), or a size. Then for each engine of ENGINES and
#	each unit one file of 128 units (laid out with zeroes, durable) and
#	one writer on it in the background: random stamped writes, iodepth
#	8, O_DIRECT and O_DSYNC (sync=dsync: each write durable when it
#	completes), tear_check=1, an acknowledged-write log in
#	$LAB_RESULTS/acks.TAG. Once every writer has logged a write,
#	$LAB_RESULTS/writing is made: lab-run --power-cut-after starts the
#	cut's clock there. CONTROL=1: one writer, plain 256 KiB writes
#	(rwf_atomic=0, atomic-uring) on a queue lowered to max_sectors_kb=4
#	and nr_requests=4, so each write reaches the device as 64 requests
#	over many rounds; without O_DSYNC, as a stream (with it, a cut
#	found no write half done in one run of three: the writes wait on
#	flushes between bursts). What it found goes to $LAB_RESULTS: fs.env,
#	limits.json, jobs ("TAG ENGINE WORD UNIT PATH" per writer started,
#	"- ENGINE WORD - N/A REASON" per one that cannot be), fio.TAG.log.
#	Exit 3 when no writer could start (every unit N/A).
#   power-cut-fs.sh scan KIND MOUNT_OPTS TAG:UNIT...
#	boot 2: mount the filesystem (log recovery), fio-atomic tearscan
#	--after crash of each file with its logs (scan.TAG.json and
#	scan.TAG.rc), unmount. Exit 0 when every file was scanned (torn
#	units and lost writes are results, not errors), 2 otherwise.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

ns=${LAB_NVME_NS:?no NVMe namespace in the lab VM}
R=$LAB_RESULTS
phase=${1:-}
shift

die() {
	echo "power-cut-fs: $*" >&2
	exit 2
}

if [ "$phase" = scan ]; then
	[ $# -ge 3 ] || die "usage: power-cut-fs.sh scan KIND MOUNT_OPTS TAG:UNIT..."
	kind=$1 mopts=$2
	shift 2
	mnt=/tmp/pc-fs
	mkdir -p "$mnt"
	t0=$EPOCHREALTIME
	mount -t "$kind" ${mopts:+-o "$mopts"} "$ns" "$mnt" 2>/tmp/mount.err ||
		die "mount -t $kind ${mopts:+-o $mopts }$ns after the cut failed: $(cat /tmp/mount.err)"
	echo "mount (log recovery): $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }') s" >"$R/mount.time"
	bad=
	for job in "$@"; do
		tag=${job%%:*} unit=${job#*:}
		acks=()
		for f in "$R/acks.$tag".*; do
			[ -f "$f" ] && acks+=("$f")
		done
		"$FA_TOOL" tearscan "$mnt/$tag.dat" --unit "$unit" \
			--after crash --json ${acks[0]+--acks "${acks[@]}"} \
			>"$R/scan.$tag.json" 2>"$R/scan.$tag.err"
		rc=$?
		echo "$rc" >"$R/scan.$tag.rc"
		case $rc in
		0|5|6) ;;
		*) bad+=" $tag (tearscan exit $rc: $(head -c 200 "$R/scan.$tag.err"))" ;;
		esac
	done
	umount "$mnt" || die "cannot unmount $mnt"
	[ -z "$bad" ] || die "not scanned:$bad"
	exit 0
fi

[ "$phase" = write ] && [ $# = 3 ] ||
	die "usage: power-cut-fs.sh write ENGINES UNITS CONTROL"
engines=$1 words=$2 control=$3
dir=${LAB_FS_DIR:?no LAB_FS_DIR: boot with lab-run --fs}
fa_scratch_dir
{
	echo "kernel=$(uname -r)"
	echo "kind=$LAB_FS"
	echo "mkfs=$LAB_FS_MKFS"
	echo "mount_opts=$LAB_FS_MOUNT_OPTS"
} >"$R/fs.env"

# The limits of a file on this filesystem: statx's, which RWF_ATOMIC obeys.
head -c 1048576 /dev/zero >"$dir/limits.probe" && sync ||
	die "cannot make $dir/limits.probe"
"$FA_TOOL" limits --json "$dir/limits.probe" >"$R/limits.json"
lim() { jq -r ".limits.$1.statx.value // 0" "$R/limits.json"; }
umin=$(lim unit_min) umax=$(lim unit_max) uopt=$(lim unit_max_opt)

# resolve WORD: sets unit, path and why (empty unit: N/A, why says so)
resolve() {
	unit='' path='' why=''
	if [ "$umax" = 0 ]; then
		why="a file on $LAB_FS takes no atomic writes on $(uname -r) (statx unit_max 0)"
		return 0
	fi
	case $1 in
	hw)
		if [ "$uopt" -gt 0 ]; then
			unit=$uopt
		elif [ "$LAB_FS" = ext4 ] && [ "$umax" -gt 0 ]; then
			unit=$umax
		else
			why="no hardware path: statx unit_max_opt is 0 on $LAB_FS (unit_max $umax)"
		fi
		;;
	sw)
		if [ "$LAB_FS" != xfs ]; then
			why="$LAB_FS has no software fallback: atomic writes only as the device makes them (unit_max $umax)"
		elif [ "$uopt" -gt 0 ] && [ "$umax" -gt "$uopt" ]; then
			unit=$umax
		else
			why="no unit above unit_max_opt $uopt (unit_max $umax): mount with a larger max_atomic_write"
		fi
		;;
	*)	unit=$1 ;;
	esac
	[ -n "$unit" ] || return 0
	if [ "$umax" -lt "$unit" ] || [ "$umin" -gt "$unit" ]; then
		why="$unit-byte writes are outside the file's atomic unit $umin..$umax (statx, $(uname -r))"
		unit=
	elif [ "$uopt" -gt 0 ]; then
		# the kernel's own split: up to unit_max_opt a REQ_ATOMIC bio
		[ "$unit" -le "$uopt" ] && path=hardware || path=software_fallback
	elif [ "$LAB_FS" = ext4 ]; then
		path=hardware
	else
		path=unknown
	fi
}

tags=() units=() extra=()
: >"$R/jobs"
add() { # TAG ENGINE UNIT [FIO-ARGS...]: a writer to start
	tags+=("$1")
	units+=("$2 $3")
	shift 3
	extra+=("$*")
}

if [ "$control" = 1 ]; then
	u=262144
	echo "control atomic-uring control $u plain" >>"$R/jobs"
	q=/sys/block/$(basename "$ns")/queue
	echo 4 >"$q/max_sectors_kb" && echo 4 >"$q/nr_requests" ||
		die "cannot lower $q/max_sectors_kb and nr_requests"
	add control atomic-uring "$u" --rwf_atomic=0 --sync=0
else
	for w in ${words//,/ }; do
		resolve "$w"
		for e in ${engines//,/ }; do
			if [ -z "$unit" ]; then
				echo "- $e $w - N/A $why" >>"$R/jobs"
				continue
			fi
			echo "$e.$unit $e $w $unit $path" >>"$R/jobs"
			# two words, one unit (hw = sw): one writer
			[[ " ${tags[*]} " == *" $e.$unit "* ]] ||
				add "$e.$unit" "$e" "$unit"
		done
	done
fi
[ ${#tags[@]} -gt 0 ] || exit 3

# Each file written, not fallocated (unwritten extents would make every
# overwrite an allocation), and durable with its directory entry before
# the first stamped write.
for i in "${!tags[@]}"; do
	read -r e u <<<"${units[$i]}"
	dd if=/dev/zero of="$dir/${tags[$i]}.dat" bs="$u" count=128 \
		status=none || die "cannot lay out $dir/${tags[$i]}.dat"
done
sync
pids=()
for i in "${!tags[@]}"; do
	read -r e u <<<"${units[$i]}"
	t=${tags[$i]}
	# shellcheck disable=SC2086 # extra holds separate words
	fa_fio --name=w --filename="$dir/$t.dat" \
		--ioengine="$(fa_engine "$e")" --rw=randwrite --bs="$u" \
		--size=$((128 * u)) --iodepth=8 --direct=1 --sync=dsync \
		--time_based --runtime=3600 --tear_check=1 \
		--tear_ack_log="$R/acks.$t" --tear_report="/tmp/$t.tear.json" \
		${extra[$i]} >"$R/fio.$t.log" 2>&1 &
	pids+=($!)
done

# The cut's window opens once every writer has an acknowledged write.
for ((i = 0; i < 600; i++)); do
	n=0
	for t in "${tags[@]}"; do
		for f in "$R/acks.$t".*; do
			[ -s "$f" ] && n=$((n + 1)) && break
		done
	done
	[ "$n" = ${#tags[@]} ] && break
	for p in "${pids[@]}"; do
		kill -0 "$p" 2>/dev/null && continue
		echo "a writer ended before its first acknowledged write:" >&2
		tail -n 5 "$R"/fio.*.log >&2
		exit 1
	done
	sleep 0.1
done
: >"$R/writing"
wait -n "${pids[@]}"
echo "a writer ended before the power cut (exit $?)" >&2
tail -n 5 "$R"/fio.*.log >&2
exit 1
