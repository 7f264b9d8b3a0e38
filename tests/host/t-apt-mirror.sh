#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fa_apt_mirror (scripts/apt-mirror.sh), the Debian mirror and
# keyring fetch-fio.sh and deps.sh write into their apt configurations,
# taken from fixture apt directories: a one-line sources.list with
# [signed-by=] options; deb822 .sources with several URIs and suites; the
# entry naming the suite winning over an earlier one; a suite no entry
# names (sid) taking the main archive's mirror, never the security
# archive's or another vendor's; disabled entries, comments, a missing or
# inline Signed-By (Debian's keyring then); nothing configured:
# deb.debian.org. Both scripts take their mirror from it.
. "$(dirname "$0")/lib.sh"

script=$FA_TOP/scripts/apt-mirror.sh
[ -r "$script" ] || fa_fail "no $script"
. "$script"
fa_scratch_dir
keys=$FA_SCRATCH/keys
mkdir -p "$keys"
: >"$keys/mirror.gpg"
def_key=/usr/share/keyrings/debian-archive-keyring.gpg

# etc NAME: a fresh fixture apt directory
etc() {
	E=$FA_SCRATCH/$1
	mkdir -p "$E/sources.list.d"
}

# check DESC SUITE WANT: fa_apt_mirror SUITE on $E must print WANT
check() {
	local got

	got=$(fa_apt_mirror "$2" "$E")
	if [ "$got" = "$3" ]; then
		fa_pass "$1: $got"
	else
		fa_fail "$1: got '$got', want '$3'"
	fi
}

etc oneline
cat >"$E/sources.list" <<EOF
# deb http://commented.example/debian bookworm main
deb-src http://src.example/debian/ bookworm main
deb [arch=amd64 signed-by=$keys/mirror.gpg] http://mirror.example/debian/ bookworm main contrib
deb http://security.example/debian-security bookworm-security main
EOF
check "one-line, the first entry of the suite" bookworm \
	"http://src.example/debian $def_key"
check "one-line, a suite none names: the first main-archive entry" sid \
	"http://src.example/debian $def_key"
sed -i '2d' "$E/sources.list"
check "one-line, [signed-by=] kept, trailing slash dropped" bookworm \
	"http://mirror.example/debian $keys/mirror.gpg"

etc deb822
cat >"$E/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: $keys/mirror.gpg

# a comment between paragraphs
Types: deb deb-src
URIs: http://a.example/debian http://b.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: $keys/missing.gpg

Types: deb
URIs: http://bp.example/debian
Suites: bookworm-backports
Components: main
Signed-By: $keys/mirror.gpg

Enabled: no
Types: deb
URIs: http://off.example/debian
Suites: sid
Components: main
EOF
cat >"$E/sources.list.d/vendor.sources" <<EOF
Types: deb
URIs: https://deb.nodesource.example/node_20.x
Suites: nodistro
Components: main
EOF
echo "deb https://packages.vendor.example/apt cloud-sdk-bookworm main" \
	>"$E/sources.list.d/vendor.list"
check "deb822, the entry naming the suite wins" bookworm-backports \
	"http://bp.example/debian $keys/mirror.gpg"
check "deb822, a missing Signed-By file: Debian's keyring" bookworm-updates \
	"http://a.example/debian $def_key"
check "deb822, sid named only by a disabled entry: the main archive" sid \
	"http://a.example/debian $def_key"

etc inline
cat >"$E/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://inline.example/debian
Suites: trixie
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 xsFNBF...
 -----END PGP PUBLIC KEY BLOCK-----
EOF
check "deb822, an inline key: Debian's keyring" trixie \
	"http://inline.example/debian $def_key"

etc vendors-only
cp "$FA_SCRATCH/deb822/sources.list.d/vendor."* "$E/sources.list.d/"
check "only other vendors: deb.debian.org" bookworm \
	"http://deb.debian.org/debian $def_key"
etc empty
check "nothing configured: deb.debian.org" sid \
	"http://deb.debian.org/debian $def_key"

# fetch-fio.sh and deps.sh write what fa_apt_mirror says
dir=$(dirname "$script")
for s in fetch-fio.sh deps.sh; do
	if grep -q '^[[:space:]]*\. "$(dirname "$0")/apt-mirror.sh"' "$dir/$s" &&
	   grep -q 'read -r mirror keyring < <(fa_apt_mirror ' "$dir/$s" &&
	   ! grep -q 'deb\.debian\.org' "$dir/$s"; then
		fa_pass "$s takes its mirror from apt-mirror.sh"
	else
		fa_fail "$s does not take its mirror from apt-mirror.sh"
	fi
done

fa_done
