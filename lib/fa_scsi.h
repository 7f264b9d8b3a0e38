/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: SCSI atomic writes (SBC-4 WRITE ATOMIC(16)) without fio: the
 * Block Limits VPD page and READ CAPACITY(16) parsed under their SBC-4
 * names, the CDBs, the device's rules for one atomic write and for every
 * write of a job, sense data decoded to words (through libsgutils2), and
 * what the Linux sd driver derives from the page (sd_config_atomic(), 6.12).
 *
 * Nothing here prints or exits: functions return 0 or -errno, or a typed
 * result, and the caller decides what to tell the user.
 */
#ifndef FA_SCSI_H
#define FA_SCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_device.h"
#include "fa_limits.h"

#define FA_SCSI_VPD_BLOCK_LIMITS	0xb0
/* The page as SBC-4 defines it: PAGE LENGTH 003Ch plus the 4-byte header. */
#define FA_SCSI_BLOCK_LIMITS_LEN	64
/* INQUIRY allocation length: fits a one-byte field for old devices. */
#define FA_SCSI_VPD_ALLOC_LEN		252
#define FA_SCSI_READ_CAPACITY16_LEN	32
#define FA_SCSI_SENSE_LEN		64
#define FA_SCSI_CDB16_LEN		16
#define FA_SCSI_TIMEOUT_MS		30000

#define FA_SCSI_OP_SYNCHRONIZE_CACHE10	0x35
#define FA_SCSI_OP_READ16		0x88
#define FA_SCSI_OP_WRITE16		0x8a
#define FA_SCSI_OP_WRITE_ATOMIC16	0x9c

/* WRITE ATOMIC(16) TRANSFER LENGTH and ATOMIC BOUNDARY are 16-bit fields. */
#define FA_SCSI_ATOMIC16_MAX_BLOCKS	0xffff
#define FA_SCSI_GROUP_NUMBER_MAX	0x3f

/**
 * struct fa_scsi_block_limits - the Block Limits VPD page (B0h), SBC-4 6.6.4
 *
 * Each group of fields is present only when the page is long enough to
 * hold all of it; an absent field reads 0.
 *
 * @peripheral_device_type: byte 0, bits 4-0 (00h: direct access block)
 * @page_length:	PAGE LENGTH, bytes 2-3 (003Ch in SBC-4)
 * @has_transfer_limits: bytes 4-15 present
 * @has_unmap_limits:	bytes 16-35 present
 * @has_write_same:	bytes 36-43 present
 * @has_atomic:		bytes 44-63 present (the sd driver reads the
 *			atomic fields only from a page of at least 64 bytes)
 * @max_atomic_transfer_length: MAXIMUM ATOMIC TRANSFER LENGTH, bytes 44-47
 * @atomic_alignment:	ATOMIC ALIGNMENT, bytes 48-51
 * @atomic_transfer_length_granularity: ATOMIC TRANSFER LENGTH GRANULARITY,
 *			bytes 52-55
 * @max_atomic_transfer_length_with_boundary: MAXIMUM ATOMIC TRANSFER LENGTH
 *			WITH ATOMIC BOUNDARY, bytes 56-59
 * @max_atomic_boundary_size: MAXIMUM ATOMIC BOUNDARY SIZE, bytes 60-63
 *
 * All lengths are in logical blocks.
 */
struct fa_scsi_block_limits {
	uint8_t peripheral_device_type;
	uint16_t page_length;
	bool has_transfer_limits;
	bool has_unmap_limits;
	bool has_write_same;
	bool has_atomic;

	bool wsnz;					/* byte 4 bit 0 */
	uint8_t max_compare_and_write_length;		/* byte 5 */
	uint16_t optimal_transfer_length_granularity;	/* bytes 6-7 */
	uint32_t max_transfer_length;			/* bytes 8-11 */
	uint32_t optimal_transfer_length;		/* bytes 12-15 */

	uint32_t max_prefetch_length;			/* bytes 16-19 */
	uint32_t max_unmap_lba_count;			/* bytes 20-23 */
	uint32_t max_unmap_block_descriptor_count;	/* bytes 24-27 */
	uint32_t optimal_unmap_granularity;		/* bytes 28-31 */
	bool ugavalid;					/* byte 32 b7 */
	uint32_t unmap_granularity_alignment;		/* bytes 32-35 */

