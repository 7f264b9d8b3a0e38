#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic report html on three runs seeded from a real fio
# output (4k, 16k and 64k writes), one run named with HTML markup: one
# trend (a line per size) and one latency curve, nothing on stderr; the
# page renders in headless Chromium and every image it holds decoded
# (naturalWidth > 0, counted by the page's own script on <body>); the run
# name shows as text, not markup. A database of a single run and size
# draws its single points without a gnuplot warning, and says it has no
# baseline. The gnuplot scripts
# work alone and silently: trend.gp on a TSV the dashboard wrote (and with
# a change mark, to SVG), latency-size.gp to SVG, and fio-lat-log.gp on a
# latency log fio wrote itself (--write_lat_log).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_fio
fa_require_tool
fa_require_cmd jq gnuplot:gnuplot-nox chromium
fa_report_db
PLOTS=$FA_TOP/plots

fa_fio_seed "$S/real.json" \
	--output-format=json --write_lat_log="$S/lat" --log_avg_msec=10 \
	--name=a --rw=randwrite --bs=4k \
	--name=b --rw=randwrite --bs=16k \
	--name=c --rw=randwrite --bs=64k
fa_json_of "$S/real.json" >"$S/base.json"

names=(night-1 night-2 '<b id="inj">night&3</b>')
factors=(1.00 1.05 0.90)
for i in 0 1 2; do
	jq --argjson f "${factors[$i]}" --argjson n "$i" \
		'.timestamp += $n | .jobs |= map(.write.iops *= $f)' \
		"$S/base.json" >"$S/run$i.json"
	"$FA_TOOL" report ingest --db "$DB" --run "${names[$i]}" \
		"$S/run$i.json" >/dev/null || fa_fail "ingest of run $i failed"
done

