// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the SCSI pages the atomic limits come from, parsed under their
 * SBC-4 names: the Block Limits VPD page (B0h) and READ CAPACITY(16) data;
 * and the device's identity of the run context: standard INQUIRY data and
 * the Unit Serial Number VPD page (80h).
 */
#include <errno.h>
#include <string.h>

#include "fa_scsi.h"
#include "fa_unaligned.h"
#include "fa_util.h"

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
	b.page_length = sg_get_unaligned_be16(page + 2);
	avail = (size_t)b.page_length + 4;
	if (avail > len)
		return -EPROTO;

	if (avail >= 16) {
		b.has_transfer_limits = true;
		b.wsnz = page[4] & 0x01;
		b.max_compare_and_write_length = page[5];
		b.optimal_transfer_length_granularity =
			sg_get_unaligned_be16(page + 6);
		b.max_transfer_length = sg_get_unaligned_be32(page + 8);
		b.optimal_transfer_length = sg_get_unaligned_be32(page + 12);
	}
	if (avail >= 36) {
		b.has_unmap_limits = true;
		b.max_prefetch_length = sg_get_unaligned_be32(page + 16);
		b.max_unmap_lba_count = sg_get_unaligned_be32(page + 20);
		b.max_unmap_block_descriptor_count =
			sg_get_unaligned_be32(page + 24);
		b.optimal_unmap_granularity = sg_get_unaligned_be32(page + 28);
		b.ugavalid = page[32] & 0x80;
		b.unmap_granularity_alignment =
			sg_get_unaligned_be32(page + 32) & 0x7fffffff;
	}
	if (avail >= 44) {
		b.has_write_same = true;
		b.max_write_same_length = sg_get_unaligned_be64(page + 36);
	}
	if (avail >= FA_SCSI_BLOCK_LIMITS_LEN) {
		b.has_atomic = true;
		b.max_atomic_transfer_length = sg_get_unaligned_be32(page + 44);
		b.atomic_alignment = sg_get_unaligned_be32(page + 48);
		b.atomic_transfer_length_granularity =
			sg_get_unaligned_be32(page + 52);
		b.max_atomic_transfer_length_with_boundary =
			sg_get_unaligned_be32(page + 56);
		b.max_atomic_boundary_size = sg_get_unaligned_be32(page + 60);
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
	c.returned_lba = sg_get_unaligned_be64(buf);
	c.logical_block_length = sg_get_unaligned_be32(buf + 8);
	if (!c.logical_block_length)
		return -EPROTO;
	c.prot_en = buf[12] & 0x01;
	c.p_type = (buf[12] >> 1) & 0x07;
	c.p_i_exponent = buf[13] >> 4;
	c.lbppbe = buf[13] & 0x0f;
	c.lbpme = buf[14] & 0x80;
	c.lbprz = buf[14] & 0x40;
	c.lowest_aligned_lba = sg_get_unaligned_be16(buf + 14) & 0x3fff;
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

int fa_scsi_parse_inquiry(const uint8_t *buf, size_t len, char *vendor,
			  char *product, char *rev)
{
	if (!buf || !vendor || !product || !rev)
		return -EINVAL;
	if (len < FA_SCSI_INQUIRY_STD_LEN)
		return -EPROTO;
	fa_ascii_field(buf + 8, 8, vendor, 33);
	fa_ascii_field(buf + 16, 16, product, 33);
	fa_ascii_field(buf + 32, 4, rev, 33);
	return 0;
}

int fa_scsi_parse_unit_serial(const uint8_t *page, size_t len, char *out,
			      size_t out_len)
{
	size_t n;

	if (!page || !out || !out_len)
		return -EINVAL;
	if (len < 4 || page[1] != FA_SCSI_VPD_UNIT_SERIAL)
		return -EPROTO;
	n = sg_get_unaligned_be16(page + 2);
	if (n > len - 4)
		return -EPROTO;
	fa_ascii_field(page + 4, n, out, out_len);
	return 0;
}
