// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: SCSI WRITE ATOMIC(16) without fio: page parsers, CDBs, the
 * device's rules, sense decoding and sd's derivation of the queue limits.
 *
 * INQUIRY and READ CAPACITY(16) are sent with a plain SG_IO ioctl rather
 * than libsgutils2's sg_ll_inquiry() and sg_ll_readcap_16(): those drop the
 * residual count, which is how a page the device cut short is noticed, and
 * report trouble by printing when asked to be noisy; one small function
 * serves both /dev/sdX and /dev/sgN. libsgutils2 does what it is best at:
 * putting sense data into words, so that no table of additional sense
 * codes lives here.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <scsi/sg.h>
#include <scsi/sg_lib.h>

#include "fa_scsi.h"
#include "fa_util.h"

#define FA_SCSI_STATUS_GOOD		0x00
#define FA_SCSI_STATUS_CONDITION_MET	0x04
#define FA_SCSI_SK_ILLEGAL_REQUEST	0x05
#define FA_SCSI_DID_TIME_OUT		0x03
#define FA_SCSI_DRIVER_MASK		0x0f
#define FA_SCSI_DRIVER_TIMEOUT		0x06
#define FA_SCSI_DRIVER_SENSE		0x08
/* SPC: sense data is at most 252 bytes. */
#define FA_SCSI_SENSE_MAX		252
#define FA_SCSI_ASC_LABEL		"Additional sense: "

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v & 0xffff);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v & 0xffffffff);
}

/* Block Limits VPD page */

int fa_scsi_parse_block_limits(const uint8_t *page, size_t len,
			       struct fa_scsi_block_limits *bl)
{
	struct fa_scsi_block_limits b;
	size_t avail;

	if (!page || !bl)
		return -EINVAL;
	if (len < 4 || page[1] != FA_SCSI_VPD_BLOCK_LIMITS)
		return -EPROTO;

	memset(&b, 0, sizeof(b));
	b.peripheral_device_type = page[0] & 0x1f;
	b.page_length = get_be16(page + 2);
	avail = (size_t)b.page_length + 4;
	if (avail > len)
		return -EPROTO;

	if (avail >= 16) {
		b.has_transfer_limits = true;
		b.wsnz = page[4] & 0x01;
		b.max_compare_and_write_length = page[5];
		b.optimal_transfer_length_granularity = get_be16(page + 6);
		b.max_transfer_length = get_be32(page + 8);
		b.optimal_transfer_length = get_be32(page + 12);
	}
	if (avail >= 36) {
		b.has_unmap_limits = true;
		b.max_prefetch_length = get_be32(page + 16);
		b.max_unmap_lba_count = get_be32(page + 20);
		b.max_unmap_block_descriptor_count = get_be32(page + 24);
		b.optimal_unmap_granularity = get_be32(page + 28);
		b.ugavalid = page[32] & 0x80;
		b.unmap_granularity_alignment =
			get_be32(page + 32) & 0x7fffffff;
	}
	if (avail >= 44) {
		b.has_write_same = true;
		b.max_write_same_length = get_be64(page + 36);
	}
	if (avail >= FA_SCSI_BLOCK_LIMITS_LEN) {
		b.has_atomic = true;
		b.max_atomic_transfer_length = get_be32(page + 44);
		b.atomic_alignment = get_be32(page + 48);
		b.atomic_transfer_length_granularity = get_be32(page + 52);
		b.max_atomic_transfer_length_with_boundary =
			get_be32(page + 56);
		b.max_atomic_boundary_size = get_be32(page + 60);
	}
	*bl = b;
	return 0;
}

/* READ CAPACITY(16) */

int fa_scsi_parse_read_capacity16(const uint8_t *buf, size_t len,
				  struct fa_scsi_capacity *cap)
{
	struct fa_scsi_capacity c;

	if (!buf || !cap)
		return -EINVAL;
	if (len < 16)
		return -EPROTO;

	memset(&c, 0, sizeof(c));
	c.returned_lba = get_be64(buf);
	c.logical_block_length = get_be32(buf + 8);
	if (!c.logical_block_length)
		return -EPROTO;
	c.prot_en = buf[12] & 0x01;
	c.p_type = (buf[12] >> 1) & 0x07;
	c.p_i_exponent = buf[13] >> 4;
	c.lbppbe = buf[13] & 0x0f;
	c.lbpme = buf[14] & 0x80;
	c.lbprz = buf[14] & 0x40;
	c.lowest_aligned_lba = get_be16(buf + 14) & 0x3fff;
	*cap = c;
	return 0;
}

