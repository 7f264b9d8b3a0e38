// SPDX-License-Identifier: GPL-2.0
/*
 * Description: limits of passthrough nodes (lib/fa_passthru.c) without a
 * device: classifying a char device by its sysfs class (fake trees), the
 * SCSI and NVMe atomic fields in blocks and bytes, what atomic-sg and
 * atomic-nvme accept (found through their rule functions) in several
 * geometries, and the cross-check against a block device's limits.
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
#include "fa_passthru.h"
#include "fa_test.h"

static struct fa_pt_limits pl;
static struct fa_limits blk;
static struct fa_disagreement dis[8];

/*
 * <root>/dev/char/21:0  -> sg0 (class scsi_generic)
 * <root>/dev/char/243:0 -> ng0n1 (class nvme-generic)
 * <root>/dev/char/1:3   -> null (class mem)
 * <root>/dev/char/10:1  -> a device without a class link
 */
static int setup(void)
{
	static const char *const devs[][2] = {
		{ "21:0", "scsi_generic" },
		{ "243:0", "nvme-generic" },
		{ "1:3", "mem" },
	};
	char rel[PATH_MAX], target[PATH_MAX];
	size_t i;

	if (fa_tree_make("fa-pt"))
		return -1;
	memset(&pl, 0, sizeof(pl));
	memset(&blk, 0, sizeof(blk));
	memset(dis, 0, sizeof(dis));
	if (fa_tree_mkdir("dev/char") || fa_tree_mkdir("devices/d/10:1"))
		return -1;
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		snprintf(rel, sizeof(rel), "devices/d/%s", devs[i][0]);
		snprintf(target, sizeof(target), "../../../class/%s",
			 devs[i][1]);
		if (fa_tree_mkdir(rel) ||
		    fa_tree_mkdir(target + strlen("../../../")))
			return -1;
		snprintf(rel, sizeof(rel), "devices/d/%s/subsystem",
			 devs[i][0]);
		if (fa_tree_link(rel, target))
			return -1;
		snprintf(rel, sizeof(rel), "dev/char/%s", devs[i][0]);
		snprintf(target, sizeof(target), "../../devices/d/%s",
			 devs[i][0]);
		if (fa_tree_link(rel, target))
			return -1;
	}
	return fa_tree_link("dev/char/10:1", "../../devices/d/10:1");
}

static void test_classify_sg(void)
{
	enum fa_pt_kind kind;
	char cls[64];

	FA_ASSERT_EQ(fa_pt_classify(fa_tree, 21, 0, &kind, cls, sizeof(cls)),
		     0);
	FA_ASSERT_EQ(kind, FA_PT_SG);
	FA_ASSERT_STREQ(cls, "scsi_generic");
}

static void test_classify_ng(void)
{
	enum fa_pt_kind kind;
	char cls[64];

	FA_ASSERT_EQ(fa_pt_classify(fa_tree, 243, 0, &kind, cls, sizeof(cls)),
		     0);
	FA_ASSERT_EQ(kind, FA_PT_NG);
	FA_ASSERT_STREQ(cls, "nvme-generic");
}

static void test_classify_other_class(void)
{
	enum fa_pt_kind kind;
	char cls[64];

	FA_ASSERT_EQ(fa_pt_classify(fa_tree, 1, 3, &kind, cls, sizeof(cls)), 0);
	FA_ASSERT_EQ(kind, FA_PT_NONE);
	FA_ASSERT_STREQ(cls, "mem");
}

static void test_classify_no_class_link(void)
{
	enum fa_pt_kind kind = FA_PT_SG;
	char cls[64] = "x";

	FA_ASSERT_EQ(fa_pt_classify(fa_tree, 10, 1, &kind, cls, sizeof(cls)),
		     0);
	FA_ASSERT_EQ(kind, FA_PT_NONE);
	FA_ASSERT_STREQ(cls, "");
}

static void test_classify_missing_device(void)
{
	enum fa_pt_kind kind;
	char cls[64];

	FA_ASSERT_EQ(fa_pt_classify(fa_tree, 99, 9, &kind, cls, sizeof(cls)),
		     -ENOENT);
}

