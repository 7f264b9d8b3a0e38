// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the SCSI side of lib/ without a device: WRITE ATOMIC(16),
 * WRITE(16) and READ(16) packed byte for byte; the Block Limits VPD page
 * parsed whole, cut at every length from 0 to 64 bytes (consistently, and
 * by a transport that lost the tail), with a wrong page code and a longer
 * page; READ CAPACITY(16); sd_config_atomic()'s derivation in several
 * geometries (granularity and alignment 2 with 128 blocks, no granularity
 * so the physical block, only boundary limits, 4096-byte blocks, rejected
 * granularity and alignment, no atomic support, a short page, protection
 * type 2) and the device view built from raw pages; canned fixed and
 * descriptor sense data (ILLEGAL REQUEST / INVALID FIELD IN CDB) and
 * command results; the device's rules for one write and for a job, with
 * their messages; the block device behind an sg node in a fake sysfs.
 *
 * With FA_SCSI_DEVICE=/dev/sgN (the lab tier sets it) one more case reads
 * the real device and compares the derivation with the kernel's sysfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_scsi.h"
#include "fa_test.h"

#define DEV	"/dev/sg0"

/* The page scsi_debug atomic_wr=1 returned in the lab (sg_vpd -p bl -H). */
static const uint8_t scsi_debug_b0[64] = {
	0x00, 0xb0, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x80,
};

static struct fa_scsi_block_limits bl;
static struct fa_scsi_capacity cap;
static struct fa_scsi_verdict v;
static char msg[2048];

static void put_be32(uint8_t *p, uint32_t x)
{
	p[0] = x >> 24;
	p[1] = x >> 16;
	p[2] = x >> 8;
	p[3] = x;
}

/* A Block Limits page with these atomic fields, 64 bytes. */
static void make_page(uint8_t *page, uint32_t max_atomic, uint32_t align,
		      uint32_t gran, uint32_t max_bndry_len,
		      uint32_t max_bndry)
{
	memcpy(page, scsi_debug_b0, sizeof(scsi_debug_b0));
	put_be32(page + 44, max_atomic);
	put_be32(page + 48, align);
	put_be32(page + 52, gran);
	put_be32(page + 56, max_bndry_len);
	put_be32(page + 60, max_bndry);
}

/* READ CAPACITY(16) data: 64 MiB of @lbs-byte blocks. */
static void make_rcap(uint8_t *buf, uint32_t lbs, uint8_t lbppbe,
		      uint8_t byte12)
{
	memset(buf, 0, FA_SCSI_READ_CAPACITY16_LEN);
	put_be32(buf + 4, (64u << 20) / lbs - 1);
	put_be32(buf + 8, lbs);
	buf[12] = byte12;
	buf[13] = lbppbe;
}

static void limits(uint32_t max_atomic, uint32_t align, uint32_t gran,
		   uint32_t max_bndry_len, uint32_t max_bndry)
{
	uint8_t page[64];

	make_page(page, max_atomic, align, gran, max_bndry_len, max_bndry);
	memset(&bl, 0, sizeof(bl));
	fa_scsi_parse_block_limits(page, sizeof(page), &bl);
}

static int setup(void)
{
	/* scsi_debug's defaults in the lab */
	limits(128, 2, 2, 8192, 128);
	memset(&cap, 0, sizeof(cap));
	cap.logical_block_length = 512;
	memset(&v, 0xa5, sizeof(v));
	memset(msg, 0, sizeof(msg));
	return 0;
}

/* CDBs */

static void test_write_atomic16_cdb_bytes(void)
{
	static const uint8_t want[16] = {
		0x9c, 0x18, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		0x07, 0x08, 0x0a, 0x0b, 0x12, 0x34, 0x15, 0x00,
	};
	struct fa_scsi_rw rw = {
		.lba = 0x0102030405060708ULL,
		.blocks = 0x1234,
		.atomic_boundary = 0x0a0b,
		.group_number = 0x15,
		.dpo = true,
		.fua = true,
	};
	uint8_t cdb[16];
	int i;

	memset(cdb, 0xee, sizeof(cdb));
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	for (i = 0; i < 16; i++)
		if (cdb[i] != want[i])
			FA_FAIL("byte %d is %02x, want %02x", i, cdb[i],
				want[i]);
}

static void test_write_atomic16_flags(void)
{
	struct fa_scsi_rw rw = { .lba = 8, .blocks = 16 };
	uint8_t cdb[16];

	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[1], 0x00);
	FA_ASSERT_UEQ(cdb[10], 0);	/* no boundary: whole write atomic */
	FA_ASSERT_UEQ(cdb[11], 0);
	FA_ASSERT_UEQ(cdb[13], 16);
	FA_ASSERT_UEQ(cdb[9], 8);
	rw.fua = true;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[1], 0x08);
	rw.fua = false;
	rw.dpo = true;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[1], 0x10);
}

