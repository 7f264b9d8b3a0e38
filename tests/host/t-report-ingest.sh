#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic report ingest with output of real fio runs: psync
# on a scratch file (json and json+), and atomic-pvsync2 with tear_check
# and racing readers on XFS, whose tear report joins the readers' row.
# Values land as fio reported them; leading warning lines are skipped; a
# truncated file is refused naming its file and line, foreign JSON is
# refused, and a bad file among good ones ingests nothing (the database
# dump is unchanged); the same content again is recognised and adds
# nothing; an ingest killed with SIGKILL inside its transaction leaves the
# database as it was and the next ingest works; the default database
# location follows XDG_DATA_HOME and FIO_ATOMIC_DB.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_root
fa_require_fio
fa_require_tool
fa_require_cmd jq sqlite3
fa_report_db 512

# ingest ARGS...: sets out and rc
ingest() {
	fa_report ingest "$@"
}

dump() {
	sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1
}

rows() {
	sqlite3 "$DB" "SELECT count(*) FROM results${1:+ WHERE $1}"
}

# A real fio run on a scratch file: three jobs, one of them mixed.
fio_jobs=(--name=a --rw=randwrite --bs=4k
	--name=b --rw=randread --bs=16k --iodepth=1
	--name=c --rw=randrw --bs=8k)
fa_fio_seed "$S/run1.json" "${fio_jobs[@]}" --output-format=json
fa_fio_seed "$S/run2.json" "${fio_jobs[@]}" --output-format=json+
want=$(fa_json_of "$S/run1.json" | jq '[.jobs[] | (.read, .write, .trim) | select(.io_bytes > 0)] | length')

ingest --run night-1 "$S/run1.json"
got=$(rows)
if [ $rc = 0 ] && [ "$got" = "$want" ]; then
	fa_pass "fio JSON ingested: $got rows (a, b, and c's read and write)"
else
	fa_fail "fio JSON: exit $rc, $got rows, want $want: $out"
fi
iops_fio=$(fa_json_of "$S/run1.json" | jq -r '.jobs[] | select(.jobname == "a") | .write.iops')
p99_fio=$(fa_json_of "$S/run1.json" | jq -r '.jobs[] | select(.jobname == "a") | .write.clat_ns.percentile["99.000000"]')
read -r iops_db p99_db eng bs ver < <(sqlite3 -separator ' ' "$DB" \
	"SELECT iops, CAST(clat_p99_ns AS INTEGER), engine, bs, fio_version FROM results JOIN files ON files.id = file_id WHERE job = 'a'")
if [ "$(echo "$iops_db - $iops_fio < 0.01 && $iops_fio - $iops_db < 0.01" | bc)" = 1 ] &&
   [ "$p99_db" = "$p99_fio" ] && [ "$eng" = psync ] && [ "$bs" = 4096 ] &&
   [ "$ver" = "$(fa_json_of "$S/run1.json" | jq -r '."fio version"')" ]; then
	fa_pass "job a as fio reported it: $iops_db IOPS, p99 $p99_db ns, $eng, bs $bs, $ver"
else
	fa_fail "job a: db '$iops_db $p99_db $eng $bs $ver', fio '$iops_fio $p99_fio'"
fi
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2 ] &&
	fa_pass "schema version 2 (PRAGMA user_version)" ||
	fa_fail "schema version: $(sqlite3 "$DB" 'PRAGMA user_version')"

{ echo "fio: this platform does not support something"; cat "$S/run2.json"; } >"$S/run2-warn.json"
ingest --run night-2 "$S/run2-warn.json"
if [ $rc = 0 ] && grep -q "skipped [0-9]* lines* before the JSON" <<<"$out" &&
   [ "$(rows "run_id = 2")" = "$want" ]; then
	fa_pass "json+ after a warning line: $(grep -o "skipped.*JSON" <<<"$out"), $want rows"
else
	fa_fail "json+ with a warning line: exit $rc: $out"
fi

# Tear report of the readers: counted into their row.
dir=$S/tear
mkdir -p "$dir"
fa_make_tear() {
	FA_FIO_DIR=$dir fa_fio --ioengine="$(fa_engine atomic-pvsync2)" \
		--filename="$FA_MNT/race" --size=8m --direct=1 --tear_check=1 \
		--time_based --runtime=2 --output-format=json \
		--name=w --rw=randwrite --bs=64k \
		--name=r --rw=randread --bs=64k >"$dir/fio.json" 2>"$dir/fio.err"
}
fa_fill "$FA_MNT/race" 8
fa_make_tear
rtear=$(ls "$dir"/r.*.atomic.json 2>/dev/null | head -n1)
if [ -z "$rtear" ] || [ ! -s "$rtear" ]; then
	fa_fail "tear run: no r.<n>.<time>-<pid>.atomic.json: $(tail -n 3 "$dir/fio.err")"