uint64_t fa_scsi_capacity_bytes(const struct fa_scsi_capacity *cap)
{
	uint64_t blocks;

	if (cap->returned_lba == UINT64_MAX || !cap->logical_block_length)
		return 0;
	blocks = cap->returned_lba + 1;
	if (blocks > UINT64_MAX / cap->logical_block_length)
		return 0;
	return blocks * cap->logical_block_length;
}

uint64_t fa_scsi_physical_block_length(const struct fa_scsi_capacity *cap)
{
	return (uint64_t)cap->logical_block_length << cap->lbppbe;
}

/* CDBs */

static uint8_t fa_scsi_rw_byte1(const struct fa_scsi_rw *rw)
{
	return (rw->dpo ? 0x10 : 0) | (rw->fua ? 0x08 : 0);
}

int fa_scsi_write_atomic16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw)
{
	if (!cdb || !rw || rw->blocks > FA_SCSI_ATOMIC16_MAX_BLOCKS ||
	    rw->atomic_boundary > FA_SCSI_ATOMIC16_MAX_BLOCKS ||
	    rw->group_number > FA_SCSI_GROUP_NUMBER_MAX)
		return -EINVAL;
	memset(cdb, 0, FA_SCSI_CDB16_LEN);
	cdb[0] = FA_SCSI_OP_WRITE_ATOMIC16;
	cdb[1] = fa_scsi_rw_byte1(rw);
	put_be64(cdb + 2, rw->lba);
	put_be16(cdb + 10, (uint16_t)rw->atomic_boundary);
	put_be16(cdb + 12, (uint16_t)rw->blocks);
	cdb[14] = rw->group_number;
	return 0;
}

static int fa_scsi_rw16_cdb(uint8_t *cdb, uint8_t opcode,
			    const struct fa_scsi_rw *rw)
{
	if (!cdb || !rw || rw->atomic_boundary ||
	    rw->group_number > FA_SCSI_GROUP_NUMBER_MAX)
		return -EINVAL;
	memset(cdb, 0, FA_SCSI_CDB16_LEN);
	cdb[0] = opcode;
	cdb[1] = fa_scsi_rw_byte1(rw);
	put_be64(cdb + 2, rw->lba);
	put_be32(cdb + 10, rw->blocks);
	cdb[14] = rw->group_number;
	return 0;
}

int fa_scsi_write16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw)
{
	return fa_scsi_rw16_cdb(cdb, FA_SCSI_OP_WRITE16, rw);
}

int fa_scsi_read16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw)
{
	return fa_scsi_rw16_cdb(cdb, FA_SCSI_OP_READ16, rw);
}

/* Sense data and command status */

static void fa_upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

int fa_scsi_decode_sense(const uint8_t *sb, size_t len,
			 struct fa_scsi_sense *s)
{
	/*
	 * libsgutils2 is not built with the sanitizers: it reads a
	 * zero-padded copy, so a short buffer cannot make it read beyond.
	 */
	uint8_t copy[FA_SCSI_SENSE_MAX + 4];
	struct sg_scsi_sense_hdr ssh;
	const uint8_t *sks = NULL;
	uint64_t info = 0;
	size_t label;
	int n;

	if (!sb || !s)
		return -EINVAL;
	if (!len || !(sb[0] & 0x7f))
		return -ENODATA;
	n = len > FA_SCSI_SENSE_MAX ? FA_SCSI_SENSE_MAX : (int)len;
	memset(copy, 0, sizeof(copy));
	memcpy(copy, sb, n);
	if (!sg_scsi_normalize_sense(copy, n, &ssh))
		return -EPROTO;

	memset(s, 0, sizeof(*s));
	s->response_code = ssh.response_code;
	s->sense_key = ssh.sense_key & 0x0f;
	s->asc = ssh.asc;
	s->ascq = ssh.ascq;
	s->bit_pointer = -1;
	sg_get_sense_key_str(s->sense_key, sizeof(s->sense_key_str),
			     s->sense_key_str);
	sg_get_asc_ascq_str(s->asc, s->ascq, sizeof(s->asc_ascq_str),
			    s->asc_ascq_str);
	/* libsgutils2 leads with a label; SPC's name stands alone. */
	label = strlen(FA_SCSI_ASC_LABEL);
	if (!strncasecmp(s->asc_ascq_str, FA_SCSI_ASC_LABEL, label))
		memmove(s->asc_ascq_str, s->asc_ascq_str + label,
			strlen(s->asc_ascq_str + label) + 1);
	fa_upcase(s->sense_key_str);
	fa_upcase(s->asc_ascq_str);