static void test_write_atomic16_field_limits(void)
{
	struct fa_scsi_rw rw = { .blocks = 0xffff, .atomic_boundary = 0xffff,
				 .group_number = 63 };
	uint8_t cdb[16];
	int i;

	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[12], 0xff);
	FA_ASSERT_UEQ(cdb[13], 0xff);
	FA_ASSERT_UEQ(cdb[14], 63);

	memset(cdb, 0xee, sizeof(cdb));
	rw.blocks = 0x10000;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), -EINVAL);
	rw.blocks = 1;
	rw.atomic_boundary = 0x10000;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), -EINVAL);
	rw.atomic_boundary = 0;
	rw.group_number = 64;
	FA_ASSERT_EQ(fa_scsi_write_atomic16_cdb(cdb, &rw), -EINVAL);
	for (i = 0; i < 16; i++)
		FA_ASSERT_UEQ(cdb[i], 0xee);	/* refused: untouched */
}

static void test_read16_write16_cdb_bytes(void)
{
	struct fa_scsi_rw rw = {
		.lba = 0x1122334455667788ULL,
		.blocks = 0x00abcdef,
		.group_number = 7,
		.fua = true,
	};
	uint8_t cdb[16];

	FA_ASSERT_EQ(fa_scsi_read16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[0], 0x88);
	FA_ASSERT_UEQ(cdb[1], 0x08);
	FA_ASSERT_UEQ(cdb[2], 0x11);
	FA_ASSERT_UEQ(cdb[9], 0x88);
	FA_ASSERT_UEQ(cdb[10], 0x00);
	FA_ASSERT_UEQ(cdb[11], 0xab);
	FA_ASSERT_UEQ(cdb[12], 0xcd);
	FA_ASSERT_UEQ(cdb[13], 0xef);
	FA_ASSERT_UEQ(cdb[14], 7);
	FA_ASSERT_UEQ(cdb[15], 0);

	FA_ASSERT_EQ(fa_scsi_write16_cdb(cdb, &rw), 0);
	FA_ASSERT_UEQ(cdb[0], 0x8a);
	FA_ASSERT_UEQ(cdb[13], 0xef);

	/* No ATOMIC BOUNDARY in these commands. */
	rw.atomic_boundary = 2;
	FA_ASSERT_EQ(fa_scsi_write16_cdb(cdb, &rw), -EINVAL);
	FA_ASSERT_EQ(fa_scsi_read16_cdb(cdb, &rw), -EINVAL);
}

/* Block Limits VPD page */

static void test_parse_scsi_debug_page(void)
{
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(scsi_debug_b0, 64, &bl), 0);
	FA_ASSERT_UEQ(bl.peripheral_device_type, 0);
	FA_ASSERT_UEQ(bl.page_length, 0x3c);
	FA_ASSERT(bl.has_transfer_limits && bl.has_unmap_limits &&
		  bl.has_write_same && bl.has_atomic);
	FA_ASSERT_UEQ(bl.optimal_transfer_length_granularity, 1);
	FA_ASSERT_UEQ(bl.max_transfer_length, 131072);
	FA_ASSERT_UEQ(bl.optimal_transfer_length, 1024);
	FA_ASSERT_UEQ(bl.optimal_unmap_granularity, 1);
	FA_ASSERT(!bl.ugavalid);
	FA_ASSERT_UEQ(bl.max_write_same_length, 0xffff);
	FA_ASSERT_UEQ(bl.max_atomic_transfer_length, 128);
	FA_ASSERT_UEQ(bl.atomic_alignment, 2);
	FA_ASSERT_UEQ(bl.atomic_transfer_length_granularity, 2);
	FA_ASSERT_UEQ(bl.max_atomic_transfer_length_with_boundary, 8192);
	FA_ASSERT_UEQ(bl.max_atomic_boundary_size, 128);
}

static void test_parse_every_consistent_truncation(void)
{
	struct fa_scsi_block_limits before;
	uint8_t page[64];
	size_t len;
	int ret;

	for (len = 0; len <= 64; len++) {
		memcpy(page, scsi_debug_b0, sizeof(page));
		if (len >= 4)
			/* PAGE LENGTH agrees with the length */
			page[3] = (uint8_t)(len - 4);
		memset(&bl, 0x5a, sizeof(bl));
		before = bl;
		ret = fa_scsi_parse_block_limits(page, len, &bl);
		if (len < 4) {
			if (ret != -EPROTO)
				FA_FAIL("len %zu: ret %d, want -EPROTO", len,
					ret);
			if (memcmp(&bl, &before, sizeof(bl)))
				FA_FAIL("len %zu: refused page half-filled",
					len);
			continue;
		}
		if (ret)
			FA_FAIL("len %zu: ret %d, want 0", len, ret);
		if (bl.has_transfer_limits != (len >= 16) ||
		    bl.has_unmap_limits != (len >= 36) ||
		    bl.has_write_same != (len >= 44) ||
		    bl.has_atomic != (len >= 64))
			FA_FAIL("len %zu: presence flags %d%d%d%d", len,
				bl.has_transfer_limits, bl.has_unmap_limits,
				bl.has_write_same, bl.has_atomic);
		/* A short page is not an error for the older fields. */
		if (bl.max_transfer_length != (len >= 16 ? 131072u : 0u))
			FA_FAIL("len %zu: MAXIMUM TRANSFER LENGTH %u", len,
				bl.max_transfer_length);
		/* ... but the atomic fields are absent, not read. */
		if (len < 64 && (bl.max_atomic_transfer_length ||
				 bl.atomic_alignment ||
				 bl.atomic_transfer_length_granularity ||
				 bl.max_atomic_transfer_length_with_boundary ||
				 bl.max_atomic_boundary_size))
			FA_FAIL("len %zu: atomic field read from a short page",
				len);
	}
}