	uint64_t max_write_same_length;			/* bytes 36-43 */

	uint32_t max_atomic_transfer_length;
	uint32_t atomic_alignment;
	uint32_t atomic_transfer_length_granularity;
	uint32_t max_atomic_transfer_length_with_boundary;
	uint32_t max_atomic_boundary_size;
};

/**
 * fa_scsi_parse_block_limits() - parse a Block Limits VPD page
 * @page, @len:	the bytes the device returned (header included)
 * @bl:		filled on success, untouched on failure
 *
 * A page shorter than 64 bytes is valid: the fields it cannot hold are
 * marked absent (see the has_* flags).
 *
 * Return: 0; -EINVAL for a NULL argument; -EPROTO for bytes that are not a
 * Block Limits page: fewer than 4, another page code, or a PAGE LENGTH
 * claiming more bytes than @len.
 */
int fa_scsi_parse_block_limits(const uint8_t *page, size_t len,
			       struct fa_scsi_block_limits *bl);

/**
 * struct fa_scsi_capacity - READ CAPACITY(16) parameter data, SBC-4 5.20.2
 * @returned_lba:	RETURNED LOGICAL BLOCK ADDRESS (the last LBA)
 * @logical_block_length: LOGICAL BLOCK LENGTH IN BYTES
 * @prot_en, @p_type:	PROT_EN and P_TYPE (protection type = P_TYPE + 1)
 * @p_i_exponent:	P_I_EXPONENT
 * @lbppbe:		LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT
 * @lbpme, @lbprz:	LBPME, LBPRZ
 * @lowest_aligned_lba: LOWEST ALIGNED LOGICAL BLOCK ADDRESS
 */
struct fa_scsi_capacity {
	uint64_t returned_lba;
	uint32_t logical_block_length;
	bool prot_en;
	uint8_t p_type;
	uint8_t p_i_exponent;
	uint8_t lbppbe;
	bool lbpme;
	bool lbprz;
	uint16_t lowest_aligned_lba;
};

/**
 * fa_scsi_parse_read_capacity16() - parse READ CAPACITY(16) data
 * @buf, @len:	the bytes the device returned; 16 are needed (SBC-4
 *		defines 32, the rest is reserved)
 * @cap:	filled on success, untouched on failure
 *
 * Return: 0; -EINVAL for a NULL argument; -EPROTO when fewer than 16 bytes
 * came back or the logical block length is 0.
 */
int fa_scsi_parse_read_capacity16(const uint8_t *buf, size_t len,
				  struct fa_scsi_capacity *cap);

#define FA_SCSI_VPD_UNIT_SERIAL		0x80
#define FA_SCSI_INQUIRY_STD_LEN		36

/**
 * fa_scsi_parse_inquiry() - identity of standard INQUIRY data
 * @vendor:	T10 VENDOR IDENTIFICATION (bytes 8-15), trimmed
 * @product:	PRODUCT IDENTIFICATION (16-31), trimmed
 * @rev:	PRODUCT REVISION LEVEL (32-35), trimmed
 * Each output at least 33 bytes. Return: 0; -EINVAL for a NULL argument;
 * -EPROTO when shorter than 36 bytes.
 */
int fa_scsi_parse_inquiry(const uint8_t *buf, size_t len, char *vendor,
			  char *product, char *rev);

/**
 * fa_scsi_parse_unit_serial() - PRODUCT SERIAL NUMBER of the Unit Serial
 * Number VPD page (80h), trimmed, cut to @out_len
 * Return: 0; -EINVAL for a NULL argument; -EPROTO for another page, a
 * header short of 4 bytes, or a PAGE LENGTH beyond @len.
 */
int fa_scsi_parse_unit_serial(const uint8_t *page, size_t len, char *out,
			      size_t out_len);

/** fa_scsi_capacity_bytes() - device size; 0 when it does not fit 64 bits */
uint64_t fa_scsi_capacity_bytes(const struct fa_scsi_capacity *cap);

