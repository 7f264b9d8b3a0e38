// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the NVMe rules for an atomic write, without a device
 * (lib/fa_nvme_rules.c), on the canned Identify data of fa_nvme_fixture.h:
 * which unit applies (normal or power-fail, from the namespace with NSABP
 * or the controller, DN), one write against the unit, the NLB limit and
 * the atomic boundaries (NABSN, NABSPF, NABO), the I/O path's precomputed
 * check against the full one, the logical block rules, every job rule
 * (sizes, start offset, blockalign, random and sequential offsets that
 * cross a boundary), and the messages naming field, value and origin.
 */
#include <stdint.h>
#include <string.h>

#include "fa_nvme.h"
#include "fa_nvme_fixture.h"
#include "fa_test.h"
#include "fa_util.h"

/* Which unit and boundary apply */

static void test_unit_controller_without_nsabp(void)
{
	struct fa_nvme_unit_info u;

	/* NAWUPF set but NSABP clear: the namespace value is undefined. */
	put16(ns, 36, 7);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_POWERFAIL, &u);
	FA_ASSERT_STREQ(u.unit_field, "awupf");
	FA_ASSERT_UEQ(u.unit_blocks, 16);
	FA_ASSERT_STREQ(u.unit_source, "Identify Controller");
	FA_ASSERT_UEQ(u.boundary_blocks, 0);
}

static void test_unit_namespace_with_nsabp(void)
{
	struct fa_nvme_unit_info u;

	make_ns_atomics(31, 7, 0, 0, 15);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_POWERFAIL, &u);
	FA_ASSERT_STREQ(u.unit_field, "nawupf");
	FA_ASSERT_UEQ(u.unit_blocks, 8);
	FA_ASSERT_STREQ(u.unit_source, "Identify Namespace");
	FA_ASSERT_STREQ(u.boundary_field, "nabspf");
	FA_ASSERT_UEQ(u.boundary_blocks, 16);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT_STREQ(u.unit_field, "nawun");
	FA_ASSERT_UEQ(u.unit_blocks, 32);
	/* NABSN is 0: no boundary for the normal unit. */
	FA_ASSERT_UEQ(u.boundary_blocks, 0);
}

static void test_unit_nsabp_zero_means_controller(void)
{
	struct fa_nvme_unit_info u;

	make_ns_atomics(31, 0, 0, 0, 0);
	FA_ASSERT_EQ(parse(), 0);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_POWERFAIL, &u);
	FA_ASSERT_STREQ(u.unit_field, "awupf");
	FA_ASSERT_UEQ(u.unit_blocks, 16);
	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT_STREQ(u.unit_field, "nawun");
}

static void test_unit_normal_is_awun(void)
{
	struct fa_nvme_unit_info u;

	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT(!u.powerfail);
	FA_ASSERT_STREQ(u.unit_field, "awun");
	FA_ASSERT_UEQ(u.unit_blocks, 64);
}

static void test_unit_normal_with_dn_is_powerfail(void)
{
	struct fa_nvme_unit_info u;

	a.dn_known = true;
	a.dn = true;
	fa_nvme_unit_info(&a, FA_NVME_UNIT_NORMAL, &u);
	FA_ASSERT(u.powerfail);
	FA_ASSERT_EQ(u.unit, FA_NVME_UNIT_NORMAL);
	FA_ASSERT_STREQ(u.unit_field, "awupf");
	FA_ASSERT_UEQ(u.unit_blocks, 16);
}

/* Write rules */

static void test_write_exactly_the_unit_passes(void)
{
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 100, 16,
					 &v), FA_NVME_RULE_OK);
}

static void test_write_one_block_too_long(void)
{
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 17,
					 &v), FA_NVME_RULE_UNIT);
	FA_ASSERT_UEQ(v.nr_blocks, 17);
	FA_ASSERT_UEQ(v.u.unit_blocks, 16);
}

static void test_write_normal_unit_allows_more(void)
{
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_NORMAL, 0, 64, &v),
		     FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_NORMAL, 0, 65, &v),
		     FA_NVME_RULE_UNIT);
}

static void test_write_block_count_limits(void)
{
	make_ctrl(0xffff, 0xffff, 0);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 0, &v),
		     FA_NVME_RULE_NLB);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65536,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65537,
					 &v), FA_NVME_RULE_NLB);
	fa_nvme_verdict_message(&a, &v, "bs=268439552", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "(65537 blocks) does not fit one NVMe command");
	/* 65536 blocks of 64 KiB are 4 GiB: one byte past data_len. */
	a.lbads = 16;
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65536,
					 &v), FA_NVME_RULE_NLB);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 65535,
					 &v), FA_NVME_RULE_OK);
}

