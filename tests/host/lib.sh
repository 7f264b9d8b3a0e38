# SPDX-License-Identifier: GPL-2.0
#
# Description: helpers for host-tier tests: scratch XFS-on-loop targets that
# the test makes (and always removes, even when it fails), running the real
# fio with the engines, and assertions that print what they expected.
#
# Tests write only to image files and loop devices they made themselves.

set -uo pipefail

: "${FA_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${BUILD:=$FA_TOP/build}"
: "${FIO:=$BUILD/fio/fio}"
# The power-cut harness of an installed fio-atomic names the installed ones.
: "${ENGINE_DIR:=$BUILD/engines}"
: "${FA_TOOL:=$BUILD/fio-atomic}"
FA_ENGINES=(atomic-pvsync2 atomic-uring)

fa_failures=0
fa_scratch=""
fa_loops=()
fa_mounts=()

fa_skip() {
	echo "SKIP: $*"
	exit 77
}

fa_fail() {
	echo "FAIL: $*"
	fa_failures=$((fa_failures + 1))
}

fa_pass() {
	echo "ok: $*"
}

# fa_stop_pids PID...: SIGTERM each, wait up to 5 s for each, then SIGKILL
# (fio servers of a test: gone before its cleanup unmounts their mount)
fa_stop_pids() {
	local p

	for p in "$@"; do
		kill "$p" 2>/dev/null
	done
	for p in "$@"; do
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
}

# A batch of jobs (one or more) that write with fio's verify and are then
# re-read by fio's own psync engine, in two fio runs instead of two per
# job (under TCG a fio start costs about half a second):
#   fa_batch_reset
#   fa_batch_add NAME [WRITE-ONLY-OPTION...] -- JOB-OPTION...
#   fa_batch_run DESC WRITE-OPTION... -- REREAD-OPTION...
# The jobs run one after another (stonewall), each with its JOB-OPTIONs in
# both runs and its WRITE-ONLY-OPTIONs (engine options) in the write run;
# fa_batch_run's options apply to every job of one run. Give each job a
# region of its own (--offset), so that the re-read finds that job's
# data. Options hold no spaces. fio's JSON gives each job's error: a job
# that failed or did not run is named (a FAIL line each), and when all
# passed one ok line names them. 0 when every job passed both. Jobs of
# different engines share a batch with --ioengine among their
# WRITE-ONLY-OPTIONs (engine options after it).
fa_batch_reset() {
	fa_batch_names=() fa_batch_write=() fa_batch_job=()
}

fa_batch_add() {
	local name=$1 w=()
	shift
	while [ "$1" != -- ]; do
		w+=("$1")
		shift
	done
	shift
	fa_batch_names+=("$name")
	fa_batch_write+=("${w[*]}")
	fa_batch_job+=("$*")
}

# fa_batch_jobs_ok DESC JSON: each job of the batch in JSON with error 0
fa_batch_jobs_ok() {
	local desc=$1 json=$2 name err ok=0

	for name in "${fa_batch_names[@]}"; do
		err=$(jq -r --arg j "$name" '[.jobs[] | select(.jobname == $j)
			| .error] | if length == 1 then .[0] else "(did not run)" end' \
			"$json" 2>/dev/null) || err="(no JSON from fio)"
		[ "$err" = 0 ] && continue
		fa_fail "$desc: $name: error $err"
		ok=1
	done
	return $ok
}

fa_batch_run() {
	local desc=$1 w=() r=() wj=() rj=() i opts
	shift
	fa_scratch_dir
	while [ "$1" != -- ]; do
		w+=("$1")
		shift
	done
	shift
	r=("$@")
	for i in "${!fa_batch_names[@]}"; do
		read -ra opts <<<"${fa_batch_job[i]}"
		rj+=(--name="${fa_batch_names[i]}" --stonewall "${opts[@]}")
		wj+=(--name="${fa_batch_names[i]}" --stonewall "${opts[@]}")
		read -ra opts <<<"${fa_batch_write[i]}"
		wj+=("${opts[@]}")
	done
	fa_fio --output-format=json --output="$FA_SCRATCH/batch-write.json" \
		--verify=crc32c --verify_fatal=1 "${w[@]}" "${wj[@]}" \
		>"$FA_SCRATCH/batch-write.log" 2>&1
	if ! fa_batch_jobs_ok "$desc: write+verify" "$FA_SCRATCH/batch-write.json"; then
		grep -E "fio:|verify" "$FA_SCRATCH/batch-write.log" | head -n 5
		return 1
	fi
	fa_fio --output-format=json --output="$FA_SCRATCH/batch-reread.json" \
		--ioengine=psync --verify=crc32c --verify_fatal=1 \
		--verify_only=1 "${r[@]}" "${rj[@]}" \
		>"$FA_SCRATCH/batch-reread.log" 2>&1
	if ! fa_batch_jobs_ok "$desc: independent re-read" "$FA_SCRATCH/batch-reread.json"; then
		grep -E "fio:|verify" "$FA_SCRATCH/batch-reread.log" | head -n 5
		return 1
	fi
	fa_pass "$desc: ${fa_batch_names[*]}: written, verified, re-read"
}