	/* Sense-key specific bytes: fixed 15-17, descriptor type 02h 4-6. */
	if (s->response_code == 0x70 || s->response_code == 0x71) {
		if (n >= 18)
			sks = copy + 15;
	} else {
		const uint8_t *d = sg_scsi_sense_desc_find(copy, n, 0x02);

		if (d && d >= copy && d + 7 <= copy + n && d[1] >= 6)
			sks = d + 4;
	}
	if (sks && (sks[0] & 0x80) &&
	    s->sense_key == FA_SCSI_SK_ILLEGAL_REQUEST) {
		s->field_pointer_valid = true;
		s->field_in_cdb = sks[0] & 0x40;
		if (sks[0] & 0x08)
			s->bit_pointer = sks[0] & 0x07;
		s->field_pointer = get_be16(sks + 1);
	}
	s->info_valid = sg_get_sense_info_fld(copy, n, &info);
	s->info = info;
	return 0;
}

void fa_scsi_sense_str(const struct fa_scsi_sense *s, char *buf, size_t len)
{
	char where[64] = "", bit[16] = "", info[48] = "";

	if (s->field_pointer_valid) {
		if (s->bit_pointer >= 0)
			snprintf(bit, sizeof(bit), " bit %d", s->bit_pointer);
		snprintf(where, sizeof(where), ", field pointer: %s byte %u%s",
			 s->field_in_cdb ? "CDB" : "parameter list",
			 s->field_pointer, bit);
	}
	if (s->info_valid)
		snprintf(info, sizeof(info), ", information %" PRIu64,
			 s->info);
	snprintf(buf, len, "%s / %s (sense key %Xh, ASC %02Xh, ASCQ %02Xh%s%s)",
		 s->sense_key_str, s->asc_ascq_str, s->sense_key, s->asc,
		 s->ascq, where, info);
}

void fa_scsi_result_set(struct fa_scsi_result *r, uint8_t status,
			uint16_t host_status, uint16_t driver_status,
			int resid, const uint8_t *sb, size_t sb_len)
{
	memset(r, 0, sizeof(*r));
	r->status = status;
	r->host_status = host_status;
	r->driver_status = driver_status;
	r->resid = resid;
	r->has_sense = sb && sb_len && !fa_scsi_decode_sense(sb, sb_len,
							     &r->sense);
}

static bool fa_scsi_driver_ok(uint16_t driver_status)
{
	unsigned int d = driver_status & FA_SCSI_DRIVER_MASK;

	/* Linux 5.14+ sets DRIVER_SENSE whenever there is sense data. */
	return d == 0 || d == FA_SCSI_DRIVER_SENSE;
}

bool fa_scsi_result_ok(const struct fa_scsi_result *r)
{
	return (r->status == FA_SCSI_STATUS_GOOD ||
		r->status == FA_SCSI_STATUS_CONDITION_MET) &&
	       !r->host_status && fa_scsi_driver_ok(r->driver_status);
}

int fa_scsi_result_errno(const struct fa_scsi_result *r)
{
	if (fa_scsi_result_ok(r))
		return 0;
	if (r->host_status == FA_SCSI_DID_TIME_OUT ||
	    (r->driver_status & FA_SCSI_DRIVER_MASK) == FA_SCSI_DRIVER_TIMEOUT)
		return ETIMEDOUT;
	if (r->has_sense && r->sense.sense_key == FA_SCSI_SK_ILLEGAL_REQUEST)
		return EINVAL;
	return EIO;
}

/*
 * Linux's host byte (include/scsi/scsi_status.h): not SCSI, so libsgutils2
 * can only print it, not put it into a string.
 */
static const char *const fa_scsi_host_status_names[][2] = {
	{ "DID_OK", "no error" },
	{ "DID_NO_CONNECT", "could not connect" },
	{ "DID_BUS_BUSY", "the bus stayed busy" },
	{ "DID_TIME_OUT", "the command timed out" },
	{ "DID_BAD_TARGET", "bad target" },
	{ "DID_ABORT", "the command was aborted" },
	{ "DID_PARITY", "parity error" },
	{ "DID_ERROR", "internal error of the host adapter" },
	{ "DID_RESET", "reset" },
	{ "DID_BAD_INTR", "unexpected interrupt" },
	{ "DID_PASSTHROUGH", "forced past the mid-layer" },
	{ "DID_SOFT_ERROR", "the low-level driver asked for a retry" },
	{ "DID_IMM_RETRY", "retry at once" },
	{ "DID_REQUEUE", "requeued" },
	{ "DID_TRANSPORT_DISRUPTED", "the transport was disrupted" },
	{ "DID_TRANSPORT_FAILFAST", "the transport failed fast" },
	{ "DID_TARGET_FAILURE", "permanent target failure" },
	{ "DID_NEXUS_FAILURE", "permanent nexus failure" },
	{ "DID_ALLOC_FAILURE", "space allocation failed" },
	{ "DID_MEDIUM_ERROR", "medium error" },
	{ "DID_TRANSPORT_MARGINAL", "marginal transport" },
};