static void test_boundary_without_nabo(void)
{
	/* 32-block boundaries at 0, 32, 64, ...; unit 16 blocks. */
	make_ns_atomics(0, 15, 0, 0, 31);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 16, 16,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 32, 16,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 17, 16,
					 &v), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ(v.boundary_lba, 32);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 31, 2,
					 &v), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 31, 1,
					 &v), FA_NVME_RULE_OK);
}

static void test_boundary_with_nabo(void)
{
	/* Boundaries at LBA 8, 40, 72, ...; [0, 8) is the first region. */
	make_ns_atomics(0, 15, 0, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 0, 8, &v),
		     FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 4, 8, &v),
		     FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ(v.boundary_lba, 8);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 8, 16,
					 &v), FA_NVME_RULE_OK);
	/* Ends exactly at the boundary: LBA 24..39. */
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 24, 16,
					 &v), FA_NVME_RULE_OK);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 30, 16,
					 &v), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ(v.boundary_lba, 40);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 40, 16,
					 &v), FA_NVME_RULE_OK);
	fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 30, 16, &v);
	fa_nvme_verdict_message(&a, &v, "write", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "write (LBA 30..45) crosses the power-fail atomic boundary at LBA 40: nabspf=31 (32 blocks, 131072 bytes), nabo=8 from NVMe Identify Namespace of " PATH);
}

static void test_boundary_normal_uses_nabsn(void)
{
	make_ns_atomics(31, 15, 15, 0, 63);
	FA_ASSERT_EQ(parse(), 0);
	/* LBA 8..23 crosses 16 (NABSN) but not 64 (NABSPF). */
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_NORMAL, 8, 16, &v),
		     FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_STREQ(v.u.boundary_field, "nabsn");
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, 8, 16,
					 &v), FA_NVME_RULE_OK);
}

/* The I/O path's precomputed check gives fa_nvme_check_io()'s verdict. */
static void expect_fast_equals_full(enum fa_nvme_unit unit)
{
	static const uint64_t lengths[] = { 0, 1, 511, 512, 4096, 6000, 8192,
					    16384, 61440, 65536, 69632,
					    131072, 262144, 266240 };
	struct fa_nvme_rules r;
	uint64_t off;
	size_t i;

	fa_nvme_rules_init(&a, unit, &r);
	for (i = 0; i < FA_ARRAY_SIZE(lengths); i++)
		for (off = 0; off < 96 * 4096; off += 512)
			FA_ASSERT_EQ(fa_nvme_rules_check(&r, off, lengths[i]),
				     fa_nvme_check_io(&a, unit, off, lengths[i],
						      &v));
}

static void test_fast_check_equals_full(void)
{
	expect_fast_equals_full(FA_NVME_UNIT_POWERFAIL);
	expect_fast_equals_full(FA_NVME_UNIT_NORMAL);
	make_ns(0, 131072);
	make_ns_atomics(31, 15, 15, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	expect_fast_equals_full(FA_NVME_UNIT_POWERFAIL);
	expect_fast_equals_full(FA_NVME_UNIT_NORMAL);
	make_ns(4, 16384);
	make_ns_atomics(0, 3, 0, 2, 7);
	FA_ASSERT_EQ(parse(), 0);
	a.dn_known = a.dn = true;
	expect_fast_equals_full(FA_NVME_UNIT_NORMAL);
}

static void test_io_lba_rules(void)
{
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 0, 6000, &v),
		     FA_NVME_RULE_LBA_LENGTH);
	fa_nvme_verdict_message(&a, &v, "bs=6000", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "bs=6000 is not a whole number of logical blocks (the LBA data size is 4096 bytes: lbads=12 of LBA format 4");
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 0, 0, &v),
		     FA_NVME_RULE_LBA_LENGTH);
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 2048, 4096,
				      &v), FA_NVME_RULE_LBA_ALIGN);
	fa_nvme_verdict_message(&a, &v, "offset=2048", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "offset=2048 does not start on a logical block");
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 8192, 65536,
				      &v), FA_NVME_RULE_OK);
	FA_ASSERT_UEQ(v.slba, 2);
	FA_ASSERT_UEQ(v.nr_blocks, 16);
}

static void test_message_names_field_value_and_origin(void)
{
	make_ns_atomics(0, 15, 0, 0, 0);
	FA_ASSERT_EQ(parse(), 0);
	FA_ASSERT_EQ(fa_nvme_check_io(&a, FA_NVME_UNIT_POWERFAIL, 0, 131072,
				      &v), FA_NVME_RULE_UNIT);
	fa_nvme_verdict_message(&a, &v, "bs=131072", msg, sizeof(msg));
	FA_ASSERT_STREQ(msg, "bs=131072 (32 blocks) exceeds the power-fail atomic unit: nawupf=15 (16 blocks, 65536 bytes) from NVMe Identify Namespace of " PATH);
}

