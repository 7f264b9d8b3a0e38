#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs: long
# Description: fio-atomic qualify --client across a fleet: three fio
# servers on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (one port; Linux routes
# all of 127/8 to lo), each in its own directory on one XFS image, are
# qualified at once (--quick, the sweep only): one fleet report with a row
# per host, each QUALIFIED with nonzero IOPS that came back from its own
# server (the client JSON's hostname and port; the server's children used
# CPU), the text output ending with the table, exit 0. Then one server is
# killed: its row says unreachable, exit 1, the other two rows intact.
# Before both, --client lists and TARGETs that are refused (exit 2,
# nothing written).
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_require_cmd jq
command -v ss >/dev/null || fa_skip "ss not found (iproute2)"
fa_require_tool
fa_make_xfs 1024
S=$FA_SCRATCH
mkdir -p "$FA_MNT/q"

# The servers run in directories on the mount: they must be gone before
# the cleanup unmounts it.
server_pids=()
trap 'fa_stop_pids "${server_pids[@]}"; fa_cleanup' EXIT

listening() {
	ss -ltnH "src $1" 2>/dev/null | grep -q .
}

# CPU time (ticks) of the children a server has waited for: the
# connections it served and the jobs they ran.
child_ticks() {
	awk '{ print $16 + $17 }' "/proc/$1/stat" 2>/dev/null
}

for _ in $(seq 20); do
	port=$((20000 + RANDOM % 20000))
	listening "127.0.0.1:$port" || listening "127.0.0.2:$port" ||
		listening "127.0.0.3:$port" || break
done
ips=(127.0.0.1 127.0.0.2 127.0.0.3)
for i in 0 1 2; do
	dir=$FA_MNT/server-$i
	mkdir -p "$dir"
	FA_FIO_DIR=$dir fa_fio --server=ip:${ips[$i]},$port \
		--daemonize="$S/server-$i.pid" >"$S/server-$i.log" 2>&1
	for _ in $(seq 50); do
		listening "${ips[$i]}:$port" && break
		sleep 0.1
	done
	pid=$(cat "$S/server-$i.pid" 2>/dev/null)
	[ -n "$pid" ] && server_pids+=("$pid")
	listening "${ips[$i]}:$port" ||
		fa_skip "fio server on ${ips[$i]}:$port did not start: $(tail -n 2 "$S/server-$i.log")"
done

# Refused before anything is written: exit 2, no report.
refused() {
	local desc=$1 want=$2 out rc
	shift 2

	rm -f "$S/bad.json"
	out=$("$FA_TOOL" qualify --fio "$FIO" "$@" --quick --json "$S/bad.json" 2>&1)
	rc=$?
	if [ $rc = 2 ] && grep -q -- "$want" <<<"$out" && [ ! -e "$S/bad.json" ] &&
	   [ -z "$(ls "$FA_MNT/q")" ]; then
		fa_pass "$desc: exit 2: $(head -n1 <<<"$out")"
	else
		fa_fail "$desc: exit $rc, want 2 and '$want': $out"
	fi
}
refused "a port out of range" "port 70000 of 127.0.0.2 is not 1..65535" \
	--client "127.0.0.1:$port,127.0.0.2,70000" "$FA_MNT/q"
refused "one server twice" "127.0.0.1:$port is given twice" \
	--client "127.0.0.1:$port,ip:127.0.0.1,$port" "$FA_MNT/q"
refused "a bracketed address without its closing bracket" "'\[::1' is not a host" \
	--client "127.0.0.1:$port,[::1" "$FA_MNT/q"
refused "a fleet on a file that does not exist" "$FA_MNT/q/f does not exist" \
	--client "127.0.0.1:$port,127.0.0.2:$port" "$FA_MNT/q/f"
fa_fill "$S/one-file" 1
sum=$(fa_sum "$S/one-file")
refused "three hosts of this machine on one file" "would write $S/one-file at once" \
	--client "127.0.0.1:$port,127.0.0.2:$port,127.0.0.3:$port" "$S/one-file" \
	--destroy-data
[ "$(fa_sum "$S/one-file")" = "$sum" ] || fa_fail "$S/one-file changed"

for i in 0 1 2; do
	before[$i]=$(child_ticks "${server_pids[$i]}")
done

# The list in both forms: host:port, and fio's host,port.
clients="127.0.0.1:$port,127.0.0.2,$port,127.0.0.3:$port"
json=$S/fleet.json
start=$(date +%s)
"$FA_TOOL" qualify --fio "$FIO" --client "$clients" "$FA_MNT/q" --quick \
	--max-size 16k --size 32m --steps writes --json "$json" >"$S/out1" 2>&1
rc=$?
secs=$(($(date +%s) - start))
f=.fio_atomic_qualify_fleet
summary=$(jq -r "$f.summary | \"\(.hosts) \(.qualified) \(.not_qualified) \(.failed)\"" "$json" 2>/dev/null)
if [ $rc = 0 ] && [ "$summary" = "3 3 0 0" ] &&
   [ "$(jq -r "$f.version" "$json")" = 1 ]; then
	fa_pass "fleet of 3 at once: exit 0, 3 hosts, 3 QUALIFIED, in $secs s"
