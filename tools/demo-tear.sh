# SPDX-License-Identifier: GPL-2.0
#
# Description: the tear column of make demo's table (sourced by
# tools/demo-rows.sh, demo-sg.sh and demo-nvme.sh): a short racing run on
# the row's target, engine and size, two writers and two readers at once
# with tear_check=1 on a region of 16 units, so that reads keep meeting
# writes in flight. demo_tear prints "torn/checked": the units the readers
# found torn, of those they found written (intact + torn). The row's
# performance figures come from its own run, without stamps.
#
#   demo_tear WORKDIR BS FIO-ARGS...     (FIO-ARGS: engine, file, QD...)
#
# Environment: FIO, DEMO_TEAR_RUNTIME (seconds, default 1).

demo_tear() {
	local dir=$1/tear bs=$2 units=16
	shift 2

	rm -rf "$dir"
	mkdir -p "$dir"
	if ! (cd "$dir" && "$FIO" "$@" --bs="$bs" --size=$((units * bs)) \
		--tear_check=1 --time_based \
		--runtime="${DEMO_TEAR_RUNTIME:-1}" --numjobs=2 \
		--name=w --rw=randwrite --name=r --rw=randread) \
		>"$dir.log" 2>&1; then
		echo "demo: tear run failed: $*" >&2
		tail -n 5 "$dir.log" >&2
		echo "-"
		return 0
	fi
	jq -rs 'map(.tear) | "\(map(.torn) | add)/\(map(.intact + .torn) | add)"' \
		"$dir"/r.*.atomic.json 2>/dev/null || echo "-"
}
