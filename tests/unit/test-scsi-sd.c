// SPDX-License-Identifier: GPL-2.0
/*
 * Description: what the Linux sd driver derives from the Block Limits VPD
 * page, without a device (lib/fa_scsi_sd.c): sd_config_atomic() of 6.12 in
 * several geometries (granularity and alignment 2 with 128 blocks, no
 * granularity so the physical block, only boundary limits, 4096-byte
 * blocks, a maximum that is no power of two, rejected granularity and
 * alignment, no atomic support, a short page, protection type 2) and the
 * device view built from the raw pages, its fields named as in SBC-4.
 */
#include <errno.h>
#include <stdint.h>

#include "fa_scsi.h"
#include "fa_scsi_fixture.h"
#include "fa_test.h"

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

static const struct fa_test_case cases[] = {
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
};

FA_TEST_MAIN(cases, setup, NULL)
