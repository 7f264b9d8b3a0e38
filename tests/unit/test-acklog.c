// SPDX-License-Identifier: GPL-2.0
/*
 * Description: acknowledged-write records (fa_acklog.h): a record's bytes
 * match the documented layout and decode back; a wrong magic, version,
 * record length, CRC, impossible fields and a truncated tail are refused
 * with the first bad record's index, and a bad log adds nothing; then the
 * check of acknowledged writes against units: found, newer, raced (older
 * write unacknowledged, or acknowledged after this one was submitted),
 * another job, and lost (unwritten, torn, mismatched, older and completed
 * before this one was submitted), records outside the region or off the
 * grid; the scanner's per-unit callback feeding the check.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fa_acklog.h"
#include "fa_crc32c.h"
#include "fa_scan.h"
#include "fa_stamp.h"
#include "fa_test.h"

#define UNIT	65536u
#define JOB_A	(1ull << 48 | 7ull << 32)	/* thread 1, pid 7 */
#define JOB_B	(2ull << 48 | 7ull << 32)	/* thread 2, pid 7 */

static struct fa_ack_set set;
static struct fa_ack_check chk;
static unsigned char log_buf[64 * FA_ACK_LEN];
static size_t log_len;

static int setup(void)
{
	fa_ack_set_init(&set);
	log_len = 0;
	return 0;
}

static void teardown(void)
{
	fa_ack_set_free(&set);
}

static void add(uint64_t generation, uint64_t submitted_hi, uint64_t offset,
		uint32_t length)
{
	struct fa_ack a = {
		.generation = generation,
		.submitted_hi = submitted_hi,
		.offset = offset,
		.length = length,
	};

	fa_ack_encode(&a, log_buf + log_len);
	log_len += FA_ACK_LEN;
}

static int load(void)
{
	size_t bad = 0;
	int ret = fa_ack_set_add_log(&set, log_buf, log_len, &bad);

	if (ret)
		return ret;
	return fa_ack_set_prepare(&set);
}

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void test_layout_and_round_trip(void)
{
	struct fa_ack a;

	add(JOB_A + 5, JOB_A + 9, 3 * UNIT, UNIT);
	FA_ASSERT(!memcmp(log_buf, "FAAK", 4));
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_VERSION, 2), 1);
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_RECORD_LEN, 2), 40);
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_GENERATION, 8), JOB_A + 5);
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_SUBMITTED_HI, 8), JOB_A + 9);
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_UNIT_OFFSET, 8), 3 * UNIT);
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_LENGTH, 4), UNIT);
	FA_ASSERT_UEQ(le(log_buf + FA_ACK_OFF_CRC, 4),
		      fa_crc32c(0, log_buf, 36));
	FA_ASSERT_EQ(fa_ack_decode(log_buf, &a), FA_ACK_OK);
	FA_ASSERT_UEQ(a.generation, JOB_A + 5);
	FA_ASSERT_UEQ(a.submitted_hi, JOB_A + 9);
	FA_ASSERT_UEQ(a.offset, 3 * UNIT);
	FA_ASSERT_UEQ(a.length, UNIT);
}

/* Re-sign a record after changing a field, so only the field is wrong. */
static void resign(unsigned char *rec)
{
	uint32_t crc = fa_crc32c(0, rec, FA_ACK_OFF_CRC);
	int i;

	for (i = 0; i < 4; i++)
		rec[FA_ACK_OFF_CRC + i] = (unsigned char)(crc >> (8 * i));
}

static void expect_bad(enum fa_ack_status want, size_t want_record)
{
	size_t bad = 99;

	FA_ASSERT_EQ(fa_ack_set_add_log(&set, log_buf, log_len, &bad), want);
	FA_ASSERT_UEQ(bad, want_record);
	FA_ASSERT_UEQ(set.nr, 0);
}

static void test_bad_records_refused(void)
{
	unsigned char *r2 = log_buf + 2 * FA_ACK_LEN;

	add(JOB_A + 1, JOB_A + 1, 0, UNIT);
	add(JOB_A + 2, JOB_A + 2, UNIT, UNIT);
	add(JOB_A + 3, JOB_A + 3, 2 * UNIT, UNIT);

	r2[0] = 'X';
	expect_bad(FA_ACK_BAD_MAGIC, 2);
	r2[0] = 'F';
	r2[FA_ACK_OFF_VERSION] = 2;
	expect_bad(FA_ACK_BAD_VERSION, 2);
	r2[FA_ACK_OFF_VERSION] = 1;
	r2[FA_ACK_OFF_RECORD_LEN] = 48;
	expect_bad(FA_ACK_BAD_VERSION, 2);
	r2[FA_ACK_OFF_RECORD_LEN] = 40;
	r2[FA_ACK_OFF_UNIT_OFFSET] ^= 1;
	expect_bad(FA_ACK_BAD_CRC, 2);
	r2[FA_ACK_OFF_UNIT_OFFSET] ^= 1;

	/* submitted_hi below the write's own generation */
	r2[FA_ACK_OFF_SUBMITTED_HI] = 2;
	resign(r2);
	expect_bad(FA_ACK_BAD_FIELDS, 2);
	r2[FA_ACK_OFF_SUBMITTED_HI] = 3;
	memset(r2 + FA_ACK_OFF_LENGTH, 0, 4);
	resign(r2);
	expect_bad(FA_ACK_BAD_FIELDS, 2);
	memset(r2 + FA_ACK_OFF_UNIT_OFFSET, 0xff, 8);
	r2[FA_ACK_OFF_LENGTH + 2] = 1;
	resign(r2);
	expect_bad(FA_ACK_BAD_FIELDS, 2);

	/* a valid log with a partial record after it */
	log_len = 2 * FA_ACK_LEN + 17;
	expect_bad(FA_ACK_TRUNCATED, 2);
	log_len = 2 * FA_ACK_LEN;
	FA_ASSERT_EQ(load(), 0);
	FA_ASSERT_UEQ(set.nr, 2);
	FA_ASSERT_STREQ(fa_ack_status_name(FA_ACK_TRUNCATED),
			"truncated record");
}

