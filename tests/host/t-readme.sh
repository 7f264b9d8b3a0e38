#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the README says what the tree is: its list of engines is the
# list `make` builds (make print-engines), every local link in the README
# and in docs/ names a file that exists, and the README stays short (at most
# 200 lines; the rest is in docs/).
. "$(dirname "$0")/lib.sh"

readme=$FA_TOP/README.md
want=$(make -s -C "$FA_TOP" print-engines | sort | xargs)
got=$(sed -n '/<!-- engines:/,/^- \*\*One/p' "$readme" |
	grep -o '^  - `atomic-[a-z0-9]*`' | grep -o 'atomic-[a-z0-9]*' |
	sort | xargs)
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	fa_pass "README lists the engines make builds: $got"
else
	fa_fail "README lists '$got', make builds '$want'"
fi

n=$(wc -l <"$readme")
[ "$n" -le 200 ] && fa_pass "README is $n lines" ||
	fa_fail "README is $n lines (at most 200: move detail to docs/)"

bad=0
for f in "$readme" "$FA_TOP"/docs/*.md; do
	dir=$(dirname "$f")
	while read -r link; do
		path=${link%%#*}
		[ -z "$path" ] && continue
		if [ ! -e "$dir/$path" ]; then
			fa_fail "$(basename "$f"): link to $link: no such file"
			bad=$((bad + 1))
		fi
	done < <(grep -o '](\([^)]*\))' "$f" | sed 's/^](//; s/)$//' |
		grep -v '^[a-z]*:' )
done
[ $bad = 0 ] && fa_pass "every local link of README.md and docs/ resolves"
fa_done
