# SPDX-License-Identifier: GPL-2.0
#
# Description: helpers for the NVMe guest scripts (sourced, inside the lab
# VM): the namespace's nodes, the atomic-nvme engine, and the namespace's
# Identify fields as lib/ parses them (build/tests/unit/test-nvme
# --identify), as shell variables id_<field>.
export FA_TMP=/tmp
. "$FA_TOP/tests/host/lib.sh"

NG=${LAB_NVME_NG:-}
NS=${LAB_NVME_NS:-}
PROBE=$BUILD/tests/unit/test-nvme
NVME_ENGINE=$(fa_engine atomic-nvme)

nvme_require() {
	fa_require_fio
	[ -n "$NG" ] && [ -c "$NG" ] ||
		fa_skip "no NVMe generic char device in the lab VM (LAB_NVME_NG='$NG')"
	[ -n "$NS" ] && [ -b "$NS" ] ||
		fa_skip "no NVMe block device in the lab VM (LAB_NVME_NS='$NS')"
	[ -f "$ENGINE_DIR/atomic-nvme.so" ] ||
		fa_skip "no engine $ENGINE_DIR/atomic-nvme.so: run 'make' first"
	[ -x "$PROBE" ] || fa_skip "no $PROBE: run 'make' first"
	command -v jq >/dev/null || fa_skip "jq not found: run 'make deps'"
}

# nvme_identify NODE: sets id_<field> for every line the probe prints.
nvme_identify() {
	local out key val

	out=$("$PROBE" --identify "$1") || {
		fa_fail "lib/ cannot identify $1: $out"
		return 1
	}
	while IFS="=" read -r key val; do
		[[ $key =~ ^[a-z_]+$ && $val =~ ^[0-9]+$ ]] &&
			printf -v "id_$key" '%s' "$val"
	done <<<"$out"
	lbs=$((1 << id_lbads))
	pf_blocks=$((id_awupf + 1))
	normal_blocks=$((id_awun + 1))
	# Disable Normal: only the power-fail unit is honoured.
	[ "${id_dn:-0}" = 1 ] && normal_blocks=$pf_blocks
	return 0
}

# The namespace through its block device, bypassing the page cache: the
# engine writes around it.
nvme_sum() { # OFFSET_MB COUNT_MB
	dd if="$NS" bs=1M skip="$1" count="$2" iflag=direct status=none |
		sha256sum | cut -d' ' -f1
}