static void test_parse_every_cut_by_transport(void)
{
	struct fa_scsi_block_limits before;
	size_t len;
	int ret;

	/* PAGE LENGTH says 60 bytes follow, fewer arrived. */
	for (len = 0; len < 64; len++) {
		memset(&bl, 0x5a, sizeof(bl));
		before = bl;
		ret = fa_scsi_parse_block_limits(scsi_debug_b0, len, &bl);
		if (ret != -EPROTO)
			FA_FAIL("len %zu: ret %d, want -EPROTO", len, ret);
		if (memcmp(&bl, &before, sizeof(bl)))
			FA_FAIL("len %zu: refused page half-filled", len);
	}
}

static void test_parse_wrong_page_code(void)
{
	struct fa_scsi_block_limits before;
	uint8_t page[64];

	memcpy(page, scsi_debug_b0, sizeof(page));
	page[1] = 0xb1;	/* Block Device Characteristics */
	memset(&bl, 0x5a, sizeof(bl));
	before = bl;
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(page, sizeof(page), &bl),
		     -EPROTO);
	FA_ASSERT(!memcmp(&bl, &before, sizeof(bl)));
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(NULL, 64, &bl), -EINVAL);
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(page, 64, NULL), -EINVAL);
}

static void test_parse_longer_buffer_and_page(void)
{
	uint8_t buf[252];

	/* The allocation was larger: bytes after the page are ignored. */
	memset(buf, 0xff, sizeof(buf));
	memcpy(buf, scsi_debug_b0, 64);
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(buf, sizeof(buf), &bl), 0);
	FA_ASSERT_UEQ(bl.max_atomic_boundary_size, 128);
	FA_ASSERT_UEQ(bl.page_length, 60);

	/* A later SBC with a longer page still gives the same fields. */
	buf[3] = 0x50;
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(buf, 0x54, &bl), 0);
	FA_ASSERT(bl.has_atomic);
	FA_ASSERT_UEQ(bl.max_atomic_transfer_length, 128);
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(buf, 0x53, &bl), -EPROTO);
}

/* READ CAPACITY(16) */

static void test_parse_read_capacity16(void)
{
	uint8_t buf[32];

	memset(buf, 0, sizeof(buf));
	buf[5] = 0x01;
	buf[6] = 0xff;
	buf[7] = 0xff;		/* last LBA 0x1ffff */
	buf[10] = 0x02;		/* 512 */
	buf[12] = 0x03;		/* P_TYPE 1, PROT_EN */
	buf[13] = 0x43;		/* P_I_EXPONENT 4, LBPPBE 3 */
	buf[14] = 0xc0;		/* LBPME, LBPRZ */
	buf[15] = 0x07;		/* LOWEST ALIGNED LBA 7 */
	FA_ASSERT_EQ(fa_scsi_parse_read_capacity16(buf, sizeof(buf), &cap),
		     0);
	FA_ASSERT_UEQ(cap.returned_lba, 0x1ffff);
	FA_ASSERT_UEQ(cap.logical_block_length, 512);
	FA_ASSERT(cap.prot_en);
	FA_ASSERT_UEQ(cap.p_type, 1);
	FA_ASSERT_UEQ(cap.p_i_exponent, 4);
	FA_ASSERT_UEQ(cap.lbppbe, 3);
	FA_ASSERT(cap.lbpme && cap.lbprz);
	FA_ASSERT_UEQ(cap.lowest_aligned_lba, 7);
	FA_ASSERT_UEQ(fa_scsi_capacity_bytes(&cap), 64ULL << 20);
	FA_ASSERT_UEQ(fa_scsi_physical_block_length(&cap), 4096);
}

static void test_read_capacity16_malformed(void)
{
	struct fa_scsi_capacity before;
	uint8_t buf[32];
	size_t len;

	make_rcap(buf, 512, 0, 0);
	for (len = 0; len < 16; len++) {
		memset(&cap, 0x5a, sizeof(cap));
		before = cap;
		if (fa_scsi_parse_read_capacity16(buf, len, &cap) != -EPROTO)
			FA_FAIL("len %zu accepted", len);
		if (memcmp(&cap, &before, sizeof(cap)))
			FA_FAIL("len %zu: half-filled", len);
	}
	FA_ASSERT_EQ(fa_scsi_parse_read_capacity16(buf, 16, &cap), 0);
	put_be32(buf + 8, 0);	/* no block length */
	FA_ASSERT_EQ(fa_scsi_parse_read_capacity16(buf, 32, &cap), -EPROTO);

	cap.returned_lba = UINT64_MAX;
	cap.logical_block_length = 512;
	FA_ASSERT_UEQ(fa_scsi_capacity_bytes(&cap), 0);
	cap.returned_lba = UINT64_MAX / 256;
	FA_ASSERT_UEQ(fa_scsi_capacity_bytes(&cap), 0);
}

/* sd_config_atomic() */

static struct fa_scsi_sd_atomic sd;

