// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the kernel's rules for an atomic write, as fa_check_write()
 * and fa_check_job() apply them: each rule (unsupported, direct, pow2,
 * unit_min, unit_max, align, segments, user buffer) with its boundary
 * cases, the order the rules are checked in, the messages (value, limit and
 * origin), size bookkeeping of a job, and the rule names and errnos.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fa_limits.h"
#include "fa_test.h"

#define ORIGIN	"statx on /x/f"

static struct fa_limits lim;
static struct fa_verdict v;
static char msg[1024];

/* A regular file whose statx says @min..@max bytes, @segs segments. */
static void make_limits(uint64_t min, uint64_t max, uint64_t segs)
{
	memset(&lim, 0, sizeof(lim));
	snprintf(lim.path, sizeof(lim.path), "/x/f");
	lim.kind = FA_KIND_REGULAR;
	lim.statx_atomic = true;
	fa_value_set(&lim.stx_unit_min, min, FA_SRC_STATX, ORIGIN);
	fa_value_set(&lim.stx_unit_max, max, FA_SRC_STATX, ORIGIN);
	fa_value_set(&lim.stx_segments_max, segs, FA_SRC_STATX, ORIGIN);
	fa_limits_finish(&lim);
}

static int setup(void)
{
	make_limits(4096, 65536, 1);
	memset(&v, 0xa5, sizeof(v));
	memset(msg, 0, sizeof(msg));
	return 0;
}

static enum fa_rule check(uint64_t offset, uint64_t length,
			  unsigned int nr_segs, bool direct)
{
	struct fa_write w = {
		.offset = offset,
		.length = length,
		.nr_segs = nr_segs,
		.direct = direct,
	};

	return fa_check_write(&lim, &w, &v);
}

static void job_init(struct fa_job *job)
{
	memset(job, 0, sizeof(*job));
	job->direct = true;
	job->nr_segs = 1;
}

/* fa_check_write */

static void test_valid_write_passes(void)
{
	FA_ASSERT_EQ(check(16384, 16384, 1, true), FA_RULE_OK);
	FA_ASSERT_EQ(v.rule, FA_RULE_OK);
}

