// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the write_isolation probe's judgement of a unit read back
 * after two writes: all of write A, all of write B, mixed (blocks of
 * both, described as runs), and other (unwritten blocks, an older write,
 * a bad checksum), plus the default pair counts and engine names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fa_stamp.h"
#include "fa_wiso.h"
#include "fa_test.h"

#define UNIT	(64 * 1024)
#define BLOCK	512
#define OFF	(3 * UNIT)
#define GEN_A	100
#define GEN_B	101

static unsigned char unit_a[UNIT], unit_b[UNIT], buf[UNIT];

static int setup(void)
{
	return fa_stamp_fill(unit_a, OFF, UNIT, BLOCK, GEN_A) ||
	       fa_stamp_fill(unit_b, OFF, UNIT, BLOCK, GEN_B);
}

static void test_all_first(void)
{
	struct fa_wiso_unit u;
	char what[256];

	FA_ASSERT_EQ(fa_wiso_classify(unit_a, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, what, sizeof(what)), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_FIRST);
	FA_ASSERT_UEQ(u.blocks_a, UNIT / BLOCK);
	FA_ASSERT_UEQ(u.first_odd_block, UNIT / BLOCK);
	FA_ASSERT_STREQ(what, "blocks 0-127 of write A");
}

static void test_all_second(void)
{
	struct fa_wiso_unit u;

	FA_ASSERT_EQ(fa_wiso_classify(unit_b, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, NULL, 0), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_SECOND);
	FA_ASSERT_UEQ(u.blocks_b, UNIT / BLOCK);
}

static void test_mixed(void)
{
	struct fa_wiso_unit u;
	char what[256];

	memcpy(buf, unit_a, 32 * BLOCK);
	memcpy(buf + 32 * BLOCK, unit_b + 32 * BLOCK, UNIT - 32 * BLOCK);
	FA_ASSERT_EQ(fa_wiso_classify(buf, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, what, sizeof(what)), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_MIXED);
	FA_ASSERT_UEQ(u.blocks_a, 32);
	FA_ASSERT_UEQ(u.blocks_b, 96);
	FA_ASSERT_UEQ(u.first_odd_block, 32);
	FA_ASSERT_STREQ(what, "blocks 0-31 of write A, 32-127 of write B");
}

static void test_mixed_one_block(void)
{
	struct fa_wiso_unit u;
	char what[256];

	memcpy(buf, unit_b, UNIT);
	memcpy(buf + 7 * BLOCK, unit_a + 7 * BLOCK, BLOCK);
	FA_ASSERT_EQ(fa_wiso_classify(buf, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, what, sizeof(what)), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_MIXED);
	FA_ASSERT_STREQ(what, "blocks 0-6 of write B, 7 of write A, 8-127 of write B");
}

static void test_partial(void)
{
	struct fa_wiso_unit u;
	char what[256];

	memcpy(buf, unit_a, UNIT);
	memset(buf + 64 * BLOCK, 0, UNIT - 64 * BLOCK);
	FA_ASSERT_EQ(fa_wiso_classify(buf, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, what, sizeof(what)), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_OTHER);
	FA_ASSERT_UEQ(u.blocks_unwritten, 64);
	FA_ASSERT_STREQ(what, "blocks 0-63 of write A, 64-127 unwritten");
}

static void test_stale_and_bad(void)
{
	struct fa_wiso_unit u;

	/* an older pair's unit: valid stamps, neither generation */
	FA_ASSERT_EQ(fa_wiso_classify(unit_a, OFF, UNIT, BLOCK, 7, 8, &u,
				      NULL, 0), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_OTHER);
	FA_ASSERT_UEQ(u.blocks_stale, UNIT / BLOCK);

	memcpy(buf, unit_b, UNIT);
	buf[5 * BLOCK + 100] ^= 1;
	FA_ASSERT_EQ(fa_wiso_classify(buf, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, NULL, 0), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_OTHER);
	FA_ASSERT_UEQ(u.blocks_bad, 1);

	/* read at another place: every stamp names the unit it was for */
	FA_ASSERT_EQ(fa_wiso_classify(unit_a, OFF + UNIT, UNIT, BLOCK, GEN_A,
				      GEN_B, &u, NULL, 0), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_OTHER);
	FA_ASSERT_UEQ(u.blocks_bad, UNIT / BLOCK);
}

static void test_long_description(void)
{
	struct fa_wiso_unit u;
	char what[64];
	int i;

	/* every other block from the other write: more runs than room */
	for (i = 0; i < UNIT / BLOCK; i++)
		memcpy(buf + i * BLOCK, (i & 1 ? unit_b : unit_a) + i * BLOCK,
		       BLOCK);
	FA_ASSERT_EQ(fa_wiso_classify(buf, OFF, UNIT, BLOCK, GEN_A, GEN_B,
				      &u, what, sizeof(what)), 0);
	FA_ASSERT_EQ(u.outcome, FA_WISO_MIXED);
	FA_ASSERT(strlen(what) < sizeof(what));
	FA_ASSERT_CONTAINS(what, ", ...");
}

static void test_bad_geometry(void)
{
	struct fa_wiso_unit u;

	FA_ASSERT_EQ(fa_wiso_classify(unit_a, OFF, UNIT, 384, GEN_A, GEN_B,
				      &u, NULL, 0), -EINVAL);
}

static void test_names_and_defaults(void)
{
	FA_ASSERT_STREQ(fa_wiso_outcome_name(FA_WISO_MIXED), "mixed");
	FA_ASSERT_STREQ(fa_wiso_engine_name(FA_WISO_PWRITEV2, true),
			"atomic-pvsync2");
	FA_ASSERT_STREQ(fa_wiso_engine_name(FA_WISO_IO_URING, true),
			"atomic-uring");
	FA_ASSERT(fa_wiso_default_pairs(1 << 20) >= 12000);
	FA_ASSERT(fa_wiso_default_pairs(2 << 20) >= 3000);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_all_first),
	FA_TEST(test_all_second),
	FA_TEST(test_mixed),
	FA_TEST(test_mixed_one_block),
	FA_TEST(test_partial),
	FA_TEST(test_stale_and_bad),
	FA_TEST(test_long_description),
	FA_TEST(test_bad_geometry),
	FA_TEST(test_names_and_defaults),
};

FA_TEST_MAIN(cases, setup, NULL)
