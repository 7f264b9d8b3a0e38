#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: report export from fixtures (no fio run). --csv has the
# documented columns, one line per result, fields with commas quoted
# (RFC 4180, read back by Python's csv module), the context's columns
# filled and unknowns empty; --json the same rows and columns with nulls,
# --run limiting them, --out written through a rename. --openmetrics
# writes the latest run of each target only (week-2, not week-1), parsed
# by prometheus_client's OpenMetrics parser: fio_atomic_iops,
# fio_atomic_clat_p99_seconds (unit seconds) and fio_atomic_guarantee
# 1/0 with their labels, "# EOF" last, no temporary file left, an older
# file replaced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_tool
fa_require_cmd jq sqlite3
# Debian's python3, not another one earlier in PATH
PY=/usr/bin/python3
$PY -c 'import prometheus_client.openmetrics.parser' 2>/dev/null ||
	fa_skip "python3-prometheus-client not found: run 'make deps'"
fa_report_db
DATA=$FA_TOP/tests/host/data/report

jq '.fio_atomic_qualify.context.kernel = "6.12.9" |
    .fio_atomic_qualify.timestamp = 1766534400' \
	"$DATA/qualify-v2.json" >"$S/week-1.json"
jq '.fio_atomic_qualify.results |= map(.iops *= 0.5)' \
	"$DATA/qualify-v2.json" >"$S/week-2.json"
jq '.context.target.path = "/mnt/x/race"' "$DATA/jobreport-v2.json" >"$S/r.1.atomic.json"
fa_report ingest --run week-1 "$S/week-1.json" || true
fa_report ingest --run week-2 "$S/week-2.json"
fa_report ingest --run fleet-1 "$DATA/qualify-fleet.json"
fa_report ingest --run fio-1 --host vm "$DATA/fio-small.json" "$S/r.1.atomic.json"
total=$(sqlite3 "$DB" "SELECT count(*) FROM results")
[ $rc = 0 ] && [ "$total" = 16 ] || fa_fail "fixtures ingested: exit $rc, $total rows: $out"

cols="run_id,run,run_label,run_started,host,job,engine,mode,rw,dir,bs,iodepth,numjobs,iops,bw_bytes,clat_p50_ns,clat_p99_ns,clat_p999_ns,plain_iops,atomic_cost,torn,intact,checked,file,file_kind,kernel,distro,fio_version,build,target_path,target_kind,device_name,device_transport,device_model,device_serial,device_firmware,device_source,fs_type,fs_mountpoint,fs_source,fs_options,limits_source,unit_min,unit_max,unit_max_opt,segments_max"

# ---- CSV
fa_report export --csv
echo "$out" >"$S/all.csv"
got=$($PY - "$S/all.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
head, body = rows[0], rows[1:]
d = [dict(zip(head, r)) for r in body]
w2 = [r for r in d if r['run'] == 'week-2' and r['engine'] == 'atomic-uring' and r['bs'] == '16384']
r = w2[0]
print(','.join(head))
print(len(body), len({len(x) for x in rows}))
print(r['mode'], r['rw'], r['iops'], r['plain_iops'], r['kernel'], r['fs_options'],
      repr(r['device_model']), r['unit_max'], r['torn'], r['intact'], r['file_kind'])
fio = [x for x in d if x['run'] == 'fio-1' and x['job'] == 'r'][0]
print(fio['target_path'], fio['torn'], fio['intact'], repr(fio['mode']), fio['file_kind'])
PY
)
if [ $rc = 0 ] && [ "$(sed -n 1p <<<"$got")" = "$cols" ]; then
	fa_pass "CSV header: the 46 documented columns"
else
	fa_fail "CSV header: exit $rc: $(sed -n 1p <<<"$got")"
fi
[ "$(sed -n 2p <<<"$got")" = "$total 1" ] &&
	fa_pass "CSV: $total rows, every line $(tr ',' '\n' <<<"$cols" | wc -l) fields (read back by Python's csv)" ||
	fa_fail "CSV rows/fields: '$(sed -n 2p <<<"$got")', want '$total 1'"
want="io_uring randwrite 5850 39000 6.18.44 rw,relatime,attr2,inode64,logbufsz=32k,noquota '' 2097152 0 2000 qualify"
[ "$(sed -n 3p <<<"$got")" = "$want" ] &&
	fa_pass "CSV row with its context (fs options with commas quoted, unknown model empty): $want" ||
	fa_fail "CSV row: '$(sed -n 3p <<<"$got")', want '$want'"
[ "$(sed -n 4p <<<"$got")" = "/mnt/x/race 0 4990 '' fio" ] &&
	fa_pass "CSV: fio's readers' row with its job report's target and tear counts" ||
	fa_fail "CSV fio row: '$(sed -n 4p <<<"$got")'"

