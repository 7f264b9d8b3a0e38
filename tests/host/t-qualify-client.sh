#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic qualify --client: the measuring fio jobs (the
# sweep and the racing readers) run on a fio server on this machine, as
# job files; the report is QUALIFIED with the server's numbers, and names
# the server.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_require_cmd jq
fa_require_tool
fa_make_xfs 1024
mkdir -p "$FA_MNT/q"

port=$((8800 + RANDOM % 1000))
pidfile=$FA_SCRATCH/server.pid
fa_fio --server=ip:127.0.0.1,$port --daemonize="$pidfile" \
	>"$FA_SCRATCH/server.log" 2>&1
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$pidfile" ] && break
	sleep 0.2
done
[ -s "$pidfile" ] || fa_skip "the fio server did not start: $(tail -n1 "$FA_SCRATCH/server.log")"
server=$(cat "$pidfile")
trap 'kill "$server" 2>/dev/null; fa_cleanup' EXIT
sleep 0.5

json=$FA_SCRATCH/q.json
out=$("$FA_TOOL" qualify --fio "$FIO" --client "ip:127.0.0.1,$port" \
	"$FA_MNT/q" --quick --max-size 8k --size 32m --json "$json" \
	--steps conformance,writes,read-isolation 2>&1)
rc=$?
q=.fio_atomic_qualify
verdict=$(jq -r "$q.verdict" "$json" 2>/dev/null)
srv=$(jq -r "$q.fio_server" "$json" 2>/dev/null)
rows=$(jq -r "$q.results | length" "$json" 2>/dev/null)
tear=$(jq -r "$q.guarantees.read_isolation | \"\\(.status) \\(.points | length) \\(.failures)\"" "$json" 2>/dev/null)
if [ $rc = 0 ] && [ "$verdict" = QUALIFIED ] && [ "$srv" = "ip:127.0.0.1,$port" ] &&
   [ "${rows:-0}" = 4 ] && [ "$tear" = "provided 2 0" ]; then
	fa_pass "--client ip:127.0.0.1,$port: QUALIFIED, $rows points and 2 racing-reader runs on the server: $(jq -r "$q.results[] | select(.engine == \"atomic-uring\" and .bs == 8192) | \"atomic-uring 8k QD\(.iodepth) \(.iops | floor) IOPS\"" "$json")"
else
	fa_fail "--client: exit $rc, verdict '$verdict', server '$srv', $rows rows, read_isolation '$tear'"
	echo "$out" | tail -n 15
fi
kill "$server" 2>/dev/null
fa_done
