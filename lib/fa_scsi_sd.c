// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: what the Linux sd driver derives from the Block Limits VPD
 * page (sd_config_atomic(), 6.12), and the device view built from the raw
 * pages with it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fa_scsi.h"
#include "fa_util.h"

/* What sd_config_atomic() makes of the page */

/* sd's consistency checks: a power-of-two unit that @what does not divide */
static bool fa_scsi_sd_mismatch(struct fa_scsi_sd_atomic *sd,
				uint64_t unit_min, uint64_t unit_max,
				uint32_t limit, const char *what)
{
	const char *unit;
	uint64_t value;

	if (limit <= 1)
		return false;
	if (unit_min > 1 && unit_min % limit) {
		unit = "unit_min";
		value = unit_min;
	} else if (unit_max > 1 && unit_max % limit) {
		unit = "unit_max";
		value = unit_max;
	} else {
		return false;
	}
	snprintf(sd->why_none, sizeof(sd->why_none),
		 "sd_config_atomic() enables no atomic writes: %s %" PRIu64 " blocks (rounded down to a power of two) is not a multiple of %s %u",
		 unit, value, what, limit);
	return true;
}

void fa_scsi_sd_config_atomic(const struct fa_scsi_block_limits *bl,
			      const struct fa_scsi_capacity *cap,
			      struct fa_scsi_sd_atomic *sd)
{
	uint64_t lbs = cap->logical_block_length;
	uint64_t max_atomic, unit_min, unit_max, physical_sectors;
	uint32_t gran;

	memset(sd, 0, sizeof(*sd));
	if (!bl) {
		snprintf(sd->why_none, sizeof(sd->why_none),
			 "the device has no Block Limits VPD page (B0h), the only source of sd's atomic limits");
		return;
	}
	if (!bl->has_atomic) {
		snprintf(sd->why_none, sizeof(sd->why_none),
			 "the Block Limits VPD page is %u bytes: sd reads the atomic fields only from a page of 64 bytes or more",
			 bl->page_length + 4);
		return;
	}
	if (!fa_scsi_atomic_supported(bl)) {
		snprintf(sd->why_none, sizeof(sd->why_none),
			 "MAXIMUM ATOMIC TRANSFER LENGTH and MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY are both 0: no WRITE ATOMIC(16)");
		return;
	}
	/* Protection type = P_TYPE + 1; type 2 needs WRITE ATOMIC(32). */
	if (cap->prot_en && cap->p_type == 1) {
		snprintf(sd->why_none, sizeof(sd->why_none),
			 "protection type 2 is enabled (PROT_EN 1, P_TYPE 1): sd would need WRITE ATOMIC(32), which it does not send");
		return;
	}

	gran = bl->atomic_transfer_length_granularity;
	physical_sectors = 1ULL << cap->lbppbe;
	unit_min = fa_rounddown_pow2(gran ? gran : physical_sectors);
	/* sd uses the boundary only without MAXIMUM ATOMIC TRANSFER LENGTH */
	if (bl->max_atomic_transfer_length) {
		max_atomic = bl->max_atomic_transfer_length;
		unit_max = fa_rounddown_pow2(max_atomic);
	} else {
		max_atomic = bl->max_atomic_transfer_length_with_boundary;
		unit_max = fa_rounddown_pow2(bl->max_atomic_boundary_size);
		sd->use_boundary = true;
	}
	if (fa_scsi_sd_mismatch(sd, unit_min, unit_max, gran,
				"ATOMIC TRANSFER LENGTH GRANULARITY") ||
	    fa_scsi_sd_mismatch(sd, unit_min, unit_max, bl->atomic_alignment,
				"ATOMIC ALIGNMENT"))
		return;
	if (!unit_max) {
		/* rounddown_pow_of_two(0) is undefined: the block layer
		 * ends up with no atomic writes. */
		snprintf(sd->why_none, sizeof(sd->why_none),
			 "MAXIMUM ATOMIC TRANSFER LENGTH and MAXIMUM ATOMIC BOUNDARY SIZE are both 0: sd's unit_max would be 0");
		return;
	}
	sd->unit_min = unit_min * lbs;
	sd->unit_max = unit_max * lbs;
	sd->max_bytes = max_atomic * lbs;
	sd->boundary = 0;
}