static void test_message_normal_with_dn(void)
{
	a.dn_known = a.dn = true;
	fa_nvme_check_io(&a, FA_NVME_UNIT_NORMAL, 0, 131072, &v);
	FA_ASSERT_EQ(v.rule, FA_NVME_RULE_UNIT);
	fa_nvme_verdict_message(&a, &v, "bs=131072", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "exceeds the normal atomic unit, which is the power-fail one because Write Atomicity Normal (Get Features 0Ah) has DN set: awupf=15 (16 blocks, 65536 bytes) from NVMe Identify Controller of " PATH);
}

static void test_rule_names_and_sendable(void)
{
	FA_ASSERT_STREQ(fa_nvme_rule_name(FA_NVME_RULE_UNIT), "atomic_unit");
	FA_ASSERT_STREQ(fa_nvme_rule_name(FA_NVME_RULE_BOUNDARY),
			"atomic_boundary");
	FA_ASSERT_STREQ(fa_nvme_rule_name(FA_NVME_RULE_NR), "unknown");
	FA_ASSERT(fa_nvme_rule_sendable(FA_NVME_RULE_UNIT));
	FA_ASSERT(fa_nvme_rule_sendable(FA_NVME_RULE_BOUNDARY));
	FA_ASSERT(!fa_nvme_rule_sendable(FA_NVME_RULE_LBA_LENGTH));
	FA_ASSERT(!fa_nvme_rule_sendable(FA_NVME_RULE_LBA_ALIGN));
	FA_ASSERT(!fa_nvme_rule_sendable(FA_NVME_RULE_NLB));
}

/* Job rules */

static void job_init(struct fa_job *job, uint64_t start, uint64_t align,
		     const char *align_opt)
{
	memset(job, 0, sizeof(*job));
	job->direct = true;
	job->nr_segs = 1;
	job->start_offset = start;
	job->offset_align = align;
	job->align_opt = align_opt;
}

static enum fa_nvme_rule check_job(const struct fa_job *job)
{
	return fa_nvme_check_job(&a, FA_NVME_UNIT_POWERFAIL, job, &v, msg,
				 sizeof(msg));
}

static void test_job_within_unit_passes(void)
{
	struct fa_job job;

	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 4096, "bssplit");
	fa_job_add_size(&job, 65536, "bssplit");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_OK);
	FA_ASSERT_STREQ(msg, "");
}

static void test_job_one_size_too_long(void)
{
	struct fa_job job;

	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 4096, "bssplit");
	fa_job_add_size(&job, 131072, "bssplit");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_UNIT);
	FA_ASSERT_CONTAINS(msg, "bssplit=131072 (32 blocks) exceeds the power-fail atomic unit: awupf=15");
}

static void test_job_sendable_skips_atomicity(void)
{
	struct fa_job job;

	/* A size outside the unit first, then one no command can carry. */
	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 131072, "bssplit");
	fa_job_add_size(&job, 6144, "bssplit");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_UNIT);
	FA_ASSERT_EQ(fa_nvme_check_job_sendable(&a, &job, &v, msg,
						sizeof(msg)),
		     FA_NVME_RULE_LBA_LENGTH);
	FA_ASSERT_CONTAINS(msg, "bssplit=6144 is not a whole number");
	job.nr_sizes = 1;
	FA_ASSERT_EQ(fa_nvme_check_job_sendable(&a, &job, &v, msg,
						sizeof(msg)), FA_NVME_RULE_OK);
}

static void test_job_size_not_whole_blocks(void)
{
	struct fa_job job;

	job_init(&job, 0, 6144, NULL);
	fa_job_add_size(&job, 6144, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_LBA_LENGTH);
	FA_ASSERT_CONTAINS(msg, "bs=6144 is not a whole number of logical blocks");
}

static void test_job_start_offset_misaligned(void)
{
	struct fa_job job;

	job_init(&job, 512, 4096, NULL);
	fa_job_add_size(&job, 4096, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_LBA_ALIGN);
	FA_ASSERT_CONTAINS(msg, "offset=512 does not start on a logical block");
}

static void test_job_blockalign_misaligned(void)
{
	struct fa_job job;

	job_init(&job, 0, 2048, "blockalign");
	fa_job_add_size(&job, 4096, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_LBA_ALIGN);
	FA_ASSERT_CONTAINS(msg, "blockalign=2048");
}