static const char *const fa_scsi_driver_status_names[] = {
	"DRIVER_OK", "DRIVER_BUSY", "DRIVER_SOFT", "DRIVER_MEDIA",
	"DRIVER_ERROR", "DRIVER_INVALID", "DRIVER_TIMEOUT", "DRIVER_HARD",
	"DRIVER_SENSE",
};

void fa_scsi_result_str(const struct fa_scsi_result *r, char *buf,
			size_t len)
{
	char status[64], sense[320], scsi[400] = "", host[96] = "";
	char driver[64] = "";
	const char *parts[3] = { scsi, host, driver };
	size_t pos = 0, i;

	if (!len)
		return;
	buf[0] = '\0';
	if (fa_scsi_result_ok(r)) {
		snprintf(buf, len, "GOOD");
		return;
	}
	if (r->status != FA_SCSI_STATUS_GOOD) {
		sg_get_scsi_status_str(r->status, sizeof(status), status);
		fa_upcase(status);
		if (r->has_sense) {
			fa_scsi_sense_str(&r->sense, sense, sizeof(sense));
			snprintf(scsi, sizeof(scsi), "%s: %s", status, sense);
		} else {
			snprintf(scsi, sizeof(scsi), "%s", status);
		}
	}
	if (r->host_status) {
		unsigned int h = r->host_status;

		if (h < FA_ARRAY_SIZE(fa_scsi_host_status_names))
			snprintf(host, sizeof(host), "host status %s (%02Xh, %s)",
				 fa_scsi_host_status_names[h][0], h,
				 fa_scsi_host_status_names[h][1]);
		else
			snprintf(host, sizeof(host), "host status %02Xh", h);
	}
	if (!fa_scsi_driver_ok(r->driver_status)) {
		unsigned int d = r->driver_status & FA_SCSI_DRIVER_MASK;

		snprintf(driver, sizeof(driver), "driver status %s (%02Xh)",
			 d < FA_ARRAY_SIZE(fa_scsi_driver_status_names) ?
			 fa_scsi_driver_status_names[d] : "unknown",
			 r->driver_status);
	}
	for (i = 0; i < FA_ARRAY_SIZE(parts); i++) {
		int n;

		if (!parts[i][0] || pos >= len)
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s", pos ? "; " : "",
			     parts[i]);
		if (n > 0)
			pos += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, len, "failed with no status, sense or host error");
}

/* The device's rules */

static const char *const fa_scsi_rule_names[FA_SCSI_RULE_NR] = {
	[FA_SCSI_RULE_OK]		= "ok",
	[FA_SCSI_RULE_UNSUPPORTED]	= "unsupported",
	[FA_SCSI_RULE_BLOCK]		= "block",
	[FA_SCSI_RULE_CDB]		= "cdb_field",
	[FA_SCSI_RULE_GRANULARITY]	= "granularity",
	[FA_SCSI_RULE_ALIGNMENT]	= "alignment",
	[FA_SCSI_RULE_MAX_LENGTH]	= "max_length",
	[FA_SCSI_RULE_BOUNDARY_SIZE]	= "boundary_size",
	[FA_SCSI_RULE_BOUNDARY_LENGTH]	= "boundary_length",
};

const char *fa_scsi_rule_name(enum fa_scsi_rule rule)
{
	if (rule < 0 || rule >= FA_SCSI_RULE_NR)
		return "unknown";
	return fa_scsi_rule_names[rule];
}

static enum fa_scsi_rule fa_scsi_verdict_set(struct fa_scsi_verdict *v,
					     enum fa_scsi_rule rule,
					     enum fa_scsi_target on,
					     uint64_t bytes, uint64_t value,
					     uint64_t limit, const char *field)
{
	v->rule = rule;
	v->on = on;
	v->bytes = bytes;
	v->value = value;
	v->limit = limit;
	v->field = field;
	return rule;
}

static bool fa_scsi_atomic_supported(const struct fa_scsi_block_limits *bl)
{
	return bl->has_atomic && (bl->max_atomic_transfer_length ||
				  bl->max_atomic_transfer_length_with_boundary);
}

enum fa_scsi_rule fa_scsi_check_write(const struct fa_scsi_block_limits *bl,
				      uint32_t lbs, uint64_t offset,
				      uint64_t length, uint32_t boundary,
				      struct fa_scsi_verdict *v)
{
	uint32_t max_with_boundary =
		bl->max_atomic_transfer_length_with_boundary;
	uint32_t gran = bl->atomic_transfer_length_granularity;
	uint32_t align = bl->atomic_alignment;
	uint64_t lba, blocks;