/* Device view */

int fa_scsi_view_from_pages(const uint8_t *vpd, size_t vpd_len,
			    const uint8_t *rcap, size_t rcap_len,
			    const char *path, struct fa_device_view *dv)
{
	struct fa_scsi_block_limits bl;
	struct fa_scsi_capacity cap;
	struct fa_scsi_sd_atomic sd;
	char origin[FA_ORIGIN_LEN];
	int ret;

	if (!rcap || !path || !dv)
		return -EINVAL;
	ret = fa_scsi_parse_read_capacity16(rcap, rcap_len, &cap);
	if (ret)
		return ret;
	if (vpd) {
		ret = fa_scsi_parse_block_limits(vpd, vpd_len, &bl);
		if (ret)
			return ret;
	}

	memset(dv, 0, sizeof(*dv));
	dv->source = FA_SRC_SCSI_VPD;
	snprintf(dv->origin, sizeof(dv->origin),
		 "Block Limits VPD page (B0h) and READ CAPACITY(16) of %s",
		 path);
	if (vpd && bl.has_transfer_limits) {
		fa_device_add_field(dv, "MAXIMUM TRANSFER LENGTH",
				    bl.max_transfer_length, "blocks");
		fa_device_add_field(dv, "OPTIMAL TRANSFER LENGTH",
				    bl.optimal_transfer_length, "blocks");
	}
	if (vpd && bl.has_atomic) {
		fa_device_add_field(dv, "MAXIMUM ATOMIC TRANSFER LENGTH",
				    bl.max_atomic_transfer_length, "blocks");
		fa_device_add_field(dv, "ATOMIC ALIGNMENT",
				    bl.atomic_alignment, "blocks");
		fa_device_add_field(dv, "ATOMIC TRANSFER LENGTH GRANULARITY",
				    bl.atomic_transfer_length_granularity,
				    "blocks");
		/* The SBC-4 name ends "WITH ATOMIC BOUNDARY": too long for
		 * struct fa_device_field; the kernel's spelling fits. */
		fa_device_add_field(dv,
				    "MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY",
				    bl.max_atomic_transfer_length_with_boundary,
				    "blocks");
		fa_device_add_field(dv, "MAXIMUM ATOMIC BOUNDARY SIZE",
				    bl.max_atomic_boundary_size, "blocks");
	}
	fa_device_add_field(dv, "LOGICAL BLOCK LENGTH IN BYTES",
			    cap.logical_block_length, "bytes");
	fa_device_add_field(dv, "LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT",
			    cap.lbppbe, "exponent");
	fa_device_add_field(dv, "PROT_EN", cap.prot_en, "flag");
	fa_device_add_field(dv, "P_TYPE", cap.p_type, "protection type - 1");

	fa_scsi_sd_config_atomic(vpd ? &bl : NULL, &cap, &sd);
	snprintf(origin, sizeof(origin),
		 "sd_config_atomic() on the Block Limits VPD page (B0h) of %s",
		 path);
	fa_value_set(&dv->hw_unit_min, sd.unit_min, FA_SRC_SCSI_VPD, origin);
	fa_value_set(&dv->hw_unit_max, sd.unit_max, FA_SRC_SCSI_VPD, origin);
	fa_value_set(&dv->hw_max_bytes, sd.max_bytes, FA_SRC_SCSI_VPD, origin);
	fa_value_set(&dv->hw_boundary, sd.boundary, FA_SRC_SCSI_VPD, origin);
	snprintf(origin, sizeof(origin), "READ CAPACITY(16) of %s", path);
	fa_value_set(&dv->logical_block, cap.logical_block_length,
		     FA_SRC_SCSI_VPD, origin);
	fa_strlcpy(dv->why_none, sd.why_none, sizeof(dv->why_none));
	return 0;
}