static void test_sd_gran2_align2_max128(void)
{
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_min, 1024);
	FA_ASSERT_UEQ(sd.unit_max, 65536);
	FA_ASSERT_UEQ(sd.max_bytes, 65536);
	FA_ASSERT_UEQ(sd.boundary, 0);
	FA_ASSERT(!sd.use_boundary);
	FA_ASSERT_STREQ(sd.why_none, "");
}

static void test_sd_no_granularity_takes_physical_block(void)
{
	limits(128, 0, 0, 0, 0);
	cap.lbppbe = 3;		/* 4096-byte physical blocks */
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_min, 4096);
	FA_ASSERT_UEQ(sd.unit_max, 65536);
	cap.lbppbe = 0;
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_min, 512);
}

static void test_sd_boundary_only(void)
{
	/* MAXIMUM ATOMIC TRANSFER LENGTH 0: the spec's odd case. */
	limits(0, 2, 2, 8192, 128);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT(sd.use_boundary);
	FA_ASSERT_UEQ(sd.unit_min, 1024);
	FA_ASSERT_UEQ(sd.unit_max, 128 * 512);
	FA_ASSERT_UEQ(sd.max_bytes, 8192 * 512);

	limits(0, 0, 0, 8192, 0);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "MAXIMUM ATOMIC BOUNDARY SIZE");
}

static void test_sd_4096_byte_blocks(void)
{
	limits(16, 1, 1, 8192, 128);
	cap.logical_block_length = 4096;
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_min, 4096);
	FA_ASSERT_UEQ(sd.unit_max, 65536);
	FA_ASSERT_UEQ(sd.max_bytes, 65536);
}

static void test_sd_rounds_max_down(void)
{
	limits(100, 2, 2, 8192, 128);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 64 * 512);
	FA_ASSERT_UEQ(sd.max_bytes, 100 * 512);
}

static void test_sd_rejects_odd_granularity(void)
{
	limits(128, 0, 3, 8192, 128);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_min, 0);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "ATOMIC TRANSFER LENGTH GRANULARITY 3");
}

static void test_sd_rejects_alignment_above_granularity(void)
{
	limits(128, 4, 2, 8192, 128);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "unit_min 2 blocks");
	FA_ASSERT_CONTAINS(sd.why_none, "ATOMIC ALIGNMENT 4");
}

static void test_sd_no_atomic_support(void)
{
	uint8_t page[64];

	limits(0, 0, 0, 0, 0);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "are both 0");

	make_page(page, 128, 2, 2, 8192, 128);
	page[3] = 56;	/* a 60-byte page: no atomic fields */
	FA_ASSERT_EQ(fa_scsi_parse_block_limits(page, 60, &bl), 0);
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "60 bytes");

	fa_scsi_sd_config_atomic(NULL, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "no Block Limits VPD page");
}

static void test_sd_protection_type2(void)
{
	cap.prot_en = true;
	cap.p_type = 1;
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 0);
	FA_ASSERT_CONTAINS(sd.why_none, "protection type 2");
	cap.p_type = 0;		/* type 1 is fine */
	fa_scsi_sd_config_atomic(&bl, &cap, &sd);
	FA_ASSERT_UEQ(sd.unit_max, 65536);
}

static void test_view_from_pages(void)
{
	static struct fa_device_view dv;
	const struct fa_device_field *f;
	uint8_t rcap[32];

	make_rcap(rcap, 512, 0, 0);
	FA_ASSERT_EQ(fa_scsi_view_from_pages(scsi_debug_b0, 64, rcap, 32,
					     DEV, &dv), 0);
	FA_ASSERT_EQ(dv.source, FA_SRC_SCSI_VPD);
	FA_ASSERT_CONTAINS(dv.origin, "Block Limits VPD page (B0h)");
	FA_ASSERT_CONTAINS(dv.origin, DEV);
	f = fa_device_field_find(&dv, "MAXIMUM ATOMIC TRANSFER LENGTH");
	FA_ASSERT(f);
	FA_ASSERT_UEQ(f->value, 128);
	FA_ASSERT_STREQ(f->unit, "blocks");
	f = fa_device_field_find(&dv, "ATOMIC TRANSFER LENGTH GRANULARITY");
	FA_ASSERT(f && f->value == 2);
	f = fa_device_field_find(&dv, "ATOMIC ALIGNMENT");
	FA_ASSERT(f && f->value == 2);
	f = fa_device_field_find(&dv,
				 "MAXIMUM ATOMIC TRANSFER LENGTH WITH BOUNDARY");
	FA_ASSERT(f && f->value == 8192);
	f = fa_device_field_find(&dv, "MAXIMUM ATOMIC BOUNDARY SIZE");
	FA_ASSERT(f && f->value == 128);
	f = fa_device_field_find(&dv, "LOGICAL BLOCK LENGTH IN BYTES");
	FA_ASSERT(f && f->value == 512);
	FA_ASSERT(dv.hw_unit_min.known && dv.hw_unit_max.known);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, 1024);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 65536);
	FA_ASSERT_UEQ(dv.hw_max_bytes.value, 65536);
	FA_ASSERT_UEQ(dv.hw_boundary.value, 0);
	FA_ASSERT(dv.hw_boundary.known);
	FA_ASSERT_UEQ(dv.logical_block.value, 512);
	FA_ASSERT_CONTAINS(dv.hw_unit_max.origin, "sd_config_atomic()");
	FA_ASSERT_CONTAINS(dv.logical_block.origin, "READ CAPACITY(16) of "
			   DEV);
	FA_ASSERT_STREQ(dv.why_none, "");

	/* No page at all: known zeros and a reason. */
	FA_ASSERT_EQ(fa_scsi_view_from_pages(NULL, 0, rcap, 32, DEV, &dv), 0);
	FA_ASSERT(dv.hw_unit_max.known);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, 0);
	FA_ASSERT_CONTAINS(dv.why_none, "no Block Limits VPD page");
	FA_ASSERT(!fa_device_field_find(&dv, "MAXIMUM ATOMIC TRANSFER LENGTH"));

	FA_ASSERT_EQ(fa_scsi_view_from_pages(scsi_debug_b0, 63, rcap, 32, DEV,
					     &dv), -EPROTO);
	FA_ASSERT_EQ(fa_scsi_view_from_pages(scsi_debug_b0, 64, rcap, 8, DEV,
					     &dv), -EPROTO);
}

