// SPDX-License-Identifier: GPL-2.0
/*
 * Description: limits from the block queue in sysfs, read from fake sysfs
 * trees built under a temporary directory: resolving a disk or partition to
 * its queue, parsing each queue file (missing, empty, non-numeric, without
 * newline, negative, overflowing), choosing the enforced limits, the
 * supported verdict and its reason, and the cross-check between sources.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_limits.h"
#include "fa_test.h"

static char queue[PATH_MAX];
static struct fa_limits lim;
static char reason[1024];

static int link_dev(const char *dev, const char *target)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "dev/block/%s", dev);
	return fa_tree_link(rel, target);
}

/* Write @text (exactly) to <root>/block/sda/queue/@file. */
static int put_queue(const char *file, const char *text)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "block/sda/queue/%s", file);
	return fa_tree_put(rel, text);
}

/*
 * <root>/dev/block/8:0 -> ../../block/sda
 * <root>/dev/block/8:1 -> ../../block/sda/sda1 (with a partition file)
 * <root>/block/sda/queue/ (empty: each test writes the files it needs)
 */
static int setup(void)
{
	if (fa_tree_make("fa-sysfs"))
		return -1;
	snprintf(queue, sizeof(queue), "%s/block/sda/queue", fa_tree);
	memset(&lim, 0, sizeof(lim));
	memset(reason, 0, sizeof(reason));
	if (fa_tree_mkdir("dev/block") || fa_tree_mkdir("block/sda/queue") ||
	    fa_tree_mkdir("block/sda/sda1") ||
	    fa_tree_put("block/sda/sda1/partition", "1\n") ||
	    link_dev("8:0", "../../block/sda") ||
	    link_dev("8:1", "../../block/sda/sda1"))
		return -1;
	return 0;
}

/* A block device whose statx and queue agree on 4096..65536. */
static void make_block(void)
{
	snprintf(lim.path, sizeof(lim.path), "/dev/x");
	lim.kind = FA_KIND_BLOCK;
	lim.statx_atomic = true;
	fa_value_set(&lim.stx_unit_min, 4096, FA_SRC_STATX, "statx on /dev/x");
	fa_value_set(&lim.stx_unit_max, 65536, FA_SRC_STATX, "statx on /dev/x");
	fa_value_set(&lim.stx_segments_max, 1, FA_SRC_STATX, "statx on /dev/x");
	fa_value_set(&lim.sys_unit_min, 4096, FA_SRC_SYSFS,
		     "/sys/block/x/queue/atomic_write_unit_min_bytes");
	fa_value_set(&lim.sys_unit_max, 65536, FA_SRC_SYSFS,
		     "/sys/block/x/queue/atomic_write_unit_max_bytes");
	fa_value_set(&lim.sys_max_bytes, 65536, FA_SRC_SYSFS,
		     "/sys/block/x/queue/atomic_write_max_bytes");
	fa_value_set(&lim.sys_boundary, 0, FA_SRC_SYSFS,
		     "/sys/block/x/queue/atomic_write_boundary_bytes");
	fa_value_set(&lim.sys_logical_block, 512, FA_SRC_SYSFS,
		     "/sys/block/x/queue/logical_block_size");
	fa_value_set(&lim.sys_physical_block, 4096, FA_SRC_SYSFS,
		     "/sys/block/x/queue/physical_block_size");
	fa_value_set(&lim.sys_max_hw_sectors, 1048576, FA_SRC_SYSFS,
		     "/sys/block/x/queue/max_hw_sectors_kb");
	fa_limits_finish(&lim);
}

/* fa_limits_resolve_queue */

static void test_resolve_disk(void)
{
	char dir[PATH_MAX], disk[64], want[PATH_MAX + 32];
	bool partition = true;

	FA_ASSERT_EQ(fa_limits_resolve_queue(8, 0, fa_tree, dir, sizeof(dir),
					     disk, &partition), 0);
	FA_ASSERT_STREQ(disk, "sda");
	FA_ASSERT(!partition);
	snprintf(want, sizeof(want), "%s/block/sda/queue", fa_tree);
	FA_ASSERT_STREQ(dir, want);
}