/* scsi_debug's lab defaults: 512 B, max 128, align 2, gran 2, 8192/128. */
static void scsi_debug_defaults(struct fa_scsi_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->cap.logical_block_length = 512;
	dev->cap.returned_lba = 131071;
	dev->have_bl = true;
	dev->bl.page_length = 0x3c;
	dev->bl.has_transfer_limits = dev->bl.has_atomic = true;
	dev->bl.max_atomic_transfer_length = 128;
	dev->bl.atomic_alignment = 2;
	dev->bl.atomic_transfer_length_granularity = 2;
	dev->bl.max_atomic_transfer_length_with_boundary = 8192;
	dev->bl.max_atomic_boundary_size = 128;
}

static void test_sg_fields_blocks_and_bytes(void)
{
	struct fa_pt_field f[FA_PT_MAX_FIELDS];
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	FA_ASSERT_EQ(fa_pt_sg_fields(&dev.bl, 512, f, FA_PT_MAX_FIELDS), 5);
	FA_ASSERT_STREQ(f[0].name, "MAXIMUM ATOMIC TRANSFER LENGTH");
	FA_ASSERT_UEQ(f[0].value, 128);
	FA_ASSERT_UEQ(f[0].bytes, 65536);
	FA_ASSERT_STREQ(f[1].name, "ATOMIC ALIGNMENT");
	FA_ASSERT_UEQ(f[1].bytes, 1024);
	FA_ASSERT_STREQ(f[2].name, "ATOMIC TRANSFER LENGTH GRANULARITY");
	FA_ASSERT_UEQ(f[2].bytes, 1024);
	FA_ASSERT_STREQ(f[3].name,
			"MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY");
	FA_ASSERT_UEQ(f[3].bytes, 8192 * 512);
	FA_ASSERT_STREQ(f[4].name, "MAXIMUM ATOMIC BOUNDARY SIZE");
	FA_ASSERT_UEQ(f[4].blocks, 128);
}

static void test_sg_fields_short_page(void)
{
	struct fa_pt_field f[FA_PT_MAX_FIELDS];
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.bl.has_atomic = false;
	FA_ASSERT_EQ(fa_pt_sg_fields(&dev.bl, 512, f, FA_PT_MAX_FIELDS), 0);
}

static void qemu_nvme(struct fa_nvme_atomic *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->path, sizeof(a->path), "/dev/ng0n1");
	a->nsid = 1;
	a->awun = 63;
	a->awupf = 15;
	a->nsze = 16384;
	a->lbads = 12;
	a->flbas = 4;
	a->lbaf = 4;
}

