/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: NVMe atomic write limits from the Identify data, the rules a
 * Write must follow to be atomic, and the NVMe I/O commands and status
 * strings of the passthrough engine.
 *
 * NVMe has no atomic write opcode. A Write is atomic when it fits the
 * atomic write unit (AWUPF/NAWUPF for power fail, AWUN/NAWUN otherwise) and
 * does not cross an atomic boundary (NABSPF/NABSN, starting at NABO). The
 * device reports no error when a write breaks this, so the sender must know.
 *
 * Field names are the specification's. Unit and boundary fields are 0's
 * based block counts as the device reports them.
 *
 * This file and lib/fa_nvme_*.c are the only place that knows libnvme;
 * nothing here prints or exits.
 */
#ifndef FA_NVME_H
#define FA_NVME_H

#include <linux/nvme_ioctl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_device.h"
#include "fa_limits.h"

/* Both Identify data structures are 4096 bytes. */
#define FA_NVME_ID_LEN		4096

/* NVM command set opcodes the engine sends. */
#define FA_NVME_CMD_FLUSH	0x00
#define FA_NVME_CMD_WRITE	0x01
#define FA_NVME_CMD_READ	0x02

/* Namespace Features (NSFEAT) bit 1, "NSABP" in NVMe 2.0, NATOMIC before. */
#define FA_NVME_NSFEAT_NSABP	(1u << 1)

/* Number of Logical Blocks is a 16-bit, 0's based field of CDW12. */
#define FA_NVME_MAX_BLOCKS	65536u

/* Which atomic write unit a job must fit. */
enum fa_nvme_unit {
	FA_NVME_UNIT_POWERFAIL = 0,	/* AWUPF/NAWUPF, NABSPF */
	FA_NVME_UNIT_NORMAL,		/* AWUN/NAWUN, NABSN */
};

/**
 * struct fa_nvme_atomic - what a namespace and its controller say about
 * atomic writes
 * @path:	the node Identify was read through, for messages
 * @nsid:	namespace identifier (NVME_IOCTL_ID)
 * @awun, @awupf, @acwu: Identify Controller, 0's based blocks
 * @nsze:	namespace size in logical blocks
 * @nsfeat:	namespace features; FA_NVME_NSFEAT_NSABP says @nawun, @nawupf
 *		and @nacwu apply instead of the controller's values
 * @nlbaf:	number of LBA formats, 0's based
 * @flbas:	formatted LBA size, as reported
 * @lbaf:	the LBA format index @flbas selects (bits 3:0, and bits 6:5
 *		as the high bits, as the kernel's nvme_lbaf_index() reads it)
 * @lbads:	LBA data size of that format, log2 of bytes (9..16)
 * @ms:		metadata bytes per block of that format
 * @nawun, @nawupf, @nacwu: Identify Namespace, 0's based blocks
 * @nabsn, @nabspf: atomic boundary sizes, 0's based blocks, 0 = none
 * @nabo:	first LBA of the atomic boundaries
 * @dn_known:	Get Features Write Atomicity Normal (FID 0Ah) answered
 * @dn:		its Disable Normal bit: only the power-fail unit applies
 */
struct fa_nvme_atomic {
	char path[256];
	uint32_t nsid;

	uint16_t awun;
	uint16_t awupf;
	uint16_t acwu;

	uint64_t nsze;
	uint8_t nsfeat;
	uint8_t nlbaf;
	uint8_t flbas;
	uint8_t lbaf;
	uint8_t lbads;
	uint16_t ms;
	uint16_t nawun;
	uint16_t nawupf;
	uint16_t nacwu;
	uint16_t nabsn;
	uint16_t nabo;
	uint16_t nabspf;

	bool dn_known;
	bool dn;
};

/** fa_nvme_lba_size() - bytes per logical block */
static inline uint32_t fa_nvme_lba_size(const struct fa_nvme_atomic *a)
{
	return 1u << a->lbads;
}

