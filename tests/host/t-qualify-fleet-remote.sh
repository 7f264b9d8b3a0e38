#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio-atomic qualify --client across a fleet with a host that
# is not this machine: a fio server in a network namespace of its own
# (an address no interface of this machine has; the same filesystem, as
# the --client contract asks) beside one on 127.0.0.1. The steps that run
# here (limits, conformance) are the local host's and PASS; for the other
# host they are not tested with the reason, its kernel, device and limits
# are left out of its row, its sweep came back from its own server, and it
# has no verdict (its required steps run on the host itself), only its
# measured rows: exit 1.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_require_cmd jq
command -v ip >/dev/null || fa_skip "ip not found (iproute2)"
command -v ss >/dev/null || fa_skip "ss not found (iproute2)"
fa_require_tool

ns=fa-fleet-$$
veth=fafl$$
net=10.213.$((RANDOM % 250)).
ip route get "${net}2" 2>/dev/null | grep -q "dev lo" &&
	fa_skip "${net}2 is an address of this machine already"
server_pid=""
local_pid=""
remote_stop() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	[ -n "$local_pid" ] && kill "$local_pid" 2>/dev/null
	for p in $server_pid $local_pid; do
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
	done
	ip netns del "$ns" 2>/dev/null
	ip link del "${veth}a" 2>/dev/null
}
trap 'remote_stop; fa_cleanup' EXIT
ip netns add "$ns" 2>/dev/null || fa_skip "cannot make a network namespace (ip netns add)"
ip link add "${veth}a" type veth peer name "${veth}b" &&
	ip link set "${veth}b" netns "$ns" &&
	ip addr add "${net}1/24" dev "${veth}a" && ip link set "${veth}a" up &&
	ip netns exec "$ns" ip addr add "${net}2/24" dev "${veth}b" &&
	ip netns exec "$ns" ip link set "${veth}b" up ||
	fa_skip "cannot link the network namespace (veth)"

fa_make_xfs 1024
S=$FA_SCRATCH
mkdir -p "$FA_MNT/q" "$FA_MNT/here" "$FA_MNT/there"
port=$((20000 + RANDOM % 20000))
FA_FIO_DIR=$FA_MNT/here fa_fio --server=ip:127.0.0.1,$port \
	--daemonize="$S/here.pid" >"$S/here.log" 2>&1
# (a sanitised build's engines need their runtime preloaded, as fa_fio does)
(cd "$FA_MNT/there" && ip netns exec "$ns" env ${FA_PRELOAD:+LD_PRELOAD="$FA_PRELOAD"} \
	${FA_PRELOAD:+ASAN_OPTIONS=detect_leaks=0:abort_on_error=1} "$FIO" \
	--server=ip:${net}2,$port --daemonize="$S/there.pid") >"$S/there.log" 2>&1
for _ in $(seq 50); do
	ss -ltnH "src 127.0.0.1:$port" | grep -q . &&
		ip netns exec "$ns" ss -ltnH "src ${net}2:$port" | grep -q . && break
	sleep 0.1
done
local_pid=$(cat "$S/here.pid" 2>/dev/null)
server_pid=$(cat "$S/there.pid" 2>/dev/null)
[ -n "$local_pid" ] && [ -n "$server_pid" ] ||
	fa_skip "the fio servers did not start: $(cat "$S/here.log" "$S/there.log")"

json=$S/fleet.json
start=$(date +%s)
"$FA_TOOL" qualify --fio "$FIO" --client "127.0.0.1:$port,${net}2:$port" \
	"$FA_MNT/q" --quick --max-size 8k --size 32m --steps conformance,writes \
	--json "$json" >"$S/out" 2>&1
rc=$?
secs=$(($(date +%s) - start))
f=.fio_atomic_qualify_fleet
summary=$(jq -r "$f.summary | \"\(.qualified) \(.not_qualified) \(.failed)\"" "$json" 2>/dev/null)
if [ $rc = 1 ] && [ "$summary" = "1 0 1" ]; then
	fa_pass "127.0.0.1 and ${net}2 (another network namespace): exit 1, 1 QUALIFIED, 1 without a verdict, in $secs s"
else
	fa_fail "exit $rc (want 1), summary '$summary' (want '1 0 1')"
	tail -n 30 "$S/out"
fi

here="$f.hosts[0]"
steps=$(jq -r "[$here.steps[] | \"\(.name)=\(.result)\"] | join(\" \")" "$json" 2>/dev/null)
if [ "$(jq -r "$here.this_machine" "$json")" = true ] &&
   [ "$steps" = "limits=PASS conformance=PASS writes=PASS" ] &&
   [ "$(jq -r "$here.limits | type" "$json")" = object ]; then
	fa_pass "127.0.0.1 is this machine: $steps, its limits in its row"
else
	fa_fail "127.0.0.1: this_machine $(jq -r "$here.this_machine" "$json"), steps '$steps'"
fi

there="$f.hosts[1]"
steps=$(jq -r "[$there.steps[] | \"\(.name)=\(.result)\"] | join(\" \")" "$json" 2>/dev/null)
why=$(jq -r "[$there.steps[] | select(.result == \"SKIP\") | .reason | test(\"runs on the host itself: run fio-atomic qualify there\")] | all" "$json" 2>/dev/null)
left_out=$(jq -r "[$there.kernel, $there.device, $there.limits] | map(. == null) | all" "$json" 2>/dev/null)
iops=$(jq -r "[$there.results[] | select(.iops > 0)] | length" "$json" 2>/dev/null)
if [ "$(jq -r "$there.this_machine" "$json")" = false ] &&
   [ "$steps" = "limits=SKIP conformance=SKIP writes=PASS" ] &&
   [ "$why" = true ] && [ "$left_out" = true ] &&
   [ "$(jq -r "$there.verdict" "$json")" = null ] &&
   jq -r "$there.error" "$json" | grep -q "^no verdict for a host that is not this machine" &&
   [ "$(jq -r "$there.fio_server_results.from" "$json")" = "${net}2:$port" ] &&
   [ "${iops:-0}" = 4 ]; then
	fa_pass "${net}2 is not this machine: $steps, each SKIP 'runs on the host itself', kernel, device and limits null, $iops sweep points from ${net}2:$port, no verdict"
else
	fa_fail "${net}2: $(jq -c "$there | {this_machine, verdict, failing_steps, fio_server_results, kernel, limits}" "$json"), steps '$steps', reasons '$why', left out '$left_out', $iops points"
fi
if tail -n1 "$S/out" | grep -q "^${net//./\\.}2:$port  *NO VERDICT  *not tested  *not tested .*no verdict for a host that is not this machine"; then
	fa_pass "its table row: $(tail -n1 "$S/out" | tr -s ' ')"
else
	fa_fail "its table row: $(tail -n1 "$S/out")"
fi

remote_stop
fa_done
