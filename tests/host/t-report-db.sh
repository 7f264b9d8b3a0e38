#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the results database's schema and its bad inputs, from
# fixtures (no fio run). A database of schema version 1, made by main's
# code (tests/host/data/report/db-v1.sql), is upgraded in place by the
# next ingest: its old rows intact, the new columns NULL in them, its
# files still recognised, the new rows with their context; an upgrade that
# fails half-way (a table in the way) leaves it as it was. Refused, each
# naming the file, writing nothing (the file's checksum) and leaving no
# directory behind: a file that is not a database, a newer schema, an
# SQLite database of something else, a database locked by another process
# (the sqlite3 CLI holding BEGIN EXCLUSIVE), an unknown run or baseline
# (exit 1), the report of a foreign tool (valid JSON of another shape).
# Every subcommand's --help is its own usage; bad syntax is exit 2.
. "$(dirname "$0")/lib.sh"

fa_require_tool
fa_require_cmd sqlite3
fa_scratch_dir
S=$FA_SCRATCH
DATA=$FA_TOP/tests/host/data/report
export FIO_ATOMIC_DB_WAIT=1

# run ARGS...: sets out and rc
run() {
	out=$("$FA_TOOL" report "$@" 2>&1)
	rc=$?
}

v1_tables() {
	sqlite3 "$1" "SELECT id, name, created FROM runs WHERE id <= 2;
		SELECT id, run_id, path, hash, kind, fio_version, started, ingested
		FROM files WHERE run_id <= 2;
		SELECT id, run_id, file_id, host, job, engine, rw, dir, bs, iodepth, numjobs,
		       iops, bw_bytes, clat_p50_ns, clat_p99_ns, clat_p999_ns, torn, intact, checked
		FROM results WHERE run_id <= 2" | sha256sum | cut -d' ' -f1
}

# ---- upgrade of today's schema
DB=$S/v1.db
sqlite3 "$DB" <"$DATA/db-v1.sql"
old=$(v1_tables "$DB")
if [ "$(sqlite3 "$DB" 'PRAGMA user_version')" != 1 ] ||
   [ "$(sqlite3 "$DB" 'SELECT count(*) FROM results')" != 6 ]; then
	fa_fail "fixture db-v1.sql: not a version-1 database with 6 rows"
fi
(cd "$DATA" && "$FA_TOOL" report ingest --db "$DB" --run new fio-small.json qualify-v2.json) >"$S/up.out" 2>&1
rc=$?
out=$(cat "$S/up.out")
if [ $rc = 0 ] && grep -q "upgraded the schema of $DB from version 1 to 2" <<<"$out" &&
   [ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2 ]; then
	fa_pass "version 1 upgraded to 2 by an ingest: $(grep -o 'upgraded.*' <<<"$out")"
else
	fa_fail "upgrade: exit $rc: $out"
fi
[ "$(v1_tables "$DB")" = "$old" ] &&
	fa_pass "the old runs, files and results are intact (every version-1 column)" ||
	fa_fail "old rows changed by the upgrade"
