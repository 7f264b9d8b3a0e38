#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the man pages render without a warning (groff -ww and
# man --warnings), and cannot drift from the tool and the engines:
# fio-atomic(1) has every option of every --help text (the tool's, each
# command's, each report subcommand's and probe's), every command and every
# exit status; fio-atomic-engines(7) has every option fio --enghelp lists
# for each of the four engines, in a section that applies to that engine,
# with fio's default and every value fio accepts.
. "$(dirname "$0")/lib.sh"

command -v groff >/dev/null || fa_skip "groff not found (groff-base)"
command -v man >/dev/null || fa_skip "man not found (man-db)"
fa_require_tool
[ -x "$FIO" ] || fa_skip "no fio at $FIO: run 'make' first"
fa_scratch_dir
S=$FA_SCRATCH
page1=$FA_TOP/man/fio-atomic.1
page7=$FA_TOP/man/fio-atomic-engines.7

# rendered as a reader sees them, at 80 columns
for p in "$page1" "$page7"; do
	name=$(basename "$p")
	warn=$( { groff -ww -man -z "$p"; } 2>&1)
	mwarn=$(MANWIDTH=80 man --warnings -E ascii -l "$p" 2>&1 >"$S/$name.txt")
	if [ -n "$warn$mwarn" ]; then
		fa_fail "$name: warnings: $warn $mwarn"
	elif [ "$(wc -l <"$S/$name.txt")" -lt 100 ]; then
		fa_fail "$name: rendered to $(wc -l <"$S/$name.txt") lines"
	else
		fa_pass "$name renders at 80 columns without a warning ($(wc -l <"$S/$name.txt") lines)"
	fi
done
txt1=$S/fio-atomic.1.txt
txt7=$S/fio-atomic-engines.7.txt

