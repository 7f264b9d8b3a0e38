// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the kernel's rule for a stacked device's atomic write
 * limits (md, dm): the first member taken whole, further members narrowing
 * it, refusals (a member without atomics, different boundaries, disjoint
 * unit ranges, a boundary that does not fit the chunk), the chunk's cap;
 * and the members read from a fake sysfs tree (slaves/, in name order).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_limits.h"
#include "fa_stack.h"
#include "fa_test.h"

static const struct fa_stack_limits scsi = {1024, 65536, 65536, 0};
static const struct fa_stack_limits nvme = {4096, 65536, 65536, 0};

static void test_one_member_whole(void)
{
	struct fa_stack_limits out;

	FA_ASSERT_EQ(fa_stack_rule(&scsi, 1, 0, &out), FA_STACK_OK);
	FA_ASSERT_UEQ(out.unit_min, 1024);
	FA_ASSERT_UEQ(out.unit_max, 65536);
	FA_ASSERT_UEQ(out.max_bytes, 65536);
}

static void test_members_narrow(void)
{
	struct fa_stack_limits m[2] = {scsi, nvme}, out;

	m[1].unit_max = 16384;
	m[1].max_bytes = 32768;
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 0, &out), FA_STACK_OK);
	FA_ASSERT_UEQ(out.unit_min, 4096);  /* the largest */
	FA_ASSERT_UEQ(out.unit_max, 16384); /* the smallest */
	FA_ASSERT_UEQ(out.max_bytes, 32768);
}

static void test_chunk_caps(void)
{
	struct fa_stack_limits m[2] = {scsi, scsi}, out;

	/* 24 KiB chunks: the largest power of two dividing them is 8 KiB */
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 24576, &out), FA_STACK_OK);
	FA_ASSERT_UEQ(out.unit_max, 8192);
	FA_ASSERT_UEQ(out.unit_min, 1024);
	FA_ASSERT_UEQ(out.max_bytes, 24576);
	/* a 512 B chunk pulls unit_min down with unit_max ... */
	FA_ASSERT_EQ(fa_stack_rule(m, 1, 512, &out), FA_STACK_OK);
	FA_ASSERT_UEQ(out.unit_max, 512);
	FA_ASSERT_UEQ(out.unit_min, 512);
	/* ... after each member, so the next one's 1024 no longer fits */
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 512, &out), FA_STACK_UNITS_DISJOINT);
	/* 64 KiB chunks (md, dm-stripe in the lab): no change */
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 65536, &out), FA_STACK_OK);
	FA_ASSERT_UEQ(out.unit_max, 65536);
}

static void test_refusals(void)
{
	struct fa_stack_limits m[2] = {scsi, scsi}, out;

	m[1].unit_min = 0;
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 0, &out), FA_STACK_MEMBER_UNSUPPORTED);
	FA_ASSERT_UEQ(out.unit_max, 0);
	m[1] = scsi;
	m[1].boundary = 131072;
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 0, &out), FA_STACK_BOUNDARY_MISMATCH);
	m[1] = scsi;
	m[1].unit_min = 131072;
	m[1].unit_max = 262144;
	FA_ASSERT_EQ(fa_stack_rule(m, 2, 0, &out), FA_STACK_UNITS_DISJOINT);
	FA_ASSERT_UEQ(out.unit_min, 0);
	m[0].boundary = 196608; /* 192 KiB against 128 KiB chunks */
	FA_ASSERT_EQ(fa_stack_rule(m, 1, 131072, &out),
		     FA_STACK_BOUNDARY_CHUNK);
	m[0].boundary = 262144; /* a multiple: fine */
	FA_ASSERT_EQ(fa_stack_rule(m, 1, 131072, &out), FA_STACK_OK);
	FA_ASSERT_EQ(fa_stack_rule(m, 0, 0, &out), FA_STACK_NO_MEMBERS);
	FA_ASSERT(strlen(fa_stack_verdict_str(FA_STACK_UNITS_DISJOINT)) > 0);
}