/** fa_scsi_physical_block_length() - logical block length << LBPPBE */
uint64_t fa_scsi_physical_block_length(const struct fa_scsi_capacity *cap);

/**
 * struct fa_scsi_rw - what a READ(16), WRITE(16) or WRITE ATOMIC(16) says
 * @lba:		LOGICAL BLOCK ADDRESS
 * @blocks:		TRANSFER LENGTH
 * @atomic_boundary:	ATOMIC BOUNDARY (WRITE ATOMIC(16) only)
 * @group_number:	GROUP NUMBER, 0..63
 * @dpo, @fua:		DPO and FUA bits of byte 1
 */
struct fa_scsi_rw {
	uint64_t lba;
	uint32_t blocks;
	uint32_t atomic_boundary;
	uint8_t group_number;
	bool dpo;
	bool fua;
};

/**
 * fa_scsi_write_atomic16_cdb() - pack WRITE ATOMIC(16), SBC-4 5.48
 * @cdb:	16 bytes
 *
 * Byte 0 9Ch, byte 1 DPO (bit 4) and FUA (bit 3), bytes 2-9 LBA, bytes
 * 10-11 ATOMIC BOUNDARY, bytes 12-13 TRANSFER LENGTH, byte 14 GROUP
 * NUMBER, byte 15 CONTROL 0; all big-endian.
 *
 * Return: 0, or -EINVAL (and @cdb untouched) when the transfer length or
 * the boundary does not fit 16 bits or the group number 6 bits.
 */
int fa_scsi_write_atomic16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw);

/**
 * fa_scsi_write16_cdb() - pack WRITE(16) (8Ah): LBA bytes 2-9, TRANSFER
 * LENGTH bytes 10-13. -EINVAL for a boundary or a group number too large.
 */
int fa_scsi_write16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw);

/** fa_scsi_read16_cdb() - pack READ(16) (88h), laid out as WRITE(16) */
int fa_scsi_read16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw);

/**
 * struct fa_scsi_sense - sense data, decoded
 * @response_code:	70h/71h fixed, 72h/73h descriptor format
 * @sense_key, @asc, @ascq: as the device set them
 * @sense_key_str:	e.g. "ILLEGAL REQUEST" (libsgutils2's words,
 *			upper-cased as SPC spells them)
 * @asc_ascq_str:	e.g. "INVALID FIELD IN CDB"
 * @field_pointer_valid: SKSV set in ILLEGAL REQUEST sense: @field_pointer
 *			names the byte of the CDB (or of the parameter list,
 *			when !@field_in_cdb) that was refused
 * @bit_pointer:	the bit in that byte, -1 when not given
 * @info_valid, @info:	the INFORMATION field
 */
struct fa_scsi_sense {
	uint8_t response_code;
	uint8_t sense_key;
	uint8_t asc;
	uint8_t ascq;
	char sense_key_str[48];
	char asc_ascq_str[128];
	bool field_pointer_valid;
	bool field_in_cdb;
	uint16_t field_pointer;
	int bit_pointer;
	bool info_valid;
	uint64_t info;
};

/**
 * fa_scsi_decode_sense() - decode fixed or descriptor format sense data
 * @sb, @len:	as the device returned them
 * @s:		filled on success
 *
 * Return: 0, -EINVAL for NULL arguments, -ENODATA when @sb holds no sense
 * data (length 0 or response code 0), -EPROTO when it cannot be decoded.
 */
int fa_scsi_decode_sense(const uint8_t *sb, size_t len,
			 struct fa_scsi_sense *s);

/**
 * fa_scsi_sense_str() - one line, e.g. "ILLEGAL REQUEST / INVALID FIELD IN
 * CDB (sense key 5h, ASC 24h, ASCQ 00h, field pointer: CDB byte 12)"
 */
void fa_scsi_sense_str(const struct fa_scsi_sense *s, char *buf, size_t len);