/**
 * fa_nvme_parse_id_ctrl() - take awun, awupf and acwu from Identify
 * Controller data
 * @buf, @len:	the data as the controller returned it
 * @a:		receives the three fields; untouched on error
 * @why, @why_len: receives the reason on error (may be NULL)
 *
 * Return: 0; -EINVAL when @len is short of the 4096-byte structure;
 * -EPROTO when the data cannot be an I/O controller's (SQES/CQES below the
 * 64/16-byte entries every NVM controller must take, as a zeroed buffer).
 */
int fa_nvme_parse_id_ctrl(const void *buf, size_t len,
			  struct fa_nvme_atomic *a, char *why, size_t why_len);

/**
 * fa_nvme_parse_id_ns() - take the namespace fields from Identify Namespace
 * data
 *
 * Return: 0; -EINVAL when @len is short; -EPROTO when the namespace is
 * zeroed (nsze 0: an inactive namespace reads as zeroes), @nlbaf exceeds
 * the 64 formats, @flbas selects a format beyond @nlbaf, or the format's
 * LBADS is outside 9..16. The lower bound is the specification's (512
 * bytes); 64 KiB is the largest logical block Linux accepts
 * (BLK_MAX_BLOCK_SIZE) and no device reports more, so a larger value is
 * taken as corrupt data rather than used to size I/O. @a is untouched on
 * error.
 */
int fa_nvme_parse_id_ns(const void *buf, size_t len, struct fa_nvme_atomic *a,
			char *why, size_t why_len);

/**
 * struct fa_nvme_identity - who the controller says it is (trimmed ASCII)
 * @mn:	Model Number, @sn: Serial Number, @fr: Firmware Revision
 */
struct fa_nvme_identity {
	char mn[41];
	char sn[21];
	char fr[9];
};

/**
 * fa_nvme_parse_id_ctrl_identity() - mn, sn and fr of Identify Controller
 * data
 * Return: 0; -EINVAL when @len is short of the 4096-byte structure.
 */
int fa_nvme_parse_id_ctrl_identity(const void *buf, size_t len,
				   struct fa_nvme_identity *id);

/**
 * fa_nvme_read_identity() - Identify Controller of @path (an ng node or a
 * namespace's block device) through libnvme
 * Return: 0, or -errno (-EIO for an NVMe status).
 */
int fa_nvme_read_identity(const char *path, struct fa_nvme_identity *id);

/**
 * fa_nvme_ns_names() - the block and generic node names of namespace @name
 * @name:	"nvme0n1" or "ng0n1" (no /dev/)
 * @block, @generic: receive "nvme0n1" and "ng0n1"
 *
 * From libnvme's scan of sysfs (nvme_scan()), which knows both names of
 * every namespace it finds, multipath heads included.
 * Return: 0; -ENODEV when the scan does not find @name.
 */
int fa_nvme_ns_names(const char *name, char *block, size_t block_len,
		     char *generic, size_t generic_len);

/**
 * fa_nvme_identify() - read @path's limits through libnvme
 * @path:	/dev/ngXnY or /dev/nvmeXnY
 *
 * Identify Controller, Identify Namespace of the node's namespace, and the
 * Write Atomicity Normal feature (optional: @dn_known says whether it
 * answered), parsed by the functions above.
 *
 * Return: 0, or -errno with the reason in @why (-EIO when the controller
 * answered with an NVMe status).
 */
int fa_nvme_identify(const char *path, struct fa_nvme_atomic *a, char *why,
		     size_t why_len);

/**
 * struct fa_nvme_unit_info - the atomic unit and boundary that apply
 * @unit:	the unit asked for
 * @powerfail:	the power-fail values apply (asked for, or normal asked
 *		for while Disable Normal is set)
 * @unit_blocks: the unit in blocks (field + 1)
 * @unit_field:	"nawupf", "awupf", "nawun" or "awun"
 * @unit_value:	its raw value
 * @unit_source: "Identify Namespace" or "Identify Controller"
 * @boundary_blocks: the boundary size in blocks, 0 when there is none
 * @boundary_field: "nabspf" or "nabsn"
 * @boundary_value: its raw value
 * @nabo:	the LBA the boundaries start from
 */