static void test_resolve_partition(void)
{
	char dir[PATH_MAX], disk[64], want[PATH_MAX + 32];
	bool partition = false;

	FA_ASSERT_EQ(fa_limits_resolve_queue(8, 1, fa_tree, dir, sizeof(dir),
					     disk, &partition), 0);
	FA_ASSERT_STREQ(disk, "sda");
	FA_ASSERT(partition);
	snprintf(want, sizeof(want), "%s/block/sda/queue", fa_tree);
	FA_ASSERT_STREQ(dir, want);
}

/* The real /sys/dev/block links point into /sys/devices. */
static void test_resolve_devices_layout(void)
{
	char dir[PATH_MAX], disk[64];
	bool partition = true;

	FA_ASSERT_EQ(fa_tree_mkdir("devices/virtual/block/loop0"), 0);
	FA_ASSERT_EQ(link_dev("7:0", "../../devices/virtual/block/loop0"), 0);
	FA_ASSERT_EQ(fa_limits_resolve_queue(7, 0, fa_tree, dir, sizeof(dir),
					     disk, &partition), 0);
	FA_ASSERT_STREQ(disk, "loop0");
	FA_ASSERT(!partition);
}

static void test_resolve_unknown_device(void)
{
	char dir[PATH_MAX], disk[64];
	bool partition;

	FA_ASSERT_EQ(fa_limits_resolve_queue(9, 9, fa_tree, dir, sizeof(dir),
					     disk, &partition), -ENOENT);
}

static void test_resolve_link_with_trailing_slash(void)
{
	char dir[PATH_MAX], disk[64];
	bool partition;

	FA_ASSERT_EQ(link_dev("8:16", "../../block/sdb/"), 0);
	FA_ASSERT_EQ(fa_limits_resolve_queue(8, 16, fa_tree, dir, sizeof(dir),
					     disk, &partition), -EINVAL);
}

/* fa_limits_from_sysfs */

static void test_sysfs_all_files(void)
{
	char origin[PATH_MAX + 64];

	FA_ASSERT_EQ(put_queue("atomic_write_unit_min_bytes", "4096\n"), 0);
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "65536\n"), 0);
	FA_ASSERT_EQ(put_queue("atomic_write_max_bytes", "131072\n"), 0);
	FA_ASSERT_EQ(put_queue("atomic_write_boundary_bytes", "0\n"), 0);
	FA_ASSERT_EQ(put_queue("logical_block_size", "512\n"), 0);
	FA_ASSERT_EQ(put_queue("physical_block_size", "4096\n"), 0);
	FA_ASSERT_EQ(put_queue("max_hw_sectors_kb", "128\n"), 0);

	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), 0);
	FA_ASSERT_STREQ(lim.queue_dir, queue);
	FA_ASSERT(lim.sys_unit_min.known);
	FA_ASSERT_UEQ(lim.sys_unit_min.value, 4096);
	FA_ASSERT_UEQ(lim.sys_unit_max.value, 65536);
	FA_ASSERT_UEQ(lim.sys_max_bytes.value, 131072);
	FA_ASSERT(lim.sys_boundary.known);
	FA_ASSERT_UEQ(lim.sys_boundary.value, 0);
	FA_ASSERT_UEQ(lim.sys_logical_block.value, 512);
	FA_ASSERT_UEQ(lim.sys_physical_block.value, 4096);
	FA_ASSERT_UEQ(lim.sys_max_hw_sectors.value, 128 * 1024);
	FA_ASSERT_EQ(lim.sys_unit_max.source, FA_SRC_SYSFS);
	snprintf(origin, sizeof(origin), "%s/atomic_write_unit_max_bytes",
		 queue);
	FA_ASSERT_STREQ(lim.sys_unit_max.origin, origin);
}

static void test_sysfs_missing_files_stay_unknown(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "65536\n"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), 0);
	FA_ASSERT(lim.sys_unit_max.known);
	FA_ASSERT(!lim.sys_unit_min.known);
	FA_ASSERT(!lim.sys_max_bytes.known);
	FA_ASSERT(!lim.sys_boundary.known);
	FA_ASSERT(!lim.sys_logical_block.known);
	FA_ASSERT(!lim.sys_physical_block.known);
	FA_ASSERT(!lim.sys_max_hw_sectors.known);
}

