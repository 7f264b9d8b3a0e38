#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: build everything against Debian 12's own kernel headers
# (linux-libc-dev 6.1: no RWF_ATOMIC, no STATX_WRITE_ATOMIC, no statx atomic
# fields), because users have older distributions. The package is
# downloaded, unpacked under build/ and put first on the include path; the
# system's headers are not touched.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build/old-headers
ver=$(apt-cache policy linux-libc-dev | awk '/^ +[0-9*]/ { v = ($1 == "***") ? $2 : $1; if (v ~ /^6\.1\./) { print v; exit } }')
if [ -z "$ver" ]; then
	echo "check-old-headers: no linux-libc-dev 6.1 in apt's lists (apt-get update?)" >&2
	exit 1
fi
if [ ! -f "$dir/$ver.done" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get download -q "linux-libc-dev=$ver" >/dev/null)
	dpkg -x "$dir"/linux-libc-dev_*.deb "$dir/root"
	touch "$dir/$ver.done"
fi
inc=$dir/root/usr/include
if grep -qs RWF_ATOMIC "$inc/linux/fs.h"; then
	echo "check-old-headers: $ver already has RWF_ATOMIC; nothing to prove" >&2
	exit 1
fi
echo "check-old-headers: building with linux-libc-dev $ver (no RWF_ATOMIC)"
make -s -C "$top" BUILD="$top/build/oldhdr" FIO_SRC="$top/build/fio" \
	CFLAGS="-O2 -g -isystem $inc -isystem $inc/x86_64-linux-gnu" all
echo "check-old-headers: ok"