# ---- JSON, --run, --out
fa_report export --json --run week-2 --out "$S/w2.json"
n=$(jq '.fio_atomic_export.rows | length' "$S/w2.json" 2>/dev/null)
c=$(jq -r '.fio_atomic_export.columns | join(",")' "$S/w2.json" 2>/dev/null)
v=$(jq -r '.fio_atomic_export.version' "$S/w2.json" 2>/dev/null)
nulls=$(jq '[.fio_atomic_export.rows[] | select(.device_model == null and .run_label == null)] | length' "$S/w2.json" 2>/dev/null)
runs=$(jq -r '[.fio_atomic_export.rows[].run] | unique | join(",")' "$S/w2.json" 2>/dev/null)
if [ $rc = 0 ] && [ "$n" = 4 ] && [ "$c" = "$cols" ] && [ "$v" = 1 ] &&
   [ "$nulls" = 4 ] && [ "$runs" = week-2 ] && ! ls "$S"/w2.json.tmp.* >/dev/null 2>&1; then
	fa_pass "JSON of --run week-2 to --out: version 1, $n rows, the same columns, nulls for unknowns"
else
	fa_fail "JSON: exit $rc, $n rows, version '$v', nulls $nulls, runs '$runs': $out"
fi

# ---- OpenMetrics
echo "stale" >"$S/fio_atomic.prom"
fa_report export --openmetrics "$S/fio_atomic.prom"
r1=$rc
parsed=$($PY - "$S/fio_atomic.prom" <<'PY'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
fams = {f.name: f for f in text_string_to_metric_families(text)}
print(' '.join(f'{n}:{f.type}:{f.unit or "-"}:{len(f.samples)}' for n, f in sorted(fams.items())))
for s in fams['fio_atomic_iops'].samples:
    l = s.labels
    if (l['host'] == 'vm' and l['engine'] == 'atomic-uring' and
            l['bs'] == '16384' and l['target']):
        print(l['run'], l['target'], l['mode'], l['rw'], l['iodepth'],
              '%g' % s.value)
for s in fams['fio_atomic_clat_p99_seconds'].samples:
    l = s.labels
    if l['host'] == 'node-b' and l['bs'] == '4096':
        print(l['run'], '%g' % s.value)
g = sorted(f"{s.labels['host']}/{s.labels['guarantee']}={int(s.value)}"
           for s in fams['fio_atomic_guarantee'].samples if s.labels['run'] != 'fio-1')
print(' '.join(g))
print(text.endswith('# EOF\n'))
PY
)
if [ $r1 = 0 ] && [ "$(sed -n 1p <<<"$parsed")" = "fio_atomic_clat_p99_seconds:gauge:seconds:12 fio_atomic_guarantee:gauge:-:9 fio_atomic_iops:gauge:-:12" ]; then
	fa_pass "OpenMetrics parsed by prometheus_client: $(sed -n 1p <<<"$parsed")"
else
	fa_fail "OpenMetrics: exit $r1: $out / $(sed -n 1p <<<"$parsed")"
fi
[ "$(sed -n 2p <<<"$parsed")" = "week-2 /mnt/x/fio-atomic-qualify.tmp io_uring randwrite 16 5850" ] &&
	fa_pass "the latest run of the target only (week-2, not week-1): $(sed -n 2p <<<"$parsed")" ||
	fa_fail "latest per target: '$(sed -n 2p <<<"$parsed")'"
[ "$(sed -n 3p <<<"$parsed")" = "fleet-1 0.0029" ] &&
	fa_pass "p99 in seconds, a fleet host its own target: node-b $(sed -n 3p <<<"$parsed")" ||
	fa_fail "p99 seconds: '$(sed -n 3p <<<"$parsed")'"
want="node-a/power_fail=1 node-a/read_isolation=1 node-a/write_isolation=0 node-b/power_fail=1 node-b/read_isolation=1 node-b/write_isolation=1 vm/power_fail=1 vm/read_isolation=1 vm/write_isolation=0"
[ "$(sed -n 4p <<<"$parsed")" = "$want" ] &&
	fa_pass "guarantees 1 provided, 0 not: $want" ||
	fa_fail "guarantees: '$(sed -n 4p <<<"$parsed")'"
[ "$(sed -n 5p <<<"$parsed")" = True ] && ! grep -q stale "$S/fio_atomic.prom" &&
	! ls "$S"/fio_atomic.prom.tmp.* >/dev/null 2>&1 &&
	fa_pass "'# EOF' last, the stale file replaced, no temporary file left" ||
	fa_fail "EOF/replace/temporary: $(tail -n 1 "$S/fio_atomic.prom")"
fa_report export --openmetrics "$S/no/such/dir/m.prom"
[ $rc = 1 ] && grep -q "no/such/dir/m.prom.tmp" <<<"$out" && [ ! -e "$S/no" ] &&
	fa_pass "an unwritable place: exit 1 naming the file, nothing made" ||
	fa_fail "unwritable: exit $rc: $out"

fa_done