static void test_sysfs_missing_queue_dir(void)
{
	char gone[PATH_MAX + 16];

	snprintf(gone, sizeof(gone), "%s/nothing", fa_tree);
	FA_ASSERT_EQ(fa_limits_from_sysfs(gone, &lim), 0);
	FA_ASSERT(!lim.sys_unit_max.known);
}

static void test_sysfs_empty_file(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", ""), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -EINVAL);
}

static void test_sysfs_non_numeric(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "abc\n"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -EINVAL);
}

static void test_sysfs_trailing_garbage(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "12abc\n"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -EINVAL);
}

static void test_sysfs_no_newline(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "12"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), 0);
	FA_ASSERT_UEQ(lim.sys_unit_max.value, 12);
}

static void test_sysfs_negative(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "-1\n"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -EINVAL);
}

static void test_sysfs_leading_space(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", " 12\n"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -EINVAL);
}

static void test_sysfs_scale_overflow(void)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 "\n", UINT64_MAX / 1024 + 1);
	FA_ASSERT_EQ(put_queue("max_hw_sectors_kb", buf), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -ERANGE);
	FA_ASSERT(!lim.sys_max_hw_sectors.known);
}

static void test_sysfs_scale_largest(void)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 "\n", UINT64_MAX / 1024);
	FA_ASSERT_EQ(put_queue("max_hw_sectors_kb", buf), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), 0);
	FA_ASSERT_UEQ(lim.sys_max_hw_sectors.value, UINT64_MAX / 1024 * 1024);
}

static void test_sysfs_number_beyond_u64(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes",
			       "18446744073709551616\n"), 0);
	FA_ASSERT(fa_limits_from_sysfs(queue, &lim) < 0);
	FA_ASSERT(!lim.sys_unit_max.known);
}

static void test_sysfs_error_names_no_value(void)
{
	FA_ASSERT_EQ(put_queue("atomic_write_unit_min_bytes", "4096\n"), 0);
	FA_ASSERT_EQ(put_queue("atomic_write_unit_max_bytes", "abc\n"), 0);
	FA_ASSERT_EQ(fa_limits_from_sysfs(queue, &lim), -EINVAL);
	FA_ASSERT(!lim.sys_unit_max.known);
}

/* fa_limits_finish */

static void test_finish_prefers_statx(void)
{
	make_block();
	lim.sys_unit_min.value = 512;
	lim.sys_unit_max.value = 131072;
	fa_limits_finish(&lim);
	FA_ASSERT_UEQ(lim.unit_min.value, 4096);
	FA_ASSERT_UEQ(lim.unit_max.value, 65536);
	FA_ASSERT_EQ(lim.unit_max.source, FA_SRC_STATX);
	FA_ASSERT_STREQ(lim.unit_max.origin, "statx on /dev/x");
	FA_ASSERT_EQ(lim.segments_max.source, FA_SRC_STATX);
}

static void test_finish_sysfs_fallback_for_block(void)
{
	make_block();
	lim.statx_atomic = false;
	fa_limits_finish(&lim);
	FA_ASSERT(lim.unit_max.known);
	FA_ASSERT_UEQ(lim.unit_max.value, 65536);
	FA_ASSERT_EQ(lim.unit_max.source, FA_SRC_SYSFS);
	FA_ASSERT_STREQ(lim.unit_min.origin,
			"/sys/block/x/queue/atomic_write_unit_min_bytes");
}

static void test_finish_fallback_segments_from_rule(void)
{
	make_block();
	lim.statx_atomic = false;
	fa_limits_finish(&lim);
	FA_ASSERT(lim.segments_max.known);
	FA_ASSERT_UEQ(lim.segments_max.value, 1);
	FA_ASSERT_EQ(lim.segments_max.source, FA_SRC_RULE);
}

