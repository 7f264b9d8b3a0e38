#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the dashboard on a seeded database of six nightly runs,
# each ingested from a real fio JSON output and a qualify report of a lab
# NVMe target with its context (tests/host/data/page/qualify-nvme.json,
# varied with jq): the kernel changes from 6.17.9 to 6.18.44 at night-3,
# the firmware from 1.0 to 2.0 at night-4, and the last night's NVMe IOPS
# are 30% lower, its read_isolation not provided (11 of 6432). report
# html writes nothing on stderr (gnuplot warns about nothing); the page
# flags the regression (a verdict-regressed cell for lab-vm's IOPS, -30%),
# marks both changes (in its lists and on the trends' time axis), writes
# every tear rate one way, and a page per run with its context. Headless
# Chromium checks the DOM: the verdict cells, the change marks, every
# image loaded, no horizontal scroll at 1400 px, two columns at 1400 px
# and one at 900 px; its screenshot is kept in $BUILD/test-artifacts/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_fio
fa_require_tool
fa_require_cmd jq gnuplot:gnuplot-nox chromium
fa_report_db
SITE=$S/site
FIXTURE=$FA_TOP/tests/host/data/page/qualify-nvme.json
ART=$BUILD/test-artifacts
mkdir -p "$ART"

fa_fio_seed "$S/real.json" --output-format=json \
	--name=a --rw=randwrite --bs=4k \
	--name=b --rw=randwrite --bs=16k
fa_json_of "$S/real.json" >"$S/base.json"

# night i: fio's IOPS x fio_f, the NVMe target's x nvme_f, its kernel
# and firmware; the last night's read_isolation not provided
kernels=(6.17.9 6.17.9 6.18.44 6.18.44 6.18.44 6.18.44)
firmwares=(1.0 1.0 1.0 2.0 2.0 2.0)
fio_f=(1.00 1.02 0.98 1.01 0.99 1.00)
nvme_f=(1.00 1.01 0.99 1.02 1.00 0.70)
for i in 0 1 2 3 4 5; do
	n=night-$((i + 1))
	jq --argjson f "${fio_f[$i]}" --argjson i "$i" \
		'.timestamp += 86400 * $i | .jobs |= map(.write.iops *= $f)' \
		"$S/base.json" >"$S/$n.fio.json"
	jq --argjson f "${nvme_f[$i]}" --argjson i "$i" \
		--arg k "${kernels[$i]}" --arg fw "${firmwares[$i]}" '
		.fio_atomic_qualify |= (
		.timestamp += 86400 * $i |
		.kernel.release = $k | .context.kernel = $k |
		.device.firmware = $fw | .context.device.firmware = $fw |
		.results |= map(.iops *= $f) |
		if $i == 5 then .guarantees.read_isolation += {
			status: "not_provided", failures: 11,
			rate: (11 / 6432), reason: "11 of 6432 reads torn" }
		else . end)' "$FIXTURE" >"$S/$n.qualify.json"
	"$FA_TOOL" report ingest --db "$DB" --run "$n" "$S/$n.fio.json" \
		"$S/$n.qualify.json" >/dev/null 2>"$S/ingest.err" ||
		fa_fail "ingest of $n failed: $(cat "$S/ingest.err")"
done

start=$(date +%s.%N)
"$FA_TOOL" report html --db "$DB" --out "$SITE" >"$S/html.out" 2>"$S/html.err"
rc=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
if [ $rc = 0 ] && [ ! -s "$S/html.err" ]; then
	fa_pass "report html: exit 0, nothing on stderr (no gnuplot warning), $(printf %.1f "$took") s: $(cat "$S/html.out")"
else
	fa_fail "report html: exit $rc, stderr: $(head -c 600 "$S/html.err")"
	fa_done
fi
I=$SITE/index.html

# The summary: lab-vm's IOPS regressed by 30%, with its baseline.
row=$(grep -o '<tr><td>lab-vm[^<]*</td><td>IOPS (1/s)</td>.*' "$I" | head -n1)
if grep -q 'class="verdict verdict-regressed">regressed' <<<"$row" &&
   grep -q '>-30\.0<' <<<"$row" && grep -q 'median of 5 runs' <<<"$row"; then
	fa_pass "summary: lab-vm IOPS regressed, -30.0% against the median of 5 runs"
else
	fa_fail "summary line of lab-vm IOPS: $(sed 's/<[^>]*>/ /g' <<<"$row" | tr -s ' ')"
fi
host_row=$(grep -o '<tr><td>[^<]*</td><td>IOPS (1/s)</td>.*' "$I" | grep -v '^<tr><td>lab-vm' | head -n1)
grep -q 'verdict-ok">ok' <<<"$host_row" &&
	fa_pass "summary: the fio target within its noise, verdict-ok" ||
	fa_fail "summary line of the fio target: $(sed 's/<[^>]*>/ /g' <<<"$host_row" | tr -s ' ')"