# -- fio-atomic(1) against every --help: the tool's, each command's, each
# probe's and each report subcommand's, as the tool lists them
cmds=$("$FA_TOOL" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
probes=$("$FA_TOOL" probe --help | sed -n '/^probes:/,/^Run/p' | awk '/^  / && NF == 1 { print "probe " $1 }')
subs=$("$FA_TOOL" report --help | grep -oE 'fio-atomic report [a-z]+' | sed 's/fio-atomic //' | sort -u)
helps=("--help")
while read -r c; do
	[ -n "$c" ] && helps+=("$c --help")
done <<<"$cmds
$probes
$subs"
: >"$S/help.txt"
for h in "${helps[@]}"; do
	# shellcheck disable=SC2086
	if ! "$FA_TOOL" $h >>"$S/help.txt" 2>&1; then
		fa_fail "fio-atomic $h: exit $?"
	fi
done
opts=$(grep -oE -- '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' "$S/help.txt" |
	sed 's/^[^-]*//' | sort -u)
missing=()
for o in $opts; do
	grep -qE -- "(^|[^A-Za-z0-9_-])$o([^A-Za-z0-9-]|$)" "$txt1" ||
		missing+=("$o")
done
if [ ${#missing[@]} = 0 ] && [ -n "$opts" ]; then
	fa_pass "fio-atomic(1) has all $(wc -w <<<"$opts") options of ${#helps[@]} --help texts"
else
	fa_fail "fio-atomic(1) lacks ${missing[*]:-every option (none found in --help)}"
fi

# and every long option of the commands' option parsers (getopt_long
# tables), --help or not
popts=$(grep -hoE '\{ "[a-z][a-z-]*", (no|required|optional)_argument' \
	"$FA_TOP"/tools/*.c | sed 's/^{ "/--/; s/".*//' | sort -u)
missing=()
for o in $popts; do
	grep -qE -- "(^|[^A-Za-z0-9_-])$o([^A-Za-z0-9-]|\$)" "$txt1" ||
		missing+=("$o")
done
if [ ${#missing[@]} = 0 ] && [ -n "$popts" ]; then
	fa_pass "fio-atomic(1) has all $(wc -w <<<"$popts") long options of the option parsers"
else
	fa_fail "fio-atomic(1) lacks ${missing[*]:-every option (no parser found)} of the option parsers"
fi

# every command, probe and report subcommand is a subsection
missing=()
n=0
while read -r c; do
	[ -n "$c" ] || continue
	n=$((n + 1))
	grep -qE "^   $c( |\$)" "$txt1" || missing+=("$c")
done <<<"$cmds
$probes
$subs"
if [ ${#missing[@]} = 0 ] && [ $n -ge 9 ]; then
	fa_pass "fio-atomic(1) has a section for each of $n commands"
else
	fa_fail "fio-atomic(1) lacks sections for: ${missing[*]} ($n commands found)"
fi

# every exit status of the tool's --help, in EXIT STATUS
codes=$("$FA_TOOL" --help | sed -n '/^exit status/,/^Run/p' |
	grep -oE '(^|[ ,:])[0-9]( |$)' | tr -dc '0-9\n' | sort -u | xargs)
section=$(sed -n '/^EXIT STATUS/,/^[A-Z]/p' "$txt1")
missing=()
for c in $codes; do
	grep -qE "^       $c( |\$)" <<<"$section" || missing+=("$c")
done
if [ ${#missing[@]} = 0 ] && [ "$(wc -w <<<"$codes")" -ge 10 ]; then
	fa_pass "fio-atomic(1) EXIT STATUS has $codes"
else
	fa_fail "fio-atomic(1) EXIT STATUS lacks ${missing[*]} (statuses: $codes)"
fi

# -- fio-atomic-engines(7) against fio --enghelp
# header ENGINE OPTION: the option's heading line, from the section of every
# engine or from a section whose title names ENGINE
header() {
	awk -v eng="$1" -v opt="$2" '
		/^[A-Z]/ { title = $0; next }
		{
			ok = title == "OPTIONS OF EVERY ENGINE" ||
			     index(title, toupper(eng))
			line = $0
			sub(/^       /, "", line)
			if (ok && $0 ~ /^       [a-z]/ &&
			    (index(line, opt "=") == 1 || index(line, opt " (") == 1))
				print line
		}' "$txt7" | head -n 1
}

checked=0
missing=()
for e in atomic-pvsync2 atomic-uring atomic-nvme atomic-sg; do
	so=$ENGINE_DIR/$e.so
	[ -f "$so" ] || { fa_fail "no engine $so: run 'make'"; continue; }
	for o in $(fa_fio --enghelp="$so" 2>/dev/null | awk '{ print $1 }'); do
		info=$(fa_fio --enghelp="$so,$o" 2>/dev/null)
		def=$(sed -n 's/^ *default: //p' <<<"$info")
		vals=$(sed -n 's/^ *valid values: \([^ ]*\).*/\1/p; s/^ *: \([^ ]*\).*/\1/p' <<<"$info")
		h=$(header "$e" "$o")
		checked=$((checked + 1))
		if [ -z "$h" ]; then
			missing+=("$e:$o")
			continue
		fi
		case $def in
		"") want="(default: " ;;
		"no default") want="(default: off)" ;;
		*) want="(default: $def)" ;;
		esac
		grep -qF -- "$want" <<<"$h" ||
			missing+=("$e:$o default '$def' (heading: $h)")
		for v in $vals; do
			grep -qE -- "[=|]$v([| ]|\$)" <<<"$h" ||
				missing+=("$e:$o value $v (heading: $h)")
		done
	done
done
if [ ${#missing[@]} = 0 ] && [ $checked -ge 30 ]; then
	fa_pass "fio-atomic-engines(7) has all $checked engine options of fio --enghelp, with defaults and values"
else
	fa_fail "fio-atomic-engines(7): ${missing[*]:-} ($checked options checked)"
fi
fa_done