static void test_finish_no_sysfs_fallback_for_files(void)
{
	make_block();
	lim.kind = FA_KIND_REGULAR;
	lim.statx_atomic = false;
	fa_limits_finish(&lim);
	FA_ASSERT(!lim.unit_min.known);
	FA_ASSERT(!lim.unit_max.known);
	FA_ASSERT(!lim.segments_max.known);
}

static void test_finish_block_without_atomic_files(void)
{
	make_block();
	lim.statx_atomic = false;
	lim.sys_unit_min.known = false;
	lim.sys_unit_max.known = false;
	fa_limits_finish(&lim);
	FA_ASSERT(!lim.unit_max.known);
	FA_ASSERT(!lim.segments_max.known);
}

/* fa_limits_supported, fa_limits_unsupported_reason */

static void test_supported(void)
{
	make_block();
	FA_ASSERT(fa_limits_supported(&lim));
}

static void test_unsupported_unit_min_zero(void)
{
	make_block();
	lim.unit_min.value = 0;
	FA_ASSERT(!fa_limits_supported(&lim));
}

static void test_unsupported_min_above_max(void)
{
	make_block();
	lim.stx_unit_min.value = 131072;
	fa_limits_finish(&lim);
	FA_ASSERT(!fa_limits_supported(&lim));
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_CONTAINS(reason,
			   "atomic_write_unit_min 131072 above unit_max 65536");
}

static void test_reason_neither_file_nor_block(void)
{
	snprintf(lim.path, sizeof(lim.path), "/dev/null");
	lim.kind = FA_KIND_OTHER;
	fa_limits_finish(&lim);
	FA_ASSERT(!fa_limits_supported(&lim));
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_STREQ(reason,
			"/dev/null is neither a regular file nor a block device");
}

static void test_reason_file_without_statx_atomic(void)
{
	snprintf(lim.path, sizeof(lim.path), "/x/f");
	lim.kind = FA_KIND_REGULAR;
	fa_limits_finish(&lim);
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_CONTAINS(reason, "/x/f does not support atomic writes");
	FA_ASSERT_CONTAINS(reason, "STATX_WRITE_ATOMIC");
}

static void test_reason_block_queue_zero(void)
{
	make_block();
	lim.statx_atomic = false;
	lim.sys_unit_min.value = 0;
	lim.sys_unit_max.value = 0;
	fa_limits_finish(&lim);
	FA_ASSERT(!fa_limits_supported(&lim));
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_CONTAINS(reason,
			   "(/sys/block/x/queue/atomic_write_unit_max_bytes is 0)");
}

static void test_reason_block_statx_zero(void)
{
	make_block();
	lim.stx_unit_min.value = 0;
	lim.stx_unit_max.value = 0;
	fa_limits_finish(&lim);
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_CONTAINS(reason,
			   "statx reports atomic_write_unit_max 0, /sys/block/x/queue/atomic_write_unit_max_bytes is 65536");
}

static void test_reason_block_nothing_reported(void)
{
	snprintf(lim.path, sizeof(lim.path), "/dev/x");
	lim.kind = FA_KIND_BLOCK;
	fa_limits_finish(&lim);
	fa_limits_unsupported_reason(&lim, reason, sizeof(reason));
	FA_ASSERT_CONTAINS(reason, "neither statx nor sysfs report");
}

/* fa_limits_crosscheck */

static void test_crosscheck_consistent(void)
{
	struct fa_disagreement d[8];

	make_block();
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 0);
}

static void test_crosscheck_statx_vs_sysfs_unit_max(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.stx_unit_max.value = 0;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT_STREQ(d[0].what, "unit_max");
	FA_ASSERT(d[0].a == &lim.stx_unit_max);
	FA_ASSERT(d[0].b == &lim.sys_unit_max);
	FA_ASSERT_CONTAINS(d[0].explanation,
			   "statx and the block queue disagree");
}

static void test_crosscheck_statx_vs_sysfs_unit_min(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.sys_unit_min.value = 8192;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT_STREQ(d[0].what, "unit_min");
}