/**
 * struct fa_scsi_result - how one command ended (from a struct sg_io_hdr)
 * @status:	SCSI status, e.g. 02h CHECK CONDITION
 * @host_status: Linux host byte (DID_*)
 * @driver_status: Linux driver byte (DRIVER_*)
 * @resid:	bytes not transferred
 * @has_sense:	@sense holds decoded sense data
 */
struct fa_scsi_result {
	uint8_t status;
	uint16_t host_status;
	uint16_t driver_status;
	int resid;
	bool has_sense;
	struct fa_scsi_sense sense;
};

/**
 * fa_scsi_result_set() - fill @r from the status fields of an sg_io_hdr
 * @sb, @sb_len: the sense buffer and how many bytes the driver wrote
 */
void fa_scsi_result_set(struct fa_scsi_result *r, uint8_t status,
			uint16_t host_status, uint16_t driver_status,
			int resid, const uint8_t *sb, size_t sb_len);

/** fa_scsi_result_ok() - GOOD status and no host or driver error */
bool fa_scsi_result_ok(const struct fa_scsi_result *r);

/**
 * fa_scsi_result_errno() - the errno a failed command stands for
 * ILLEGAL REQUEST: EINVAL (the command was refused as malformed, as the
 * kernel refuses an illegal RWF_ATOMIC write); a timeout: ETIMEDOUT;
 * anything else: EIO. 0 when the command succeeded.
 */
int fa_scsi_result_errno(const struct fa_scsi_result *r);

/**
 * fa_scsi_result_str() - one line: the SCSI status with the decoded sense,
 * then the host and driver status when they are not OK, e.g. "CHECK
 * CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB (...)" or "host status
 * DID_TIME_OUT (03h, the command timed out)"
 */
void fa_scsi_result_str(const struct fa_scsi_result *r, char *buf,
			size_t len);

/* The device's rules for one WRITE ATOMIC(16), in the order checked. */
enum fa_scsi_rule {
	FA_SCSI_RULE_OK = 0,
	FA_SCSI_RULE_UNSUPPORTED,	/* the page allows no atomic write */
	FA_SCSI_RULE_BLOCK,		/* whole logical blocks only */
	FA_SCSI_RULE_CDB,		/* fits the 16-bit TRANSFER LENGTH */
	FA_SCSI_RULE_GRANULARITY,	/* ... TRANSFER LENGTH GRANULARITY */
	FA_SCSI_RULE_ALIGNMENT,		/* ATOMIC ALIGNMENT */
	FA_SCSI_RULE_MAX_LENGTH,	/* MAXIMUM ATOMIC TRANSFER LENGTH */
	FA_SCSI_RULE_BOUNDARY_SIZE,	/* MAXIMUM ATOMIC BOUNDARY SIZE */
	FA_SCSI_RULE_BOUNDARY_LENGTH,	/* ... WITH ATOMIC BOUNDARY */
	FA_SCSI_RULE_NR,
};

/** fa_scsi_rule_name() - short stable name, used in counters */
const char *fa_scsi_rule_name(enum fa_scsi_rule rule);

/* Which value of a write broke the rule. */
enum fa_scsi_target {
	FA_SCSI_ON_LENGTH = 0,
	FA_SCSI_ON_OFFSET,
	FA_SCSI_ON_BOUNDARY,
};

/**
 * struct fa_scsi_verdict - the first rule a write breaks
 * @rule:	FA_SCSI_RULE_OK when it breaks none
 * @on:		the length, the offset or the boundary
 * @bytes:	the offending value as the job gave it (length or offset in
 *		bytes, the boundary in blocks)
 * @value:	the same in the unit of the field (blocks, LBA)
 * @limit:	the field's value
 * @field:	the SBC-4 name of the field, NULL for OK
 */
struct fa_scsi_verdict {
	enum fa_scsi_rule rule;
	enum fa_scsi_target on;
	uint64_t bytes;
	uint64_t value;
	uint64_t limit;
	const char *field;
};