/* Sense data and results */

/* scsi_debug's answer to a too-long WRITE ATOMIC(16), fixed format. */
static const uint8_t fixed_sense[18] = {
	0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a,
	0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0xc0,
	0x00, 0x0c,
};

static void test_sense_fixed_invalid_field_in_cdb(void)
{
	struct fa_scsi_sense s;

	FA_ASSERT_EQ(fa_scsi_decode_sense(fixed_sense, sizeof(fixed_sense),
					  &s), 0);
	FA_ASSERT_UEQ(s.response_code, 0x70);
	FA_ASSERT_UEQ(s.sense_key, 5);
	FA_ASSERT_UEQ(s.asc, 0x24);
	FA_ASSERT_UEQ(s.ascq, 0);
	FA_ASSERT_STREQ(s.sense_key_str, "ILLEGAL REQUEST");
	FA_ASSERT_STREQ(s.asc_ascq_str, "INVALID FIELD IN CDB");
	FA_ASSERT(s.field_pointer_valid && s.field_in_cdb);
	FA_ASSERT_UEQ(s.field_pointer, 12);
	FA_ASSERT_EQ(s.bit_pointer, -1);
	fa_scsi_sense_str(&s, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "ILLEGAL REQUEST / INVALID FIELD IN CDB");
	FA_ASSERT_CONTAINS(msg, "ASC 24h");
	FA_ASSERT_CONTAINS(msg, "field pointer: CDB byte 12");
}

static void test_sense_descriptor_format(void)
{
	static const uint8_t sb[16] = {
		0x72, 0x05, 0x24, 0x00, 0x00, 0x00, 0x00, 0x08,
		0x02, 0x06, 0x00, 0x00, 0xcb, 0x00, 0x0a, 0x00,
	};
	struct fa_scsi_sense s;

	FA_ASSERT_EQ(fa_scsi_decode_sense(sb, sizeof(sb), &s), 0);
	FA_ASSERT_UEQ(s.response_code, 0x72);
	FA_ASSERT_STREQ(s.sense_key_str, "ILLEGAL REQUEST");
	FA_ASSERT_STREQ(s.asc_ascq_str, "INVALID FIELD IN CDB");
	FA_ASSERT(s.field_pointer_valid && s.field_in_cdb);
	FA_ASSERT_UEQ(s.field_pointer, 10);
	FA_ASSERT_EQ(s.bit_pointer, 3);
}

static void test_sense_none_or_short(void)
{
	static const uint8_t zero[18];
	struct fa_scsi_sense s;

	FA_ASSERT_EQ(fa_scsi_decode_sense(fixed_sense, 0, &s), -ENODATA);
	FA_ASSERT_EQ(fa_scsi_decode_sense(zero, sizeof(zero), &s), -ENODATA);
	FA_ASSERT_EQ(fa_scsi_decode_sense(NULL, 18, &s), -EINVAL);
	/* Cut before the field pointer: no pointer, no over-read. */
	FA_ASSERT_EQ(fa_scsi_decode_sense(fixed_sense, 14, &s), 0);
	FA_ASSERT_UEQ(s.asc, 0x24);
	FA_ASSERT(!s.field_pointer_valid);
}

static void test_result_check_condition(void)
{
	struct fa_scsi_result r;

	fa_scsi_result_set(&r, 0x02, 0, 0x08, 0, fixed_sense,
			   sizeof(fixed_sense));
	FA_ASSERT(!fa_scsi_result_ok(&r));
	FA_ASSERT(r.has_sense);
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), EINVAL);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg,
			   "CHECK CONDITION: ILLEGAL REQUEST / INVALID FIELD IN CDB");
	FA_ASSERT(!strstr(msg, "driver status"));	/* DRIVER_SENSE is normal */
}