static const struct fa_pt_field *field(const struct fa_pt_field *f, int n,
				       const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

static void test_ng_fields_zero_based_to_bytes(void)
{
	struct fa_pt_field f[FA_PT_MAX_FIELDS];
	const struct fa_pt_field *x;
	struct fa_nvme_atomic a;
	int n;

	qemu_nvme(&a);
	a.nabspf = 7;
	a.nabo = 4;
	n = fa_pt_ng_fields(&a, f, FA_PT_MAX_FIELDS);
	FA_ASSERT_EQ(n, 9);
	FA_ASSERT((x = field(f, n, "awupf")));
	FA_ASSERT_UEQ(x->value, 15);
	FA_ASSERT_UEQ(x->blocks, 16);
	FA_ASSERT_UEQ(x->bytes, 65536);
	FA_ASSERT((x = field(f, n, "awun")));
	FA_ASSERT_UEQ(x->bytes, 64 * 4096);
	FA_ASSERT((x = field(f, n, "acwu")));
	FA_ASSERT_UEQ(x->bytes, 4096);
	/* 0 boundary size: no boundary, not one block */
	FA_ASSERT((x = field(f, n, "nabsn")));
	FA_ASSERT_UEQ(x->bytes, 0);
	FA_ASSERT((x = field(f, n, "nabspf")));
	FA_ASSERT_UEQ(x->blocks, 8);
	FA_ASSERT_UEQ(x->bytes, 8 * 4096);
	/* nabo is an LBA, not 0's based */
	FA_ASSERT((x = field(f, n, "nabo")));
	FA_ASSERT_UEQ(x->bytes, 4 * 4096);
}

static void sg_fill(const struct fa_scsi_dev *dev)
{
	memset(&pl, 0, sizeof(pl));
	pl.kind = FA_PT_SG;
	snprintf(pl.path, sizeof(pl.path), "/dev/sg0");
	pl.sg = *dev;
	fa_pt_fill(&pl);
}

static void test_sg_enforced_scsi_debug_defaults(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	sg_fill(&dev);
	FA_ASSERT(pl.sg_enf.supported);
	FA_ASSERT_UEQ(pl.sg_enf.length_min, 1024);
	FA_ASSERT_UEQ(pl.sg_enf.length_max, 65536);
	FA_ASSERT_UEQ(pl.sg_enf.length_step, 1024);
	FA_ASSERT_UEQ(pl.sg_enf.offset_align, 1024);
	FA_ASSERT_UEQ(pl.sg_enf.boundary_max, 128);
	FA_ASSERT_UEQ(pl.sg_enf.boundary_length_min, 1024);
	FA_ASSERT_UEQ(pl.sg_enf.boundary_length_max, 8192 * 512);
	FA_ASSERT_UEQ(pl.sg_enf.sd.unit_min, 1024);
	FA_ASSERT_UEQ(pl.sg_enf.sd.unit_max, 65536);
	FA_ASSERT_UEQ(pl.enf_unit_min.value, 1024);
	FA_ASSERT_UEQ(pl.enf_unit_max.value, 65536);
	FA_ASSERT_UEQ(pl.dev_logical_block.value, 512);
}

/* Granularity 3 and alignment 8: steps of 3 blocks, not a power of two. */
static void test_sg_enforced_odd_granularity(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.cap.logical_block_length = 4096;
	dev.bl.atomic_transfer_length_granularity = 3;
	dev.bl.atomic_alignment = 8;
	dev.bl.max_atomic_transfer_length = 100;
	sg_fill(&dev);
	FA_ASSERT_UEQ(pl.sg_enf.length_min, 3 * 4096);
	FA_ASSERT_UEQ(pl.sg_enf.length_max, 99 * 4096);
	FA_ASSERT_UEQ(pl.sg_enf.length_step, 3 * 4096);
	FA_ASSERT_UEQ(pl.sg_enf.offset_align, 8 * 4096);
}

/* The CDB's 16-bit TRANSFER LENGTH caps a larger MAXIMUM. */
static void test_sg_enforced_cdb_caps_length(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.bl.atomic_transfer_length_granularity = 0;
	dev.bl.atomic_alignment = 0;
	dev.bl.max_atomic_transfer_length = 1u << 20;
	sg_fill(&dev);
	FA_ASSERT_UEQ(pl.sg_enf.length_min, 512);
	FA_ASSERT_UEQ(pl.sg_enf.length_max, 65535ULL * 512);
	FA_ASSERT_UEQ(pl.sg_enf.offset_align, 512);
}

static void test_sg_enforced_boundary_only(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.bl.max_atomic_transfer_length = 0;
	dev.bl.max_atomic_transfer_length_with_boundary = 256;
	sg_fill(&dev);
	FA_ASSERT(pl.sg_enf.supported);
	FA_ASSERT_UEQ(pl.sg_enf.length_max, 0);
	FA_ASSERT_UEQ(pl.sg_enf.boundary_max, 128);
	FA_ASSERT_UEQ(pl.sg_enf.boundary_length_min, 1024);
	FA_ASSERT_UEQ(pl.sg_enf.boundary_length_max, 256 * 512);
	FA_ASSERT(pl.sg_enf.sd.use_boundary);
	FA_ASSERT_UEQ(pl.enf_unit_max.value, 256 * 512);
}

static void test_sg_enforced_no_atomic_lengths(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.bl.max_atomic_transfer_length = 0;
	dev.bl.max_atomic_transfer_length_with_boundary = 0;
	sg_fill(&dev);
	FA_ASSERT(!pl.sg_enf.supported);
	FA_ASSERT(!fa_pt_supported(&pl));
	FA_ASSERT_CONTAINS(pl.sg_enf.why_none, "both 0");
}

static void test_sg_enforced_without_page(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.have_bl = false;
	snprintf(dev.no_bl_why, sizeof(dev.no_bl_why),
		 "INQUIRY for the Block Limits VPD page (B0h) failed: x");
	sg_fill(&dev);
	FA_ASSERT(!fa_pt_supported(&pl));
	FA_ASSERT_CONTAINS(pl.sg_enf.why_none, "INQUIRY");
	FA_ASSERT_UEQ(pl.sg_enf.sd.unit_max, 0);
}

static void ng_fill(const struct fa_nvme_atomic *a)
{
	memset(&pl, 0, sizeof(pl));
	pl.kind = FA_PT_NG;
	snprintf(pl.path, sizeof(pl.path), "%s", a->path);
	pl.ng = *a;
	fa_pt_fill(&pl);
}

static void test_ng_enforced_qemu_defaults(void)
{
	struct fa_nvme_atomic a;

	qemu_nvme(&a);
	ng_fill(&a);
	FA_ASSERT(fa_pt_supported(&pl));
	FA_ASSERT_UEQ(pl.ng_enf.lbs, 4096);
	FA_ASSERT_STREQ(pl.ng_enf.unit[FA_NVME_UNIT_POWERFAIL].u.unit_field,
			"awupf");
	FA_ASSERT_UEQ(pl.ng_enf.unit[FA_NVME_UNIT_POWERFAIL].length_max,
		      65536);
	FA_ASSERT_UEQ(pl.ng_enf.unit[FA_NVME_UNIT_NORMAL].length_max,
		      64 * 4096);
	FA_ASSERT_UEQ(pl.ng_enf.unit[FA_NVME_UNIT_POWERFAIL].boundary, 0);
	FA_ASSERT_UEQ(pl.enf_unit_min.value, 4096);
	FA_ASSERT_UEQ(pl.enf_unit_max.value, 65536);
}

/* NSABP with nawupf 7 and nabspf 3: the boundary shortens the unit. */
static void test_ng_enforced_namespace_boundary(void)
{
	struct fa_nvme_atomic a;
	const struct fa_ng_unit *u;

	qemu_nvme(&a);
	a.lbads = 9;
	a.nsfeat = FA_NVME_NSFEAT_NSABP;
	a.nawupf = 7;
	a.nabspf = 3;
	a.nabo = 2;
	ng_fill(&a);
	u = &pl.ng_enf.unit[FA_NVME_UNIT_POWERFAIL];
	FA_ASSERT_STREQ(u->u.unit_field, "nawupf");
	FA_ASSERT_UEQ(u->boundary, 4 * 512);
	FA_ASSERT_UEQ(u->boundary_start, 2 * 512);
	FA_ASSERT_UEQ(u->length_max, 4 * 512);
}

/* awupf 0: one block, still an atomic unit. */
static void test_ng_enforced_one_block(void)
{
	struct fa_nvme_atomic a;

	qemu_nvme(&a);
	a.awupf = 0;
	ng_fill(&a);
	FA_ASSERT(fa_pt_supported(&pl));
	FA_ASSERT_UEQ(pl.enf_unit_max.value, 4096);
}

static void kernel_limits(uint64_t unit_min, uint64_t unit_max,
			  uint64_t logical_block)
{
	memset(&blk, 0, sizeof(blk));
	blk.kind = FA_KIND_BLOCK;
	fa_value_set(&blk.unit_min, unit_min, FA_SRC_SYSFS,
		     "statx on /dev/sda");
	fa_value_set(&blk.unit_max, unit_max, FA_SRC_SYSFS,
		     "statx on /dev/sda");
	fa_value_set(&blk.sys_logical_block, logical_block, FA_SRC_SYSFS,
		     "/sys/block/sda/queue/logical_block_size");
}

static void test_crosscheck_sg_agrees(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	sg_fill(&dev);
	kernel_limits(1024, 65536, 512);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 0);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, NULL, dis, 8), 0);
}