# The changes: in the lists and on the trends' axis
for what in "kernel</span> 6.17.9 &rarr; 6.18.44 in run <a href=\"run-[0-9]*.html\">night-3</a> on lab-vm /dev/nvme0n1" \
	    "firmware</span> 1.0 &rarr; 2.0 in run <a href=\"run-[0-9]*.html\">night-4</a> on lab-vm /dev/nvme0n1"; do
	grep -q "data-change=\"${what%%<*}\"><span class=\"change-kind\">$what" "$I" &&
		fa_pass "change listed: $(sed 's/<[^>]*>//g; s/&rarr;/->/' <<<"$what")" ||
		fa_fail "change not listed: $what"
done
marks=$(cat "$SITE"/trend-*.marks.tsv 2>/dev/null)
if grep -qP '^3\tkernel 6\.18\.44$' <<<"$marks" && grep -qP '^4\tfirmware 2\.0$' <<<"$marks"; then
	fa_pass "trends mark the kernel change before run 3 and the firmware change before run 4"
else
	fa_fail "trend marks: $marks"
fi

# One tear-rate format (fa_rate_text), the guarantee panel coloured
if grep -q 'class="g-not-provided">NOT PROVIDED: 0.17% (11 of 6,432; 95% upper bound' "$I" &&
   grep -q 'class="g-provided">provided: 0 of 4,096 (95% upper bound 0.074%)' "$I" &&
   grep -q 'class="g-not-tested">not tested: no second writer' "$I"; then
	fa_pass "guarantees: provided / NOT PROVIDED / not tested, rates as fa_rate_text writes them"
else
	fa_fail "guarantee cells: $(grep -o 'class="g-[^<]*' "$I" | sort | uniq -c | head)"
