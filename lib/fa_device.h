/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: a device's own view of its atomic write limits (SCSI Block
 * Limits VPD page, NVMe Identify data) and what the kernel's driver should
 * derive from it, so that the limits the kernel reports can be checked
 * against the device.
 */
#ifndef FA_DEVICE_H
#define FA_DEVICE_H

#include <stdint.h>

#include "fa_limits.h"

#define FA_DEV_MAX_FIELDS	24

/**
 * struct fa_device_field - one raw field, under its specification name
 * @name:	e.g. "MAXIMUM ATOMIC TRANSFER LENGTH" or "nawupf"
 * @value:	as the device reports it (blocks, 0's based, ... as the spec)
 * @unit:	how to read @value, e.g. "blocks", "0's based blocks", "flag"
 */
struct fa_device_field {
	char name[48];
	uint64_t value;
	char unit[32];
};

/**
 * struct fa_device_view - what a device says about atomic writes
 * @source:	FA_SRC_SCSI_VPD or FA_SRC_NVME_ID
 * @origin:	e.g. "Block Limits VPD page (B0h) of /dev/sda" or
 *		"NVMe Identify Controller/Namespace of /dev/ng0n1 (nsid 1)"
 * @fields:	the raw fields, in specification order
 * @hw_unit_min, @hw_unit_max, @hw_max_bytes, @hw_boundary: what the
 *		kernel's driver derives (sd_config_atomic(),
 *		nvme_configure_atomic_write()), in bytes; value 0 with
 *		known=true means the driver enables no atomic writes
 * @logical_block: the device's logical block size in bytes
 * @why_none:	when hw_unit_max is 0: why the driver would not enable
 *		atomic writes (empty otherwise)
 */
struct fa_device_view {
	enum fa_source source;
	char origin[FA_ORIGIN_LEN];
	int nr_fields;
	struct fa_device_field fields[FA_DEV_MAX_FIELDS];
	struct fa_value hw_unit_min;
	struct fa_value hw_unit_max;
	struct fa_value hw_max_bytes;
	struct fa_value hw_boundary;
	struct fa_value logical_block;
	char why_none[256];
};

/**
 * fa_device_add_field() - append a raw field; -E2BIG when full
 */
int fa_device_add_field(struct fa_device_view *dv, const char *name,
			uint64_t value, const char *unit);

/**
 * fa_device_field_find() - the raw field named @name; NULL when the view
 * has none
 */
const struct fa_device_field *
fa_device_field_find(const struct fa_device_view *dv, const char *name);

#endif /* FA_DEVICE_H */
