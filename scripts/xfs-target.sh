# SPDX-License-Identifier: GPL-2.0
#
# Description: the built-in default target of demo and bench: an XFS image
# under build/ on a loop device, mounted, where atomic writes work through
# XFS's software fallback. Sourced; fa_target_up sets FA_TARGET_MNT and
# registers its own teardown.

fa_target_mnt=""
fa_target_loop=""

fa_target_down() {
	if [ -n "$fa_target_mnt" ] && mountpoint -q "$fa_target_mnt"; then
		umount "$fa_target_mnt"
	fi
	[ -n "$fa_target_loop" ] && losetup -d "$fa_target_loop" 2>/dev/null
	fa_target_mnt="" fa_target_loop=""
}

# fa_target_up DIR SIZE_MB
fa_target_up() {
	local dir=$1 img=$1/xfs.img

	if [ "$(id -u)" != 0 ]; then
		echo "$(basename "$0"): needs root to attach a loop device and mount XFS" >&2
		exit 1
	fi
	mkdir -p "$dir/mnt"
	rm -f "$img"
	truncate -s "${2}M" "$img"
	mkfs.xfs -q -f "$img"
	fa_target_loop=$(losetup --find --show "$img")
	trap fa_target_down EXIT
	mount -t xfs "$fa_target_loop" "$dir/mnt"
	fa_target_mnt=$dir/mnt
	FA_TARGET_MNT=$dir/mnt
}