fa_cleanup() {
	local m l

	for ((i = ${#fa_mounts[@]} - 1; i >= 0; i--)); do
		m=${fa_mounts[$i]}
		# io_uring drops a ring's registered files after its owner
		# exits, in the kernel's own time: a busy mount is waited for
		for try in 1 2 3 4 5 6 7 8 9 10; do
			mountpoint -q "$m" || break
			umount "$m" 2>/dev/null && break
			sleep 0.5
		done
		mountpoint -q "$m" && umount "$m"
	done
	for l in "${fa_loops[@]}"; do
		losetup -d "$l" 2>/dev/null
	done
	[ -n "$fa_scratch" ] && rm -rf "$fa_scratch"
	fa_mounts=() fa_loops=() fa_scratch=""
}
trap fa_cleanup EXIT

fa_require_root() {
	[ "$(id -u)" = 0 ] || fa_skip "needs root to make loop devices and mount XFS"
	command -v losetup >/dev/null || fa_skip "losetup not found (util-linux)"
}

fa_require_fio() {
	[ -x "$FIO" ] || fa_skip "no fio at $FIO: run 'make' first"
	for e in "${FA_ENGINES[@]}"; do
		[ -f "$ENGINE_DIR/$e.so" ] ||
			fa_skip "no engine $ENGINE_DIR/$e.so: run 'make' first"
	done
}

# fa_require_tool: the fio-atomic command is built.
fa_require_tool() {
	[ -x "$FA_TOOL" ] || fa_skip "no $FA_TOOL: run 'make' first"
}

# fa_require_test_tools NAME...: each of tests/tools' programs NAME is built.
fa_require_test_tools() {
	local t

	for t; do
		[ -x "$BUILD/tests/tools/$t" ] ||
			fa_skip "no $BUILD/tests/tools/$t: run 'make' first"
	done
}

# fa_require_cmd CMD[:PACKAGE]...: each CMD is on PATH; 'make deps'
# installs it (from PACKAGE, when its name is not the command's).
fa_require_cmd() {
	local c

	for c; do
		command -v "${c%%:*}" >/dev/null ||
			fa_skip "${c%%:*} not found: run 'make deps'$([[ $c == *:* ]] && echo " (${c#*:})")"
	done
}

# These set globals rather than print: a $(...) subshell would lose the
# cleanup lists and turn fa_skip into a silent return.

# fa_scratch_dir: sets FA_SCRATCH, a directory removed at exit.
fa_scratch_dir() {
	# FA_TMP: the lab guest sees build/ read-only and sets it to /tmp
	local base=${FA_TMP:-$BUILD/test-tmp}

	if [ -z "$fa_scratch" ]; then
		mkdir -p "$base"
		fa_scratch=$(mktemp -d "$base/$(basename "$0" .sh).XXXXXX")
	fi
	FA_SCRATCH=$fa_scratch
}

# fa_loop IMAGE: attach IMAGE to a new loop device; sets FA_LOOP.
fa_loop() {
	FA_LOOP=$(losetup --find --show "$1") ||
		fa_skip "cannot attach a loop device to $1"
	fa_loops+=("$FA_LOOP")
}

# fa_xfs_mount IMAGE MOUNTPOINT SIZE_MB: a fresh sparse XFS image (>= 300
# MB, mkfs.xfs's minimum) on a loop device, mounted, both undone at exit;
# sets FA_LOOP. Atomic writes work on it through XFS's software fallback
# (LAB.md). Returns 1 with the reason in FA_WHY, for callers that are not
# tests (scripts/demo.sh, scripts/bench.sh).
fa_xfs_mount() {
	local img=$1 mnt=$2 size=$3

	if [ "$(id -u)" != 0 ]; then
		FA_WHY="needs root to attach a loop device and mount XFS"
		return 1
	fi
	if ! command -v mkfs.xfs >/dev/null; then
		FA_WHY="mkfs.xfs not found: run 'make deps' (xfsprogs)"
		return 1
	fi
	rm -f "$img"
	if ! truncate -s "${size}M" "$img" || ! mkfs.xfs -q -f "$img"; then
		FA_WHY="mkfs.xfs failed on $img"
		return 1
	fi
	if ! FA_LOOP=$(losetup --find --show "$img"); then
		FA_WHY="cannot attach a loop device to $img"
		return 1
	fi
	fa_loops+=("$FA_LOOP")
	mkdir -p "$mnt"
	if ! mount -t xfs "$FA_LOOP" "$mnt"; then
		FA_WHY="cannot mount XFS from $FA_LOOP on $mnt"
		return 1
	fi
	fa_mounts+=("$mnt")
}

# fa_make_xfs SIZE_MB [NAME]: fa_xfs_mount in the test's scratch directory;
# sets FA_MNT. NAME (default xfs) tells several images of one test apart.
fa_make_xfs() {
	local name=${2:-xfs}

	fa_scratch_dir
	FA_MNT=$FA_SCRATCH/mnt
	[ "$name" = xfs ] || FA_MNT=$FA_SCRATCH/$name.mnt
	fa_xfs_mount "$FA_SCRATCH/$name.img" "$FA_MNT" "$1" || fa_skip "$FA_WHY"
}

# fa_fill FILE SIZE_MB: known random contents, so a test can prove that
# nothing was written.
fa_fill() {
	dd if=/dev/urandom of="$1" bs=1M count="$2" status=none conv=fsync
}

fa_sum() {
	sha256sum "$1" | cut -d' ' -f1
}

# fa_fio ARGS...: the real fio, with the sanitizer runtime preloaded when
# the engines are sanitised builds.
# It runs in the scratch directory (or FA_FIO_DIR): fio's verify and
# tear_check leave files in its working directory.
fa_fio() {
	fa_scratch_dir
	local dir=${FA_FIO_DIR:-$FA_SCRATCH}
	if [ -n "${FA_PRELOAD:-}" ]; then
		(cd "$dir" &&
		 LD_PRELOAD="$FA_PRELOAD" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
			"$FIO" "$@")
	else
		(cd "$dir" && "$FIO" "$@")
	fi
}

# fa_tearscan ARGS...: fio-atomic tearscan; sets out, err and rc.
fa_tearscan() {
	fa_scratch_dir
	out=$("$FA_TOOL" tearscan "$@" 2>"$FA_SCRATCH/tearscan.err")
	rc=$?
	err=$(cat "$FA_SCRATCH/tearscan.err")
}

# fa_expect_rc DESC WANT: the last fa_tearscan's exit status must be WANT.
fa_expect_rc() {
	if [ "$rc" = "$2" ]; then
		fa_pass "$1: exit $rc"
	else
		fa_fail "$1: exit $rc, want $2"
		echo "$out" | tail -n 25
		echo "$err"
	fi
}

# fa_jq_true JQ-ARGS...: jq -e, and jq printed something. jq -e alone
# succeeds on an empty file (no input, no output: exit 0 in jq 1.6), so a
# check of a file that a failed run left empty would pass. Prints what jq
# printed.
fa_jq_true() {
	local out

	out=$(jq -e "$@") && [ -n "$out" ] || return 1
	printf '%s\n' "$out"
}

# fa_expect_json DESC JQ-FILTER [JQ-SHOW]: the filter is true of the JSON
# in $out (as fa_tearscan leaves it); else the failure shows jq's answer
# and the JSON's start, or what JQ-SHOW picks from it.
fa_expect_json() {
	local got

	got=$(jq -e "$2" <<<"$out" 2>&1)
	if [ $? -eq 0 ] && [ "$got" = true ]; then
		fa_pass "$1"
		return
	fi
	fa_fail "$1: '$2' is not true of the JSON (jq says: $got)"
	if [ -z "${3:-}" ] || ! jq -c "$3" <<<"$out" 2>/dev/null; then
		echo "$out" | head -n 40
	fi
}

fa_engine() {
	echo "external:$ENGINE_DIR/$1.so"
}

# fa_expect_refusal DESC FILE PATTERN FIO-ARGS...: the job must fail,
# say PATTERN, and leave FILE's contents as they were.
fa_expect_refusal() {
	local desc=$1 file=$2 pattern=$3 before after out rc
	shift 3

	before=$(fa_sum "$file")
	out=$(fa_fio "$@" 2>&1)
	rc=$?
	after=$(fa_sum "$file")
	# fio 3.33 exits 0 after its own "appears mounted" abort.
	if [ $rc -eq 0 ] && [ "${FA_REFUSAL_RC0:-0}" != 1 ] &&
	   ! grep -q "err=[ ]*[1-9]" <<<"$out"; then
		fa_fail "$desc: fio succeeded; expected a refusal matching '$pattern'"
		echo "$out" | tail -n 5
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		fa_fail "$desc: output lacks '$pattern'"
		echo "$out" | grep -E "fio:|err" | head -n 5
	elif [ "$before" != "$after" ]; then
		fa_fail "$desc: $file changed although the job was refused"
	else
		fa_pass "$desc: refused: $(grep -E -o -- "$pattern.*" <<<"$out" | head -n1 | cut -c1-160)"
	fi
}

fa_done() {
	if [ "$fa_failures" -gt 0 ]; then
		echo "$fa_failures check(s) failed"
		exit 1
	fi
	exit 0
}