"$FA_TOOL" report html --db "$DB" --out "$S/site" >"$S/html.out" 2>"$S/html.err"
rc=$?
out=$(cat "$S/html.out")
n=$(grep -o "with [0-9]* images" <<<"$out" | grep -o "[0-9]*")
imgs=$(grep -o '<img ' "$S/site/index.html" 2>/dev/null | wc -l)
pngs=$(ls "$S/site"/*.png 2>/dev/null | wc -l)
# 1 trend (the engine, rw and queue depth: a line per size), 1 latency
# curve (the engine over 3 sizes)
if [ $rc = 0 ] && [ "$n" = 2 ] && [ "$imgs" = 2 ] && [ "$pngs" = 2 ]; then
	fa_pass "html: index.html with $imgs images, $pngs PNG files"
else
	fa_fail "html: exit $rc, '$n' images said, $imgs <img>, $pngs PNGs: $out $(cat "$S/html.err")"
fi
[ ! -s "$S/html.err" ] && fa_pass "html: nothing on stderr (gnuplot warned about nothing)" ||
	fa_fail "html wrote on stderr: $(head -c 400 "$S/html.err")"
bad=0
for p in "$S/site"/*.png; do
	[ "$(head -c 4 "$p" | od -An -c | tr -d ' ')" = '211PNG' ] || bad=$((bad + 1))
done
[ $bad = 0 ] && fa_pass "every image is a PNG" || fa_fail "$bad images are not PNGs"
[ "$(grep -vcP '^(#|bs\t)' "$S/site/latency-1.tsv")" = 3 ] &&
	fa_pass "latency curve over 3 block sizes" ||
	fa_fail "latency-1.tsv: $(cat "$S/site/latency-1.tsv")"
[ "$(grep -cP '^run\t' "$S/site/trend-1-1.tsv")" = 3 ] &&
	fa_pass "one trend, a line per block size (3)" ||
	fa_fail "trend-1-1.tsv: $(cat "$S/site/trend-1-1.tsv")"

dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu \
	--user-data-dir="$S/chromium" --virtual-time-budget=10000 \
	--dump-dom "file://$S/site/index.html" 2>"$S/chromium.err")
rc=$?
body=$(grep -o '<body[^>]*>' <<<"$dom")
total=$(grep -o 'data-images="[0-9]*"' <<<"$body" | grep -o '[0-9]*')
loaded=$(grep -o 'data-images-loaded="[0-9]*"' <<<"$body" | grep -o '[0-9]*')
if [ $rc = 0 ] && [ -n "$total" ] && [ "$total" = "$imgs" ] &&
   [ "$loaded" = "$total" ]; then
	fa_pass "Chromium rendered the page: $loaded of $total images loaded"
else
	fa_fail "Chromium: exit $rc, body '$body' (want $imgs images loaded)"
	tail -n 3 "$S/chromium.err"
fi
if ! grep -q '<b id="inj">' <<<"$dom" &&
   grep -q '&lt;b id="inj"&gt;night&amp;3&lt;/b&gt;' <<<"$dom"; then
	fa_pass "run name with markup shown as text"
else
	fa_fail "run name not escaped"
fi

# One run of one job: every plot has a single point, drawn without a
# gnuplot warning.
jq '.jobs |= [.[0]]' "$S/run0.json" >"$S/one.json"
"$FA_TOOL" report ingest --db "$S/one.db" --run only "$S/one.json" >/dev/null ||
	fa_fail "ingest of the single run failed"
"$FA_TOOL" report html --db "$S/one.db" --out "$S/one" >"$S/one.out" 2>"$S/one.err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$S/one.err" ] && [ "$(ls "$S/one"/*.png | wc -l)" = 2 ] &&
   grep -q 'class="verdict verdict-nobaseline">no baseline' "$S/one/index.html"; then
	fa_pass "a single run and size: 2 images, nothing on stderr, verdict-nobaseline"
else
	fa_fail "single point: exit $rc, $(ls "$S/one"/*.png 2>/dev/null | wc -l) PNGs, stderr: $(head -c 400 "$S/one.err")"
fi

# The scripts alone, each silent on stderr.
gnuplot -e "data='$S/site/trend-1-1.tsv'; out='$S/alone-trend.png'" \
	"$PLOTS/trend.gp" 2>"$S/gp.err" && [ -s "$S/alone-trend.png" ] &&
	[ ! -s "$S/gp.err" ] &&
	fa_pass "plots/trend.gp alone on a TSV" ||
	fa_fail "trend.gp alone: $(tail -n 2 "$S/gp.err")"
printf '# run_index\tlabel\n2\tkernel 6.18.44\n' >"$S/marks.tsv"
gnuplot -e "data='$S/site/trend-1-1.tsv'; marks='$S/marks.tsv'; out='$S/alone-trend.svg'" \
	"$PLOTS/trend.gp" 2>"$S/gp.err" && grep -q 'kernel 6.18.44' "$S/alone-trend.svg" &&
	[ ! -s "$S/gp.err" ] &&
	fa_pass "plots/trend.gp alone with a change mark, SVG" ||
	fa_fail "trend.gp with marks: $(tail -n 2 "$S/gp.err")"
gnuplot -e "data='$S/site/latency-1.tsv'; out='$S/alone-lat.svg'" \
	"$PLOTS/latency-size.gp" 2>"$S/gp.err" && grep -q '<svg' "$S/alone-lat.svg" &&
	[ ! -s "$S/gp.err" ] &&
	fa_pass "plots/latency-size.gp alone, SVG" ||
	fa_fail "latency-size.gp alone: $(tail -n 2 "$S/gp.err")"
log=$(ls "$S"/lat_clat.*.log 2>/dev/null | head -n1)
if [ -z "$log" ]; then
	fa_fail "fio wrote no lat_clat.*.log"
else
	gnuplot -e "data='$log'; out='$S/alone-clat.png'" \
		"$PLOTS/fio-lat-log.gp" 2>"$S/gp.err" && [ -s "$S/alone-clat.png" ] &&
		[ ! -s "$S/gp.err" ] &&
		fa_pass "plots/fio-lat-log.gp alone on fio's $(basename "$log") ($(wc -l <"$log") entries)" ||
		fa_fail "fio-lat-log.gp: $(tail -n 2 "$S/gp.err")"
fi
gnuplot "$PLOTS/trend.gp" >/dev/null 2>&1
[ $? != 0 ] && fa_pass "trend.gp without data= fails with its usage" ||
	fa_fail "trend.gp without data= succeeded"

# The fleet view: a qualify fleet report's hosts side by side, host x
# guarantee, each cell classed by its status
FDB=$S/fleet.db
"$FA_TOOL" report ingest --db "$FDB" --run fleet-1 \
	"$FA_TOP/tests/host/data/report/qualify-fleet.json" >/dev/null 2>&1
"$FA_TOOL" report html --db "$FDB" --out "$S/fleet-site" >/dev/null 2>"$S/fleet.err"
rc=$?
rows=$(sed -n '/<table class="fleet">/,/<\/table>/p' "$S/fleet-site/index.html" 2>/dev/null |
	grep -c '^<tr><td>node-')
cells=$(sed -n '/<table class="fleet">/,/<\/table>/p' "$S/fleet-site/index.html" 2>/dev/null |
	grep -o 'class="g-[a-z-]*"' | wc -l)
if [ $rc = 0 ] && [ "$rows" = 2 ] && [ "$cells" = 6 ]; then
	fa_pass "fleet view: 2 hosts x 3 guarantees, each cell classed by its status"
else
	fa_fail "fleet view: exit $rc, $rows host rows, $cells guarantee cells (want 2 and 6): $(tail -n 2 "$S/fleet.err")"
fi

fa_done