static void test_result_host_and_driver_status(void)
{
	static const uint8_t unit_attention[18] = {
		0x70, 0x00, 0x06, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x29, 0x00,
	};
	struct fa_scsi_result r;

	fa_scsi_result_set(&r, 0, 0x03, 0, 0, NULL, 0);
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), ETIMEDOUT);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "host status DID_TIME_OUT (03h");

	fa_scsi_result_set(&r, 0, 0, 0x04, 0, NULL, 0);
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), EIO);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "driver status DRIVER_ERROR");

	fa_scsi_result_set(&r, 0x02, 0, 0x08, 0, unit_attention,
			   sizeof(unit_attention));
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), EIO);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "UNIT ATTENTION");

	fa_scsi_result_set(&r, 0, 0, 0x08, 0, NULL, 0);
	FA_ASSERT(fa_scsi_result_ok(&r));
	FA_ASSERT_EQ(fa_scsi_result_errno(&r), 0);
	fa_scsi_result_str(&r, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, "GOOD");
}

/* The device's rules */

static enum fa_scsi_rule check(uint64_t offset, uint64_t length,
			       uint32_t boundary)
{
	return fa_scsi_check_write(&bl, 512, offset, length, boundary, &v);
}

static void test_rule_granularity_message(void)
{
	limits(128, 2, 4, 8192, 128);
	FA_ASSERT_EQ(check(0, 3072, 0), FA_SCSI_RULE_GRANULARITY);
	FA_ASSERT_UEQ(v.value, 6);
	FA_ASSERT_UEQ(v.limit, 4);
	fa_scsi_verdict_message(&v, 512, "bs", DEV, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg,
			"bs=3072 (6 blocks) is not a multiple of ATOMIC TRANSFER LENGTH GRANULARITY 4 blocks (Block Limits VPD page of /dev/sg0)");
	FA_ASSERT_EQ(check(0, 4096, 0), FA_SCSI_RULE_OK);
}

static void test_rule_alignment_message(void)
{
	FA_ASSERT_EQ(check(512, 1024, 0), FA_SCSI_RULE_ALIGNMENT);
	FA_ASSERT_EQ(v.on, FA_SCSI_ON_OFFSET);
	fa_scsi_verdict_message(&v, 512, "offset", DEV, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg,
			"offset=512 (LBA 1) is not a multiple of ATOMIC ALIGNMENT 2 blocks (Block Limits VPD page of /dev/sg0)");
	FA_ASSERT_EQ(check(1024, 1024, 0), FA_SCSI_RULE_OK);
}

static void test_rule_max_length(void)
{
	FA_ASSERT_EQ(check(0, 128 * 512, 0), FA_SCSI_RULE_OK);
	FA_ASSERT_EQ(check(0, 130 * 512, 0), FA_SCSI_RULE_MAX_LENGTH);
	fa_scsi_verdict_message(&v, 512, "bs", DEV, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "bs=66560 (130 blocks) exceeds MAXIMUM ATOMIC TRANSFER LENGTH 128 blocks");

	/* Only boundary limits: every boundary-less write is too long. */
	limits(0, 2, 2, 8192, 128);
	FA_ASSERT_EQ(check(0, 1024, 0), FA_SCSI_RULE_MAX_LENGTH);
	fa_scsi_verdict_message(&v, 512, "bs", DEV, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "set atomic_boundary");
	FA_ASSERT_EQ(check(0, 1024, 2), FA_SCSI_RULE_OK);
}

static void test_rule_boundary_size(void)
{
	FA_ASSERT_EQ(check(0, 1024, 128), FA_SCSI_RULE_OK);
	FA_ASSERT_EQ(check(0, 1024, 129), FA_SCSI_RULE_BOUNDARY_SIZE);
	FA_ASSERT_EQ(v.on, FA_SCSI_ON_BOUNDARY);
	fa_scsi_verdict_message(&v, 512, "atomic_boundary", DEV, msg,
				sizeof(msg));
	FA_ASSERT_STREQ(msg,
			"atomic_boundary=129 blocks exceeds MAXIMUM ATOMIC BOUNDARY SIZE 128 blocks (Block Limits VPD page of /dev/sg0)");

	limits(128, 2, 2, 0, 0);	/* no boundary support */
	FA_ASSERT_EQ(check(0, 1024, 2), FA_SCSI_RULE_BOUNDARY_SIZE);
	fa_scsi_verdict_message(&v, 512, "atomic_boundary", DEV, msg,
				sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "takes no ATOMIC BOUNDARY");
}

static void test_rule_boundary_length(void)
{
	/* With a boundary the limit is the boundary one, not 128. */
	FA_ASSERT_EQ(check(0, 8192 * 512, 2), FA_SCSI_RULE_OK);
	FA_ASSERT_EQ(check(0, 8194 * 512, 2), FA_SCSI_RULE_BOUNDARY_LENGTH);
	fa_scsi_verdict_message(&v, 512, "bs", DEV, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "(8194 blocks) exceeds MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY 8192 blocks");
}

static void test_rule_block_and_cdb(void)
{
	FA_ASSERT_EQ(check(0, 1000, 0), FA_SCSI_RULE_BLOCK);
	FA_ASSERT_EQ(v.on, FA_SCSI_ON_LENGTH);
	fa_scsi_verdict_message(&v, 512, "bs", DEV, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg,
			"bs=1000 is not a multiple of the LOGICAL BLOCK LENGTH IN BYTES 512 (READ CAPACITY(16) of /dev/sg0)");
	FA_ASSERT_EQ(check(100, 1024, 0), FA_SCSI_RULE_BLOCK);
	FA_ASSERT_EQ(v.on, FA_SCSI_ON_OFFSET);

	limits(1u << 20, 0, 0, 1u << 20, 1u << 20);
	FA_ASSERT_EQ(check(0, 65535ULL * 512, 0), FA_SCSI_RULE_OK);
	FA_ASSERT_EQ(check(0, 65536ULL * 512, 0), FA_SCSI_RULE_CDB);
	FA_ASSERT_EQ(check(0, 1024, 65536), FA_SCSI_RULE_CDB);
	FA_ASSERT_EQ(v.on, FA_SCSI_ON_BOUNDARY);
}