	if (!fa_scsi_atomic_supported(bl))
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_UNSUPPORTED,
					   FA_SCSI_ON_LENGTH, length, 0, 0,
					   "MAXIMUM ATOMIC TRANSFER LENGTH");
	if (!lbs || length % lbs)
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_BLOCK,
					   FA_SCSI_ON_LENGTH, length, length,
					   lbs, "LOGICAL BLOCK LENGTH IN BYTES");
	if (offset % lbs)
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_BLOCK,
					   FA_SCSI_ON_OFFSET, offset, offset,
					   lbs, "LOGICAL BLOCK LENGTH IN BYTES");
	lba = offset / lbs;
	blocks = length / lbs;
	if (blocks > FA_SCSI_ATOMIC16_MAX_BLOCKS)
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_CDB,
					   FA_SCSI_ON_LENGTH, length, blocks,
					   FA_SCSI_ATOMIC16_MAX_BLOCKS,
					   "TRANSFER LENGTH");
	if (boundary > FA_SCSI_ATOMIC16_MAX_BLOCKS)
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_CDB,
					   FA_SCSI_ON_BOUNDARY, boundary,
					   boundary,
					   FA_SCSI_ATOMIC16_MAX_BLOCKS,
					   "ATOMIC BOUNDARY");
	if (gran && blocks % gran)
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_GRANULARITY,
					   FA_SCSI_ON_LENGTH, length, blocks,
					   gran,
					   "ATOMIC TRANSFER LENGTH GRANULARITY");
	if (align && lba % align)
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_ALIGNMENT,
					   FA_SCSI_ON_OFFSET, offset, lba,
					   align, "ATOMIC ALIGNMENT");
	if (boundary) {
		if (boundary > bl->max_atomic_boundary_size)
			return fa_scsi_verdict_set(v,
					FA_SCSI_RULE_BOUNDARY_SIZE,
					FA_SCSI_ON_BOUNDARY, boundary,
					boundary, bl->max_atomic_boundary_size,
					"MAXIMUM ATOMIC BOUNDARY SIZE");
		if (blocks > max_with_boundary)
			return fa_scsi_verdict_set(v,
					FA_SCSI_RULE_BOUNDARY_LENGTH,
					FA_SCSI_ON_LENGTH, length, blocks,
					max_with_boundary,
					"MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY");
	} else if (blocks > bl->max_atomic_transfer_length) {
		return fa_scsi_verdict_set(v, FA_SCSI_RULE_MAX_LENGTH,
					   FA_SCSI_ON_LENGTH, length, blocks,
					   bl->max_atomic_transfer_length,
					   "MAXIMUM ATOMIC TRANSFER LENGTH");
	}
	return fa_scsi_verdict_set(v, FA_SCSI_RULE_OK, FA_SCSI_ON_LENGTH, 0, 0,
				   0, NULL);
}

void fa_scsi_unsupported_reason(const struct fa_scsi_block_limits *bl,
				const char *dev, char *buf, size_t len)
{
	if (!bl->has_atomic)
		snprintf(buf, len,
			 "%s does not support WRITE ATOMIC(16): its Block Limits VPD page is %u bytes, too short for the atomic fields (bytes 44-63)",
			 dev, bl->page_length + 4);
	else if (!fa_scsi_atomic_supported(bl))
		snprintf(buf, len,
			 "%s does not support WRITE ATOMIC(16): MAXIMUM ATOMIC TRANSFER LENGTH and MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY are both 0 (Block Limits VPD page of %s)",
			 dev, dev);
	else if (len)
		buf[0] = '\0';
}

