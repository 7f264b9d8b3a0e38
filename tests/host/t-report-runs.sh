#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs as objects, from fixtures (no fio run): qualify
# reports of one host a week apart (kernel 6.12.9 and firmware 1.0, then
# 6.18.44 and 2.0 with 30% fewer IOPS), a qualify fleet report of two
# hosts, and a fio output with the engines' version-2 job reports.
# Ingest stores each qualify row with its mode apart from rw, its plain
# IOPS and atomic cost, read_isolation's counts on its row, the three
# guarantees and the context; the fleet's rows and guarantees under each
# host; a job report's context on its job's fio rows and its tear counts
# on the readers' row. runs filters by target, host, kernel and dates
# (--json too); label sets and clears; baseline set/list/delete; compare
# --baseline NAME exits 7 with the IOPS regression and names the kernel
# and firmware change; delete removes a run and takes it out of its
# baseline, and its file can be ingested again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_tool
fa_require_cmd sqlite3 jq
fa_report_db
DATA=$FA_TOP/tests/host/data/report

q() {
	sqlite3 -separator ' ' "$DB" "$1"
}

# week 1: older kernel and firmware, 2025-12-24; week 2 as the fixture
jq '.fio_atomic_qualify.context.kernel = "6.12.9" |
    .fio_atomic_qualify.context.device.firmware = "1.0" |
    .fio_atomic_qualify.timestamp = 1766534400' \
	"$DATA/qualify-v2.json" >"$S/week-1.json"
jq '.fio_atomic_qualify.context.device.firmware = "2.0" |
    .fio_atomic_qualify.results |= map(.iops *= 0.7)' \
	"$DATA/qualify-v2.json" >"$S/week-2.json"
