#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: tear_check=1 on an XFS file: writers stamp every block,
# racing readers classify every unit they read; with RWF_ATOMIC no unit is
# torn, every read is counted, and each job leaves its JSON report, whose
# counts name the guarantee they measure: read_isolation (one writer per
# unit at a time: serialize_overlap=1, so a torn read could not be two
# writes mixed, a write_isolation matter).
# tear_check together with fio's verify is refused.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_make_xfs 512
f=$FA_MNT/race
fa_fill "$f" 8

for engine in "${FA_ENGINES[@]}"; do
	dir=$FA_SCRATCH/$engine
	mkdir -p "$dir"
	out=$(cd "$dir" && fa_fio --ioengine="$(fa_engine "$engine")" \
		--filename="$f" --size=8m --direct=1 --tear_check=1 \
		--time_based --runtime=2 \
		--name=w --rw=randwrite --bs=64k --iodepth=4 --serialize_overlap=1 \
		--name=r --rw=randread --bs=64k --iodepth=4 \
		--atomic_report="$dir/r.json" 2>&1)
	if ! grep -q "atomic-.*: r: tear check: [0-9]* reads" <<<"$out" ||
	   [ ! -s "$dir/r.json" ]; then
		fa_fail "$engine: no tear report"
		echo "$out" | grep -E "fio:|tear" | head -n 5
		continue
	fi
	torn=$(jq -r .tear.torn "$dir/r.json")
	reads=$(jq -r .tear.checked_reads "$dir/r.json")
	intact=$(jq -r .tear.intact "$dir/r.json")
	measures=$(jq -r '.tear.measures | "\(.guarantee) \(.trials) \(.failures)"' "$dir/r.json")
	if [ "$torn" = 0 ] && [ "$reads" -gt 0 ] && [ "$intact" -gt 0 ] &&
	   [ "$measures" = "read_isolation $intact 0" ]; then
		fa_pass "$engine: $reads reads, $intact intact units, 0 torn (< $(jq -r '.tear.tear_rate_upper95 * 100' "$dir/r.json")%)"
	else
		fa_fail "$engine: torn=$torn intact=$intact reads=$reads measures='$measures'"
	fi
	grep -q "w: tear check: [1-9][0-9]* writes stamped in 512-byte blocks" <<<"$out" &&
		fa_pass "$engine: writes stamped in the file's 512-byte DIO blocks" ||
		fa_fail "$engine: no stamped-writes line"
done

# The stamps are on disk: fio-atomic tearscan reads them back.
out=$("$FA_TOOL" tearscan "$f" --unit 64k 2>&1)
rc=$?
[ $rc = 0 ] && fa_pass "tearscan after the run: exit 0" ||
	{ fa_fail "tearscan after the run: exit $rc"; echo "$out" | tail -n 5; }

fa_expect_refusal "tear_check with verify" "$f" \
	"tear_check=1 and verify= both own the write buffers" \
	--name=v --ioengine="$(fa_engine atomic-pvsync2)" --filename="$f" \
	--size=8m --bs=64k --rw=write --direct=1 --tear_check=1 --verify=crc32c

fa_done