static void test_unsupported_target(void)
{
	make_limits(0, 0, 0);
	FA_ASSERT_EQ(check(0, 4096, 1, true), FA_RULE_UNSUPPORTED);
	FA_ASSERT(v.src == &lim.unit_max);
	fa_verdict_message(&lim, &v, "bs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "/x/f does not support atomic writes");
}

static void test_unsupported_min_above_max(void)
{
	make_limits(65536, 4096, 1);
	FA_ASSERT_EQ(check(0, 4096, 1, true), FA_RULE_UNSUPPORTED);
}

static void test_buffered_write_breaks_direct(void)
{
	FA_ASSERT_EQ(check(0, 4096, 1, false), FA_RULE_DIRECT);
	fa_verdict_message(&lim, &v, "bs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "direct=0");
	FA_ASSERT_CONTAINS(msg, "O_DIRECT");
	FA_ASSERT_CONTAINS(msg, "from " ORIGIN);
}

static void test_direct_checked_before_pow2(void)
{
	FA_ASSERT_EQ(check(0, 24576, 1, false), FA_RULE_DIRECT);
}

static void test_length_not_pow2(void)
{
	FA_ASSERT_EQ(check(0, 24576, 1, true), FA_RULE_POW2);
	FA_ASSERT_UEQ(v.value, 24576);
	fa_verdict_message(&lim, &v, "bs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "bs=24576 is not a power of two");
	FA_ASSERT_CONTAINS(msg, "4096..65536");
	FA_ASSERT_CONTAINS(msg, "from " ORIGIN);
}

static void test_length_zero_not_pow2(void)
{
	FA_ASSERT_EQ(check(0, 0, 1, true), FA_RULE_POW2);
}

static void test_pow2_checked_before_unit_max(void)
{
	/* 3 * 65536 is neither a power of two nor <= unit_max. */
	FA_ASSERT_EQ(check(0, 196608, 1, true), FA_RULE_POW2);
}

static void test_length_equal_unit_min_passes(void)
{
	FA_ASSERT_EQ(check(0, 4096, 1, true), FA_RULE_OK);
}

static void test_length_below_unit_min(void)
{
	FA_ASSERT_EQ(check(0, 2048, 1, true), FA_RULE_MIN);
	FA_ASSERT_UEQ(v.value, 2048);
	FA_ASSERT_UEQ(v.limit, 4096);
	FA_ASSERT(v.src == &lim.unit_min);
	fa_verdict_message(&lim, &v, "bs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "bs=2048 is below atomic_write_unit_min 4096");
	FA_ASSERT_CONTAINS(msg, "from " ORIGIN);
}

static void test_length_equal_unit_max_passes(void)
{
	FA_ASSERT_EQ(check(0, 65536, 1, true), FA_RULE_OK);
}

static void test_length_above_unit_max(void)
{
	FA_ASSERT_EQ(check(0, 131072, 1, true), FA_RULE_MAX);
	FA_ASSERT_UEQ(v.value, 131072);
	FA_ASSERT_UEQ(v.limit, 65536);
	FA_ASSERT(v.src == &lim.unit_max);
	fa_verdict_message(&lim, &v, "bs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg,
			   "bs=131072 is above atomic_write_unit_max 65536");
	FA_ASSERT_CONTAINS(msg, "from " ORIGIN);
}

static void test_offset_zero_is_aligned(void)
{
	FA_ASSERT_EQ(check(0, 65536, 1, true), FA_RULE_OK);
}

static void test_offset_multiple_of_length_passes(void)
{
	FA_ASSERT_EQ(check(3 * 16384, 16384, 1, true), FA_RULE_OK);
}

static void test_offset_misaligned_by_one_block(void)
{
	FA_ASSERT_EQ(check(16384 + 4096, 16384, 1, true), FA_RULE_ALIGN);
	FA_ASSERT_UEQ(v.value, 20480);
	FA_ASSERT_UEQ(v.limit, 16384);
	fa_verdict_message(&lim, &v, "offset", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg,
			   "offset=20480 is not naturally aligned to the write length 16384");
}

static void test_offset_misaligned_by_one_byte(void)
{
	FA_ASSERT_EQ(check(4097, 4096, 1, true), FA_RULE_ALIGN);
}

static void test_segments_above_max(void)
{
	FA_ASSERT_EQ(check(0, 4096, 2, true), FA_RULE_SEGMENTS);
	FA_ASSERT_UEQ(v.value, 2);
	FA_ASSERT_UEQ(v.limit, 1);
	FA_ASSERT(v.src == &lim.segments_max);
	fa_verdict_message(&lim, &v, "iovecs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg,
			   "iovecs=2 exceeds atomic_write_segments_max 1");
	FA_ASSERT_CONTAINS(msg, "from " ORIGIN);
}

static void test_segments_equal_max_passes(void)
{
	make_limits(4096, 65536, 4);
	FA_ASSERT_EQ(check(0, 4096, 4, true), FA_RULE_OK);
}

static void test_segments_unknown_not_checked(void)
{
	lim.segments_max.known = false;
	FA_ASSERT_EQ(check(0, 4096, 16, true), FA_RULE_OK);
}

static void test_registered_buffer_refused(void)
{
	struct fa_write w = {
		.length = 4096,
		.nr_segs = 1,
		.direct = true,
		.registered_buffer = true,
	};

	FA_ASSERT_EQ(fa_check_write(&lim, &w, &v), FA_RULE_UBUF);
	fa_verdict_message(&lim, &v, "fixedbufs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg, "one user buffer");
}

static void test_segments_checked_before_registered_buffer(void)
{
	struct fa_write w = {
		.length = 4096,
		.nr_segs = 2,
		.direct = true,
		.registered_buffer = true,
	};

	FA_ASSERT_EQ(fa_check_write(&lim, &w, &v), FA_RULE_SEGMENTS);
}

static void test_message_names_both_origins(void)
{
	snprintf(lim.unit_min.origin, sizeof(lim.unit_min.origin),
		 "/sys/block/sda/queue/atomic_write_unit_min_bytes");
	FA_ASSERT_EQ(check(0, 24576, 1, true), FA_RULE_POW2);
	fa_verdict_message(&lim, &v, "bs", msg, sizeof(msg));
	FA_ASSERT_CONTAINS(msg,
			   "from /sys/block/sda/queue/atomic_write_unit_min_bytes and " ORIGIN);
}

static void test_message_truncates_safely(void)
{
	char small[16];

	FA_ASSERT_EQ(check(0, 24576, 1, true), FA_RULE_POW2);
	memset(small, 'x', sizeof(small));
	fa_verdict_message(&lim, &v, "bs", small, sizeof(small));
	FA_ASSERT_UEQ(strlen(small), sizeof(small) - 1);
	FA_ASSERT_STREQ(small, "bs=24576 is not");
}

/* fa_check_job */

static void test_job_valid(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 4096, "bs");
	fa_job_add_size(&job, 65536, "bssplit");
	job.offset_align = 65536;
	job.align_opt = "blockalign";
	strcpy(msg, "junk");
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_OK);
	FA_ASSERT_STREQ(msg, "");
}

static void test_job_bssplit_size_not_pow2(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 4096, "bs");
	fa_job_add_size(&job, 24576, "bssplit");
	job.offset_align = 65536;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_POW2);
	FA_ASSERT_CONTAINS(msg, "bssplit=24576 is not a power of two");
	FA_ASSERT_CONTAINS(msg, "from " ORIGIN);
}

static void test_job_bs_above_unit_max(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 131072, "bs");
	job.offset_align = 131072;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_MAX);
	FA_ASSERT_CONTAINS(msg, "bs=131072 is above atomic_write_unit_max");
}