static void test_rule_unsupported_and_order(void)
{
	/* Granularity is checked before alignment. */
	FA_ASSERT_EQ(check(512, 1536, 0), FA_SCSI_RULE_GRANULARITY);

	limits(0, 0, 0, 0, 0);
	FA_ASSERT_EQ(check(0, 1024, 0), FA_SCSI_RULE_UNSUPPORTED);
	fa_scsi_unsupported_reason(&bl, DEV, msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "/dev/sg0 does not support WRITE ATOMIC(16)");
	FA_ASSERT_CONTAINS(msg, "are both 0");

	limits(128, 2, 2, 8192, 128);
	fa_scsi_unsupported_reason(&bl, DEV, msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, "");
}

static void job_init(struct fa_job *job)
{
	memset(job, 0, sizeof(*job));
	job->direct = true;
	job->nr_segs = 1;
}

static void test_check_job(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 4096, "bs");
	job.offset_align = 4096;
	job.align_opt = "blockalign";
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 0, DEV, &v, msg,
				       sizeof(msg)), FA_SCSI_RULE_OK);

	fa_job_add_size(&job, 1536, "bssplit");
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 0, DEV, &v, msg,
				       sizeof(msg)), FA_SCSI_RULE_GRANULARITY);
	FA_ASSERT_CONTAINS(msg, "bssplit=1536 (3 blocks)");

	job_init(&job);
	fa_job_add_size(&job, 1024, "bs");
	job.start_offset = 512;
	job.offset_align = 1024;
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 0, DEV, &v, msg,
				       sizeof(msg)), FA_SCSI_RULE_ALIGNMENT);
	FA_ASSERT_CONTAINS(msg, "offset=512 (LBA 1)");

	job.start_offset = 0;
	job.offset_align = 1536;
	job.align_opt = "blockalign";
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 0, DEV, &v, msg,
				       sizeof(msg)), FA_SCSI_RULE_ALIGNMENT);
	FA_ASSERT_CONTAINS(msg, "offset=1536 (LBA 3)");
	FA_ASSERT_CONTAINS(msg, "blockalign=1536");

	job_init(&job);
	fa_job_add_size(&job, 1024, "bs");
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 129, DEV, &v, msg,
				       sizeof(msg)),
		     FA_SCSI_RULE_BOUNDARY_SIZE);
	FA_ASSERT_CONTAINS(msg, "atomic_boundary=129 blocks");

	limits(0, 0, 0, 0, 0);
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 0, DEV, &v, msg,
				       sizeof(msg)), FA_SCSI_RULE_UNSUPPORTED);
	FA_ASSERT_CONTAINS(msg, "does not support WRITE ATOMIC(16)");

	job_init(&job);	/* a job that writes nothing */
	FA_ASSERT_EQ(fa_scsi_check_job(&bl, 512, &job, 0, DEV, &v, msg,
				       sizeof(msg)), FA_SCSI_RULE_OK);
}

static void test_rule_names(void)
{
	int a, b;

	FA_ASSERT_STREQ(fa_scsi_rule_name(FA_SCSI_RULE_GRANULARITY),
			"granularity");
	FA_ASSERT_STREQ(fa_scsi_rule_name(FA_SCSI_RULE_ALIGNMENT),
			"alignment");
	FA_ASSERT_STREQ(fa_scsi_rule_name(FA_SCSI_RULE_NR), "unknown");
	for (a = 0; a < FA_SCSI_RULE_NR; a++)
		for (b = a + 1; b < FA_SCSI_RULE_NR; b++)
			if (!strcmp(fa_scsi_rule_name(a),
				    fa_scsi_rule_name(b)))
				FA_FAIL("rules %d and %d share a name", a, b);
}

/* The block device behind an sg node, in a fake sysfs */

static void test_block_name_from_sysfs(void)
{
	/* 21:1 an enclosure or tape: no block directory; 21:2 sd not bound */
	const char *dirs[] = { "dev/char/21:0/device/block/sdb",
			       "dev/char/21:1/device",
			       "dev/char/21:2/device/block" };
	char path[PATH_MAX], name[64];
	size_t i;
	int ret = fa_tree_make("fa-test-scsi");

	if (ret)
		FA_SKIP("cannot make a temporary directory: %s",
			strerror(-ret));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		ret = fa_tree_mkdir(dirs[i]);
		if (ret)
			FA_FAIL("mkdir %s/%s: %s", fa_tree, dirs[i],
				strerror(-ret));
	}
	if (fa_scsi_block_name(fa_tree, 21, 0, name, sizeof(name)) ||
	    strcmp(name, "sdb"))
		FA_FAIL("21:0 did not resolve to sdb");
	if (fa_scsi_block_name(fa_tree, 21, 1, name, sizeof(name)) != -ENODEV ||
	    fa_scsi_block_name(fa_tree, 21, 2, name, sizeof(name)) != -ENODEV ||
	    fa_scsi_block_name(fa_tree, 21, 9, name, sizeof(name)) != -ENODEV ||
	    fa_scsi_block_name(fa_tree, 21, 0, name, 3) != -ENAMETOOLONG)
		FA_FAIL("a node without a disk was not -ENODEV, or a short buffer not -ENAMETOOLONG");
	FA_ASSERT_EQ(fa_scsi_block_device("/dev/null", path, sizeof(path)),
		     -ENODEV);
	FA_ASSERT_EQ(fa_scsi_block_device("/", path, sizeof(path)), -ENOTBLK);
}

