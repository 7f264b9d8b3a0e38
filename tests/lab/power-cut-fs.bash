# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # power-cut's globals
#
# Description: the --fs mode of tests/lab/power-cut, sourced by it: files
# on XFS or ext4 made on the NVMe namespace. One run is two boots on one
# fresh image for every engine and unit at once: boot 1 makes the
# filesystem (lab-run --fs), resolves the units from the file's statx
# limits and runs a writer per engine and unit until the cut, which
# lab-run times from the moment every writer had a write acknowledged
# (--power-cut-after); boot 2 mounts the filesystem (log recovery) and
# scans each file with its acknowledged-write log
# (tests/lab/guest/power-cut-fs.sh). Uses power-cut's lab, lab_failed,
# add_scan, summary, not_run and probe; fs_main fills its results and
# control_json, and fs_json.

# fs_run CONTROL I: run I of the writers (CONTROL=1: of the control);
# appends each file's counts to $work/runs.ENGINE.WORD (the control's to
# $work/runs.control)
fs_run() {
	local ctl=$1 i=$2 dir img t attempt name cut_timeout jobs opts
	local tag engine word u path scan=() line

	name="$fs run $i"
	dir=$work/fs.$i
	[ "$ctl" = 1 ] && { name="$fs control run $i"; dir=$work/fs-control.$i; }
	run_dir=$dir
	# mkfs, the files laid out and the writers started come first
	cut_timeout=$(awk -v m="$cut_max" 'BEGIN { printf "%d", m + 240 }')
	img=$work/nvme.img
	for attempt in 1 2; do
		rm -rf "$dir" "$img"
		mkdir -p "$dir"
		t=$(awk -v a="$cut_min" -v b="$cut_max" -v r="$RANDOM" \
			'BEGIN { printf "%.1f", a + (b - a) * r / 32767 }')
		lab "$dir" "$img" 0 "$cut_timeout" --nvme-size-mb 512 \
			--fs "$fs" --power-cut "$t" --power-cut-after writing -- \
			"$GUEST_FS" write "$fs_engines" "$units" "$ctl"
		case $lab_rc in
		123|124|125|126) ;;
		*) break ;;
		esac
		[ $attempt = 1 ] || continue
		echo "$prog: $name: boot 1 failed in the lab (exit $lab_rc: $(grep -m1 -E 'timeout|Assertion|failed|ready' "$work/lab.err" | cut -c1-100)), the run starts again" >&2
	done
	case $lab_rc in
	100|3)	;;
	0|1)	lab_failed "$name: a writer ended before the cut at ${t}s (exit $lab_rc)" ;;
	*)	lab_failed "$name: boot 1 exit $lab_rc (expected 100, the power cut)" ;;
	esac
	[ -s "$dir/jobs" ] && [ -s "$dir/fs.env" ] ||
		lab_failed "$name: the guest left no jobs or fs.env"
	jobs=$work/fs-jobs
	[ "$ctl" = 1 ] && jobs=$work/fs-control-jobs
	if [ "$i" = 1 ]; then
		cp "$dir/jobs" "$jobs"
		cp "$dir/fs.env" "$work/fs.env"
		[ -s "$dir/limits.json" ] && cp "$dir/limits.json" "$work/limits.json"
	elif ! cmp -s "$dir/jobs" "$jobs"; then
		lab_failed "$name: the units differ from run 1's ($(tr '\n' ';' <"$dir/jobs") against $(tr '\n' ';' <"$jobs"))"
	fi
	[ "$lab_rc" = 3 ] && return 0
	while read -r tag _ _ u _; do
		[ "$tag" = - ] || [[ " ${scan[*]} " == *" $tag:$u "* ]] ||
			scan+=("$tag:$u")
	done <"$dir/jobs"
	opts=$(sed -n 's/^mount_opts=//p' "$dir/fs.env")
	lab "$dir" "$img" 1 300 --modules "$fs_kind" -- \
		"$GUEST_FS" scan "$fs_kind" "$opts" "${scan[@]}"
	[ "$lab_rc" = 0 ] ||
		lab_failed "$name: the scan after the cut exited $lab_rc"
	while read -r tag engine word u path; do
		[ "$tag" = - ] && continue
		line=$work/runs.$engine.$word
		[ "$ctl" = 1 ] && line=$work/runs.control
		add_scan "$t" "$dir/scan.$tag.json" "$line" ||
			lab_failed "$name: no scan of $tag"
		printf '  %-15s %6s %-17s run %d: cut at %4ss: %s\n' \
			"$engine" "$u" "$path" "$i" "$t" \
			"$(jq -r '"\(.units) units, \(.intact) intact, \(.torn) torn, \(.unwritten) unwritten; \(.acked) acked, \(.lost) lost"' <<<"$(tail -n1 "$line")")" >&2
	done <"$dir/jobs"
	echo "  $(cat "$dir/mount.time" 2>/dev/null)" >&2
	rm -f "$img"
}

