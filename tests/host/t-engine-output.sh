#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the engines leave fio's own output intact and write one
# versioned job report per job (docs/job-report.md). For atomic-pvsync2 and
# atomic-uring on XFS: a conformance run with --output-format=json and
# json+ parses with jq and its per-rule counts are in each job's report
# (conformance.rules[]); with --output=FILE the human lines are in FILE
# and stdout is empty; a refused job (bs=24k) has error 125 (ECANCELED) in
# fio's JSON, a "refused" report naming rule pow2, and leaves nothing
# behind; the report's context names the loop disk (no model, serial or
# firmware), the XFS with its options (the VFS's and XFS's own) and the
# statx limits; a report path in a missing directory fails the job before
# its first write; two jobs naming one report are refused; default names
# never collide between runs and land beside --output; with registerfiles
# the report names its file.

. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_require_cmd jq
fa_make_xfs 1024
S=$FA_SCRATCH

# jq_file FILE FILTER: the filter must hold on FILE (a JSON document)
jq_true() {
	fa_jq_true "$2" "$1" >/dev/null 2>&1
}

# fio's JSON on stdout, whole. A synchronous engine's first illegal direct
# write makes fio itself print "first direct IO errored" before its JSON,
# with its own engines as with ours; nothing else may precede it.
json_of() {
	local out=$1 engine=$2
	if [ "$engine" = atomic-pvsync2 ]; then
		grep -v '^fio: first direct IO errored' "$out"
	else
		cat "$out"
	fi
}

conformance_job() {
	cat <<-EOF
	[global]
	ioengine=$(fa_engine "$1")
	direct=1
	filename=$FA_MNT/conf
	atomic_validate=off
	continue_on_error=write
	ignore_error=EIO,22:95
	rw=write
	atomic_report=$2/\$jobname.json
	stonewall

	[not-power-of-two]
	bs=24k
	size=384k

	[misaligned]
	bs=16k
	offset=4k
	size=256k
	EOF
}

