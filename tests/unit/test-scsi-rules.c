// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the device's rules for WRITE ATOMIC(16), without a device
 * (lib/fa_scsi_rules.c), from Block Limits pages made by
 * fa_scsi_fixture.h: granularity, alignment, the maximum length with and
 * without an ATOMIC BOUNDARY, the boundary size, whole logical blocks and
 * the CDB's fields, a device without atomic writes and the order the rules
 * are checked in, each with its message; every rule of a job; the rules'
 * names.
 */
#include <stdint.h>
#include <string.h>

#include "fa_scsi.h"
#include "fa_scsi_fixture.h"
#include "fa_test.h"

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

static const struct fa_test_case cases[] = {
	FA_TEST(test_rule_granularity_message),
	FA_TEST(test_rule_alignment_message),
	FA_TEST(test_rule_max_length),
	FA_TEST(test_rule_boundary_size),
	FA_TEST(test_rule_boundary_length),
	FA_TEST(test_rule_block_and_cdb),
	FA_TEST(test_rule_unsupported_and_order),
	FA_TEST(test_check_job),
	FA_TEST(test_rule_names),
};

FA_TEST_MAIN(cases, setup, NULL)