static int put_queue(const char *disk, const char *min, const char *max)
{
	const char *const files[][2] = {
		{ "atomic_write_unit_min_bytes", min },
		{ "atomic_write_unit_max_bytes", max },
		{ "atomic_write_max_bytes", max },
		{ "atomic_write_boundary_bytes", "0\n" },
	};
	char rel[256];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(rel, sizeof(rel), "class/block/%s/queue/%s", disk,
			 files[i][0]);
		if (fa_tree_put(rel, files[i][1]))
			return -1;
	}
	return 0;
}

static void test_read_sysfs(void)
{
	struct fa_stack_limits m[4], out;
	char names[4][64];
	uint64_t chunk;
	int n;

	FA_ASSERT(!fa_tree_mkdir("block/md0/slaves/sdb"));
	FA_ASSERT(!fa_tree_mkdir("block/md0/slaves/sda"));
	FA_ASSERT(!fa_tree_put("block/md0/queue/chunk_sectors", "128\n"));
	FA_ASSERT(!put_queue("sda", "1024\n", "65536\n"));
	FA_ASSERT(!put_queue("sdb", "4096\n", "32768\n"));
	n = fa_stack_read(fa_tree, "md0", m, names, 4, &chunk);
	FA_ASSERT_EQ(n, 2);
	FA_ASSERT_STREQ(names[0], "sda");
	FA_ASSERT_STREQ(names[1], "sdb");
	FA_ASSERT_UEQ(chunk, 65536);
	FA_ASSERT_UEQ(m[1].unit_max, 32768);
	FA_ASSERT_EQ(fa_stack_rule(m, n, chunk, &out), FA_STACK_OK);
	FA_ASSERT_UEQ(out.unit_min, 4096);
	FA_ASSERT_UEQ(out.unit_max, 32768);
	/* not a stacked disk: no slaves directory */
	FA_ASSERT_EQ(fa_stack_read(fa_tree, "sda", m, names, 4, &chunk), 0);
	/* more members than room */
	FA_ASSERT_EQ(fa_stack_read(fa_tree, "md0", m, names, 1, &chunk),
		     -E2BIG);
	/* a member with a garbled queue file */
	FA_ASSERT(!fa_tree_put("class/block/sdb/queue/"
			       "atomic_write_unit_max_bytes", "x\n"));
	FA_ASSERT_EQ(fa_stack_read(fa_tree, "md0", m, names, 4, &chunk),
		     -EINVAL);
}

/* the queue (and statx, which repeats it) report MIN..MAX */
static void queue_reports(struct fa_limits *lim, uint64_t min, uint64_t max)
{
	lim->statx_atomic = true;
	lim->sys_unit_min.known = lim->sys_unit_max.known = true;
	lim->stx_unit_min.known = lim->stx_unit_max.known = true;
	lim->sys_unit_min.value = lim->stx_unit_min.value = min;
	lim->sys_unit_max.value = lim->stx_unit_max.value = max;
}

static void test_crosscheck_flags_stack(void)
{
	struct fa_disagreement dis[8];
	struct fa_limits *lim = calloc(1, sizeof(*lim));
	int n;

	FA_ASSERT(lim);
	lim->kind = FA_KIND_BLOCK;
	lim->stack_unit_min.known = lim->stack_unit_max.known = true;
	lim->stack_unit_min.value = 1024;
	lim->stack_unit_max.value = 65536;
	queue_reports(lim, 1024, 65536);
	n = fa_limits_crosscheck(lim, dis, 8);
	FA_ASSERT_EQ(n, 0);
	/* a stack that reports none although its members stack */
	queue_reports(lim, 0, 0);
	n = fa_limits_crosscheck(lim, dis, 8);
	FA_ASSERT_EQ(n, 1);
	FA_ASSERT_CONTAINS(dis[0].explanation, "does not stack them");
	/* or other limits than the rule's */
	queue_reports(lim, 1024, 32768);
	n = fa_limits_crosscheck(lim, dis, 8);
	FA_ASSERT_EQ(n, 1);
	FA_ASSERT_STREQ(dis[0].what, "unit_max");
	FA_ASSERT_CONTAINS(dis[0].explanation, "stacking rule");
	free(lim);
}

static int setup(void)
{
	return fa_tree_make("fa-test-stack");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_one_member_whole), FA_TEST(test_members_narrow),
	FA_TEST(test_chunk_caps),	FA_TEST(test_refusals),
	FA_TEST(test_read_sysfs),	FA_TEST(test_crosscheck_flags_stack),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