void fa_scsi_verdict_message(const struct fa_scsi_verdict *v, uint32_t lbs,
			     const char *what, const char *dev, char *buf,
			     size_t len)
{
	char blocks[48] = "";

	(void)lbs;
	if (v->on == FA_SCSI_ON_LENGTH)
		snprintf(blocks, sizeof(blocks), " (%" PRIu64 " blocks)",
			 v->value);
	else if (v->on == FA_SCSI_ON_OFFSET)
		snprintf(blocks, sizeof(blocks), " (LBA %" PRIu64 ")",
			 v->value);

	switch (v->rule) {
	case FA_SCSI_RULE_OK:
		snprintf(buf, len, "%s=%" PRIu64 " is a valid atomic write",
			 what, v->bytes);
		break;
	case FA_SCSI_RULE_UNSUPPORTED:
		snprintf(buf, len,
			 "%s does not support WRITE ATOMIC(16): its Block Limits VPD page allows no atomic write",
			 dev);
		break;
	case FA_SCSI_RULE_BLOCK:
		snprintf(buf, len,
			 "%s=%" PRIu64 " is not a multiple of the LOGICAL BLOCK LENGTH IN BYTES %" PRIu64 " (READ CAPACITY(16) of %s)",
			 what, v->bytes, v->limit, dev);
		break;
	case FA_SCSI_RULE_CDB:
		snprintf(buf, len,
			 "%s=%" PRIu64 "%s does not fit the 16-bit %s field of WRITE ATOMIC(16) (at most %" PRIu64 " blocks)",
			 what, v->bytes, v->on == FA_SCSI_ON_BOUNDARY ? "" :
			 blocks, v->field, v->limit);
		break;
	case FA_SCSI_RULE_GRANULARITY:
	case FA_SCSI_RULE_ALIGNMENT:
		snprintf(buf, len,
			 "%s=%" PRIu64 "%s is not a multiple of %s %" PRIu64 " blocks (Block Limits VPD page of %s)",
			 what, v->bytes, blocks, v->field, v->limit, dev);
		break;
	case FA_SCSI_RULE_MAX_LENGTH:
		snprintf(buf, len,
			 "%s=%" PRIu64 "%s exceeds %s %" PRIu64 " blocks (Block Limits VPD page of %s)%s",
			 what, v->bytes, blocks, v->field, v->limit, dev,
			 v->limit ? "" :
			 "; the device takes atomic writes only with an ATOMIC BOUNDARY (set atomic_boundary)");
		break;
	case FA_SCSI_RULE_BOUNDARY_SIZE:
		snprintf(buf, len,
			 "%s=%" PRIu64 " blocks exceeds %s %" PRIu64 " blocks (Block Limits VPD page of %s)%s",
			 what, v->bytes, v->field, v->limit, dev,
			 v->limit ? "" :
			 "; the device takes no ATOMIC BOUNDARY (use atomic_boundary=0)");
		break;
	case FA_SCSI_RULE_BOUNDARY_LENGTH:
		snprintf(buf, len,
			 "%s=%" PRIu64 "%s exceeds %s %" PRIu64 " blocks (Block Limits VPD page of %s)",
			 what, v->bytes, blocks, v->field, v->limit, dev);
		break;
	default:
		snprintf(buf, len, "%s=%" PRIu64 " breaks an unknown rule",
			 what, v->bytes);
		break;
	}
}

enum fa_scsi_rule fa_scsi_check_job(const struct fa_scsi_block_limits *bl,
				    uint32_t lbs, const struct fa_job *job,
				    uint32_t boundary, const char *dev,
				    struct fa_scsi_verdict *v, char *msg,
				    size_t len)
{
	uint64_t offsets[2];
	enum fa_scsi_rule rule;
	const char *what;
	char note[128];
	int i;

	if (len)
		msg[0] = '\0';
	fa_scsi_verdict_set(v, FA_SCSI_RULE_OK, FA_SCSI_ON_LENGTH, 0, 0, 0,
			    NULL);
	if (!job->nr_sizes)
		return FA_SCSI_RULE_OK;
	if (!fa_scsi_atomic_supported(bl)) {
		fa_scsi_check_write(bl, lbs, 0, job->sizes[0], boundary, v);
		fa_scsi_unsupported_reason(bl, dev, msg, len);
		return v->rule;
	}

	/* The length rules, each size at an offset every rule accepts. */
	for (i = 0; i < job->nr_sizes; i++) {
		rule = fa_scsi_check_write(bl, lbs, 0, job->sizes[i], boundary,
					   v);
		if (rule == FA_SCSI_RULE_OK)
			continue;
		what = v->on == FA_SCSI_ON_BOUNDARY ? "atomic_boundary" :
		       job->size_opt[i] ? job->size_opt[i] : "bs";
		fa_scsi_verdict_message(v, lbs, what, dev, msg, len);
		return rule;
	}

	/*
	 * Offsets are start_offset + k * offset_align: the first two decide
	 * whether every one is a multiple of the alignment.
	 */
	offsets[0] = job->start_offset;
	offsets[1] = job->start_offset + job->offset_align;
	for (i = 0; i < (job->offset_align ? 2 : 1); i++) {
		rule = fa_scsi_check_write(bl, lbs, offsets[i], job->sizes[0],
					   boundary, v);
		if (rule == FA_SCSI_RULE_OK)
			continue;
		fa_scsi_verdict_message(v, lbs, "offset", dev, msg, len);
		if (i == 1 && job->align_opt)
			snprintf(note, sizeof(note),
				 "; offsets step by %s=%" PRIu64,
				 job->align_opt, job->offset_align);
		else if (i == 1)
			snprintf(note, sizeof(note),
				 "; sequential writes advance the offset by %" PRIu64 " bytes",
				 job->offset_align);
		else
			note[0] = '\0';
		if (strlen(msg) + strlen(note) < len)
			strcat(msg, note);
		return rule;
	}
	return FA_SCSI_RULE_OK;
}

/* What sd_config_atomic() makes of the page */

static uint64_t fa_rounddown_pow2(uint64_t x)
{
	return x ? 1ULL << (63 - __builtin_clzll(x)) : 0;
}

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