static void test_empty_log(void)
{
	FA_ASSERT_EQ(load(), 0);
	FA_ASSERT_UEQ(set.nr, 0);
	FA_ASSERT(!fa_ack_set_find(&set, JOB_A + 1));
	fa_ack_check_init(&chk, 0, 4 * UNIT);
	fa_ack_check_unit(&set, &chk, 0, UNIT, FA_UNIT_UNWRITTEN, 0);
	fa_ack_check_finish(&set, &chk);
	FA_ASSERT_UEQ(chk.acked, 0);
	FA_ASSERT_UEQ(chk.lost, 0);
}

/*
 * Units 0..7, each with its story:
 *   0: holds A+10, its only ack                          found
 *   1: holds A+20, ack A+11 earlier                      newer
 *   2: holds A+12 acked with submitted_hi A+30; ack A+25 raced
 *   3: holds A+13, never acked; ack A+26                 raced
 *   4: holds A+14 acked with submitted_hi A+14; ack A+27 lost (older)
 *   5: holds B+1; ack A+28                               other job
 *   6: unwritten; ack A+29                               lost (unwritten)
 *   7: torn; ack A+31                                    lost (torn)
 * plus one record beyond the region and one off the grid.
 */
static void test_check_verdicts(void)
{
	const struct {
		enum fa_unit_state state;
		uint64_t generation;
	} units[] = {
		{ FA_UNIT_INTACT, JOB_A + 10 },
		{ FA_UNIT_INTACT, JOB_A + 20 },
		{ FA_UNIT_INTACT, JOB_A + 12 },
		{ FA_UNIT_INTACT, JOB_A + 13 },
		{ FA_UNIT_INTACT, JOB_A + 14 },
		{ FA_UNIT_INTACT, JOB_B + 1 },
		{ FA_UNIT_UNWRITTEN, 0 },
		{ FA_UNIT_TORN, 0 },
	};
	unsigned int k;

	add(JOB_A + 10, JOB_A + 10, 0, UNIT);
	add(JOB_A + 20, JOB_A + 22, 1 * UNIT, UNIT);
	add(JOB_A + 11, JOB_A + 11, 1 * UNIT, UNIT);
	add(JOB_A + 12, JOB_A + 30, 2 * UNIT, UNIT);
	add(JOB_A + 25, JOB_A + 30, 2 * UNIT, UNIT);
	add(JOB_A + 26, JOB_A + 30, 3 * UNIT, UNIT);
	add(JOB_A + 14, JOB_A + 14, 4 * UNIT, UNIT);
	add(JOB_A + 27, JOB_A + 30, 4 * UNIT, UNIT);
	add(JOB_A + 28, JOB_A + 30, 5 * UNIT, UNIT);
	add(JOB_A + 29, JOB_A + 30, 6 * UNIT, UNIT);
	add(JOB_A + 31, JOB_A + 31, 7 * UNIT, UNIT);
	add(JOB_A + 40, JOB_A + 40, 9 * UNIT, UNIT);	/* outside */
	add(JOB_A + 41, JOB_A + 41, 2 * UNIT + 4096, UNIT); /* off grid */
	FA_ASSERT_EQ(load(), 0);
	FA_ASSERT(fa_ack_set_find(&set, JOB_A + 14));
	FA_ASSERT_UEQ(fa_ack_set_find(&set, JOB_A + 14)->offset, 4 * UNIT);
	FA_ASSERT(!fa_ack_set_find(&set, JOB_A + 13));

	fa_ack_check_init(&chk, 0, 8 * UNIT);
	for (k = 0; k < 8; k++)
		fa_ack_check_unit(&set, &chk, (uint64_t)k * UNIT, UNIT,
				  units[k].state, units[k].generation);
	fa_ack_check_finish(&set, &chk);

	FA_ASSERT_UEQ(chk.acked, 11);
	FA_ASSERT_UEQ(chk.units, 8);
	FA_ASSERT_UEQ(chk.found, 4);	/* units 0, 1, 2 and 4's own */
	FA_ASSERT_UEQ(chk.newer, 1);
	FA_ASSERT_UEQ(chk.raced, 2);
	FA_ASSERT_UEQ(chk.other_job, 1);
	FA_ASSERT_UEQ(chk.lost, 3);
	FA_ASSERT_UEQ(chk.lost_older, 1);
	FA_ASSERT_UEQ(chk.lost_unwritten, 1);
	FA_ASSERT_UEQ(chk.lost_torn, 1);
	FA_ASSERT_UEQ(chk.lost_mismatched, 0);
	FA_ASSERT_UEQ(chk.outside, 1);
	FA_ASSERT_UEQ(chk.off_grid, 1);
	FA_ASSERT_EQ(chk.nr_examples, 3);
	FA_ASSERT_UEQ(chk.examples[0].offset, 4 * UNIT);
	FA_ASSERT_EQ(chk.examples[0].reason, FA_LOST_OLDER);
	FA_ASSERT_UEQ(chk.examples[0].generation, JOB_A + 27);
	FA_ASSERT_UEQ(chk.examples[0].found, JOB_A + 14);
	FA_ASSERT_UEQ(chk.examples[0].found_submitted_hi, JOB_A + 14);
	FA_ASSERT_EQ(chk.examples[1].reason, FA_LOST_UNWRITTEN);
	FA_ASSERT_EQ(chk.examples[2].reason, FA_LOST_TORN);
	FA_ASSERT_STREQ(fa_lost_reason_name(FA_LOST_OLDER), "older");
}

