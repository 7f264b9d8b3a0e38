#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fetch a fio source tree from Debian's package registry and
# build it, so that external engines are compiled against the very fio that
# loads them (fio checks FIO_IOOPS_VERSION only; thread_data must match).
#
#   scripts/fetch-fio.sh DEST SUITE [VERSION]
#
# SUITE is a Debian suite (bookworm, sid, ...). apt runs with a private
# configuration under build/apt so the system's sources are never touched;
# it uses the Debian mirror those sources name (scripts/apt-mirror.sh).
# Exit status: 0 built, 1 error, 77 the source could not be had (the caller
# decides whether that is fatal).
set -euo pipefail

dest=${1:?usage: fetch-fio.sh DEST SUITE [VERSION]}
suite=${2:?usage: fetch-fio.sh DEST SUITE [VERSION]}
want=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
aptdir=$top/build/apt/$suite
jobs=$(nproc 2>/dev/null || echo 2)

die() { echo "fetch-fio: $*" >&2; exit 1; }
unavailable() { echo "fetch-fio: $*" >&2; exit 77; }

if [ -x "$dest/fio" ] && [ -f "$dest/.fio-atomic-built" ]; then
	exit 0
fi

for tool in apt-get dpkg-source make gcc; do
	command -v "$tool" >/dev/null ||
		die "$tool not found: run 'make deps' as root first"
done

mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" \
	"$aptdir/src"
# the machine's own Debian mirror and keyring (scripts/apt-mirror.sh)
. "$(dirname "$0")/apt-mirror.sh"
read -r mirror keyring < <(fa_apt_mirror "$suite")
[ -r "$keyring" ] || die "$keyring missing: install debian-archive-keyring"
cat > "$aptdir/sources.list" <<EOS
deb-src [signed-by=$keyring] $mirror $suite main
EOS
apt_opts=(-o "Dir::Etc::SourceList=$aptdir/sources.list"
	  -o "Dir::Etc::SourceParts=/dev/null"
	  -o "Dir::State::Lists=$aptdir/lists"
	  -o "Dir::Cache=$aptdir/cache"
	  -o "APT::Sandbox::User=root" -q)

if ! apt-get "${apt_opts[@]}" update >"$aptdir/update.log" 2>&1; then
	unavailable "cannot read the $suite source index (see $aptdir/update.log)"
fi
if [ -z "$want" ]; then
	want=$(apt-cache "${apt_opts[@]}" showsrc fio 2>/dev/null |
	       awk '/^Version:/ { print $2 }' | sort -V | tail -n1)
	[ -n "$want" ] || unavailable "no fio source package in $suite"
fi
upstream=${want%-*}
upstream=${upstream#*:}

cd "$aptdir/src"
# The Debian packaging part of a sid upload is sometimes gone from the mirror
# while the upstream tarball is still there; only the upstream tree is needed.
apt-get "${apt_opts[@]}" source --download-only "fio=$want" \
	>"$aptdir/source.log" 2>&1 || true
tarball=$(ls fio_"$upstream".orig.tar.* 2>/dev/null | head -n1 || true)
[ -n "$tarball" ] ||
	unavailable "fio $want source could not be downloaded from $suite (see $aptdir/source.log)"

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xf "$tarball" -C "$dest.tmp" --strip-components=1 ||
	die "cannot unpack $tarball"
cd "$dest.tmp"
# Only what the engines and the tests need: no GUI, no optional engines that
# would pull in more -dev packages than the project documents.
./configure --disable-native >configure.log 2>&1 ||
	die "fio configure failed, see $dest.tmp/configure.log"
make -j"$jobs" fio >build.log 2>&1 || die "fio build failed, see $dest.tmp/build.log"
echo "$want" > .fio-atomic-built
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "fetch-fio: fio $want from $suite built in $dest"
