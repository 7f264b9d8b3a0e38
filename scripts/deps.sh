#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: install the Debian packages fio-atomic needs, idempotently,
# as root, by group:
#   build  compile fio, the engines and the tool
#   demo   what make demo and make bench run on the host (XFS on a loop
#          device, jq, gnuplot for qualify --html)
#   lab    the lab VM (QEMU, the initramfs, SCSI and NVMe peer tools)
#   test   what only the tests use (fuzzing, the dashboard's headless
#          browser, database dumps, strace, man); make check asks for all four
#
#   scripts/deps.sh [--quiet] [GROUP...]     (no GROUP: every group)
#
# Debian 12 ("bookworm") is the target; the few newer packages
# (kernel headers with RWF_ATOMIC and the statx atomic fields, QEMU 10 for
# the lab's NVMe atomic parameters) come from bookworm-backports through a
# sources file this script adds. Never trixie or sid binaries: a mixed
# install upgrades libc and breaks the -dev packages.
set -euo pipefail

sources=/etc/apt/sources.list.d/fio-atomic-backports.sources

# Package            why
build=(
	gcc make libc6-dev pkg-config	# the build
	dpkg-dev ca-certificates	# apt-get source for fio's tree
	debian-archive-keyring
	liburing-dev			# atomic-uring's io_uring submission
	libblkid-dev			# the destructive-write guard's signature probe, a disk's whole disk
	libmount-dev			# the mount table: the guard, the run context's filesystem
	libjson-c-dev			# fio-atomic's JSON output and input
	libnvme-dev			# NVMe Identify (atomic-nvme, limits)
	libsgutils2-dev			# SCSI sense decoding and VPD (atomic-sg, limits)
	libsqlite3-dev			# fio-atomic report's results database
	zlib1g-dev libaio-dev		# fio's optional engines used as peers
)
demo=(
	xfsprogs util-linux		# the host target: XFS on a loop device
	gnuplot-nox			# qualify --html, report html and plots/*.gp
	jq				# demo, bench and the power-cut harness read JSON
	bc coreutils			# bench's arithmetic and timeouts
)
lab=(
	busybox-static cpio kmod xz-utils zstd	# the lab VM's initramfs and kernel
	nvme-cli sg3-utils		# the lab's cross-checks of NVMe and SCSI limits
	mdadm dmsetup lvm2 e2fsprogs	# the lab's stacked targets and filesystems
	jq				# the power-cut harness reads tearscan's JSON
)
test=(
	clang-14 libclang-rt-14-dev	# make fuzz: libFuzzer with ASan/UBSan
	sqlite3				# tests compare database dumps
	python3-prometheus-client	# tests parse report export --openmetrics
	chromium			# tests render the dashboard headless
	strace				# t-install: the installed tool opens nothing in the tree
	man-db groff-base		# t-man: the man pages render without warnings
)
# Backports, by group: newer kernel headers for every build, QEMU 10 for
# the lab only.
build_bp=(linux-libc-dev)		# RWF_ATOMIC, STATX_WRITE_ATOMIC (6.11+)
lab_bp=(qemu-system-x86)		# the lab VM (NVMe atomic.* need QEMU 10)

quiet=0
if [ "${1:-}" = --quiet ]; then
	quiet=1
	shift
fi
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build demo lab test)
base=()
backports=()
for g in "${groups[@]}"; do
	case $g in
	build)	base+=("${build[@]}") backports+=("${build_bp[@]}") ;;
	demo)	base+=("${demo[@]}") ;;
	lab)	base+=("${lab[@]}") backports+=("${lab_bp[@]}") ;;
	test)	base+=("${test[@]}") ;;
	*)	echo "deps: unknown group '$g' (build, demo, lab, test)" >&2
		exit 2 ;;
	esac
done

if ! grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release; then
	echo "deps: this is not Debian 12 (bookworm); install the equivalent of:" >&2
	echo "  ${base[*]} ${backports[*]}" | sed 's/#[^ ]*//g' >&2
	exit 1
fi

strip_comments() { printf '%s\n' "$@" | grep -v '^#' | grep -v '^$'; }
mapfile -t base < <(strip_comments "${base[@]}" | sort -u)
mapfile -t backports < <(strip_comments "${backports[@]}" | sort -u)

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
for p in "${backports[@]}"; do
	case $p in
	linux-libc-dev)	headers_ok || need_bp+=("$p") ;;
	qemu-system-x86) qemu_ok || need_bp+=("$p") ;;
	esac
done

if [ ${#need_base[@]} -eq 0 ] && [ ${#need_bp[@]} -eq 0 ]; then
	[ $quiet = 1 ] || echo "deps: everything is installed (${groups[*]})"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing: ${need_base[*]} ${need_bp[*]}" >&2
	echo "deps: run 'make deps' as root to install them" >&2
	exit 1
fi

if [ ! -f "$sources" ]; then
	# the machine's own Debian mirror and keyring (scripts/apt-mirror.sh)
	. "$(dirname "$0")/apt-mirror.sh"
	read -r mirror keyring < <(fa_apt_mirror bookworm-backports)
	cat > "$sources" <<EOS
# Added by fio-atomic's 'make deps': newer kernel headers and QEMU only.
Types: deb
URIs: $mirror
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
if [[ " ${backports[*]} " = *" linux-libc-dev "* ]] && ! headers_ok; then
	echo "deps: linux-libc-dev still lacks RWF_ATOMIC" >&2
	exit 1
fi
echo "deps: done"
