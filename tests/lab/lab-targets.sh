# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # lab-run's option variables
#
# Description: what a stacked target (--stack) and a filesystem (--fs) of
# the lab need, checked by tests/lab/lab-run before it boots: the devices
# under them, the mkfs options that mkfs takes, and the upstream kernel
# version from which each passes atomic writes through (a kernel before it
# is refused, naming the version that can). Sourced by lab-run.

# Upstream versions that first do atomic writes through each: md raid0/1/10
# stack the members' limits and XFS and ext4 take one fs block on hardware
# from 6.13; dm linear, stripe and mirror (and so LVM) from 6.14; XFS
# beyond one block (max_atomic_write=, software fallback) and ext4 beyond
# one block (bigalloc clusters) from 6.16.
declare -A TARGET_SINCE=(
	[md-raid0]=6.13 [md-raid1]=6.13 [md-raid10]=6.13
	[dm-linear]=6.14 [dm-stripe]=6.14 [dm-mirror]=6.14 [lvm]=6.14
	[xfs]=6.13 [ext4]=6.13 [xfs,max_atomic_write]=6.16
	[ext4,bigalloc]=6.16
)

# mkfs.xfs (xfsprogs 6.1 and later) makes no filesystem below 300 MB
XFS_MIN_MB=300

# size_bytes SIZE: "16k" as bytes; empty when it is not a size
size_bytes() {
	local n=${1%[kKmM]} mult=1

	[[ $n =~ ^[0-9]+$ ]] || return 0
	case ${1: -1} in
	k | K) mult=1024 ;;
	m | M) mult=$((1024 * 1024)) ;;
	esac
	echo $((n * mult))
}

# pow2 N: N is a power of two
pow2() {
	(($1 > 0 && ($1 & ($1 - 1)) == 0))
}

# target_mb: the size in MiB of the device the filesystem is made on
target_mb() {
	local each

	case $fs_on in
	nvme) echo "$nvme_size_mb"; return ;;
	scsi) echo "$sd_size_mb"; return ;;
	esac
	if [ "$stack_on" = scsi ]; then each=$sd_size_mb; else each=$nvme_size_mb; fi
	case $stack in
	md-raid1 | dm-mirror) echo "$each" ;;
	md-raid10) echo $((members * each / 2)) ;;
	*) echo $((members * each)) ;;
	esac
}

# check_fs_options: each option of --fs as mkfs and mount take it
check_fs_options() {
	local type=${fs%%,*} o key val bytes bs=4096 cluster=

	for o in $(tr ',' ' ' <<<"${fs#"$type"}"); do
		key=${o%%=*} val=${o#*=}
		bytes=$(size_bytes "$val")
		pow2 "${bytes:-0}" ||
			die "--fs $fs: $key=$val is not a power of two"
		case $type,$key in
		xfs,bs)
			((bytes >= 512 && bytes <= 65536)) ||
				die "--fs $fs: mkfs.xfs takes block sizes of 512 to 64k, not $val"
			bs=$bytes ;;
		ext4,bs)
			((bytes >= 1024 && bytes <= 65536)) ||
				die "--fs $fs: mkfs.ext4 takes block sizes of 1k to 64k, not $val"
			bs=$bytes ;;
		xfs,max_atomic_write) cluster=$bytes ;;
		ext4,bigalloc) cluster=$bytes ;;
		esac
	done
	if [ -n "$cluster" ] && ((cluster <= bs)); then
		case $type in
		xfs) die "--fs $fs: max_atomic_write must be more than the block size ($bs): one block needs no option" ;;
		ext4) die "--fs $fs: mkfs.ext4 -C wants a cluster larger than the block size ($bs)" ;;
		esac
	fi
	if [ -n "$cluster" ] && [ "$type" = ext4 ] &&
	   ((cluster / bs > 65536)); then
		die "--fs $fs: a bigalloc cluster holds at most 65536 blocks"
	fi
	if [ "$type" = xfs ] && (($(target_mb) < XFS_MIN_MB)); then
		die "--fs $fs on $fs_on: mkfs.xfs wants $XFS_MIN_MB MB or more, the device has $(target_mb) MB" \
			"(--nvme-size-mb or --sd-size-mb; sparse NVMe images cost nothing)"
	fi
}

# check_targets: --stack and --fs against the devices, before a kernel is
# chosen; sets stack_on, members and fs_on.
check_targets() {
	[ "$sd_hosts" -ge 1 ] || die "--sd-hosts wants 1 or more, got $sd_hosts"
	[ "$nvme_namespaces" -ge 1 ] ||
		die "--nvme-namespaces wants 1 or more, got $nvme_namespaces"
	if [ -n "$stack" ]; then
		if [ -z "$stack_on" ]; then
			if [ "$sd_hosts" -gt 1 ]; then stack_on=scsi; else stack_on=nvme; fi
		fi
		if [ "$stack_on" = scsi ]; then
			members=$sd_hosts
			[ "$sd" = 1 ] || die "--stack-on scsi needs --scsi-debug on"
		else
			members=$nvme_namespaces
			[ "$nvme" = 1 ] || die "--stack-on nvme needs --nvme on"
		fi
		[ "$members" -ge 2 ] ||
			die "--stack $stack on $stack_on has $members member(s), it needs 2 or more" \
				"(--sd-hosts N or --nvme-namespaces N)"
		[ "$stack" != dm-mirror ] || [ "$members" -le 2 ] ||
			die "--stack dm-mirror takes 2 members, $stack_on has $members"
	elif [ -n "$stack_on" ]; then
		die "--stack-on $stack_on without --stack"
	fi
	if [ -n "$fs" ]; then
		[ -n "$fs_on" ] || { [ -n "$stack" ] && fs_on=stack; } || fs_on=nvme
		[ "$fs_on" != stack ] || [ -n "$stack" ] || die "--fs-on stack without --stack"
		[ "$fs_on" != scsi ] || [ "$sd" = 1 ] || die "--fs-on scsi needs --scsi-debug on"
		[ "$fs_on" != nvme ] || [ "$nvme" = 1 ] || die "--fs-on nvme needs --nvme on"
		local opt_re='^(xfs(,(bs|max_atomic_write)=[0-9]+[kKmM]?)*|ext4(,(bs|bigalloc)=[0-9]+[kKmM]?)*)$'
		[[ $fs =~ $opt_re ]] ||
			die "--fs $fs: options are xfs[,bs=SIZE][,max_atomic_write=SIZE] or ext4[,bs=SIZE][,bigalloc=SIZE]"
		check_fs_options
	elif [ -n "$fs_on" ]; then
		die "--fs-on $fs_on without --fs"
	fi
}

# check_targets_kernel ABI: the kernel (7.3.4+deb13-amd64) does what
# --stack and --fs ask for, else the refusal names the version that does.
check_targets_kernel() {
	local ver=${1%%[+-]*} what since
	local -a asked=()

	[ -z "$stack" ] || asked+=("$stack")
	if [ -n "$fs" ]; then
		asked+=("${fs%%,*}")
		[[ $fs != *max_atomic_write=* ]] || asked+=("xfs,max_atomic_write")
		[[ $fs != *bigalloc=* ]] || asked+=("ext4,bigalloc")
	fi
	for what in "${asked[@]}"; do
		since=${TARGET_SINCE[$what]}
		printf '%s\n' "$since" "$ver" | sort -V -C ||
			die "${what/,/ with }: atomic writes from Linux $since on;" \
				"kernel $1 is $ver (--kernel 7.3 does)"
	done
}
