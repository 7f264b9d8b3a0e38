/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: atomic write limits of the passthrough nodes the atomic-sg
 * and atomic-nvme engines write to, a SCSI generic node (/dev/sgN) or an
 * NVMe generic node (/dev/ngXnY): which kind a char device is, the block
 * device behind it, the device's atomic fields as read through the node (in
 * blocks and bytes), the limits the engines enforce, and where those
 * disagree with the kernel's limits of the block device.
 *
 * The enforced limits are not derived here: they are found by asking the
 * engines' own rule functions (fa_scsi_check_write(), fa_nvme_check_io())
 * which writes they accept, so they cannot drift from what the engines do.
 *
 * Only reading commands are sent: READ CAPACITY(16), INQUIRY (Block Limits
 * VPD page), NVMe Identify and Get Features. Nothing here prints or exits.
 */
#ifndef FA_PASSTHRU_H
#define FA_PASSTHRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_limits.h"
#include "fa_nvme.h"
#include "fa_scsi.h"

enum fa_pt_kind {
	FA_PT_NONE = 0,		/* a char device of another kind */
	FA_PT_SG,		/* SCSI generic, sysfs class scsi_generic */
	FA_PT_NG,		/* NVMe generic, sysfs class nvme-generic */
};

/**
 * fa_pt_classify() - which kind of passthrough node a char device is
 * @sysfs_root:	"/sys" (tests point it at a fake tree)
 * @major, @minor: the char device's numbers
 * @kind:	receives the kind (FA_PT_NONE for any other class)
 * @cls, @len:	receives the sysfs class name, e.g. "scsi_generic" or
 *		"mem"; "" when the device has no class link
 *
 * Return: 0, or -errno when <root>/dev/char/M:m does not exist (-ENOENT).
 */
int fa_pt_classify(const char *sysfs_root, unsigned int major,
		   unsigned int minor, enum fa_pt_kind *kind, char *cls,
		   size_t len);

#define FA_PT_MAX_FIELDS	12

/**
 * struct fa_pt_field - one atomic field of the device, as read and in bytes
 * @name:	the specification's name ("MAXIMUM ATOMIC TRANSFER LENGTH",
 *		"awupf", ...)
 * @value:	as the device reports it (blocks for SCSI, 0's based blocks
 *		or an LBA for NVMe)
 * @blocks:	the logical blocks it stands for (0: none, e.g. no boundary)
 * @bytes:	@blocks times the logical block size
 * @unit:	how to read @value, e.g. "blocks" or "0's based blocks"
 */
struct fa_pt_field {
	const char *name;
	uint64_t value;
	uint64_t blocks;
	uint64_t bytes;
	const char *unit;
};

/**
 * fa_pt_sg_fields() - the Block Limits page's five atomic fields
 * @bl:		a parsed page with its atomic fields (bl->has_atomic)
 * @lbs:	LOGICAL BLOCK LENGTH IN BYTES of READ CAPACITY(16)
 * Return: the number of fields stored (5), 0 when the page has none.
 */
int fa_pt_sg_fields(const struct fa_scsi_block_limits *bl, uint32_t lbs,
		    struct fa_pt_field *out, int max);

/**
 * fa_pt_ng_fields() - awun, awupf, acwu (controller) and nawun, nawupf,
 * nacwu, nabsn, nabo, nabspf (namespace), in bytes with the LBA format's
 * data size. A 0 boundary size means "no boundary" (0 bytes); nabo is an
 * LBA, not 0's based.
 * Return: the number of fields stored.
 */
int fa_pt_ng_fields(const struct fa_nvme_atomic *a, struct fa_pt_field *out,
		    int max);

/**
 * struct fa_sg_enforced - what atomic-sg accepts on a device
 * @supported:	some WRITE ATOMIC(16) passes the rules
 * @why_none:	when !@supported: why
 * @lbs:	logical block size in bytes
 * @length_min, @length_max, @length_step: atomic_boundary=0 (the engine's
 *		default): the accepted lengths in bytes, every multiple of
 *		@length_step in between; all 0 when none is accepted
 * @offset_align: offsets must be multiples of this (bytes)
 * @boundary_max: largest atomic_boundary (blocks) accepted, 0 when the
 *		device takes no ATOMIC BOUNDARY
 * @boundary_length_min, @boundary_length_max: lengths (bytes) accepted
 *		with a boundary
 * @sd:		what the kernel's sd driver makes of the page (it sends
 *		an ATOMIC BOUNDARY equal to the length when @sd.use_boundary)
 */
struct fa_sg_enforced {
	bool supported;
	char why_none[320];
	uint32_t lbs;
	uint64_t length_min;
	uint64_t length_max;
	uint64_t length_step;
	uint64_t offset_align;
	uint32_t boundary_max;
	uint64_t boundary_length_min;
	uint64_t boundary_length_max;
	struct fa_scsi_sd_atomic sd;
};

