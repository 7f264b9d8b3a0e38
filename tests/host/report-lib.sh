# SPDX-License-Identifier: GPL-2.0
#
# Description: what the report tests (t-report-*.sh, t-fleet.sh) share,
# sourced after lib.sh: their scratch directory and results database,
# fio-atomic report run against that database, and a short real fio run
# whose JSON output seeds it.

# fa_report_db [XFS_MB]: sets S, the test's scratch directory (on a fresh
# XFS image of XFS_MB MB when given), and DB, the results database in it
# (made by the first ingest).
fa_report_db() {
	if [ $# -gt 0 ]; then
		fa_make_xfs "$1"
	else
		fa_scratch_dir
	fi
	S=$FA_SCRATCH
	DB=$S/results.db
}

# fa_report ARGS...: fio-atomic report ARGS on $DB; sets out (stdout and
# stderr) and rc.
fa_report() {
	out=$("$FA_TOOL" report "$@" --db "$DB" 2>&1)
	rc=$?
}

# fa_json_of FILE: fio's JSON output in FILE without the lines fio printed
# before it at times.
fa_json_of() {
	sed -n '/^{/,$p' "$1"
}

# fa_fio_seed OUT FIO-ARGS...: fio runs the jobs of FIO-ARGS for 1 s each
# on a 16 MiB file of zeros in $S, its standard output into OUT; a fio
# that fails fails the test and ends it.
fa_fio_seed() {
	local out=$1
	shift

	[ -f "$S/file" ] || dd if=/dev/zero of="$S/file" bs=1M count=16 status=none
	fa_fio --filename="$S/file" --size=16m --time_based --runtime=1 \
		"$@" >"$out" 2>"$S/fio.err" ||
		{ fa_fail "fio failed ($(basename "$out")): $(tail -n 3 "$S/fio.err")"; fa_done; }
}