static void test_crosscheck_sysfs_without_statx(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.statx_atomic = false;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT(d[0].a == &lim.sys_unit_max);
	FA_ASSERT_CONTAINS(d[0].explanation, "STATX_WRITE_ATOMIC");
}

static void test_crosscheck_unit_max_above_boundary(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.sys_boundary.value = 32768;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT(d[0].b == &lim.sys_boundary);
	FA_ASSERT_CONTAINS(d[0].explanation, "boundary");
}

static void test_crosscheck_unit_max_above_max_bytes(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.sys_max_bytes.value = 32768;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT(d[0].b == &lim.sys_max_bytes);
}

static void test_crosscheck_unit_min_below_logical_block(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.sys_logical_block.value = 8192;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT(d[0].b == &lim.sys_logical_block);
}

static void test_crosscheck_unit_max_above_max_hw_sectors(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.sys_max_hw_sectors.value = 32768;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 1);
	FA_ASSERT(d[0].b == &lim.sys_max_hw_sectors);
}

static void test_crosscheck_regular_file_not_compared(void)
{
	struct fa_disagreement d[8];

	make_block();
	lim.kind = FA_KIND_REGULAR;
	lim.stx_unit_max.value = 1048576;
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 8), 0);
}

static void test_crosscheck_counts_beyond_max(void)
{
	struct fa_disagreement d[2];

	make_block();
	lim.stx_unit_max.value = 0;
	lim.sys_boundary.value = 32768;
	memset(&d[1], 0x5a, sizeof(d[1]));
	FA_ASSERT_EQ(fa_limits_crosscheck(&lim, d, 1), 2);
	FA_ASSERT_UEQ(((unsigned char *)&d[1])[0], 0x5a);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_resolve_disk),
	FA_TEST(test_resolve_partition),
	FA_TEST(test_resolve_devices_layout),
	FA_TEST(test_resolve_unknown_device),
	FA_TEST(test_resolve_link_with_trailing_slash),
	FA_TEST(test_sysfs_all_files),
	FA_TEST(test_sysfs_missing_files_stay_unknown),
	FA_TEST(test_sysfs_missing_queue_dir),
	FA_TEST(test_sysfs_empty_file),
	FA_TEST(test_sysfs_non_numeric),
	FA_TEST(test_sysfs_trailing_garbage),
	FA_TEST(test_sysfs_no_newline),
	FA_TEST(test_sysfs_negative),
	FA_TEST(test_sysfs_leading_space),
	FA_TEST(test_sysfs_scale_overflow),
	FA_TEST(test_sysfs_scale_largest),
	FA_TEST(test_sysfs_number_beyond_u64),
	FA_TEST(test_sysfs_error_names_no_value),
	FA_TEST(test_finish_prefers_statx),
	FA_TEST(test_finish_sysfs_fallback_for_block),
	FA_TEST(test_finish_fallback_segments_from_rule),
	FA_TEST(test_finish_no_sysfs_fallback_for_files),
	FA_TEST(test_finish_block_without_atomic_files),
	FA_TEST(test_supported),
	FA_TEST(test_unsupported_unit_min_zero),
	FA_TEST(test_unsupported_min_above_max),
	FA_TEST(test_reason_neither_file_nor_block),
	FA_TEST(test_reason_file_without_statx_atomic),
	FA_TEST(test_reason_block_queue_zero),
	FA_TEST(test_reason_block_statx_zero),
	FA_TEST(test_reason_block_nothing_reported),
	FA_TEST(test_crosscheck_consistent),
	FA_TEST(test_crosscheck_statx_vs_sysfs_unit_max),
	FA_TEST(test_crosscheck_statx_vs_sysfs_unit_min),
	FA_TEST(test_crosscheck_sysfs_without_statx),
	FA_TEST(test_crosscheck_unit_max_above_boundary),
	FA_TEST(test_crosscheck_unit_max_above_max_bytes),
	FA_TEST(test_crosscheck_unit_min_below_logical_block),
	FA_TEST(test_crosscheck_unit_max_above_max_hw_sectors),
	FA_TEST(test_crosscheck_regular_file_not_compared),
	FA_TEST(test_crosscheck_counts_beyond_max),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