/**
 * fa_sg_enforced() - ask fa_scsi_check_write() what atomic-sg accepts
 * @dev:	READ CAPACITY(16) and the Block Limits page (fa_scsi_probe())
 * @path:	named in @why_none
 */
void fa_sg_enforced(const struct fa_scsi_dev *dev, const char *path,
		    struct fa_sg_enforced *e);

/**
 * struct fa_ng_unit - what atomic-nvme accepts with one unit= setting
 * @u:		the unit and boundary that apply, and the fields they came
 *		from (fa_nvme_unit_info())
 * @length_max: the longest write (bytes) accepted, starting on a boundary
 * @boundary:	atomic boundary size in bytes, 0 when there is none
 * @boundary_start: the first boundary (nabo) in bytes
 */
struct fa_ng_unit {
	struct fa_nvme_unit_info u;
	uint64_t length_max;
	uint64_t boundary;
	uint64_t boundary_start;
};

/**
 * struct fa_ng_enforced - what atomic-nvme accepts on a namespace
 * @lbs:	LBA data size in bytes: lengths and offsets are multiples
 * @unit:	indexed by enum fa_nvme_unit (power-fail is the default)
 */
struct fa_ng_enforced {
	uint32_t lbs;
	struct fa_ng_unit unit[2];
};

/** fa_ng_enforced() - ask fa_nvme_check_io() what atomic-nvme accepts */
void fa_ng_enforced(const struct fa_nvme_atomic *a, struct fa_ng_enforced *e);

/**
 * struct fa_pt_limits - one passthrough node, examined
 * @path:	as given
 * @kind:	FA_PT_SG or FA_PT_NG
 * @major, @minor, @cls: the char device and its sysfs class
 * @block:	the block device behind it ("/dev/sda", "/dev/nvme0n1"), ""
 *		when there is none
 * @block_err:	when @block is "": why (-ENODEV: no block device)
 * @sg, @sg_enf: SCSI: READ CAPACITY(16), the Block Limits page, and what
 *		atomic-sg accepts
 * @ng, @ng_enf: NVMe: the Identify fields and what atomic-nvme accepts
 * @enf_unit_min, @enf_unit_max: the shortest and longest atomic write the
 *		engine accepts (bytes; with the boundary the kernel would
 *		send), for the disagreements
 * @dev_logical_block: the logical block size read through the node
 */
struct fa_pt_limits {
	char path[256];
	enum fa_pt_kind kind;
	unsigned int major, minor;
	char cls[64];
	char block[256];
	int block_err;
	struct fa_scsi_dev sg;
	struct fa_sg_enforced sg_enf;
	struct fa_nvme_atomic ng;
	struct fa_ng_enforced ng_enf;
	struct fa_value enf_unit_min;
	struct fa_value enf_unit_max;
	struct fa_value dev_logical_block;
};

/**
 * fa_pt_discover() - read a passthrough node's limits
 * @path:	/dev/sgN or /dev/ngXnY (any char device is classified)
 * @why, @len:	the reason on failure
 *
 * Return: 0; -ENOTTY when @path is a char device of neither kind; -ENOTBLK
 * when it is no char device; -errno when it cannot be opened or asked
 * (READ CAPACITY(16) or Identify failed: -EIO).
 */
int fa_pt_discover(const char *path, struct fa_pt_limits *pl, char *why,
		   size_t len);

/**
 * fa_pt_fill() - what the engine accepts, from what was read
 * @pl:		@kind, @path and @sg (SCSI) or @ng (NVMe) filled in; sets
 *		@sg_enf or @ng_enf, @enf_unit_min, @enf_unit_max and
 *		@dev_logical_block (fa_pt_discover() calls it; tests too)
 */
void fa_pt_fill(struct fa_pt_limits *pl);

/** fa_pt_supported() - the engine accepts some atomic write */
bool fa_pt_supported(const struct fa_pt_limits *pl);

/**
 * fa_pt_crosscheck() - the node's view against the block device's
 * @blk:	the block device's limits (fa_limits_discover() of
 *		@pl->block); NULL when there is none
 *
 * Every power of two the kernel accepts for RWF_ATOMIC (blk->unit_min to
 * unit_max), naturally aligned, must be a write the engine accepts (sd
 * and nvme send exactly such commands: sd with the ATOMIC BOUNDARY it
 * uses, nvme within the power-fail unit); the logical block size read
 * through the node must be the queue's.
 *
 * Return: the number of disagreements; at most @max are stored.
 */
int fa_pt_crosscheck(const struct fa_pt_limits *pl,
		     const struct fa_limits *blk, struct fa_disagreement *out,
		     int max);

#endif /* FA_PASSTHRU_H */