static void test_crosscheck_sg_kernel_above_engine(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	sg_fill(&dev);
	kernel_limits(1024, 131072, 512);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 1);
	FA_ASSERT_STREQ(dis[0].what, "unit_max");
	FA_ASSERT(dis[0].a == &pl.enf_unit_max);
	FA_ASSERT(dis[0].b == &blk.unit_max);
	FA_ASSERT_CONTAINS(dis[0].explanation, "131072 bytes");
	FA_ASSERT_CONTAINS(dis[0].explanation, "MAXIMUM ATOMIC TRANSFER LENGTH");
}

static void test_crosscheck_sg_kernel_below_granularity(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	sg_fill(&dev);
	kernel_limits(512, 65536, 512);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 1);
	FA_ASSERT_STREQ(dis[0].what, "unit_min");
	FA_ASSERT_CONTAINS(dis[0].explanation, "GRANULARITY");
}

static void test_crosscheck_logical_block(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	sg_fill(&dev);
	kernel_limits(1024, 65536, 4096);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 1);
	FA_ASSERT_STREQ(dis[0].what, "logical_block");
	FA_ASSERT_UEQ(dis[0].a->value, 512);
	FA_ASSERT_UEQ(dis[0].b->value, 4096);
}

/* sd sends the boundary-only device's writes with an ATOMIC BOUNDARY. */
static void test_crosscheck_sg_boundary_only_agrees(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	dev.bl.max_atomic_transfer_length = 0;
	dev.bl.max_atomic_transfer_length_with_boundary = 256;
	sg_fill(&dev);
	kernel_limits(1024, 65536, 512);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 0);
}