else
	fa_fail "fleet of 3: exit $rc, summary '$summary' (want '3 3 0 0')"
	tail -n 30 "$S/out1"
fi

# Each row its own host's: QUALIFIED, its results from its own server,
# nonzero IOPS at 16 KiB through both engines.
row_ok() {
	local i=$1 ip=$2 h sel iops

	h="$f.hosts[$i]"
	sel="$h.results[] | select(.bs == 16384)"
	iops=$(jq -r "[$sel | select(.iops > 0)] | length" "$json" 2>/dev/null)
	if [ "$(jq -r "$h.host" "$json")" = "$ip:$port" ] &&
	   [ "$(jq -r "$h.verdict" "$json")" = QUALIFIED ] &&
	   [ "$(jq -r "$h.fio_server_results.from" "$json")" = "$ip:$port" ] &&
	   [ "$(jq -r "$h.fio_server_results.runs" "$json")" -gt 0 ] &&
	   [ "$(jq -r "$h.this_machine" "$json")" = true ] &&
	   [ "${iops:-0}" = 2 ]; then
		fa_pass "row $i: $ip:$port QUALIFIED, $(jq -r "$h.fio_server_results.runs" "$json") runs came back from $ip:$port: $(jq -r "[$sel | \"\(.engine) \(.iops | floor)\"] | join(\", \")" "$json") IOPS at 16 KiB"
	else
		fa_fail "row $i: $(jq -c "$h | {host, verdict, fio_server_results, this_machine, error}" "$json"), $iops engines with IOPS at 16 KiB"
	fi
}
for i in 0 1 2; do
	row_ok $i "${ips[$i]}"
	after=$(child_ticks "${server_pids[$i]}")
	if [ -n "$after" ] && [ "$after" -gt "${before[$i]:-0}" ]; then
		fa_pass "server ${ips[$i]} ran jobs: its children used $((after - before[i])) ticks of CPU"
	else
		fa_fail "server ${ips[$i]}: its children used no CPU (${before[$i]} -> $after ticks)"
	fi
done

# The text ends with the table: a header, then a row per host.
tail -n 4 "$S/out1" >"$S/table1"
if head -n1 "$S/table1" | grep -q '^host .*verdict .*limits .*conformance .*power_fail .*read_isolation .*write_isolation .*atomic IOPS at 16 KiB' &&
   [ "$(grep -c "^127\.0\.0\.[123]:$port  *QUALIFIED  *PASS  *-  *-  *-  *-  *pvsync2 [1-9][0-9]*, uring [1-9]" "$S/table1")" = 3 ]; then
	fa_pass "the output ends with the fleet table"
else
	fa_fail "the output's last lines are not the fleet table:"
	cat "$S/table1"
fi

# One server gone: its row says so, exit 1, the other rows intact.
kill "${server_pids[2]}"
for _ in $(seq 50); do
	listening "127.0.0.3:$port" || break
	sleep 0.1
done
"$FA_TOOL" qualify --fio "$FIO" --client "$clients" "$FA_MNT/q" --quick \
	--max-size 16k --size 32m --steps writes --json "$json" >"$S/out2" 2>&1
rc=$?
summary=$(jq -r "$f.summary | \"\(.hosts) \(.qualified) \(.not_qualified) \(.failed)\"" "$json" 2>/dev/null)
err=$(jq -r "$f.hosts[2].error" "$json" 2>/dev/null)
v=$(jq -r "$f.hosts[2].verdict" "$json" 2>/dev/null)
if [ $rc = 1 ] && [ "$summary" = "3 2 0 1" ] && [ "$v" = null ] &&
   grep -q "fio server 127.0.0.3:$port unreachable" <<<"$err"; then
	fa_pass "server 127.0.0.3 killed: exit 1, its row: '$err', no verdict"
else
	fa_fail "server 127.0.0.3 killed: exit $rc, summary '$summary' (want '3 2 0 1'), verdict '$v', error '$err'"
	tail -n 20 "$S/out2"
fi
row_ok 0 127.0.0.1
row_ok 1 127.0.0.2
if tail -n1 "$S/out2" | grep -q "^127\.0\.0\.3:$port  *NOT MEASURED .*unreachable"; then
	fa_pass "its table row: $(tail -n1 "$S/out2" | tr -s ' ')"
else
	fa_fail "no NOT MEASURED row for 127.0.0.3 at the end: $(tail -n1 "$S/out2")"
fi
[ -z "$(ls "$FA_MNT/q")" ] && fa_pass "no scratch file left in $FA_MNT/q" ||
	fa_fail "left in $FA_MNT/q: $(ls "$FA_MNT/q")"

fa_stop_pids "${server_pids[@]}"
server_pids=()
fa_done