struct fa_nvme_unit_info {
	enum fa_nvme_unit unit;
	bool powerfail;
	uint32_t unit_blocks;
	const char *unit_field;
	uint16_t unit_value;
	const char *unit_source;
	uint32_t boundary_blocks;
	const char *boundary_field;
	uint16_t boundary_value;
	uint16_t nabo;
};

/**
 * fa_nvme_unit_info() - the unit and boundary a write must respect
 *
 * The namespace value when NSFEAT has NSABP and the value is non-zero
 * (0 there means "as the controller"), else the controller's. A non-zero
 * boundary is applied whichever unit came from where: crossing it is never
 * atomic.
 */
void fa_nvme_unit_info(const struct fa_nvme_atomic *a, enum fa_nvme_unit unit,
		       struct fa_nvme_unit_info *u);

/** fa_nvme_unit_name() - "power-fail" or "normal" */
const char *fa_nvme_unit_name(enum fa_nvme_unit unit);

/* What a write must follow, in the order it is checked. */
enum fa_nvme_rule {
	FA_NVME_RULE_OK = 0,
	FA_NVME_RULE_LBA_LENGTH,	/* a whole number of logical blocks */
	FA_NVME_RULE_LBA_ALIGN,		/* starts on a logical block */
	FA_NVME_RULE_NLB,		/* fits NLB (16 bits), data_len (32) */
	FA_NVME_RULE_UNIT,		/* within the atomic write unit */
	FA_NVME_RULE_BOUNDARY,		/* crosses no atomic boundary */
	FA_NVME_RULE_NR,
};

/** fa_nvme_rule_name() - short stable name, used in counters */
const char *fa_nvme_rule_name(enum fa_nvme_rule rule);

/**
 * fa_nvme_rule_sendable() - can a write that breaks @rule be sent at all?
 *
 * Only the atomicity rules (unit, boundary) can: a write that is not made
 * of whole blocks, or has too many, cannot be expressed as an NVMe command.
 */
static inline bool fa_nvme_rule_sendable(enum fa_nvme_rule rule)
{
	return rule == FA_NVME_RULE_OK || rule == FA_NVME_RULE_UNIT ||
	       rule == FA_NVME_RULE_BOUNDARY;
}

/**
 * struct fa_nvme_verdict - the first rule a write breaks
 * @rule:	FA_NVME_RULE_OK when none
 * @offset, @length: the write in bytes (fa_nvme_check_io())
 * @slba, @nr_blocks: the write in blocks
 * @boundary_lba: FA_NVME_RULE_BOUNDARY: the boundary crossed
 * @u:		the unit and boundary that applied
 */
struct fa_nvme_verdict {
	enum fa_nvme_rule rule;
	uint64_t offset;
	uint64_t length;
	uint64_t slba;
	uint64_t nr_blocks;
	uint64_t boundary_lba;
	struct fa_nvme_unit_info u;
};

/**
 * fa_nvme_check_write() - the atomicity rules for @nr_blocks at @slba
 * Return: the first rule broken (NLB, unit, boundary), or OK.
 */
enum fa_nvme_rule fa_nvme_check_write(const struct fa_nvme_atomic *a,
				      enum fa_nvme_unit unit, uint64_t slba,
				      uint64_t nr_blocks,
				      struct fa_nvme_verdict *v);

/**
 * fa_nvme_check_io() - every rule for a write of @length bytes at @offset
 */
enum fa_nvme_rule fa_nvme_check_io(const struct fa_nvme_atomic *a,
				   enum fa_nvme_unit unit, uint64_t offset,
				   uint64_t length, struct fa_nvme_verdict *v);

/**
 * struct fa_nvme_rules - one unit's rules, precomputed for the I/O path
 */
struct fa_nvme_rules {
	uint8_t lbads;
	uint64_t lba_mask;
	uint64_t unit_blocks;
	uint64_t boundary_blocks;	/* 0: no boundaries */
	uint64_t nabo_residue;		/* nabo modulo boundary_blocks */
};

/** fa_nvme_rules_init() - precompute @unit's rules of @a */
void fa_nvme_rules_init(const struct fa_nvme_atomic *a, enum fa_nvme_unit unit,
			struct fa_nvme_rules *r);

