// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the conformance cases fa_cases_plan() derives from a
 * target's limits: on every geometry each write of each case breaks its
 * rule first (as fa_check_write() orders the rules); a case marked alone
 * is a legal O_DIRECT write otherwise; a case that cannot break its rule
 * alone (unit_min at the DIO alignment, unit_min == unit_max) says why;
 * the XFS figures (4096..1 MiB and 4096..2 MiB) and an unsupported target.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fa_cases.h"
#include "fa_test.h"

static struct fa_limits lim;
static struct fa_case cases[FA_CASE_NR];

static void set_value(struct fa_value *val, uint64_t value)
{
	val->value = value;
	val->known = true;
	val->source = FA_SRC_STATX;
	snprintf(val->origin, sizeof(val->origin), "statx on /x/f");
}

static void make_limits(uint64_t min, uint64_t max, uint64_t dio_align)
{
	memset(&lim, 0, sizeof(lim));
	snprintf(lim.path, sizeof(lim.path), "/x/f");
	lim.kind = FA_KIND_REGULAR;
	lim.statx_atomic = true;
	set_value(&lim.stx_unit_min, min);
	set_value(&lim.stx_unit_max, max);
	set_value(&lim.stx_segments_max, 1);
	if (dio_align)
		set_value(&lim.stx_dio_offset_align, dio_align);
	fa_limits_finish(&lim);
}

/* Every write of every case breaks the case's rule first. */
static int check_plan(uint64_t min, uint64_t max, uint64_t align)
{
	struct fa_verdict v;
	int i, k;

	make_limits(min, max, align);
	if (fa_cases_plan(&lim, cases))
		return -1;
	for (i = 0; i < FA_CASE_NR; i++) {
		const struct fa_case *c = &cases[i];

		if (c->size != FA_CASE_WRITES * c->bs)
			return -1;
		if (c->alone != !c->why[0])
			return -1;
		for (k = 0; k < FA_CASE_WRITES; k++) {
			struct fa_write w = {
				.offset = c->offset + k * c->bs,
				.length = c->bs,
				.nr_segs = 1,
				.direct = true,
			};

			if (fa_check_write(&lim, &w, &v) != c->rule)
				return -1;
			if (c->alone && (w.offset % fa_dio_align(&lim) ||
					 w.length % fa_dio_align(&lim)))
				return -1;
		}
	}
	return 0;
}

static void test_every_geometry_breaks_its_rule(void)
{
	static const uint64_t geo[][3] = {
		{ 4096, 1048576, 512 }, { 4096, 2097152, 512 },
		{ 512, 65536, 512 }, { 1024, 65536, 512 },
		{ 4096, 65536, 4096 }, { 4096, 8192, 4096 },
		{ 4096, 8192, 512 }, { 4096, 4096, 4096 },
		{ 512, 512, 512 }, { 16384, 16384, 4096 },
	};
	size_t i;

	for (i = 0; i < sizeof(geo) / sizeof(geo[0]); i++)
		if (check_plan(geo[i][0], geo[i][1], geo[i][2]))
			FA_FAIL("%ju..%ju, DIO alignment %ju: a case breaks another rule first",
				(uintmax_t)geo[i][0], (uintmax_t)geo[i][1],
				(uintmax_t)geo[i][2]);
}

static void test_xfs_1g(void)
{
	FA_ASSERT_EQ(check_plan(4096, 1048576, 512), 0);
	FA_ASSERT_UEQ(cases[FA_CASE_NOT_POW2].bs, 12288);
	FA_ASSERT_UEQ(cases[FA_CASE_BELOW_MIN].bs, 2048);
	FA_ASSERT_UEQ(cases[FA_CASE_ABOVE_MAX].bs, 2097152);
	FA_ASSERT_UEQ(cases[FA_CASE_ABOVE_MAX].size, 16 * 2097152ULL);
	FA_ASSERT_UEQ(cases[FA_CASE_MISALIGNED].bs, 16384);
	FA_ASSERT_UEQ(cases[FA_CASE_MISALIGNED].offset, 8192);
	FA_ASSERT(cases[FA_CASE_NOT_POW2].alone);
	FA_ASSERT(cases[FA_CASE_BELOW_MIN].alone);
	FA_ASSERT(cases[FA_CASE_ABOVE_MAX].alone);
	FA_ASSERT(cases[FA_CASE_MISALIGNED].alone);
}

/* The old fixed bs=2m was legal here: twice unit_max is not. */
static void test_xfs_8g_above_max_follows_unit_max(void)
{
	FA_ASSERT_EQ(check_plan(4096, 2097152, 512), 0);
	FA_ASSERT_UEQ(cases[FA_CASE_ABOVE_MAX].bs, 4194304);
	FA_ASSERT_STREQ(cases[FA_CASE_ABOVE_MAX].job, "above-unit-max");
}

static void test_unit_min_at_dio_alignment_not_alone(void)
{
	FA_ASSERT_EQ(check_plan(4096, 65536, 4096), 0);
	FA_ASSERT(!cases[FA_CASE_BELOW_MIN].alone);
	FA_ASSERT_CONTAINS(cases[FA_CASE_BELOW_MIN].why, "DIO alignment 4096");
	FA_ASSERT(cases[FA_CASE_NOT_POW2].alone);
	FA_ASSERT(cases[FA_CASE_MISALIGNED].alone);
	FA_ASSERT_UEQ(cases[FA_CASE_MISALIGNED].offset, 8192);
}

static void test_one_size_only(void)
{
	FA_ASSERT_EQ(check_plan(4096, 4096, 4096), 0);
	FA_ASSERT(!cases[FA_CASE_NOT_POW2].alone);
	FA_ASSERT(!cases[FA_CASE_BELOW_MIN].alone);
	FA_ASSERT(!cases[FA_CASE_MISALIGNED].alone);
	FA_ASSERT(cases[FA_CASE_ABOVE_MAX].alone);
}

/* 1.5 x unit_min when 3 x unit_min is above unit_max. */
static void test_not_pow2_between_min_and_twice_min(void)
{
	FA_ASSERT_EQ(check_plan(4096, 8192, 512), 0);
	FA_ASSERT_UEQ(cases[FA_CASE_NOT_POW2].bs, 6144);
	FA_ASSERT(cases[FA_CASE_NOT_POW2].alone);
}

static void test_dio_align_falls_back(void)
{
	make_limits(4096, 65536, 0);
	FA_ASSERT_UEQ(fa_dio_align(&lim), 512);
	lim.sys_logical_block.known = true;
	lim.sys_logical_block.value = 4096;
	FA_ASSERT_UEQ(fa_dio_align(&lim), 4096);
}

static void test_unsupported(void)
{
	make_limits(0, 0, 512);
	FA_ASSERT_EQ(fa_cases_plan(&lim, cases), -EOPNOTSUPP);
}

static const struct fa_test_case tests[] = {
	FA_TEST(test_every_geometry_breaks_its_rule),
	FA_TEST(test_xfs_1g),
	FA_TEST(test_xfs_8g_above_max_follows_unit_max),
	FA_TEST(test_unit_min_at_dio_alignment_not_alone),
	FA_TEST(test_one_size_only),
	FA_TEST(test_not_pow2_between_min_and_twice_min),
	FA_TEST(test_dio_align_falls_back),
	FA_TEST(test_unsupported),
};

FA_TEST_MAIN(tests, NULL, NULL)
