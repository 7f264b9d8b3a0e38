// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the SCSI pages the atomic limits come from, and the device
 * behind an sg node (lib/fa_scsi_vpd.c, lib/fa_scsi_io.c): the Block
 * Limits VPD page parsed whole, cut at every length from 0 to 64 bytes
 * (consistently, and by a transport that lost the tail), with a wrong page
 * code and a longer page; READ CAPACITY(16), whole and malformed; the
 * block device behind an sg node in a fake sysfs. What sd derives from the
 * pages is in test-scsi-sd.c, the CDBs and sense data in test-scsi-cmd.c,
 * the rules in test-scsi-rules.c.
 *
 * With FA_SCSI_DEVICE=/dev/sgN (the lab tier sets it) one more case reads
 * the real device and compares the derivation with the kernel's sysfs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_fake_tree.h"
#include "fa_scsi.h"
#include "fa_scsi_fixture.h"
#include "fa_test.h"

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
	FA_TEST(test_parse_scsi_debug_page),
	FA_TEST(test_parse_every_consistent_truncation),
	FA_TEST(test_parse_every_cut_by_transport),
	FA_TEST(test_parse_wrong_page_code),
	FA_TEST(test_parse_longer_buffer_and_page),
	FA_TEST(test_parse_read_capacity16),
	FA_TEST(test_read_capacity16_malformed),
	FA_TEST(test_block_name_from_sysfs),
	FA_TEST(test_device_view_matches_kernel),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