static void test_job_buffered(void)
{
	struct fa_job job;

	job_init(&job);
	job.direct = false;
	fa_job_add_size(&job, 4096, "bs");
	job.offset_align = 4096;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_DIRECT);
	FA_ASSERT_CONTAINS(msg, "direct=0");
}

static void test_job_blockalign_below_size(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 16384, "bs");
	job.offset_align = 4096;
	job.align_opt = "blockalign";
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_ALIGN);
	FA_ASSERT_UEQ(v.value, 4096);
	FA_ASSERT_UEQ(v.limit, 16384);
	FA_ASSERT_CONTAINS(msg, "blockalign=4096 lets a bs=16384 write");
}

/* No alignment option: sequential writes, each after the previous one. */
static void test_job_sequential_mixed_sizes(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 8192, "bssplit");
	fa_job_add_size(&job, 16384, "bssplit");
	job.offset_align = 8192;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_ALIGN);
	FA_ASSERT_CONTAINS(msg,
			   "start a bssplit=16384 write at an offset that is only a multiple of 8192");
}

static void test_job_size_errors_before_alignment(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 16384, "bs");
	fa_job_add_size(&job, 24576, "bssplit");
	job.offset_align = 4096;
	job.align_opt = "blockalign";
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_POW2);
}

static void test_job_registered_buffers(void)
{
	struct fa_job job;

	job_init(&job);
	job.registered_buffer = true;
	fa_job_add_size(&job, 4096, "bs");
	job.offset_align = 4096;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_UBUF);
	FA_ASSERT_CONTAINS(msg, "fixedbufs");
}

static void test_job_start_offset_misaligned(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 16384, "bs");
	job.offset_align = 16384;
	job.start_offset = 4096;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_ALIGN);
	FA_ASSERT_CONTAINS(msg,
			   "offset=4096 is not naturally aligned to bs=16384");
}

static void test_job_start_offset_aligned(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 16384, "bs");
	job.offset_align = 16384;
	job.start_offset = 32768;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_OK);
}

static void test_job_too_many_segments(void)
{
	struct fa_job job;

	job_init(&job);
	job.nr_segs = 2;
	fa_job_add_size(&job, 4096, "bs");
	job.offset_align = 4096;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_SEGMENTS);
}

static void test_job_zero_segments_means_one(void)
{
	struct fa_job job;

	job_init(&job);
	job.nr_segs = 0;
	fa_job_add_size(&job, 4096, "bs");
	job.offset_align = 4096;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_OK);
}

static void test_job_first_broken_size_reported(void)
{
	struct fa_job job;

	job_init(&job);
	fa_job_add_size(&job, 2048, "bs");
	fa_job_add_size(&job, 24576, "bssplit");
	job.offset_align = 65536;
	FA_ASSERT_EQ(fa_check_job(&lim, &job, &v, msg, sizeof(msg)),
		     FA_RULE_MIN);
	FA_ASSERT_CONTAINS(msg, "bs=2048");
}

/* fa_job_add_size */

static void test_add_size_dedupes(void)
{
	struct fa_job job;

	job_init(&job);
	FA_ASSERT_EQ(fa_job_add_size(&job, 4096, "bs"), 0);
	FA_ASSERT_EQ(fa_job_add_size(&job, 4096, "bssplit"), 0);
	FA_ASSERT_EQ(job.nr_sizes, 1);
	FA_ASSERT_STREQ(job.size_opt[0], "bs");
}

