#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. lib/'s reading of the namespace's
# Identify data agrees with an independent reader, nvme-cli (id-ctrl,
# id-ns and get-feature 0Ah, as JSON or text), through both the generic
# char device and the block device; the limits lib/ derives as Linux 6.12's
# driver does agree with what that driver put in sysfs; and an NVMe status
# from the device is decoded by name (a Read past the namespace's end).
#
#   nvme-identify.sh [EXPECT_AWUN EXPECT_AWUPF EXPECT_LBS EXPECT_DN]
#
# The optional arguments are the geometry the VM was booted with: lib/ and
# nvme-cli must then both report it.
. "$FA_TOP/tests/lab/guest/nvme-lib.sh"

nvme_require
command -v nvme >/dev/null || fa_skip "nvme-cli not found: run 'make deps'"

# same DESC OURS THEIRS
same() {
	if [ "$2" = "$3" ]; then
		fa_pass "$1: $2"
	else
		fa_fail "$1: lib/ says '$2', the other reader '$3'"
	fi
}

for node in "$NG" "$NS"; do
	nvme_identify "$node" || continue
	ctrl=$(nvme id-ctrl -o json "$node") || {
		fa_fail "nvme id-ctrl $node failed"
		continue
	}
	ns=$(nvme id-ns -o json "$node") || {
		fa_fail "nvme id-ns $node failed"
		continue
	}
	for f in awun awupf acwu; do
		v=id_$f
		same "$node id-ctrl $f" "${!v}" "$(jq -r ".$f" <<<"$ctrl")"
	done
	for f in nsze nsfeat nlbaf flbas nawun nawupf nacwu nabsn nabo nabspf; do
		v=id_$f
		same "$node id-ns $f" "${!v}" "$(jq -r ".$f" <<<"$ns")"
	done
	same "$node id-ns lbads of the format in use" "$id_lbads" \
		"$(jq -r ".lbafs[$id_lbaf].ds" <<<"$ns")"
	same "$node id-ns ms of the format in use" "$id_ms" \
		"$(jq -r ".lbafs[$id_lbaf].ms" <<<"$ns")"
	same "$node nsid" "$id_nsid" "$(nvme get-ns-id "$node" |
		sed -n 's/.*namespace-id:\([0-9]*\).*/\1/p')"
	# nvme-cli 2.3's get-feature has no JSON, and prints its hex value
	# as "Current value:0x00000001" but "Current value:00000000".
	feat=$(nvme get-feature -f 0x0a "$node" 2>&1)
	dn=$(sed -n 's/.*Current value:\(0x\)\{0,1\}\([0-9a-fA-F]\{1,8\}\)$/\2/p' <<<"$feat")
	if [ -n "$dn" ]; then
		same "$node Write Atomicity Normal DN" "${id_dn:-unknown}" \
			"$((16#$dn & 1))"
	else
		fa_fail "$node: nvme get-feature 0x0a said: $feat"
	fi
	if [ $# -ge 4 ]; then
		same "$node awun as booted" "$id_awun" "$1"
		same "$node awupf as booted" "$id_awupf" "$2"
		same "$node LBA size as booted" "$lbs" "$3"
		same "$node DN as booted" "$id_dn" "$([ "$4" = on ] && echo 1 || echo 0)"
	fi
done

# The kernel's limits: the head node's queue, or with multipath its path's
# (6.12 does not stack atomic limits onto the head, LAB.md).
disk=$(basename "$NS")
queue=/sys/block/$disk/queue
for p in /sys/block/nvme*c*n*; do
	[ -d "$p/queue" ] && queue=$p/queue
done
nvme_identify "$NG" && for f in unit_min unit_max max boundary; do
	v=id_hw_$f
	[ $f = max ] && v=id_hw_max_bytes
	same "6.12 driver's atomic_write_${f}_bytes derived from Identify vs $queue" \
		"${!v}" "$(cat "$queue/atomic_write_${f}_bytes")"
done

# An NVMe status the device returns, decoded by name and meaning.
out=$("$PROBE" --read-lba "$NG" "$id_nsze")
if grep -q "(SCT 0h SC 80h, DNR): LBA Out of Range: The command references an LBA that exceeds the size of the namespace" <<<"$out"; then
	fa_pass "status decoded: $out"
else
	fa_fail "a Read at LBA nsze=$id_nsze: expected LBA Out of Range, got: $out"
fi
out=$("$PROBE" --read-lba "$NG" $((id_nsze - 1)))
if grep -q ": success" <<<"$out"; then
	fa_pass "the last LBA reads: $out"
else
	fa_fail "a Read of the last LBA: $out"
fi

fa_done