else
	ingest --run night-3 "$dir/fio.json" "$dir"/*.atomic.json
	read -r torn intact checked < <(sqlite3 -separator ' ' "$DB" \
		"SELECT torn, intact, checked FROM results WHERE job = 'r' AND run_id = 3")
	want_i=$(jq -r .tear.intact "$rtear")
	if [ $rc = 0 ] && [ "$torn" = 0 ] && [ "$intact" = "$want_i" ] &&
	   [ "$checked" = "$(jq -r .tear.checked_reads "$rtear")" ] &&
	   [ "$(rows "run_id = 3")" = 2 ]; then
		fa_pass "tear report joined the readers' row: $torn torn, $intact intact, $checked reads checked"
	else
		fa_fail "tear report: exit $rc, row '$torn $intact $checked' (want intact $want_i), $(rows "run_id = 3") rows: $out"
	fi
fi

# Corrupt: a truncated file names itself and its line; nothing changes.
before=$(dump)
head -c 2000 "$S/run1.json" >"$S/truncated.json"
line=$(($(head -c 2000 "$S/run1.json" | wc -l) + 1))
ingest --run bad "$S/truncated.json"
if [ $rc = 1 ] && grep -q "truncated.json:$line:[0-9]*: .*truncated" <<<"$out" &&
   grep -q "nothing ingested" <<<"$out" && [ "$(dump)" = "$before" ]; then
	fa_pass "truncated file refused: $(head -n1 <<<"$out" | sed 's|.*/||')"
else
	fa_fail "truncated: exit $rc, want line $line, db $( [ "$(dump)" = "$before" ] && echo unchanged || echo CHANGED): $out"
fi

echo '{ "name": "left-pad", "version": "1.3.0", "jobs": 3 }' >"$S/package.json"
ingest --run bad "$S/package.json"
if [ $rc = 1 ] && grep -q "package.json: valid JSON, but not fio's output" <<<"$out" &&
   [ "$(dump)" = "$before" ]; then
	fa_pass "foreign JSON refused, database unchanged"
else
	fa_fail "foreign JSON: exit $rc: $out"
fi

# a good new file with a bad one: all or nothing
fa_json_of "$S/run1.json" | jq '.timestamp += 1' >"$S/run1-new.json"
ingest --run mixed "$S/run1-new.json" "$S/truncated.json"
[ $rc = 1 ] && [ "$(dump)" = "$before" ] &&
	fa_pass "a good file with a truncated one: nothing ingested" ||
	fa_fail "good+bad: exit $rc, database $( [ "$(dump)" = "$before" ] && echo unchanged || echo changed)"

# Duplicate content: recognised by its hash, under any name or run.
cp "$S/run1.json" "$S/copy-of-run1.json"
ingest --run night-9 "$S/copy-of-run1.json"
if [ $rc = 0 ] && grep -q "already ingested as run night-1" <<<"$out" &&
   [ "$(dump)" = "$before" ]; then
	fa_pass "duplicate recognised: $(grep -o "already ingested.*" <<<"$out"), no new rows"
else
	fa_fail "duplicate: exit $rc: $out"
fi

# Interrupted: SIGKILL after the first row, inside the transaction.
total=$(rows)
# (in a subshell that reports the kill to /dev/null, not on our output)
(FA_REPORT_KILL_AFTER_ROWS=1 "$FA_TOOL" report ingest --db "$DB" \
	--run killed "$S/run1-new.json"; exit $?) >/dev/null 2>&1
rc=$?
journal=no
[ -e "$DB-journal" ] && [ -s "$DB-journal" ] && journal=yes
if [ $rc = 137 ] && [ "$(dump)" = "$before" ]; then
	fa_pass "ingest killed by SIGKILL mid-transaction (hot journal left: $journal): database unchanged"
else
	fa_fail "killed ingest: exit $rc (want 137), database $( [ "$(dump)" = "$before" ] && echo unchanged || echo changed)"
fi
ingest --run night-4 "$S/run1-new.json"
[ $rc = 0 ] && [ "$(rows)" = $((total + want)) ] &&
	fa_pass "next ingest after the kill: $want rows added" ||
	fa_fail "after the kill: exit $rc, $(rows) rows, want $((total + want)): $out"

# Where the database lives by default.
out=$(XDG_DATA_HOME=$S/xdg "$FA_TOOL" report ingest "$S/run1.json" 2>&1)
[ -s "$S/xdg/fio-atomic/results.db" ] &&
	fa_pass "default database under XDG_DATA_HOME: xdg/fio-atomic/results.db" ||
	fa_fail "no database under XDG_DATA_HOME: $out"
out=$(FIO_ATOMIC_DB=$S/env/r.db XDG_DATA_HOME=$S/xdg2 "$FA_TOOL" report ingest "$S/run1.json" 2>&1)
[ -s "$S/env/r.db" ] && [ ! -e "$S/xdg2" ] &&
	fa_pass "FIO_ATOMIC_DB overrides XDG_DATA_HOME" ||
	fa_fail "FIO_ATOMIC_DB not used: $out"

fa_done