static void test_add_size_full_gives_e2big(void)
{
	struct fa_job job;
	int i;

	job_init(&job);
	for (i = 0; i < FA_JOB_MAX_SIZES; i++)
		FA_ASSERT_EQ(fa_job_add_size(&job, 512 * (i + 1), "bssplit"),
			     0);
	FA_ASSERT_EQ(fa_job_add_size(&job, 1, "bs"), -E2BIG);
	FA_ASSERT_EQ(job.nr_sizes, FA_JOB_MAX_SIZES);
	/* A size already recorded is still accepted when full. */
	FA_ASSERT_EQ(fa_job_add_size(&job, 512, "bs"), 0);
}

/* fa_rule_name, fa_rule_errno */

static void test_rule_names(void)
{
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_OK), "ok");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_UNSUPPORTED), "unsupported");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_DIRECT), "direct");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_POW2), "pow2");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_MIN), "unit_min");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_MAX), "unit_max");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_ALIGN), "align");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_SEGMENTS), "segments");
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_UBUF), "user_buffer");
}

static void test_rule_name_out_of_range(void)
{
	FA_ASSERT_STREQ(fa_rule_name(FA_RULE_NR), "unknown");
	FA_ASSERT_STREQ(fa_rule_name((enum fa_rule)-1), "unknown");
}

/* A rule added to the enum without a name would print "(null)". */
static void test_every_rule_has_a_name(void)
{
	enum fa_rule rule;

	for (rule = FA_RULE_OK; rule < FA_RULE_NR; rule++) {
		FA_ASSERT(fa_rule_name(rule) != NULL);
		FA_ASSERT(strcmp(fa_rule_name(rule), "unknown"));
	}
}

static void test_rule_errnos(void)
{
	enum fa_rule rule;

	FA_ASSERT_EQ(fa_rule_errno(FA_RULE_OK), 0);
	FA_ASSERT_EQ(fa_rule_errno(FA_RULE_UNSUPPORTED), EOPNOTSUPP);
	for (rule = FA_RULE_DIRECT; rule < FA_RULE_NR; rule++)
		FA_ASSERT_EQ(fa_rule_errno(rule), EINVAL);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_valid_write_passes),
	FA_TEST(test_unsupported_target),
	FA_TEST(test_unsupported_min_above_max),
	FA_TEST(test_buffered_write_breaks_direct),
	FA_TEST(test_direct_checked_before_pow2),
	FA_TEST(test_length_not_pow2),
	FA_TEST(test_length_zero_not_pow2),
	FA_TEST(test_pow2_checked_before_unit_max),
	FA_TEST(test_length_equal_unit_min_passes),
	FA_TEST(test_length_below_unit_min),
	FA_TEST(test_length_equal_unit_max_passes),
	FA_TEST(test_length_above_unit_max),
	FA_TEST(test_offset_zero_is_aligned),
	FA_TEST(test_offset_multiple_of_length_passes),
	FA_TEST(test_offset_misaligned_by_one_block),
	FA_TEST(test_offset_misaligned_by_one_byte),
	FA_TEST(test_segments_above_max),
	FA_TEST(test_segments_equal_max_passes),
	FA_TEST(test_segments_unknown_not_checked),
	FA_TEST(test_registered_buffer_refused),
	FA_TEST(test_segments_checked_before_registered_buffer),
	FA_TEST(test_message_names_both_origins),
	FA_TEST(test_message_truncates_safely),
	FA_TEST(test_job_valid),
	FA_TEST(test_job_bssplit_size_not_pow2),
	FA_TEST(test_job_bs_above_unit_max),
	FA_TEST(test_job_buffered),
	FA_TEST(test_job_blockalign_below_size),
	FA_TEST(test_job_sequential_mixed_sizes),
	FA_TEST(test_job_size_errors_before_alignment),
	FA_TEST(test_job_registered_buffers),
	FA_TEST(test_job_start_offset_misaligned),
	FA_TEST(test_job_start_offset_aligned),
	FA_TEST(test_job_too_many_segments),
	FA_TEST(test_job_zero_segments_means_one),
	FA_TEST(test_job_first_broken_size_reported),
	FA_TEST(test_add_size_dedupes),
	FA_TEST(test_add_size_full_gives_e2big),
	FA_TEST(test_rule_names),
	FA_TEST(test_rule_name_out_of_range),
	FA_TEST(test_every_rule_has_a_name),
	FA_TEST(test_rule_errnos),
};

FA_TEST_MAIN(cases, setup, NULL)
