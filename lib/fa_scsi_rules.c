// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the device's rules for WRITE ATOMIC(16), from its Block Limits
 * VPD page: for one write and for every write of a job, with the sentence
 * that names the rule, the value, the limit and where the limit came from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fa_scsi.h"

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

bool fa_scsi_atomic_supported(const struct fa_scsi_block_limits *bl)
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