fa_report ingest --run week-1 "$S/week-1.json"
fa_report ingest --run week-2 "$S/week-2.json"
read -r n modes rws cost plain < <(q "SELECT count(*), group_concat(DISTINCT mode),
	group_concat(DISTINCT rw), printf('%.2f', min(atomic_cost)), max(plain_iops)
	FROM results WHERE run_id = 2")
if [ $rc = 0 ] && [ "$n" = 4 ] && [ "$modes" = "pwritev2,io_uring" ] &&
   [ "$rws" = randwrite ] && [ "$cost" = 0.30 ] && [ "$plain" = 40000.0 ]; then
	fa_pass "qualify rows: $n, modes $modes apart from rw $rws, atomic cost from $cost, plain IOPS up to $plain"
else
	fa_fail "qualify rows: exit $rc, '$n $modes $rws $cost $plain': $out"
fi
tear=$(q "SELECT group_concat(engine || '/' || bs || '=' || torn || '+' || intact, ' ')
	FROM results WHERE run_id = 2 AND torn IS NOT NULL")
[ "$tear" = "atomic-pvsync2/4096=0+4096 atomic-uring/16384=0+2000" ] &&
	fa_pass "read_isolation's counts on the rows of their engine and size: $tear" ||
	fa_fail "tear columns of qualify rows: '$tear'"
g=$(q "SELECT group_concat(guarantee || '=' || status || ':' || trials || '/' || failures, ' ')
	FROM guarantees WHERE run_id = 2")
pts=$(q "SELECT count(*) FROM guarantee_points p JOIN guarantees g ON g.id = p.guarantee_id WHERE g.run_id = 2")
[ "$g" = "power_fail=provided:8192/0 read_isolation=provided:6096/0 write_isolation=not_provided:3916/298" ] &&
	[ "$pts" = 4 ] &&
	fa_pass "guarantees: $g, $pts points" ||
	fa_fail "guarantees: '$g', $pts points"
ctx=$(q "SELECT host, kernel, distro, fio_version, build, target_kind, device_name,
	device_transport, COALESCE(device_model, 'NULL'), device_firmware, fs_type,
	fs_mountpoint, fs_options, unit_min, unit_max, unit_max_opt, segments_max
	FROM contexts WHERE run_id = 2")
[ "$ctx" = "vm 6.18.44 Debian GNU/Linux 12 (bookworm) fio-3.33 v0.3-120-g916fb1c file loop0 loop NULL 2.0 xfs /mnt/x rw,relatime,attr2,inode64,logbufsz=32k,noquota 4096 2097152 0 1" ] &&
	fa_pass "context stored: $ctx" || fa_fail "context: '$ctx'"

# the fleet: one run, each host's rows and guarantees under it
fa_report ingest --run fleet-1 "$DATA/qualify-fleet.json"
per=$(q "SELECT group_concat(h, ' ') FROM (SELECT host || '=' || count(*) AS h
	FROM results WHERE run_id = 3 GROUP BY host ORDER BY host)")
gper=$(q "SELECT group_concat(h, ' ') FROM (SELECT host || '=' || count(*) AS h
	FROM guarantees WHERE run_id = 3 GROUP BY host ORDER BY host)")
kern=$(q "SELECT group_concat(host || ':' || kernel, ' ') FROM contexts WHERE run_id = 3")
[ $rc = 0 ] && [ "$per" = "node-a=4 node-b=2" ] && [ "$gper" = "node-a=3 node-b=3" ] &&
	[ "$kern" = "node-a:6.18.44 node-b:6.12.9" ] &&
	fa_pass "fleet report as one run: rows $per, guarantees $gper, contexts $kern" ||
	fa_fail "fleet: exit $rc, rows '$per', guarantees '$gper', contexts '$kern': $out"

# fio's output with the engines' job reports: context on every row of the
# job, tear counts on the readers' row
jq '.context.target.path = "/mnt/x/race"' "$DATA/jobreport-v2.json" >"$S/r.1.atomic.json"
jq '.job.name = "w" | .engine = "atomic-uring" | .context.target.path = "/mnt/x/race" | del(.tear)' \
	"$DATA/jobreport-v2.json" >"$S/w.1.atomic.json"
fa_report ingest --run fio-1 --host vm "$DATA/fio-small.json" "$S/r.1.atomic.json" "$S/w.1.atomic.json"
rows=$(q "SELECT group_concat(job || ':' || COALESCE(torn, '-') || '/' || COALESCE(intact, '-') ||
	':' || COALESCE(c.kernel, 'none'), ' ') FROM results r LEFT JOIN contexts c
	ON c.id = r.context_id WHERE r.run_id = 4")
[ $rc = 0 ] && [ "$rows" = "w:-/-:6.18.44 r:0/4990:6.18.44" ] &&
	fa_pass "job reports joined fio's rows: $rows (job:torn/intact:kernel)" ||
	fa_fail "job reports: exit $rc, '$rows': $out"

# ---- runs and its filters
names() {
	fa_report runs "$@" --json
	jq -r '[.fio_atomic_runs.runs[].name] | join(",")' <<<"$out" 2>/dev/null
}
bad=""
check() {
	local got
	got=$(names "${@:2}")
	[ "$got" = "$1" ] || bad="$bad [${*:2}: '$got', want '$1']"
}
check "week-1,week-2,fleet-1,fio-1"
check "week-1,fleet-1" --kernel 6.12.9
check "fleet-1" --host node-b
check "week-1,week-2,fio-1" --host vm
check "fio-1" --target /mnt/x/race
check "week-1,week-2,fleet-1" --target /mnt/x/fio-atomic-qualify.tmp
check "fio-1" --until 2025-12-01
check "week-1" --since 2025-12-24 --until 2025-12-31
check "week-2,fleet-1" --since 2026-01-01T00:00:00Z
check "week-1" --kernel 6.12.9 --host vm --since @1766534400 --until 2026-01-01 --target /mnt/x/fio-atomic-qualify.tmp
check "" --host nobody
[ -z "$bad" ] && fa_pass "runs: 11 filters of target, host, kernel and dates give the runs they should" ||
	fa_fail "runs filters:$bad"
fa_report runs
grep -qE "^ +2 +week-2 +2026-01-01 00:00:00 +4 +1 +vm +6.18.44 +/mnt/x/fio-atomic-qualify.tmp" <<<"$out" &&
	fa_pass "runs as a table: $(grep week-2 <<<"$out" | tr -s ' ')" ||
	fa_fail "runs table: $out"

# ---- label
fa_report label week-2 "kernel 6.18 upgrade"
l1=$(q "SELECT label FROM runs WHERE name = 'week-2'")
fa_report runs --json
l2=$(jq -r '.fio_atomic_runs.runs[] | select(.name == "week-2") | .label' <<<"$out")
fa_report label 2 ""
l3=$(q "SELECT COALESCE(label, 'NULL') FROM runs WHERE id = 2")
[ "$l1" = "kernel 6.18 upgrade" ] && [ "$l2" = "$l1" ] && [ "$l3" = NULL ] &&
	fa_pass "label set by name ('$l1', in runs --json), cleared by id" ||
	fa_fail "label: '$l1' '$l2' '$l3'"

# ---- baselines and compare against one
fa_report baseline set good week-1
fa_report baseline set good week-1 fleet-1
r1=$rc
fa_report baseline list --json
members=$(jq -r '.fio_atomic_baselines.baselines[] | select(.name == "good") | .runs | join(",")' <<<"$out")
[ $r1 = 0 ] && [ "$members" = "week-1,fleet-1" ] &&
	fa_pass "baseline good replaced: runs $members" ||
	fa_fail "baseline set/list: exit $r1, '$members': $out"
fa_report baseline set good week-1
fa_report compare --run week-2 --baseline good
echo "$out"
if [ $rc = 7 ] && grep -q "against baseline good" <<<"$out" &&
   grep -qE "vm atomic-uring io_uring randwrite 16k qd16 +iops +11700 +8190 +-30.0% .*REGRESSED" <<<"$out" &&
   [ "$(grep -c "iops .*REGRESSED" <<<"$out")" = 4 ]; then
	fa_pass "compare --baseline good: exit 7, 4 IOPS groups regressed by 30%"
else
	fa_fail "compare --baseline good: exit $rc"
fi
grep -q "context changed on vm /mnt/x/fio-atomic-qualify.tmp: kernel 6.12.9 -> 6.18.44" <<<"$out" &&
	grep -q "device_firmware 1.0 -> 2.0" <<<"$out" &&
	[ "$(grep -c '^context changed' <<<"$out")" = 2 ] &&
	fa_pass "compare names what changed: kernel 6.12.9 -> 6.18.44, firmware 1.0 -> 2.0" ||
	fa_fail "context changes not named"
fa_report compare --run week-2 --baseline good --json
ch=$(jq -r '[.context_changes[] | .field + ":" + .baseline + ">" + .current] | join(" ")' <<<"$out")
[ $rc = 7 ] && [ "$ch" = "kernel:6.12.9>6.18.44 device_firmware:1.0>2.0" ] &&
	[ "$(jq -r .fio_atomic_compare <<<"$out")" = 1 ] &&
	fa_pass "compare --json: context_changes $ch" ||
	fa_fail "compare --json: exit $rc, '$ch'"
fa_report compare --run fleet-1 --last 1
[ $rc = 0 ] && grep -q "against the last 1 run before it (run week-2)" <<<"$out" &&
	grep -q "0 groups compared, 0 regressions, 4 missing, 6 new" <<<"$out" &&
	fa_pass "--last 1 still works: fleet-1 against week-2, no host in common, exit 0" ||
	fa_fail "--last 1: exit $rc: $out"

# ---- delete
fa_report delete week-1
d=$rc
left=$(q "SELECT (SELECT count(*) FROM runs WHERE name = 'week-1') ||
	(SELECT count(*) FROM results WHERE run_id = 1) ||
	(SELECT count(*) FROM contexts WHERE run_id = 1) ||
	(SELECT count(*) FROM guarantees WHERE run_id = 1) ||
	(SELECT count(*) FROM files WHERE run_id = 1) ||
	(SELECT count(*) FROM baseline_runs WHERE run_id = 1) ||
	(SELECT count(*) FROM guarantee_points WHERE guarantee_id NOT IN (SELECT id FROM guarantees))")
[ $d = 0 ] && grep -q "deleted run week-1 (id 1): 4 rows, 1 file; removed from baseline good" <<<"$out" &&
	[ "$left" = 0000000 ] &&
	fa_pass "delete week-1: $(tr -d '\n' <<<"$out"); nothing of it left" ||
	fa_fail "delete: exit $d, left '$left': $out"
fa_report ingest --run week-1-again "$S/week-1.json"
[ $rc = 0 ] && grep -q "ingested 4 rows" <<<"$out" &&
	fa_pass "its file ingests again after the delete" ||
	fa_fail "re-ingest after delete: exit $rc: $out"
fa_report baseline delete good
r1=$rc
fa_report baseline list
[ $r1 = 0 ] && grep -q "^0 baselines" <<<"$out" &&
	[ "$(q 'SELECT count(*) FROM baseline_runs')" = 0 ] &&
	fa_pass "baseline delete: none left" ||
	fa_fail "baseline delete: exit $r1: $out"

fa_done