# fs_entries: one result per engine and unit of $work/fs-jobs
fs_entries() {
	local tag engine word u path

	while read -r tag engine word u path; do
		if [ "$tag" = - ]; then
			# u is "-", path "N/A", then the reason
			not_run "$engine" "" N/A "${path#N/A }" |
				jq -c --arg w "$word" \
				'. + {unit: null, unit_word: $w, path: null}'
		else
			summary "$engine" "" 0 "$work/runs.$engine.$word" |
				jq -c --argjson u "$u" --arg w "$word" \
				--arg p "$path" \
				'. + {unit: $u, unit_word: $w, path: $p}'
		fi
	done <"$work/fs-jobs"
}

# fs_main: every engine and unit on files, then the control
fs_main() {
	local spec engine mode i e

	fs_engines=
	for spec in "${specs[@]}"; do
		engine=${spec%%:*}
		mode=
		[ "$spec" != "$engine" ] && mode=${spec#*:}
		case $engine in
		atomic-nvme)
			results+=("$(not_run "$engine" "$mode" N/A "atomic-nvme writes NVMe commands to the namespace's generic node, under no filesystem: not applicable to a file")")
			continue ;;
		atomic-sg)
			results+=("$(not_run "$engine" "" N/A "atomic-sg writes SCSI commands to a generic node, under no filesystem: not applicable to a file")")
			continue ;;
		esac
		probe "$engine"
		case $? in
		1)	results+=("$(not_run "$engine" "" SKIP "$engine has no tear_check/tear_ack_log option yet ($FIO --enghelp=$ENGINE_DIR/$engine.so)")")
			continue ;;
		2)	results+=("$(not_run "$engine" "" FAIL "fio cannot load $ENGINE_DIR/$engine.so: $probe_error")")
			continue ;;
		esac
		fs_engines+=${fs_engines:+,}$engine
	done
	if [ -n "$fs_engines" ]; then
		echo "$prog: --fs $fs (kernel ${kernel}): $fs_engines, units $units: $runs runs, cuts ${cut_min}..${cut_max}s after the writers' first acks" >&2
		for ((i = 1; i <= runs; i++)); do
			fs_run 0 "$i"
		done
		while read -r e; do
			results+=("$e")
		done < <(fs_entries)
	fi
	if [ "$control" = 1 ]; then
		echo "$prog: control: plain $control_unit writes to a file on $fs_kind, namespace split at max_sectors_kb=4, atomic-uring, ${control_runs:-$runs} runs" >&2
		: >"$work/runs.control"
		for ((i = 1; i <= ${control_runs:-$runs}; i++)); do
			fs_run 1 "$i"
		done
		control_json=$(summary atomic-uring "" 1 "$work/runs.control" |
			jq -c --argjson u "$(bytes "$control_unit")" \
			'. + {unit: $u, path: "plain"}')
	fi
	# what the filesystem was, from the guest of the first run
	fs_json=$(jq -nc --arg spec "$fs" \
		--arg env "$(cat "$work/fs.env" 2>/dev/null)" \
		--argjson lim "$(cat "$work/limits.json" 2>/dev/null || echo null)" '
		($env | split("\n") | map(select(contains("=")) |
		  {key: .[:index("=")], value: .[index("=") + 1:]}) |
		  from_entries) as $e |
		{type: $e.kind, spec: $spec, kernel: $e.kernel, mkfs: $e.mkfs,
		 mount_options: $e.mount_opts,
		 limits: (if $lim == null then null else
		   ($lim.limits | {unit_min: .unit_min.statx.value,
		     unit_max: .unit_max.statx.value,
		     unit_max_opt: (.unit_max_opt.statx.value // 0)}) end)}')
}