static void test_crosscheck_ng(void)
{
	struct fa_nvme_atomic a;

	qemu_nvme(&a);
	ng_fill(&a);
	kernel_limits(4096, 65536, 4096);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 0);
	kernel_limits(4096, 131072, 4096);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 1);
	FA_ASSERT_STREQ(dis[0].what, "unit_max");
	FA_ASSERT_CONTAINS(dis[0].explanation, "awupf=15");
}

static void test_crosscheck_kernel_unsupported(void)
{
	struct fa_scsi_dev dev;

	scsi_debug_defaults(&dev);
	sg_fill(&dev);
	kernel_limits(0, 0, 512);
	FA_ASSERT_EQ(fa_pt_crosscheck(&pl, &blk, dis, 8), 0);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_classify_sg),
	FA_TEST(test_classify_ng),
	FA_TEST(test_classify_other_class),
	FA_TEST(test_classify_no_class_link),
	FA_TEST(test_classify_missing_device),
	FA_TEST(test_sg_fields_blocks_and_bytes),
	FA_TEST(test_sg_fields_short_page),
	FA_TEST(test_ng_fields_zero_based_to_bytes),
	FA_TEST(test_sg_enforced_scsi_debug_defaults),
	FA_TEST(test_sg_enforced_odd_granularity),
	FA_TEST(test_sg_enforced_cdb_caps_length),
	FA_TEST(test_sg_enforced_boundary_only),
	FA_TEST(test_sg_enforced_no_atomic_lengths),
	FA_TEST(test_sg_enforced_without_page),
	FA_TEST(test_ng_enforced_qemu_defaults),
	FA_TEST(test_ng_enforced_namespace_boundary),
	FA_TEST(test_ng_enforced_one_block),
	FA_TEST(test_crosscheck_sg_agrees),
	FA_TEST(test_crosscheck_sg_kernel_above_engine),
	FA_TEST(test_crosscheck_sg_kernel_below_granularity),
	FA_TEST(test_crosscheck_logical_block),
	FA_TEST(test_crosscheck_sg_boundary_only_agrees),
	FA_TEST(test_crosscheck_ng),
	FA_TEST(test_crosscheck_kernel_unsupported),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
