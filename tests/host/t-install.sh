#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: make install works without the source tree. A build of its
# own (outside the tree) is installed with make install DESTDIR=ROOT
# PREFIX=/usr, nothing else copied; then, with a working directory, PATH,
# HOME and TMPDIR outside the tree and under strace, the installed
# fio-atomic runs limits and limits --env on a file of an XFS image,
# qualify --quick --steps limits,conformance --html on a directory of it,
# report ingest and report html, and the installed fio runs the installed
# job file with the installed engine: each must succeed, and none may
# open, stat or exec anything in the source tree or the build. The
# installed lab-run and power-cut start. Then make uninstall leaves no file
# in ROOT.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
strace=$(command -v strace) || fa_skip "strace not found: run 'make deps' (strace)"
fa_require_cmd gnuplot:gnuplot-nox
command -v jq >/dev/null || fa_skip "jq not found: run 'make deps' (jq)"

# Everything of this test outside the tree: the tree is what must not be
# reached.
FA_TMP=${TMPDIR:-/tmp}
case $(cd "$FA_TMP" && pwd -P)/ in
"$(cd "$FA_TOP" && pwd -P)"/*) fa_skip "TMPDIR ($FA_TMP) is inside the tree $FA_TOP" ;;
esac
fa_make_xfs 512
S=$FA_SCRATCH
root=$S/root
build=$S/build
fio_src=$(cd "$(dirname "$FIO")" && pwd -P)
# the paths the installed tool must not touch
forbidden=("$FA_TOP" "$(cd "$FA_TOP" && pwd -P)" "$BUILD" "$fio_src" "$build")

start=$(date +%s)
if ! make -s -j2 -C "$FA_TOP" BUILD="$build" FIO_SRC="$fio_src" \
	PREFIX=/usr DESTDIR="$root" install >"$S/install.log" 2>&1; then
	tail -n 20 "$S/install.log"
	fa_fail "make install DESTDIR=$root PREFIX=/usr failed"
	fa_done
fi
files=$(find "$root" -type f | wc -l)
fa_pass "make install DESTDIR=ROOT PREFIX=/usr: $files files ($(( $(date +%s) - start )) s with the build)"
for f in usr/bin/fio-atomic usr/lib/fio-atomic/fio \
	 usr/lib/fio-atomic/atomic-uring.so usr/share/man/man1/fio-atomic.1 \
	 usr/share/man/man7/fio-atomic-engines.7 \
	 usr/share/fio-atomic/plots/qualify-latency.gp \
	 usr/share/fio-atomic/tests/lab/lab-run; do
	[ -e "$root/$f" ] || fa_fail "make install did not install /$f"
done

mkdir -p "$S/cwd" "$S/home" "$S/tmp"
# run NAME CMD...: CMD from outside the tree, its system calls on files
# traced into $S/NAME.strace; its exit status in rc
run() {
	local name=$1
	shift
	(cd "$S/cwd" && env -i PATH="${RUN_PATH:-$root/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin}" \
		HOME="$S/home" TMPDIR="$S/tmp" \
		"$strace" -f -qq -e trace=file -o "$S/$name.strace" "$@" \
		>"$S/$name.out" 2>"$S/$name.err")
	rc=$?
}

# reached NAME: the traced calls that named a path in the tree or the build
reached() {
	local p

	for p in "${forbidden[@]}"; do
		grep -F "\"$p" "$S/$1.strace"
	done | sort -u | head -n 5
}

# expect NAME RC WHAT: the run exited RC and reached nothing
expect() {
	local hits

	hits=$(reached "$1")
	if [ "$rc" != "$2" ]; then
		fa_fail "$3: exit $rc, expected $2"
		tail -n 5 "$S/$1.err" "$S/$1.out"
	elif [ -n "$hits" ]; then
		fa_fail "$3: reached the tree or the build: $hits"
	else
		fa_pass "$3: exit $rc, $(wc -l <"$S/$1.strace") file calls, none in the tree or the build"
	fi
}

touch "$FA_MNT/f"
mkdir "$FA_MNT/q"
run limits fio-atomic limits "$FA_MNT/f"
expect limits 0 "installed fio-atomic limits on XFS"

run env fio-atomic limits --env "$FA_MNT/f"
expect env 0 "installed fio-atomic limits --env"
engines=$(sed -n "s/^FIO_ATOMIC_ENGINES=\${FIO_ATOMIC_ENGINES:-'\?\([^'}]*\)'\?}$/\1/p" "$S/env.out")
[ "$engines" = "$root/usr/lib/fio-atomic" ] &&
	fa_pass "limits --env exports the installed engines: $engines" ||
	fa_fail "limits --env exports FIO_ATOMIC_ENGINES='$engines', expected $root/usr/lib/fio-atomic"

run qualify fio-atomic qualify "$FA_MNT/q" --quick --steps limits,conformance \
	--json "$S/q.json" --html "$S/q"
expect qualify 0 "installed fio-atomic qualify --quick --steps limits,conformance"
grep -q '^verdict: QUALIFIED' "$S/qualify.out" &&
	grep -qF "fio $root/usr/lib/fio-atomic/fio, engines $root/usr/lib/fio-atomic" "$S/qualify.out" &&
	[ -s "$S/q/index.html" ] &&
	fa_pass "qualify ran the installed fio and engines: $(grep '^verdict' "$S/qualify.out")" ||
	fa_fail "qualify: $(grep -E '^(qualify|verdict)' "$S/qualify.out" | tr '\n' ' ') index.html: $(ls "$S/q" 2>&1)"

# gnuplot from PATH: without it, --html stops before the first write
RUN_PATH=$root/usr/bin run nognuplot fio-atomic qualify "$FA_MNT/q" --quick \
	--steps limits --html "$S/q2"
if [ "$rc" = 1 ] && grep -q 'needs gnuplot: none on PATH' "$S/nognuplot.err" &&
   [ ! -e "$S/q2" ] && [ -z "$(ls "$FA_MNT/q")" ]; then
	fa_pass "qualify --html without gnuplot on PATH: exit 1, nothing written: $(cut -c1-100 "$S/nognuplot.err")"
else
	fa_fail "qualify --html without gnuplot: exit $rc, $(cat "$S/nognuplot.err")"
fi

# the installed fio, job file and engine, with the variables of limits --env
run fio bash -c 'eval "$1" && export FIO_ATOMIC_SIZE=4m FIO_ATOMIC_RUNTIME=1 &&
	exec "$3" "$2" --output-format=json --output=fio.json' _ \
	"$(cat "$S/env.out")" \
	"$root/usr/share/fio-atomic/jobs/atomic-seqwrite-pvsync2.fio" \
	"$root/usr/lib/fio-atomic/fio"
expect fio 0 "installed fio with the installed atomic-pvsync2 and job file"
ios=$(jq '[.jobs[].write.total_ios] | add' "$S/cwd/fio.json" 2>/dev/null)
errs=$(jq '[.jobs[].error] | add' "$S/cwd/fio.json" 2>/dev/null)
[ "${ios:-0}" -gt 0 ] && [ "$errs" = 0 ] &&
	fa_pass "the installed engine wrote: $ios atomic writes, error 0" ||
	fa_fail "fio.json: total_ios '$ios', error '$errs'"

run ingest fio-atomic report ingest --db "$S/r.db" "$S/cwd/fio.json"
expect ingest 0 "installed fio-atomic report ingest"
run html fio-atomic report html --db "$S/r.db" --out "$S/site"
expect html 0 "installed fio-atomic report html (installed plots/)"
[ -s "$S/site/fio-atomic.css" ] && [ -s "$S/q/fio-atomic.css" ] &&
	fa_pass "report html and qualify --html copied the installed stylesheet" ||
	fa_fail "no fio-atomic.css beside the pages: $(ls "$S/site" "$S/q" 2>&1 | tr '\n' ' ')"

# the lab is not booted here; its installed scripts start
"$root/usr/share/fio-atomic/tests/lab/power-cut" --help >/dev/null &&
	"$root/usr/share/fio-atomic/tests/lab/lab-run" --help >/dev/null &&
	fa_pass "the installed lab-run and power-cut start" ||
	fa_fail "the installed lab-run or power-cut does not start"
# every file lab-run reads beside itself is installed with it
lab=$root/usr/share/fio-atomic/tests/lab
missing=
for f in $(grep -o '\$LAB_DIR/[a-z][a-z.-]*' "$lab/lab-run" | sort -u); do
	[ -f "$lab/${f#\$LAB_DIR/}" ] || missing+=" ${f#\$LAB_DIR/}"
done
if [ -z "$missing" ]; then
	fa_pass "the files lab-run reads beside itself are installed"
else
	fa_fail "installed lab-run lacks:$missing"
fi
out=$("$lab/lab-run" --stack md-raid0 -- true 2>&1)
if [ $? = 125 ] && [[ $out == *"needs 2 or more"* ]]; then
	fa_pass "the installed lab-run checks its targets (lab-targets.sh)"
else
	fa_fail "the installed lab-run on a stack of one: $out"
fi

start=$(date +%s)
make -s -C "$FA_TOP" BUILD="$build" FIO_SRC="$fio_src" PREFIX=/usr \
	DESTDIR="$root" uninstall >"$S/uninstall.log" 2>&1 ||
	fa_fail "make uninstall failed: $(tail -n 3 "$S/uninstall.log")"
left=$(find "$root" ! -type d | head -n 5)
dirs=$(find "$root" -depth -type d -name fio-atomic | head -n 3)
if [ -z "$left" ] && [ -z "$dirs" ] && [ "$files" -gt 20 ]; then
	fa_pass "make uninstall removed all $files files and the fio-atomic directories"
else
	fa_fail "make uninstall left: $left $dirs"
fi
fa_done