static void test_job_random_offsets_cross_boundary(void)
{
	struct fa_job job;
	uint64_t r;

	/* 32-block boundaries from LBA 8; 4-block writes on any block. */
	make_ns_atomics(0, 15, 0, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, 0, 4096, "blockalign");
	fa_job_add_size(&job, 16384, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_CONTAINS(msg, "blockalign=4096 with offset=0 lets a bs=16384 (4 blocks) write start 31 blocks after an atomic boundary");
	FA_ASSERT_CONTAINS(msg, "nabspf=31 (32 blocks, 131072 bytes), nabo=8");
	/* The example LBA does cross (any block is reachable here). */
	r = (v.slba + 32 - 8) % 32;
	FA_ASSERT(r + 4 > 32);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, v.slba, 4,
					 &v), FA_NVME_RULE_BOUNDARY);
}

static void test_job_aligned_to_boundary_passes(void)
{
	struct fa_job job;

	/* Boundaries at LBA 8 + 32k, 4-block writes on 4-block offsets. */
	make_ns_atomics(0, 15, 0, 8, 31);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, 0, 16384, "blockalign");
	fa_job_add_size(&job, 16384, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_OK);
	/* The same writes from LBA 1: LBA 5..8 crosses the boundary at 8. */
	job_init(&job, 4096, 16384, "blockalign");
	fa_job_add_size(&job, 16384, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_UEQ((v.slba - 1) % 4, 0);
	FA_ASSERT_EQ(fa_nvme_check_write(&a, FA_NVME_UNIT_POWERFAIL, v.slba, 4,
					 &v), FA_NVME_RULE_BOUNDARY);
}

static void test_job_sequential_start_crosses(void)
{
	struct fa_job job;
	uint64_t s = 3, step = 6, r;

	/* Boundaries every 32 blocks from 0; 6-block writes from block 3. */
	make_ns_atomics(0, 15, 0, 0, 31);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, s * 4096, step * 4096, NULL);
	fa_job_add_size(&job, step * 4096, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_CONTAINS(msg, "offset=12288 with sequential writes every 24576 bytes");
	FA_ASSERT_UEQ((v.slba - s) % step, 0);
	r = v.slba % 32;
	FA_ASSERT(r + step > 32);
}

static void test_job_size_larger_than_boundary(void)
{
	struct fa_job job;

	/* A unit larger than the boundary: such a write always crosses. */
	make_ns_atomics(0, 31, 0, 0, 15);
	FA_ASSERT_EQ(parse(), 0);
	job_init(&job, 0, 131072, "blockalign");
	fa_job_add_size(&job, 131072, "bs");
	FA_ASSERT_EQ(check_job(&job), FA_NVME_RULE_BOUNDARY);
	FA_ASSERT_CONTAINS(msg, "bs=131072 (32 blocks) is longer than the power-fail atomic boundary size, so every such write crosses a boundary: nabspf=15 (16 blocks, 65536 bytes)");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_unit_controller_without_nsabp),
	FA_TEST(test_unit_namespace_with_nsabp),
	FA_TEST(test_unit_nsabp_zero_means_controller),
	FA_TEST(test_unit_normal_is_awun),
	FA_TEST(test_unit_normal_with_dn_is_powerfail),
	FA_TEST(test_write_exactly_the_unit_passes),
	FA_TEST(test_write_one_block_too_long),
	FA_TEST(test_write_normal_unit_allows_more),
	FA_TEST(test_write_block_count_limits),
	FA_TEST(test_boundary_without_nabo),
	FA_TEST(test_boundary_with_nabo),
	FA_TEST(test_boundary_normal_uses_nabsn),
	FA_TEST(test_fast_check_equals_full),
	FA_TEST(test_io_lba_rules),
	FA_TEST(test_message_names_field_value_and_origin),
	FA_TEST(test_message_normal_with_dn),
	FA_TEST(test_rule_names_and_sendable),
	FA_TEST(test_job_within_unit_passes),
	FA_TEST(test_job_one_size_too_long),
	FA_TEST(test_job_sendable_skips_atomicity),
	FA_TEST(test_job_size_not_whole_blocks),
	FA_TEST(test_job_start_offset_misaligned),
	FA_TEST(test_job_blockalign_misaligned),
	FA_TEST(test_job_random_offsets_cross_boundary),
	FA_TEST(test_job_aligned_to_boundary_passes),
	FA_TEST(test_job_sequential_start_crosses),
	FA_TEST(test_job_size_larger_than_boundary),
};

FA_TEST_MAIN(cases, setup, NULL)