static void fa_scsi_set_value(struct fa_value *v, uint64_t value,
			      const char *origin)
{
	v->value = value;
	v->known = true;
	v->source = FA_SRC_SCSI_VPD;
	fa_strlcpy(v->origin, origin, sizeof(v->origin));
}

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
	fa_scsi_set_value(&dv->hw_unit_min, sd.unit_min, origin);
	fa_scsi_set_value(&dv->hw_unit_max, sd.unit_max, origin);
	fa_scsi_set_value(&dv->hw_max_bytes, sd.max_bytes, origin);
	fa_scsi_set_value(&dv->hw_boundary, sd.boundary, origin);
	snprintf(origin, sizeof(origin), "READ CAPACITY(16) of %s", path);
	fa_scsi_set_value(&dv->logical_block, cap.logical_block_length,
			  origin);
	fa_strlcpy(dv->why_none, sd.why_none, sizeof(dv->why_none));
	return 0;
}

/* Talking to the device */

int fa_scsi_sgio(int fd, const uint8_t *cdb, unsigned int cdb_len,
		 bool to_device, void *buf, size_t len,
		 unsigned int timeout_ms, struct fa_scsi_result *res)
{
	uint8_t cmd[FA_SCSI_CDB16_LEN], sense[FA_SCSI_SENSE_LEN];
	struct sg_io_hdr hdr;

	if (!cdb || !res || !cdb_len || cdb_len > sizeof(cmd) ||
	    len > UINT_MAX || (len && !buf))
		return -EINVAL;
	memcpy(cmd, cdb, cdb_len);
	memset(sense, 0, sizeof(sense));
	memset(&hdr, 0, sizeof(hdr));
	hdr.interface_id = 'S';
	hdr.cmdp = cmd;
	hdr.cmd_len = cdb_len;
	hdr.sbp = sense;
	hdr.mx_sb_len = sizeof(sense);
	hdr.dxfer_direction = !len ? SG_DXFER_NONE :
			      to_device ? SG_DXFER_TO_DEV : SG_DXFER_FROM_DEV;
	hdr.dxferp = buf;
	hdr.dxfer_len = (unsigned int)len;
	hdr.timeout = timeout_ms ? timeout_ms : FA_SCSI_TIMEOUT_MS;
	if (ioctl(fd, SG_IO, &hdr) < 0)
		return -errno;
	fa_scsi_result_set(res, hdr.status, hdr.host_status,
			   hdr.driver_status, hdr.resid, sense,
			   hdr.sb_len_wr);
	return 0;
}

static int fa_scsi_data_in(int fd, const uint8_t *cdb, unsigned int cdb_len,
			   uint8_t *buf, size_t len, size_t *got,
			   struct fa_scsi_result *res)
{
	int ret;

	memset(buf, 0, len);
	ret = fa_scsi_sgio(fd, cdb, cdb_len, false, buf, len, 0, res);
	if (ret)
		return ret;
	if (!fa_scsi_result_ok(res))
		return -EIO;
	*got = res->resid > 0 && (size_t)res->resid < len ?
	       len - (size_t)res->resid : len;
	return 0;
}

int fa_scsi_inquiry_vpd(int fd, uint8_t page, uint8_t *buf, size_t len,
			size_t *got, struct fa_scsi_result *res)
{
	uint8_t cdb[6] = { 0x12, 0x01, page };

	if (!buf || !got || len > 0xffff)
		return -EINVAL;
	put_be16(cdb + 3, (uint16_t)len);
	return fa_scsi_data_in(fd, cdb, sizeof(cdb), buf, len, got, res);
}

int fa_scsi_read_capacity16(int fd, uint8_t *buf, size_t len, size_t *got,
			    struct fa_scsi_result *res)
{
	uint8_t cdb[16] = { 0x9e, 0x10 };

	if (!buf || !got || len > UINT32_MAX)
		return -EINVAL;
	put_be32(cdb + 10, (uint32_t)len);
	return fa_scsi_data_in(fd, cdb, sizeof(cdb), buf, len, got, res);
}

