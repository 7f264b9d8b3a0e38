#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a fleet in fio's client/server mode: two fio servers on
# 127.0.0.1 (two ports), each in its own directory on an XFS image, run one
# job file through `fio --client=... --client=...`: atomic-uring writers
# with tear_check=1 and racing readers. Both servers' results come back
# with nonzero IOPS, each server leaves its readers' tear report (0 torn,
# reads checked), and fio-atomic report ingest stores the client JSON's
# rows per server, a server's tear report joining its readers' row.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

fa_require_root
fa_require_fio
fa_require_tool
fa_require_cmd jq sqlite3
fa_report_db 512
engine=$(realpath "$ENGINE_DIR/atomic-uring.so")

# The servers run in directories on the mount: they must be gone before
# the cleanup unmounts it.
server_pids=()
trap 'fa_stop_pids "${server_pids[@]}"; fa_cleanup' EXIT

port_listening() {
	ss -ltnH "sport = :$1" 2>/dev/null | grep -q .
}

# two free ports next to each other
for _ in $(seq 20); do
	pa=$((20000 + RANDOM % 20000))
	pb=$((pa + 1))
	port_listening $pa || port_listening $pb || break
done

hosts=(a b)
ports=($pa $pb)
for i in 0 1; do
	dir=$FA_MNT/server-${hosts[$i]}
	mkdir -p "$dir"
	fa_fill "$dir/race" 8
	FA_FIO_DIR=$dir fa_fio --server=ip:127.0.0.1,${ports[$i]} \
		--daemonize="$S/server-${hosts[$i]}.pid" >"$S/server-${hosts[$i]}.log" 2>&1
	for _ in $(seq 50); do
		port_listening ${ports[$i]} && break
		sleep 0.1
	done
	pid=$(cat "$S/server-${hosts[$i]}.pid" 2>/dev/null)
	[ -n "$pid" ] && server_pids+=("$pid")
	port_listening ${ports[$i]} ||
		fa_skip "fio server on 127.0.0.1:${ports[$i]} did not start: $(tail -n 2 "$S/server-${hosts[$i]}.log")"
done

# Relative filename: each server's own file in its own directory. The
# engine's path is absolute: the server loads it.
cat >"$S/fleet.fio" <<EOF
[global]
ioengine=external:$engine
filename=race
size=8m
direct=1
tear_check=1
time_based
runtime=2
bs=64k
iodepth=4

[w]
rw=randwrite

[r]
rw=randread
EOF

fa_fio --client=ip:127.0.0.1,$pa "$S/fleet.fio" \
	--client=ip:127.0.0.1,$pb "$S/fleet.fio" \
	--output-format=json >"$S/client.json" 2>"$S/client.err"
rc=$?
fa_json_of "$S/client.json" >"$S/client-only.json"
[ $rc = 0 ] && fa_pass "fio --client with two servers: exit 0" ||
	fa_fail "fio --client: exit $rc: $(tail -n 5 "$S/client.err")"

for i in 0 1; do
	port=${ports[$i]}
	sel=".client_stats[] | select(.port == $port)"
	w=$(jq -r "$sel | select(.jobname == \"w\") | .write.iops" "$S/client-only.json" 2>/dev/null)
	r=$(jq -r "$sel | select(.jobname == \"r\") | .read.iops" "$S/client-only.json" 2>/dev/null)
	if [ -n "$w" ] && [ -n "$r" ] && [ "$(echo "$w > 0 && $r > 0" | bc)" = 1 ]; then
		fa_pass "server ${hosts[$i]} (127.0.0.1:$port): writers $(printf '%.0f' "$w") IOPS, readers $(printf '%.0f' "$r") IOPS"
	else
		fa_fail "server ${hosts[$i]} (127.0.0.1:$port): writers '$w', readers '$r' IOPS"
	fi
	dir=$FA_MNT/server-${hosts[$i]}
	tear=$(ls "$dir"/r.*.atomic.json 2>/dev/null | head -n1)
	if [ -z "$tear" ]; then
		fa_fail "server ${hosts[$i]}: no r.<n>.<time>-<pid>.atomic.json in its directory: $(ls "$dir")"
		continue
	fi
	torn=$(jq -r .tear.torn "$tear")
	reads=$(jq -r .tear.checked_reads "$tear")
	intact=$(jq -r .tear.intact "$tear")
	if [ "$torn" = 0 ] && [ "$reads" -gt 0 ] && [ "$intact" -gt 0 ]; then
		fa_pass "server ${hosts[$i]}: tear report $(basename "$tear"): 0 torn of $intact intact units, $reads reads checked"
	else
		fa_fail "server ${hosts[$i]}: torn=$torn intact=$intact reads=$reads"
	fi
done

# server a's tear report, named as its host, joins its readers' row
fa_report ingest --run fleet --host "127.0.0.1:$pa" \
	"$S/client.json" "$(ls "$FA_MNT"/server-a/r.*.atomic.json | head -n1)"
per_host=$(sqlite3 "$DB" "SELECT host || '=' || count(*) FROM results GROUP BY host ORDER BY host" | tr '\n' ' ')
want="127.0.0.1:$pa=2 127.0.0.1:$pb=2 "
if [ $rc = 0 ] && [ "$per_host" = "$want" ]; then
	fa_pass "ingest of the client JSON: rows per host: $per_host"
else
	fa_fail "ingest: exit $rc, rows per host '$per_host', want '$want': $out"
fi
grep -q 'All clients' <<<"$out" &&
	fa_pass "fio's \"All clients\" sum skipped, said so" ||
	fa_fail "no word about the \"All clients\" entry: $out"
read -r eng torn checked < <(sqlite3 -separator ' ' "$DB" \
	"SELECT engine, torn, checked FROM results WHERE host = '127.0.0.1:$pa' AND job = 'r'")
[ "$eng" = atomic-uring ] && [ "$torn" = 0 ] && [ "${checked:-0}" -gt 0 ] &&
	fa_pass "server a's readers' row: engine $eng, $torn torn, $checked reads checked" ||
	fa_fail "server a's readers' row: '$eng $torn $checked'"

fa_stop_pids "${server_pids[@]}"
server_pids=()
fa_done
