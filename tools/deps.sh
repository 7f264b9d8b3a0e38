#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: install every Debian package fio-atomic needs, idempotently,
# as root. Debian 12 ("bookworm") is the target; the few newer packages
# (kernel headers with RWF_ATOMIC and the statx atomic fields, QEMU 10 for
# the lab's NVMe atomic parameters) come from bookworm-backports through a
# sources file this script adds. Never trixie or sid binaries: a mixed
# install upgrades libc and breaks the -dev packages.
set -euo pipefail

sources=/etc/apt/sources.list.d/fio-atomic-backports.sources
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# Package            why
base=(
	gcc make libc6-dev pkg-config	# the build
	clang-14 libclang-rt-14-dev	# make fuzz: libFuzzer with ASan/UBSan
	dpkg-dev ca-certificates	# apt-get source for fio's tree
	debian-archive-keyring
	liburing-dev			# atomic-uring's io_uring submission
	libblkid-dev			# the destructive-write guard's signature probe
	libjson-c-dev			# fio-atomic's JSON output and input
	libnvme-dev nvme-cli		# NVMe Identify (lab, atomic-nvme)
	libsgutils2-dev sg3-utils	# SCSI sense decoding, VPD cross-checks
	libsqlite3-dev			# fio-atomic report's results database
	sqlite3				# tests compare database dumps
	gnuplot-nox			# fio-atomic report html and plots/*.gp
	chromium			# tests render the dashboard headless
	xfsprogs util-linux		# the host target: XFS on a loop device
	busybox-static cpio kmod xz-utils zstd	# the lab VM's initramfs and kernel
	mdadm dmsetup lvm2 e2fsprogs	# the lab's stacked targets and filesystems
	bc coreutils			# test runner arithmetic and timeouts
	jq				# demo, bench and the power-cut harness read JSON
	zlib1g-dev libaio-dev		# fio's optional engines used as peers
)
backports=(
	linux-libc-dev			# RWF_ATOMIC, STATX_WRITE_ATOMIC (6.11+)
	qemu-system-x86			# the lab VM (NVMe atomic.* need QEMU 10)
)

if ! grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release; then
	echo "deps: this is not Debian 12 (bookworm); install the equivalent of:" >&2
	echo "  ${base[*]} ${backports[*]}" | sed 's/#[^ ]*//g' >&2
	exit 1
fi

strip_comments() { printf '%s\n' "$@" | grep -v '^#' | grep -v '^$'; }
mapfile -t base < <(strip_comments "${base[@]}")
mapfile -t backports < <(strip_comments "${backports[@]}")

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q "install ok installed" || echo "$p"
	done
}

# Old headers count as missing: they lack RWF_ATOMIC.
headers_ok() {
	grep -qs RWF_ATOMIC /usr/include/linux/fs.h
}
qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null &&
		qemu-system-x86_64 -device nvme,help 2>/dev/null | grep -q 'atomic.awun'
}

mapfile -t need_base < <(missing "${base[@]}")
need_bp=()
headers_ok || need_bp+=(linux-libc-dev)
qemu_ok || need_bp+=(qemu-system-x86)

if [ ${#need_base[@]} -eq 0 ] && [ ${#need_bp[@]} -eq 0 ]; then
	[ "${1:-}" = --quiet ] || echo "deps: everything is installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing: ${need_base[*]} ${need_bp[*]}" >&2
	echo "deps: run 'make deps' as root to install them" >&2
	exit 1
fi

if [ ! -f "$sources" ]; then
	cat > "$sources" <<EOS
# Added by fio-atomic's 'make deps': newer kernel headers and QEMU only.
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: $keyring
EOS
	updated=0
fi

export DEBIAN_FRONTEND=noninteractive
if [ "${updated:-1}" = 0 ] || [ -z "$(ls /var/lib/apt/lists/*bookworm-backports* 2>/dev/null)" ] ||
   [ ${#need_base[@]} -gt 0 ]; then
	apt-get update -q
fi
if [ ${#need_base[@]} -gt 0 ]; then
	echo "deps: installing ${need_base[*]}"
	apt-get install -y -q --no-install-recommends "${need_base[@]}"
fi
if [ ${#need_bp[@]} -gt 0 ]; then
	echo "deps: installing from bookworm-backports: ${need_bp[*]}"
	apt-get install -y -q --no-install-recommends -t bookworm-backports \
		"${need_bp[@]}"
fi
headers_ok || { echo "deps: linux-libc-dev still lacks RWF_ATOMIC" >&2; exit 1; }
echo "deps: done"