/**
 * fa_scsi_check_write() - apply the device's rules to one atomic write
 * @bl:		the device's Block Limits page
 * @lbs:	logical block length in bytes
 * @offset, @length: in bytes
 * @boundary:	ATOMIC BOUNDARY in blocks (0: the whole write is atomic)
 * @v:		the verdict
 *
 * The rules are SBC-4's for WRITE ATOMIC(16): the LBA a multiple of ATOMIC
 * ALIGNMENT, the length a multiple of ATOMIC TRANSFER LENGTH GRANULARITY
 * (each when not 0), and without a boundary at most MAXIMUM ATOMIC
 * TRANSFER LENGTH, with one a boundary at most MAXIMUM ATOMIC BOUNDARY SIZE
 * and a length at most MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY.
 */
enum fa_scsi_rule fa_scsi_check_write(const struct fa_scsi_block_limits *bl,
				      uint32_t lbs, uint64_t offset,
				      uint64_t length, uint32_t boundary,
				      struct fa_scsi_verdict *v);

/**
 * fa_scsi_check_job() - check every write a job can produce
 * @job:	its sizes and the alignment of its offsets (see fa_limits.h)
 * @dev:	the device path, named in the message
 * @msg, @len:	the message of the first broken rule
 */
enum fa_scsi_rule fa_scsi_check_job(const struct fa_scsi_block_limits *bl,
				    uint32_t lbs, const struct fa_job *job,
				    uint32_t boundary, const char *dev,
				    struct fa_scsi_verdict *v, char *msg,
				    size_t len);

/**
 * fa_scsi_verdict_message() - the user-facing sentence for a verdict
 * @what:	how the job spelled the offending value ("bs", "offset",
 *		"atomic_boundary", ...)
 * @dev:	the device path
 *
 * e.g. "bs=3072 (6 blocks) is not a multiple of ATOMIC TRANSFER LENGTH
 * GRANULARITY 4 blocks (Block Limits VPD page of /dev/sg0)".
 */
void fa_scsi_verdict_message(const struct fa_scsi_verdict *v, uint32_t lbs,
			     const char *what, const char *dev, char *buf,
			     size_t len);

/**
 * fa_scsi_atomic_supported() - whether the page allows any WRITE ATOMIC(16):
 * it has the atomic fields and one of the two maximum lengths is not 0
 */
bool fa_scsi_atomic_supported(const struct fa_scsi_block_limits *bl);

/**
 * fa_scsi_unsupported_reason() - why the page allows no atomic write
 * (a sentence without a trailing period), or "" when it allows some.
 */
void fa_scsi_unsupported_reason(const struct fa_scsi_block_limits *bl,
				const char *dev, char *buf, size_t len);

/**
 * struct fa_scsi_sd_atomic - what sd_config_atomic() sets, in bytes
 * @unit_min, @unit_max, @max_bytes, @boundary: the queue's
 *		atomic_write_hw_* limits; all 0 when sd enables none
 * @use_boundary: sd sends the ATOMIC BOUNDARY (MAXIMUM ATOMIC TRANSFER
 *		LENGTH 0 with boundary limits)
 * @why_none:	when @unit_max is 0, the reason
 */
struct fa_scsi_sd_atomic {
	uint64_t unit_min;
	uint64_t unit_max;
	uint64_t max_bytes;
	uint64_t boundary;
	bool use_boundary;
	char why_none[256];
};

/**
 * fa_scsi_sd_config_atomic() - Linux 6.12 sd_config_atomic() on a parsed
 * page and capacity: unit_min is the granularity (or else the physical
 * block) and unit_max the maximum atomic transfer length (or else the
 * maximum boundary size), each rounded down to a power of two; atomics
 * are off when either is not a multiple of the granularity or of the
 * alignment, or with protection type 2.
 * @bl:	NULL when the device has no Block Limits page
 */
void fa_scsi_sd_config_atomic(const struct fa_scsi_block_limits *bl,
			      const struct fa_scsi_capacity *cap,
			      struct fa_scsi_sd_atomic *sd);

/**
 * fa_scsi_view_from_pages() - a device view from raw page bytes
 * @vpd, @vpd_len: the Block Limits page; NULL when the device has none
 * @rcap, @rcap_len: READ CAPACITY(16) data
 * @path:	named in the origins
 * @dv:		filled: the raw fields under their SBC names, the hw_*
 *		limits as sd_config_atomic() derives them and why_none
 *
 * Return: 0, or the parse error of either page (-EPROTO, -EINVAL).
 */