for engine in "${FA_ENGINES[@]}"; do
	for fmt in json json+; do
		d=$S/$engine-$fmt
		mkdir -p "$d"
		conformance_job "$engine" "$d" >"$d/conf.fio"
		FA_FIO_DIR=$d fa_fio --output-format="$fmt" conf.fio \
			>"$d/stdout" 2>"$d/stderr"
		rc=$?
		if [ $rc != 0 ]; then
			fa_fail "$engine $fmt: fio exit $rc: $(tail -n 3 "$d/stderr")"
			continue
		fi
		if json_of "$d/stdout" "$engine" | fa_jq_true '.jobs | length == 2' >/dev/null 2>&1; then
			fa_pass "$engine --output-format=$fmt: stdout is fio's JSON, 2 jobs"
		else
			fa_fail "$engine --output-format=$fmt: stdout is not fio's JSON: $(head -c 300 "$d/stdout")"
		fi
		grep -q "rule pow2" "$d/stdout" &&
			fa_fail "$engine $fmt: a human line on stdout"
		if jq_true "$d/not-power-of-two.json" '.format == "fio-atomic-job-report" and .version == 2 and .validation.verdict == "not_checked" and (.conformance.rules | length) == 1 and .conformance.rules[0].rule == "pow2" and .conformance.rules[0].sent == 16 and .conformance.rules[0].rejected == 16 and .conformance.rules[0].accepted == 0 and .conformance.rules[0].last_rejection.errno == 22' &&
		   jq_true "$d/misaligned.json" '(.conformance.rules | length) == 1 and .conformance.rules[0].rule == "align" and .conformance.rules[0].sent == 16 and .conformance.rules[0].rejected == 16 and .target.path == "'"$FA_MNT/conf"'"'; then
			fa_pass "$engine $fmt: reports: pow2 16 sent, 16 rejected (EINVAL); align 16 sent, 16 rejected"
		else
			fa_fail "$engine $fmt: reports: $(jq -c '[.job.name, .conformance.rules]' "$d"/*.json 2>&1)"
		fi
	done

	# the run context: the file's loop disk, its XFS and the limits
	r=$S/$engine-json/not-power-of-two.json
	if jq_true "$r" '.context.target == {"path": "'"$FA_MNT/conf"'", "kind": "file"} and .context.device.name == "'"${FA_LOOP#/dev/}"'" and .context.device.transport == "loop" and .context.device.model == null and .context.device.serial == null and .context.device.firmware == null and .context.filesystem.type == "xfs" and .context.filesystem.mountpoint == "'"$FA_MNT"'" and .context.filesystem.source == "'"$FA_LOOP"'" and (.context.filesystem.options | test("^rw,relatime,.*noquota")) and (.context.distro | type) == "string" and .context.kernel == "'"$(uname -r)"'" and (.context.fio_version | startswith("fio-")) and .context.limits.unit_min == 4096 and .context.limits.unit_max == .limits.unit_max.value and .context.limits.unit_max_opt == 0 and (.context.limits.source | startswith("statx on"))'; then
		fa_pass "$engine: context: ${FA_LOOP#/dev/} (loop), xfs on $FA_MNT with its options, $(jq -r .context.distro "$r"), statx limits"
	else
		fa_fail "$engine: context: $(jq -c .context "$r" 2>&1)"
	fi

	# --output=FILE: fio's normal output and the engine's lines in FILE
	d=$S/$engine-output
	mkdir -p "$d"
	conformance_job "$engine" "$d" >"$d/conf.fio"
	FA_FIO_DIR=$d fa_fio --output="$d/out.txt" conf.fio >"$d/stdout" 2>&1
	if [ ! -s "$d/stdout" ] &&
	   grep -q "not-power-of-two: rule pow2: 16 illegal writes sent, 16 rejected (Invalid argument), 0 accepted" "$d/out.txt" &&
	   grep -q "misaligned: rule align: 16 illegal writes sent, 16 rejected" "$d/out.txt" &&
	   grep -q "report in $d/misaligned.json" "$d/out.txt"; then
		fa_pass "$engine --output=FILE: the conformance lines are in FILE, stdout empty"
	else
		fa_fail "$engine --output=FILE: stdout '$(head -c 200 "$d/stdout")', FILE: $(grep -c rule "$d/out.txt" 2>/dev/null) rule lines"
	fi

	# a refused job: an error in fio's JSON, a refusal in the report
	d=$S/$engine-refused
	mkdir -p "$d"
	FA_FIO_DIR=$d fa_fio --output-format=json --name=bad \
		--ioengine="$(fa_engine "$engine")" --filename="$FA_MNT/new" \
		--size=16m --bs=24k --rw=randwrite --direct=1 \
		--atomic_report="$d/bad.json" >"$d/stdout" 2>"$d/stderr"
	rc=$?
	if [ $rc != 0 ] && fa_jq_true '.jobs[0].error == 125 and .jobs[0].write.io_bytes == 0' "$d/stdout" >/dev/null 2>&1 &&
	   jq_true "$d/bad.json" '.validation.verdict == "refused" and .validation.refusal.rule == "pow2" and .validation.refusal.value == 24576 and .validation.refusal.errno == 125 and (.validation.refusal.source | startswith("statx on"))' &&
	   [ ! -e "$FA_MNT/new" ]; then
		fa_pass "$engine: bs=24k refused: exit $rc, error 125 in fio's JSON, report rule pow2, no file left"
	else
		fa_fail "$engine: refused job: exit $rc, fio JSON '$(jq -c '.jobs[0].error' "$d/stdout" 2>&1)', report '$(jq -c .validation "$d/bad.json" 2>&1)', file left: $([ -e "$FA_MNT/new" ] && echo yes || echo no)"
	fi
	# fio to its end before the check: a process substitution would let
	# grep -q return while fio still holds the mount
	out=$(FA_FIO_DIR=$d fa_fio --name=bad \
		--ioengine="$(fa_engine "$engine")" --filename="$FA_MNT/new" \
		--size=16m --bs=24k --rw=randwrite --direct=1 \
		--atomic_report="$d/bad2.json" 2>&1)
	grep -q "err=125" <<<"$out" &&
		fa_pass "$engine: the normal output has err=125 for it" ||
		fa_fail "$engine: no err= line in the normal output"

	# a report path nobody can create: refused before the first write
	fa_fill "$FA_MNT/keep" 4
	before=$(fa_sum "$FA_MNT/keep")
	out=$(FA_FIO_DIR=$d fa_fio --name=w --ioengine="$(fa_engine "$engine")" \
		--filename="$FA_MNT/keep" --size=4m --bs=64k --rw=write \
		--direct=1 --atomic_report="$d/missing/r.json" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep -q "cannot create $d/missing/r.json" <<<"$out" &&
	   [ "$before" = "$(fa_sum "$FA_MNT/keep")" ]; then
		fa_pass "$engine: report in a missing directory: refused, named, nothing written"
	else
		fa_fail "$engine: report in a missing directory: exit $rc: $(grep fio: <<<"$out" | head -n 2)"
	fi

	# two jobs, one report
	out=$(FA_FIO_DIR=$d fa_fio --ioengine="$(fa_engine "$engine")" \
		--filename="$FA_MNT/keep" --size=4m --bs=64k --direct=1 \
		--atomic_report="$d/same.json" --name=a --rw=read \
		--name=b --rw=read --atomic_report="$d/same.json" 2>&1)
	grep -q "atomic_report=$d/same.json: job a writes that report already" <<<"$out" &&
		fa_pass "$engine: two jobs naming one report: the second is refused" ||
		fa_fail "$engine: two jobs, one report: $(grep fio: <<<"$out" | head -n 2)"

	# default names: a second run never lands on the first one's report
	d=$S/$engine-default
	mkdir -p "$d/out"
	for run in 1 2; do
		FA_FIO_DIR=$d fa_fio --name=w --ioengine="$(fa_engine "$engine")" \
			--filename="$FA_MNT/keep" --size=4m --bs=64k --rw=read \
			--direct=1 >/dev/null 2>&1
		FA_FIO_DIR=$d fa_fio --name=w --ioengine="$(fa_engine "$engine")" \
			--filename="$FA_MNT/keep" --size=4m --bs=64k --rw=read \
			--direct=1 --output-format=json --output="$d/out/fio.json" \
			>/dev/null 2>&1
	done
	n_cwd=$(ls "$d"/w.1.*.atomic.json 2>/dev/null | wc -l)
	n_out=$(ls "$d"/out/w.1.*.atomic.json 2>/dev/null | wc -l)
	if [ "$n_cwd" = 2 ] && [ "$n_out" = 2 ] &&
	   fa_jq_true '.jobs[0].error == 0' "$d/out/fio.json" >/dev/null 2>&1; then
		fa_pass "$engine: default names: 2 runs, 2 reports in the working directory, 2 beside --output"
	else
		fa_fail "$engine: default names: $n_cwd in the working directory, $n_out beside --output (want 2 and 2)"
	fi
done

# registerfiles: per-file state lives from open_file to close_file, and
# the report names its file
d=$S/registerfiles
mkdir -p "$d"
FA_FIO_DIR=$d fa_fio --name=r --ioengine="$(fa_engine atomic-uring)" \
	--registerfiles --filename="$FA_MNT/keep" --size=4m --bs=64k \
	--rw=randwrite --direct=1 --iodepth=8 --loops=2 \
	--atomic_report="$d/r.json" >"$d/log" 2>&1
rc=$?
if [ $rc = 0 ] && jq_true "$d/r.json" '.target.path == "'"$FA_MNT/keep"'" and .target.kind == "file" and .writes.atomic == 128 and .limits.unit_max.value > 0'; then
	fa_pass "atomic-uring registerfiles: 128 atomic writes, the report names $FA_MNT/keep"
else
	fa_fail "atomic-uring registerfiles: exit $rc, report $(jq -c '[.target, .writes]' "$d/r.json" 2>&1): $(tail -n 3 "$d/log")"
fi

# A report path that is not a regular file (a null device of the test's
# own, as /dev/null would be) is written to, never replaced by a file
d=$S/nulldev
mkdir -p "$d"
mknod "$d/null" c 1 3
FA_FIO_DIR=$d fa_fio --name=n --ioengine="$(fa_engine atomic-pvsync2)" \
	--filename="$FA_MNT/keep" --size=1m --bs=64k --rw=write --direct=1 \
	--atomic_report="$d/null" >"$d/log" 2>&1
rc=$?
if [ $rc = 0 ] && [ -c "$d/null" ] && [ -z "$(ls "$d" | grep -v '^null$\|^log$')" ]; then
	fa_pass "atomic_report=a null device: written to, still a character device, no file beside it"
else
	fa_fail "atomic_report=a null device: exit $rc, $(stat -c %F "$d/null"), $(ls "$d")"
fi

fa_done