/**
 * fa_nvme_rules_check() - the rule fa_nvme_check_io() would return, with
 * no verdict: shifts and compares for every command; the caller asks
 * fa_nvme_check_io() for the details of a write it refuses.
 */
static inline enum fa_nvme_rule
fa_nvme_rules_check(const struct fa_nvme_rules *r, uint64_t offset,
		    uint64_t length)
{
	uint64_t nr = length >> r->lbads, b = r->boundary_blocks;

	if (!length || (length & r->lba_mask))
		return FA_NVME_RULE_LBA_LENGTH;
	if (offset & r->lba_mask)
		return FA_NVME_RULE_LBA_ALIGN;
	if (nr > FA_NVME_MAX_BLOCKS || length > UINT32_MAX)
		return FA_NVME_RULE_NLB;
	if (nr > r->unit_blocks)
		return FA_NVME_RULE_UNIT;
	if (b && ((offset >> r->lbads) % b + b - r->nabo_residue) % b + nr > b)
		return FA_NVME_RULE_BOUNDARY;
	return FA_NVME_RULE_OK;
}

/**
 * fa_nvme_verdict_message() - the sentence for a failed verdict
 * @what:	how the write was spelled, e.g. "bs=131072" or "write"
 *
 * e.g. "bs=131072 (32 blocks) exceeds the power-fail atomic unit:
 * nawupf=15 (16 blocks, 65536 bytes) from NVMe Identify Namespace of
 * /dev/ng0n1".
 */
void fa_nvme_verdict_message(const struct fa_nvme_atomic *a,
			     const struct fa_nvme_verdict *v, const char *what,
			     char *buf, size_t len);

/**
 * fa_nvme_check_job() - check every write @job can produce
 *
 * Lengths against the LBA size and the unit, the start offset and offset
 * alignment against the LBA size, then whether any offset the job can
 * reach (start + k * offset_align) lets a write cross a boundary. The
 * message names the job option, the field and its value.
 *
 * Return: the first broken rule, FA_NVME_RULE_OK when the job is safe.
 */
enum fa_nvme_rule fa_nvme_check_job(const struct fa_nvme_atomic *a,
				    enum fa_nvme_unit unit,
				    const struct fa_job *job,
				    struct fa_nvme_verdict *v, char *msg,
				    size_t len);

/**
 * fa_nvme_check_job_sendable() - only the rules no command can break
 * (lba_length, lba_align, nlb): for atomic_validate=off, where writes
 * outside the atomic guarantee are sent on purpose.
 */
enum fa_nvme_rule fa_nvme_check_job_sendable(const struct fa_nvme_atomic *a,
					     const struct fa_job *job,
					     struct fa_nvme_verdict *v,
					     char *msg, size_t len);

/**
 * struct fa_nvme_io - one NVMe I/O command, before encoding
 * @opcode:	FA_NVME_CMD_WRITE, _READ or _FLUSH
 * @nsid:	namespace
 * @slba:	first logical block
 * @nr_blocks:	1..65536 (not 0's based; the encoding subtracts one)
 * @fua:	Force Unit Access (CDW12 bit 30)
 * @buf, @len:	data buffer and its length in bytes
 */
struct fa_nvme_io {
	uint8_t opcode;
	uint32_t nsid;
	uint64_t slba;
	uint32_t nr_blocks;
	bool fua;
	void *buf;
	uint32_t len;
};

/**
 * fa_nvme_build_passthru() - encode @io for NVME_IOCTL_IO64_CMD
 * fa_nvme_build_uring() - encode @io for NVME_URING_CMD_IO
 *
 * The command is cleared first. Return: 0, or -EINVAL for an opcode other
 * than the three, a Read/Write of 0 or more than 65536 blocks, or a
 * buffer missing for a Read/Write.
 */
int fa_nvme_build_passthru(const struct fa_nvme_io *io,
			   struct nvme_passthru_cmd64 *cmd);
int fa_nvme_build_uring(const struct fa_nvme_io *io,
			struct nvme_uring_cmd *cmd);

