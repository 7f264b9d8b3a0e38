# SPDX-License-Identifier: GPL-2.0
#
# Description: the Debian mirror this machine's apt already uses, for the
# private apt configurations of fetch-fio.sh and deps.sh (sourced by both;
# not a command).
#
#   fa_apt_mirror SUITE [APT_ETC]   prints "URI KEYRING" on one line
#
# Reads APT_ETC (default /etc/apt)/sources.list, sources.list.d/*.list
# (one-line style) and sources.list.d/*.sources (deb822), enabled entries
# only. The entry listing SUITE wins; else the first entry of Debian's main
# archive for any Debian suite (bookworm, bookworm-updates, sid, ...: the
# archive serves every suite), never a security archive or another
# vendor's. KEYRING is the entry's Signed-By file when it names one that
# exists, else Debian's archive keyring. Without any such entry:
# http://deb.debian.org/debian.

FA_APT_DEFAULT_URI=http://deb.debian.org/debian
FA_APT_DEFAULT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# Every enabled entry as "URI<TAB>SUITE<TAB>SIGNED-BY", one per suite.
fa_apt_entries() {
	local etc=$1 f

	for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk '
		{ sub(/#.*/, "") }
		$1 != "deb" && $1 != "deb-src" { next }
		{
			signed = ""; i = 2
			if ($2 ~ /^\[/) {
				# options up to the closing bracket
				for (; i <= NF; i++) {
					o = $i; gsub(/[][]/, "", o)
					if (o ~ /^signed-by=/) {
						signed = substr(o, 11)
					}
					if ($i ~ /\]$/) { i++; break }
				}
			}
			if (i + 1 <= NF)
				printf "%s\t%s\t%s\n", $i, $(i + 1), signed
		}' "$f"
	done
	for f in "$etc"/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
		function flush(   n, u, s, i, j) {
			if (types ~ /(^| )deb(-src)?( |$)/ && enabled !~ /^(no|false|0)$/) {
				n = split(uris, u, " ")
				m = split(suites, s, " ")
				for (i = 1; i <= n; i++)
					for (j = 1; j <= m; j++)
						printf "%s\t%s\t%s\n", u[i], s[j], signed
			}
			types = uris = suites = signed = enabled = ""; key = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ {
			# a continuation line: only multi-valued fields grow
			v = $0; sub(/^[ \t]+/, "", v)
			if (key == "uris") uris = uris " " v
			else if (key == "suites") suites = suites " " v
			else if (key == "signed-by" && signed !~ /^\//) signed = "inline"
			next
		}
		{
			key = tolower($0); sub(/:.*/, "", key)
			v = $0; sub(/^[^:]*:[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
			if (key == "types") types = v
			else if (key == "uris") uris = v
			else if (key == "suites") suites = v
			else if (key == "enabled") enabled = tolower(v)
			else if (key == "signed-by") signed = v
		}
		END { flush() }' "$f"
	done
}

# A suite of Debian's main archive (not -security, not another vendor's).
fa_apt_debian_suite() {
	case ${1%%-*} in
	buster|bullseye|bookworm|trixie|forky|duke|sid|experimental|\
	oldoldstable|oldstable|stable|testing|unstable) ;;
	*) return 1 ;;
	esac
	case $1 in
	*-security) return 1 ;;
	esac
}

fa_apt_mirror() {
	local suite=$1 etc=${2:-/etc/apt} uri s signed best= best_key=

	while IFS=$'\t' read -r uri s signed; do
		fa_apt_debian_suite "$s" || continue
		if [ "$s" = "$suite" ] || [ -z "$best" ]; then
			best=${uri%/}
			best_key=$signed
			[ "$s" = "$suite" ] && break
		fi
	done < <(fa_apt_entries "$etc")
	case $best_key in
	/*) [ -r "$best_key" ] || best_key= ;;
	*) best_key= ;;
	esac
	echo "${best:-$FA_APT_DEFAULT_URI} ${best_key:-$FA_APT_DEFAULT_KEYRING}"
}