nulls=$(sqlite3 "$DB" "SELECT count(*) FROM results WHERE run_id <= 2 AND
	mode IS NULL AND plain_iops IS NULL AND atomic_cost IS NULL AND
	iops_spread IS NULL AND context_id IS NULL")
labels=$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE label IS NULL")
[ "$nulls" = 6 ] && [ "$labels" = 3 ] &&
	fa_pass "the new columns are NULL in the 6 old rows, no run has a label" ||
	fa_fail "new columns of old rows: $nulls of 6 all NULL, $labels of 3 runs without label"
grep -q "fio-small.json: already ingested as run old-1" <<<"$out" &&
	fa_pass "a file ingested before the upgrade is still recognised" ||
	fa_fail "old file not recognised after the upgrade: $out"
read -r n kernel fw fs < <(sqlite3 -separator ' ' "$DB" "SELECT count(*),
	c.kernel, COALESCE(c.device_firmware, 'NULL'), c.fs_type FROM results r
	JOIN contexts c ON c.id = r.context_id WHERE r.run_id = 3")
[ "$n" = 4 ] && [ "$kernel" = 6.18.44 ] && [ "$fw" = NULL ] && [ "$fs" = xfs ] &&
	fa_pass "the new run's 4 rows have their context: kernel $kernel, firmware $fw (null in the report), $fs" ||
	fa_fail "new rows' context: '$n $kernel $fw $fs'"

# an upgrade that fails half-way changes nothing
DB=$S/v1-blocked.db
sqlite3 "$DB" <"$DATA/db-v1.sql"
sqlite3 "$DB" "CREATE TABLE guarantees (x)"
sum=$(fa_sum "$DB")
run runs --db "$DB"
[ $rc = 1 ] && grep -q "$DB: cannot upgrade the schema: table guarantees already exists" <<<"$out" &&
	[ "$(fa_sum "$DB")" = "$sum" ] &&
	fa_pass "an upgrade failing half-way: exit 1, database unchanged ($(sed 's/.*: cannot/cannot/' <<<"$out"))" ||
	fa_fail "failed upgrade: exit $rc, $([ "$(fa_sum "$DB")" = "$sum" ] && echo unchanged || echo CHANGED): $out"

# ---- bad databases: each command names the file, writes nothing
# refused LABEL WANT DB: every command refuses DB with WANT, DB unchanged
refused() {
	local label=$1 want=$2 db=$3 sum bad=""
	sum=$(fa_sum "$db")
	for args in "ingest $DATA/qualify-v2.json" "runs" "label 1 x" \
		    "delete 1" "baseline list" "compare" "export --csv" \
		    "export --openmetrics $S/m.prom" "html --out $S/h1"; do
		# shellcheck disable=SC2086
		run $args --db "$db"
		if [ $rc != 1 ] || ! grep -qF "$db: $want" <<<"$out"; then
			bad="$bad [$args: exit $rc: $out]"
		fi
	done
	[ "$(fa_sum "$db")" = "$sum" ] || bad="$bad [database changed]"
	[ -e "$S/h1" ] && bad="$bad [html left $S/h1]"
	[ -e "$S/m.prom" ] && bad="$bad [export wrote $S/m.prom]"
	ls "$S"/m.prom.tmp.* >/dev/null 2>&1 && bad="$bad [export left a temporary file]"
	[ -z "$bad" ] &&
		fa_pass "$label: 9 commands exit 1 with '$(basename "$db"): $want', unchanged, no directory left" ||
		fa_fail "$label:$bad"
}

echo "not a database at all" >"$S/notsqlite.db"
refused "not a database" "file is not a database" "$S/notsqlite.db"

DB=$S/newer.db
sqlite3 "$DB" <"$DATA/db-v1.sql"
sqlite3 "$DB" "PRAGMA user_version = 3"
refused "newer schema" "schema version 3 is newer than this tool's 2" "$DB"

sqlite3 "$S/other.db" "CREATE TABLE accounts (id, owner)"
refused "an SQLite database of another program" "an SQLite database with 1 table of something else" "$S/other.db"

# locked: the sqlite3 CLI holds an exclusive lock until told to let go
DB=$S/locked.db
sqlite3 "$DB" <"$DATA/db-v1.sql"
"$FA_TOOL" report runs --db "$DB" >/dev/null 2>&1	# upgraded first
mkfifo "$S/lock.fifo"
sqlite3 "$DB" <"$S/lock.fifo" >/dev/null 2>&1 &
lock_pid=$!
exec 3>"$S/lock.fifo"
echo "BEGIN EXCLUSIVE; SELECT 1;" >&3
for i in $(seq 50); do
	sqlite3 "$DB" "SELECT 1" >/dev/null 2>&1 || break
	sleep 0.1
done
start=$(date +%s.%N)
FIO_ATOMIC_DB_WAIT=0 refused "locked by another process" "cannot start a transaction: database is locked" "$DB"
secs=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
run runs --db "$DB"
waited=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc = 1 ] && [ "$(echo "$waited >= 1" | bc)" = 1 ] &&
	fa_pass "FIO_ATOMIC_DB_WAIT=1: waited $(printf '%.1f' "$waited") s for the lock, then refused" ||
	fa_fail "FIO_ATOMIC_DB_WAIT=1: exit $rc after $waited s: $out"
echo "ROLLBACK;" >&3
exec 3>&-
wait "$lock_pid"
run runs --db "$DB"
[ $rc = 0 ] && grep -q "old-1" <<<"$out" &&
	fa_pass "the lock released: runs reads it again (the 9 refusals took $(printf '%.1f' "$secs") s)" ||
	fa_fail "after the lock: exit $rc: $out"

# ---- unknown runs and baselines: exit 1, named, nothing written
DB=$S/v1.db
sum=$(fa_sum "$DB")
bad=""
for args in "label nosuch x" "label 999 x" "delete nosuch" "compare --run nosuch" \
	    "compare --baseline nosuch" "export --csv --run 999" \
	    "baseline set b nosuch" "baseline set b old-1 nosuch" \
	    "baseline delete nosuch"; do
	# shellcheck disable=SC2086
	run $args --db "$DB"
	what=$(grep -o "'[a-z0-9]*'" <<<"$args $out" | tail -n1)
	if [ $rc != 1 ] || ! grep -q "$DB: no .*$what" <<<"$out"; then
		bad="$bad [$args: exit $rc: $out]"
	fi
done
[ -z "$bad" ] && [ "$(fa_sum "$DB")" = "$sum" ] &&
	fa_pass "unknown run or baseline: 9 commands exit 1 naming it and the database, unchanged" ||
	fa_fail "unknown run:$bad $([ "$(fa_sum "$DB")" = "$sum" ] || echo '[database changed]')"

# ---- a foreign tool's report: valid JSON, another shape
echo '{ "benchmark": "sysbench", "version": "1.0.20", "results": { "tps": 812.4 } }' >"$S/sysbench.json"
run ingest --db "$DB" "$S/sysbench.json"
[ $rc = 1 ] && grep -q "sysbench.json: valid JSON, but not fio's output" <<<"$out" &&
	[ "$(fa_sum "$DB")" = "$sum" ] &&
	fa_pass "foreign report refused naming it, database unchanged" ||
	fa_fail "foreign report: exit $rc: $out"
run ingest --db "$S/new/dir/r.db" "$DATA/qualify-v2.json" "$S/sysbench.json"
[ $rc = 1 ] && [ ! -e "$S/new" ] &&
	fa_pass "into a new database: nothing made, no directory left" ||
	fa_fail "new database with a foreign report: exit $rc, $(ls -R "$S/new" 2>&1 | head -3)"
echo '{ "fio_atomic_qualify_fleet": { "version": 9, "hosts": [] } }' >"$S/fleet9.json"
run ingest --db "$DB" "$S/fleet9.json"
[ $rc = 1 ] && grep -q "fleet9.json: qualify fleet report version 9 is newer than this tool's 1" <<<"$out" &&
	[ "$(fa_sum "$DB")" = "$sum" ] &&
	fa_pass "a newer fleet report refused: $(grep -o 'qualify fleet.*' <<<"$out" | head -n1)" ||
	fa_fail "fleet version 9: exit $rc: $out"

# ---- each subcommand's --help is its own usage; bad syntax is exit 2
bad=""
for sub in ingest runs label delete baseline compare export html; do
	run "$sub" --help
	n=$(wc -l <<<"$out")
	others=$(grep -c "^usage: fio-atomic report " <<<"$out")
	if [ $rc != 0 ] || ! head -n1 <<<"$out" | grep -q "^usage: fio-atomic report $sub" ||
	   grep "^usage: fio-atomic report " <<<"$out" | grep -vq "report $sub" ||
	   [ "$n" -gt 40 ]; then
		bad="$bad [$sub: exit $rc, $n lines, $others usage lines]"
	fi
done
[ -z "$bad" ] && fa_pass "each subcommand's --help is its own usage (at most 40 lines)" ||
	fa_fail "--help:$bad"
bad=""
for args in "label" "label a b c" "delete" "runs --since yesterday" \
	    "runs --bogus" "baseline" "baseline frob" "export" \
	    "export --csv --json" "export --openmetrics $S/x --run 1" \
	    "compare --last 0" "frobnicate"; do
	# shellcheck disable=SC2086
	run $args --db "$DB"
	[ $rc = 2 ] || bad="$bad [$args: exit $rc]"
done
[ -z "$bad" ] && [ "$(fa_sum "$DB")" = "$sum" ] &&
	fa_pass "12 command lines of bad syntax: exit 2, database unchanged" ||
	fa_fail "usage errors:$bad"

fa_done