/* Logs of two jobs, added one after the other, judged together. */
static void test_two_logs(void)
{
	size_t bad;

	add(JOB_A + 1, JOB_A + 1, 0, UNIT);
	FA_ASSERT_EQ(fa_ack_set_add_log(&set, log_buf, log_len, &bad), 0);
	log_len = 0;
	add(JOB_B + 1, JOB_B + 1, UNIT, UNIT);
	FA_ASSERT_EQ(load(), 0);
	FA_ASSERT_UEQ(set.nr, 2);
	fa_ack_check_init(&chk, 0, 2 * UNIT);
	fa_ack_check_unit(&set, &chk, 0, UNIT, FA_UNIT_INTACT, JOB_A + 1);
	fa_ack_check_unit(&set, &chk, UNIT, UNIT, FA_UNIT_INTACT, JOB_B + 1);
	fa_ack_check_finish(&set, &chk);
	FA_ASSERT_UEQ(chk.found, 2);
	FA_ASSERT_UEQ(chk.lost, 0);
}

static void on_unit(void *arg, uint64_t offset, enum fa_unit_state state,
		    uint64_t generation)
{
	fa_ack_check_unit(&set, arg, offset, UNIT, state, generation);
}

/* The scanner's callback: unit 1 holds generation 2, acked 3 is lost. */
static void test_scan_callback(void)
{
	static unsigned char region[4 * UNIT];
	struct fa_scan_counts c;

	memset(region, 0, sizeof(region));
	fa_stamp_fill(region, 0, UNIT, 4096, JOB_A + 1);
	fa_stamp_fill(region + UNIT, UNIT, UNIT, 4096, JOB_A + 2);
	fa_stamp_fill(region + 2 * UNIT, 2 * UNIT, UNIT, 4096, JOB_A + 4);
	/* unit 2 torn: its second half is another write's */
	fa_stamp_fill(region + 3 * UNIT, 2 * UNIT, UNIT, 4096, JOB_A + 5);
	memcpy(region + 2 * UNIT + UNIT / 2, region + 3 * UNIT + UNIT / 2,
	       UNIT / 2);
	memset(region + 3 * UNIT, 0, UNIT);
	add(JOB_A + 1, JOB_A + 1, 0, UNIT);
	add(JOB_A + 2, JOB_A + 2, UNIT, UNIT);
	add(JOB_A + 3, JOB_A + 3, UNIT, UNIT);
	add(JOB_A + 5, JOB_A + 5, 2 * UNIT, UNIT);
	FA_ASSERT_EQ(load(), 0);
	fa_ack_check_init(&chk, 0, sizeof(region));
	fa_scan_counts_init(&c);
	c.unit_fn = on_unit;
	c.unit_arg = &chk;
	FA_ASSERT_EQ(fa_scan_region(region, sizeof(region), 0, UNIT, 4096,
				    &c), 0);
	fa_ack_check_finish(&set, &chk);
	FA_ASSERT_UEQ(c.intact, 2);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.unwritten, 1);
	FA_ASSERT_UEQ(chk.acked, 4);
	FA_ASSERT_UEQ(chk.found, 2);
	FA_ASSERT_UEQ(chk.lost, 2);
	FA_ASSERT_UEQ(chk.lost_older, 1);
	FA_ASSERT_UEQ(chk.lost_torn, 1);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_layout_and_round_trip),
	FA_TEST(test_bad_records_refused),
	FA_TEST(test_empty_log),
	FA_TEST(test_check_verdicts),
	FA_TEST(test_two_logs),
	FA_TEST(test_scan_callback),
};

FA_TEST_MAIN(cases, setup, teardown)