/* A real device: the lab sets FA_SCSI_DEVICE */

static int read_sysfs(const char *disk, const char *file, uint64_t *value)
{
	char path[PATH_MAX];
	unsigned long long x;
	FILE *fp;
	int n;

	snprintf(path, sizeof(path), "/sys/block/%s/queue/%s", disk, file);
	fp = fopen(path, "r");
	if (!fp)
		return -errno;
	n = fscanf(fp, "%llu", &x);
	fclose(fp);
	if (n != 1)
		return -EINVAL;
	*value = x;
	return 0;
}

static void test_device_view_matches_kernel(void)
{
	static struct fa_device_view dv;
	const char *dev = getenv("FA_SCSI_DEVICE");
	uint64_t unit_min, unit_max, lbs;
	char blk[PATH_MAX];
	const char *disk;

	if (!dev || !*dev)
		FA_SKIP("FA_SCSI_DEVICE is not set: the lab tier (tests/lab/t-sg.sh) runs this case on scsi_debug");
	FA_ASSERT_EQ(fa_scsi_device_view(dev, &dv), 0);
	FA_ASSERT_EQ(fa_scsi_block_device(dev, blk, sizeof(blk)), 0);
	disk = strrchr(blk, '/') + 1;
	if (read_sysfs(disk, "atomic_write_unit_min_bytes", &unit_min) ||
	    read_sysfs(disk, "atomic_write_unit_max_bytes", &unit_max) ||
	    read_sysfs(disk, "logical_block_size", &lbs))
		FA_SKIP("/sys/block/%s/queue has no atomic write limits (kernel before 6.11)",
			disk);
	printf("%s (%s): device view unit_min %ju unit_max %ju max %ju%s%s; sysfs unit_min %ju unit_max %ju\n",
	       dev, disk, (uintmax_t)dv.hw_unit_min.value,
	       (uintmax_t)dv.hw_unit_max.value,
	       (uintmax_t)dv.hw_max_bytes.value, dv.why_none[0] ? ": " : "",
	       dv.why_none, (uintmax_t)unit_min, (uintmax_t)unit_max);
	FA_ASSERT_UEQ(dv.logical_block.value, lbs);
	FA_ASSERT_UEQ(dv.hw_unit_min.value, unit_min);
	FA_ASSERT_UEQ(dv.hw_unit_max.value, unit_max);
	FA_ASSERT_EQ(!dv.why_none[0], unit_max != 0);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_write_atomic16_cdb_bytes),
	FA_TEST(test_write_atomic16_flags),
	FA_TEST(test_write_atomic16_field_limits),
	FA_TEST(test_read16_write16_cdb_bytes),
	FA_TEST(test_parse_scsi_debug_page),
	FA_TEST(test_parse_every_consistent_truncation),
	FA_TEST(test_parse_every_cut_by_transport),
	FA_TEST(test_parse_wrong_page_code),
	FA_TEST(test_parse_longer_buffer_and_page),
	FA_TEST(test_parse_read_capacity16),
	FA_TEST(test_read_capacity16_malformed),
	FA_TEST(test_sd_gran2_align2_max128),
	FA_TEST(test_sd_no_granularity_takes_physical_block),
	FA_TEST(test_sd_boundary_only),
	FA_TEST(test_sd_4096_byte_blocks),
	FA_TEST(test_sd_rounds_max_down),
	FA_TEST(test_sd_rejects_odd_granularity),
	FA_TEST(test_sd_rejects_alignment_above_granularity),
	FA_TEST(test_sd_no_atomic_support),
	FA_TEST(test_sd_protection_type2),
	FA_TEST(test_view_from_pages),
	FA_TEST(test_sense_fixed_invalid_field_in_cdb),
	FA_TEST(test_sense_descriptor_format),
	FA_TEST(test_sense_none_or_short),
	FA_TEST(test_result_check_condition),
	FA_TEST(test_result_host_and_driver_status),
	FA_TEST(test_rule_granularity_message),
	FA_TEST(test_rule_alignment_message),
	FA_TEST(test_rule_max_length),
	FA_TEST(test_rule_boundary_size),
	FA_TEST(test_rule_boundary_length),
	FA_TEST(test_rule_block_and_cdb),
	FA_TEST(test_rule_unsupported_and_order),
	FA_TEST(test_check_job),
	FA_TEST(test_rule_names),
	FA_TEST(test_block_name_from_sysfs),
	FA_TEST(test_device_view_matches_kernel),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