int fa_scsi_view_from_pages(const uint8_t *vpd, size_t vpd_len,
			    const uint8_t *rcap, size_t rcap_len,
			    const char *path, struct fa_device_view *dv);

/**
 * fa_scsi_sgio() - one command through the SG_IO ioctl
 * @fd:		/dev/sgN or /dev/sdX
 * @cdb, @cdb_len: the command
 * @to_device:	data direction when @len > 0
 * @buf, @len:	data buffer
 * @timeout_ms:	0 for FA_SCSI_TIMEOUT_MS
 * @res:	how the command ended
 *
 * Return: 0 when the ioctl worked (@res says how the command went), or
 * -errno when it did not (-ENOTTY: not a SCSI device).
 */
int fa_scsi_sgio(int fd, const uint8_t *cdb, unsigned int cdb_len,
		 bool to_device, void *buf, size_t len,
		 unsigned int timeout_ms, struct fa_scsi_result *res);

/**
 * fa_scsi_inquiry_vpd() - INQUIRY with EVPD for @page
 * @got:	bytes received
 * Return: 0; -EIO when the command failed (@res says how); -errno.
 */
int fa_scsi_inquiry_vpd(int fd, uint8_t page, uint8_t *buf, size_t len,
			size_t *got, struct fa_scsi_result *res);

/** fa_scsi_inquiry_std() - standard INQUIRY; as fa_scsi_inquiry_vpd() */
int fa_scsi_inquiry_std(int fd, uint8_t *buf, size_t len, size_t *got,
			struct fa_scsi_result *res);

/** fa_scsi_read_capacity16() - READ CAPACITY(16); as fa_scsi_inquiry_vpd() */
int fa_scsi_read_capacity16(int fd, uint8_t *buf, size_t len, size_t *got,
			    struct fa_scsi_result *res);

/**
 * struct fa_scsi_dev - what fa_scsi_probe() learnt about a device
 * @cap:	READ CAPACITY(16)
 * @have_bl:	@bl holds the Block Limits page
 * @bl:		the Block Limits page
 * @no_bl_why:	when !@have_bl: why (the command's sense, or the parse
 *		error)
 */
struct fa_scsi_dev {
	struct fa_scsi_capacity cap;
	bool have_bl;
	struct fa_scsi_block_limits bl;
	char no_bl_why[320];
};

/**
 * fa_scsi_probe() - read READ CAPACITY(16) and the Block Limits page
 * @why, @len:	the reason when it fails
 *
 * A device without a (valid) Block Limits page is not an error: it can
 * still take plain writes, and @dev says why it has no limits.
 *
 * Return: 0, or -errno when the device cannot be asked or READ
 * CAPACITY(16) fails (-EIO, with the decoded sense in @why).
 */
int fa_scsi_probe(int fd, struct fa_scsi_dev *dev, char *why, size_t len);

/**
 * fa_scsi_device_view() - a device's own view of its atomic limits
 * @path:	/dev/sdX or /dev/sgN, opened read-only
 *
 * Return: 0, or -errno when @path cannot be opened or asked.
 */
int fa_scsi_device_view(const char *path, struct fa_device_view *dv);

/**
 * fa_scsi_block_name() - the block device behind a SCSI generic node
 * @sysfs_root:	"/sys" (tests point it at a fake tree)
 * @major, @minor: the char device's numbers
 * @name, @len:	receives e.g. "sda", from <root>/dev/char/M:m/device/block/
 *
 * Return: 0, -ENODEV when the node has no block device (no sd bound, or
 * not a disk), other -errno.
 */
int fa_scsi_block_name(const char *sysfs_root, unsigned int major,
		       unsigned int minor, char *name, size_t len);

/**
 * fa_scsi_block_device() - @path itself for a block device, /dev/<name>
 * of the disk behind a SCSI generic node
 * Return: 0, -ENODEV (no block device), -ENOTBLK (neither kind), -errno.
 */
int fa_scsi_block_device(const char *path, char *blk, size_t len);

#endif /* FA_SCSI_H */