fi
! grep -qE 'torn / units|[0-9]+/[0-9]+ torn' "$SITE"/*.html &&
	fa_pass "no other tear-rate format on the pages" ||
	fa_fail "another tear-rate format: $(grep -ohE 'torn / units|[0-9]+/[0-9]+ torn' "$SITE"/*.html | head -n 2)"

# A page per run: the last one with its context and guarantees
pages=$(ls "$SITE"/run-*.html | wc -l)
last=$(grep -l '<h1>Run night-6</h1>' "$SITE"/run-*.html)
if [ "$pages" = 6 ] && [ -n "$last" ] && grep -q '>6.18.44<' "$last" &&
   grep -q '>lab0001<' "$last" && grep -q '>2.0<' "$last" &&
   grep -q 'NOT PROVIDED: 0.17% (11 of 6,432' "$last"; then
	fa_pass "6 run pages; night-6's has its kernel, serial, firmware and guarantees"
else
	fa_fail "run pages: $pages, night-6 '$last'"
fi
[ "$(grep -c '<figcaption' "$I")" = 0 ] && [ -s "$SITE/fio-atomic.css" ] &&
	grep -q 'href="fio-atomic.css"' "$I" &&
	fa_pass "headings only (no captions); the stylesheet beside the page" ||
	fa_fail "figcaptions or no fio-atomic.css"

# The DOM in Chromium: a copy of the page with a probe that writes what
# it measured into the DOM, at 1400 and at 900 px.
probe='<script>
window.addEventListener("load", function () { setTimeout(function () {
	var r = {}, imgs = document.images, ok = 0, i, dup = 0;
	for (i = 0; i < imgs.length; i++)
		if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
	r.images = imgs.length; r.loaded = ok;
	r.scroll = document.documentElement.scrollWidth;
	r.columns = getComputedStyle(document.querySelector(".grid"))
		.gridTemplateColumns.split(" ").length;
	r.regressed = []; r.ok = 0;
	document.querySelectorAll("table.summary tr").forEach(function (tr) {
		var v = tr.querySelector("td.verdict");
		if (!v) return;
		if (v.classList.contains("verdict-regressed"))
			r.regressed.push(tr.cells[0].textContent + "|" + tr.cells[1].textContent);
		if (v.classList.contains("verdict-ok")) r.ok++;
	});
	r.changes = [];
	document.querySelectorAll("ul.changes li.change").forEach(function (li) {
		r.changes.push(li.dataset.change);
	});
	document.querySelectorAll("section").forEach(function (s) {
		var seen = {};
		s.querySelectorAll("h2, h3").forEach(function (h) {
			if (seen[h.textContent]) dup++;
			seen[h.textContent] = 1;
		});
	});
	r.duplicate_headings = dup;
	var p = document.createElement("pre");
	p.id = "fa-probe";
	p.textContent = JSON.stringify(r);
	document.body.appendChild(p);
}, 0); });
</script>'
awk -v probe="$probe" '/<\/body>/ { print probe } { print }' "$I" >"$SITE/probe.html"
chrome() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--hide-scrollbars --user-data-dir="$S/chromium" \
		--virtual-time-budget=10000 "$@" 2>>"$S/chromium.err"
}
probe_at() {
	chrome --window-size="$1,1000" --dump-dom "file://$SITE/probe.html" |
		grep -o '<pre id="fa-probe">[^<]*' | sed 's/^<pre id="fa-probe">//; s/&quot;/"/g'
}
r=$(probe_at 1400)
if [ -z "$r" ]; then
	fa_fail "Chromium: no probe result: $(tail -n 3 "$S/chromium.err")"
	fa_done
fi
echo "probe at 1400 px: $r"
imgs=$(jq .images <<<"$r")
[ "$imgs" -gt 0 ] && [ "$(jq .loaded <<<"$r")" = "$imgs" ] &&
	fa_pass "Chromium: $imgs of $imgs images loaded" ||
	fa_fail "Chromium: images $(jq -c '[.loaded, .images]' <<<"$r") (loaded, all)"
[ "$(jq .scroll <<<"$r")" -le 1400 ] &&
	fa_pass "no horizontal scroll at 1400 px (scrollWidth $(jq .scroll <<<"$r"))" ||
	fa_fail "scrollWidth $(jq .scroll <<<"$r") > 1400"
[ "$(jq .columns <<<"$r")" = 2 ] &&
	fa_pass "two columns at 1400 px" ||
	fa_fail "columns at 1400 px: $(jq .columns <<<"$r")"
[ "$(jq -c .regressed <<<"$r")" = '["lab-vm /dev/nvme0n1|IOPS (1/s)"]' ] && [ "$(jq .ok <<<"$r")" -ge 1 ] &&
	fa_pass "DOM: the one verdict-regressed cell is lab-vm's IOPS; $(jq .ok <<<"$r") verdict-ok" ||
	fa_fail "DOM verdicts: regressed $(jq -c .regressed <<<"$r"), ok $(jq .ok <<<"$r")"
fa_jq_true '(.changes | index("kernel")) and (.changes | index("firmware"))' <<<"$r" >/dev/null &&
	fa_pass "DOM: kernel and firmware changes marked" ||
	fa_fail "DOM changes: $(jq -c .changes <<<"$r")"
[ "$(jq .duplicate_headings <<<"$r")" = 0 ] &&
	fa_pass "DOM: each heading once per section" ||
	fa_fail "DOM: $(jq .duplicate_headings <<<"$r") repeated headings"
r=$(probe_at 900)
[ "$(jq .columns <<<"$r" 2>/dev/null)" = 1 ] && [ "$(jq .scroll <<<"$r")" -le 900 ] &&
	fa_pass "one column at 900 px, no horizontal scroll" ||
	fa_fail "at 900 px: $r"
# A label and a named baseline: the page shows the label and judges the
# latest run against the baseline (nights 1 and 2: the drop stays -30%).
"$FA_TOOL" report label --db "$DB" night-6 'firmware 2.0 <rollout>' >/dev/null &&
"$FA_TOOL" report baseline set --db "$DB" before-upgrade night-1 night-2 >/dev/null ||
	fa_fail "report label / baseline set failed"
"$FA_TOOL" report html --db "$DB" --out "$SITE" >/dev/null 2>"$S/html.err" ||
	fa_fail "report html after label and baseline: $(head -c 300 "$S/html.err")"
row=$(grep -o '<tr><td>lab-vm[^<]*</td><td>IOPS (1/s)</td>.*' "$I" | head -n1)
if grep -q 'baseline before-upgrade' <<<"$row" && grep -q 'verdict-regressed' <<<"$row" &&
   grep -q '>firmware 2.0 &lt;rollout&gt;<' "$I" &&
   grep -q 'label: firmware 2.0 &lt;rollout&gt;' "$last"; then
	fa_pass "named baseline before-upgrade used, regression still flagged; the label on the index and the run page"
else
	fa_fail "baseline/label: $(sed 's/<[^>]*>/ /g' <<<"$row" | tr -s ' ')"
fi

rm -f "$ART/report-page-1400.png"
chrome --window-size=1400,1000 --screenshot="$ART/report-page-1400.png" \
	"file://$I" >/dev/null
[ -s "$ART/report-page-1400.png" ] &&
	fa_pass "screenshot kept: $ART/report-page-1400.png" ||
	fa_fail "no screenshot: $(tail -n 3 "$S/chromium.err")"

fa_done