int fa_scsi_probe(int fd, struct fa_scsi_dev *dev, char *why, size_t len)
{
	uint8_t buf[FA_SCSI_VPD_ALLOC_LEN];
	struct fa_scsi_result res;
	char status[384];
	size_t got = 0;
	int ret;

	memset(dev, 0, sizeof(*dev));
	if (len)
		why[0] = '\0';
	ret = fa_scsi_read_capacity16(fd, buf, FA_SCSI_READ_CAPACITY16_LEN,
				      &got, &res);
	if (ret == -EIO) {
		fa_scsi_result_str(&res, status, sizeof(status));
		snprintf(why, len, "READ CAPACITY(16) failed: %s", status);
		return ret;
	}
	if (ret) {
		snprintf(why, len, "SG_IO: %s", strerror(-ret));
		return ret;
	}
	ret = fa_scsi_parse_read_capacity16(buf, got, &dev->cap);
	if (ret) {
		snprintf(why, len,
			 "READ CAPACITY(16) returned %zu bytes that are no capacity data",
			 got);
		return ret;
	}

	ret = fa_scsi_inquiry_vpd(fd, FA_SCSI_VPD_BLOCK_LIMITS, buf,
				  sizeof(buf), &got, &res);
	if (ret == -EIO) {
		fa_scsi_result_str(&res, status, sizeof(status));
		snprintf(dev->no_bl_why, sizeof(dev->no_bl_why),
			 "INQUIRY for the Block Limits VPD page (B0h) failed: %.240s",
			 status);
		return 0;
	}
	if (ret) {
		snprintf(why, len, "SG_IO: %s", strerror(-ret));
		return ret;
	}
	if (fa_scsi_parse_block_limits(buf, got, &dev->bl)) {
		snprintf(dev->no_bl_why, sizeof(dev->no_bl_why),
			 "the Block Limits VPD page (B0h) is malformed (%zu bytes, page code %02Xh, PAGE LENGTH %u)",
			 got, got > 1 ? buf[1] : 0,
			 got > 3 ? get_be16(buf + 2) : 0);
		return 0;
	}
	dev->have_bl = true;
	return 0;
}

int fa_scsi_device_view(const char *path, struct fa_device_view *dv)
{
	uint8_t vpd[FA_SCSI_VPD_ALLOC_LEN], rcap[FA_SCSI_READ_CAPACITY16_LEN];
	char note[sizeof(dv->why_none)] = "", status[384];
	size_t vpd_got = 0, rcap_got = 0;
	struct fa_scsi_result res;
	bool have_vpd = true;
	int fd, ret;

	if (!path || !dv)
		return -EINVAL;
	/* O_NONBLOCK: an sg node held O_EXCL elsewhere fails at once. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fa_scsi_read_capacity16(fd, rcap, sizeof(rcap), &rcap_got, &res);
	if (ret)
		goto out;
	ret = fa_scsi_inquiry_vpd(fd, FA_SCSI_VPD_BLOCK_LIMITS, vpd,
				  sizeof(vpd), &vpd_got, &res);
	if (ret == -EIO) {
		fa_scsi_result_str(&res, status, sizeof(status));
		snprintf(note, sizeof(note),
			 "the device has no Block Limits VPD page (B0h): INQUIRY failed: %.180s",
			 status);
		have_vpd = false;
	} else if (ret) {
		goto out;
	}

	ret = fa_scsi_view_from_pages(have_vpd ? vpd : NULL, vpd_got, rcap,
				      rcap_got, path, dv);
	if (ret == -EPROTO && have_vpd) {
		/* The driver ignores a page it cannot use; so does the view. */
		snprintf(note, sizeof(note),
			 "the Block Limits VPD page (B0h) is malformed (%zu bytes, page code %02Xh, PAGE LENGTH %u): sd enables no atomic writes",
			 vpd_got, vpd_got > 1 ? vpd[1] : 0,
			 vpd_got > 3 ? get_be16(vpd + 2) : 0);
		ret = fa_scsi_view_from_pages(NULL, 0, rcap, rcap_got, path,
					      dv);
	}
	if (!ret && note[0])
		fa_strlcpy(dv->why_none, note, sizeof(dv->why_none));
out:
	close(fd);
	return ret;
}

int fa_scsi_block_name(const char *sysfs_root, unsigned int major,
		       unsigned int minor, char *name, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int ret = -ENODEV;
	DIR *d;

	if (!sysfs_root || !name || !len)
		return -EINVAL;
	snprintf(dir, sizeof(dir), "%s/dev/char/%u:%u/device/block",
		 sysfs_root, major, minor);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? -ENODEV : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (fa_strlcpy(name, de->d_name, len) >= len)
			ret = -ENAMETOOLONG;
		else
			ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

int fa_scsi_block_device(const char *path, char *blk, size_t len)
{
	char name[256];
	struct stat st;
	int ret;

	if (!path || !blk || !len)
		return -EINVAL;
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode))
		return fa_strlcpy(blk, path, len) >= len ? -ENAMETOOLONG : 0;
	if (!S_ISCHR(st.st_mode))
		return -ENOTBLK;
	ret = fa_scsi_block_name("/sys", major(st.st_rdev),
				 minor(st.st_rdev), name, sizeof(name));
	if (ret)
		return ret;
	if ((size_t)snprintf(blk, len, "/dev/%s", name) >= len)
		return -ENAMETOOLONG;
	return 0;
}