/**
 * struct fa_nvme_status - an NVMe completion status, decoded
 * @status:	as the kernel hands it back (status field without the phase
 *		bit: SC 7:0, SCT 10:8, CRD 12:11, More 13, DNR 14)
 * @sct, @sc:	status code type and status code
 * @more, @dnr:	More and Do Not Retry
 * @name:	e.g. "LBA Out of Range" (libnvme's string)
 * @meaning:	e.g. "The command references an LBA that exceeds the size of
 *		the namespace"; empty when libnvme has none
 * @errnum:	the errno libnvme maps it to
 */
struct fa_nvme_status {
	uint16_t status;
	uint8_t sct;
	uint8_t sc;
	bool more;
	bool dnr;
	char name[96];
	char meaning[224];
	int errnum;
};

/** fa_nvme_status_decode() - decode a positive NVMe status */
void fa_nvme_status_decode(int status, struct fa_nvme_status *st);

/**
 * fa_nvme_status_message() - one sentence for a command's result
 * @status:	> 0 NVMe status, < 0 -errno from the kernel
 *
 * e.g. "NVMe status 0x4080 (SCT 0h SC 80h, DNR): LBA Out of Range: The
 * command references an LBA that exceeds the size of the namespace".
 */
void fa_nvme_status_message(int status, char *buf, size_t len);

/**
 * fa_nvme_block_path() - the block device of an NVMe namespace node
 * @path:	/dev/ngXnY (its block device /dev/nvmeXnY is returned) or
 *		/dev/nvmeXnY (returned as is)
 *
 * The kernel names a namespace's generic char device "ng" and its block
 * device "nvme" with the same instance numbers.
 *
 * Return: 0; -ENODEV when @path is not named as a namespace node.
 */
int fa_nvme_block_path(const char *path, char *out, size_t len);

/**
 * fa_nvme_view_from_id() - a device view from parsed Identify data
 *
 * The raw fields under their specification names, and the limits Linux
 * 6.12's nvme driver derives (nvme_update_disk_info(),
 * nvme_update_atomic_write_disk_info()): none when NABO is non-zero;
 * else with NSABP and a non-zero NAWUPF, atomic_bs = (1 + nawupf) * bs and
 * the boundary from NABSPF, otherwise atomic_bs = (1 + awupf) * bs and no
 * boundary; unit_min = bs, unit_max = rounddown_pow_of_two(atomic_bs),
 * max_bytes = atomic_bs. bs is the LBA data size, or 512 when it is outside
 * 512..PAGE_SIZE (the driver then gives the namespace no block capacity).
 */
void fa_nvme_view_from_id(const struct fa_nvme_atomic *a,
			  struct fa_device_view *dv);

/*
 * The nvme driver's rule for a namespace without its own unit (no NSABP
 * or NAWUPF 0): 6.12 takes the controller's AWUPF; 7.x ignores it and
 * gives one logical block (measured on 7.3.4, whose log says "AWUPF
 * ignored, only NAWUPF accepted"; where between them it changed is not
 * pinned down here: kernels before 7 are taken for the 6.12 rule).
 */
enum fa_nvme_driver {
	FA_NVME_DRIVER_6_12,
	FA_NVME_DRIVER_7,
};

/** fa_nvme_driver_running() - the rule of the running kernel, by uname */
enum fa_nvme_driver fa_nvme_driver_running(void);

/**
 * fa_nvme_view_from_id_for() - fa_nvme_view_from_id() by a given
 * driver's rule (fa_nvme_view_from_id() takes the running kernel's)
 */
void fa_nvme_view_from_id_for(const struct fa_nvme_atomic *a,
			      enum fa_nvme_driver drv,
			      struct fa_device_view *dv);

/**
 * fa_nvme_device_view() - fa_nvme_identify() then fa_nvme_view_from_id()
 * @path:	/dev/nvmeXnY or /dev/ngXnY
 *
 * Return: 0, or -errno (the reason is then in @dv->why_none).
 */
int fa_nvme_device_view(const char *path, struct fa_device_view *dv);

#endif /* FA_NVME_H */
