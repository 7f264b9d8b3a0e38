// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the dm-log-writes reader (lib/fa_logwrites.c) on logs built
 * here the way the target lays them out: the super and entry fields, the
 * walk through writes, flushes, FUA writes, discards and marks with their
 * offsets, crash points, data reads, seeking, and the refusal of every
 * malformed log (magic, version, sectorsize, flags, marks, ranges past the
 * log or past 2^63 bytes, a short read).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fa_logwrites.h"
#include "fa_unaligned.h"

#include "fa_test.h"

#define SS	4096u
#define LOG_MAX	(64u * SS)

static unsigned char log_buf[LOG_MAX];
static size_t log_len;
static uint64_t nr_entries;

static void put_super(uint64_t magic, uint64_t version, uint32_t ss)
{
	memset(log_buf, 0, ss);
	sg_put_unaligned_le64(magic, log_buf);
	sg_put_unaligned_le64(version, log_buf + 8);
	sg_put_unaligned_le64(nr_entries, log_buf + 16);
	sg_put_unaligned_le32(ss, log_buf + 24);
}

static void log_start(uint32_t ss)
{
	nr_entries = 0;
	put_super(FA_LW_MAGIC, FA_LW_VERSION, ss);
	log_len = ss;
}

/* one entry; @fill the byte its data blocks hold; @mark a MARK's text */
static void add(uint64_t sector, uint64_t nr, uint64_t flags,
		unsigned char fill, const char *mark)
{
	unsigned char *h = log_buf + log_len;
	size_t ml = mark ? strlen(mark) : 0;

	memset(h, 0, SS);
	sg_put_unaligned_le64(sector, h);
	sg_put_unaligned_le64(nr, h + 8);
	sg_put_unaligned_le64(flags, h + 16);
	sg_put_unaligned_le64(ml, h + 24);
	if (mark)
		memcpy(h + FA_LW_ENTRY_LEN, mark, ml);
	log_len += SS;
	if (!(flags & (FA_LW_DISCARD | FA_LW_MARK))) {
		memset(log_buf + log_len, fill, nr * SS);
		log_len += nr * SS;
	}
	nr_entries++;
	sg_put_unaligned_le64(nr_entries, log_buf + 16);
}

static struct fa_lw_mem mem;
static struct fa_lw_reader rd;

static int open_log(void)
{
	fa_lw_close(&rd);
	mem.buf = log_buf;
	mem.len = log_len;
	return fa_lw_open(&rd, fa_lw_mem_read, &mem, log_len);
}

/* a write, a flush, a FUA write, a discard, a mark, a metadata write */
static void sample_log(void)
{
	log_start(SS);
	add(8, 2, 0, 0xa1, NULL);
	add(0, 0, FA_LW_FLUSH, 0, NULL);
	add(16, 1, FA_LW_FUA, 0xb2, NULL);
	add(100, 50, FA_LW_DISCARD, 0, NULL);
	add(0, 0, FA_LW_MARK, 0, "workload");
	add(3, 1, FA_LW_METADATA | FA_LW_FLUSH | FA_LW_FUA, 0xc3, NULL);
}

static int setup(void)
{
	return 0;
}

static void teardown(void)
{
	fa_lw_close(&rd);
}

static void test_super_fields(void)
{
	struct fa_lw_super sb;

	sample_log();
	FA_ASSERT_EQ(fa_lw_super_parse(log_buf, FA_LW_SUPER_LEN, &sb), 0);
	FA_ASSERT_UEQ(sb.magic, FA_LW_MAGIC);
	FA_ASSERT_UEQ(sb.version, 1);
	FA_ASSERT_UEQ(sb.nr_entries, 6);
	FA_ASSERT_UEQ(sb.sectorsize, SS);
	FA_ASSERT_EQ(fa_lw_super_parse(log_buf, FA_LW_SUPER_LEN - 1, &sb),
		     -ENODATA);
}

static void test_walk(void)
{
	struct fa_lw_entry e;
	unsigned char data[2 * SS];
	uint64_t crash = 0;
	char flags[64];

	sample_log();
	FA_ASSERT_EQ(open_log(), 0);

	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_UEQ(e.index, 0);
	FA_ASSERT_UEQ(e.sector, 8);
	FA_ASSERT_UEQ(e.nr_sectors, 2);
	FA_ASSERT_UEQ(e.log_offset, SS);
	FA_ASSERT_UEQ(e.data_offset, 2 * SS);
	FA_ASSERT_UEQ(e.next_offset, 4 * SS);
	FA_ASSERT(fa_lw_has_data(&e));
	FA_ASSERT(!fa_lw_is_crash_point(&e));
	FA_ASSERT_EQ(fa_lw_read_data(&rd, &e, 0, data, sizeof(data)), 0);
	FA_ASSERT(data[0] == 0xa1 && data[2 * SS - 1] == 0xa1);
	FA_ASSERT_EQ(fa_lw_read_data(&rd, &e, SS, data, SS + 1), -EINVAL);

	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_UEQ(e.flags, FA_LW_FLUSH);
	FA_ASSERT(fa_lw_is_crash_point(&e) && !fa_lw_has_data(&e));
	FA_ASSERT_UEQ(e.next_offset, 5 * SS);
	FA_ASSERT_EQ(fa_lw_read_data(&rd, &e, 0, data, 1), -EINVAL);

	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT(fa_lw_is_crash_point(&e) && fa_lw_has_data(&e));
	FA_ASSERT_EQ(fa_lw_read_data(&rd, &e, 0, data, SS), 0);
	FA_ASSERT(data[0] == 0xb2);

	/* a discard has no data in the log, whatever its range */
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_UEQ(e.nr_sectors, 50);
	FA_ASSERT(!fa_lw_has_data(&e));
	FA_ASSERT_UEQ(e.next_offset, e.log_offset + SS);

	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT(e.mark != NULL);
	FA_ASSERT_STREQ(e.mark, "workload");
	FA_ASSERT_UEQ(e.data_len, 8);

	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_STREQ(fa_lw_flags_name(e.flags, flags, sizeof(flags)),
			"FLUSH|FUA|METADATA");
	FA_ASSERT_UEQ(e.next_offset, log_len);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 1);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 1);

	/* crash points: the flush, the FUA write, the last one */
	FA_ASSERT_EQ(fa_lw_seek(&rd, 0, SS), 0);
	while (fa_lw_next(&rd, &e) == 0)
		crash += fa_lw_is_crash_point(&e);
	FA_ASSERT_UEQ(crash, 3);
}

static void test_seek(void)
{
	struct fa_lw_entry e, third;

	sample_log();
	FA_ASSERT_EQ(open_log(), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &third), 0);
	FA_ASSERT_EQ(fa_lw_seek(&rd, third.index, third.log_offset), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_UEQ(e.index, 2);
	FA_ASSERT_UEQ(e.sector, 16);
	FA_ASSERT_EQ(fa_lw_seek(&rd, 7, SS), -ERANGE);
	FA_ASSERT_EQ(fa_lw_seek(&rd, 0, 0), -ERANGE);
	FA_ASSERT_EQ(fa_lw_seek(&rd, 0, SS + 1), -ERANGE);
	FA_ASSERT_EQ(fa_lw_seek(&rd, 0, log_len + SS), -ERANGE);
}

static void test_small_sectors(void)
{
	struct fa_lw_entry e;

	/* 512-byte blocks: the header is one of them, the data follows */
	log_start(512);
	memset(log_buf + 512, 0, 512);
	sg_put_unaligned_le64(5, log_buf + 512);
	sg_put_unaligned_le64(3, log_buf + 520);
	log_len = 512 + 512 + 3 * 512;
	sg_put_unaligned_le64(1, log_buf + 16);
	FA_ASSERT_EQ(open_log(), 0);
	FA_ASSERT_UEQ(rd.super.sectorsize, 512);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_UEQ(e.data_offset, 1024);
	FA_ASSERT_UEQ(e.next_offset, log_len);
}

static void test_bad_super(void)
{
	sample_log();
	put_super(FA_LW_MAGIC + 1, FA_LW_VERSION, SS);
	FA_ASSERT_EQ(open_log(), -ENOMSG);
	put_super(FA_LW_MAGIC, 2, SS);
	FA_ASSERT_EQ(open_log(), -EPROTONOSUPPORT);
	put_super(FA_LW_MAGIC, FA_LW_VERSION, 3000);
	FA_ASSERT_EQ(open_log(), -EBADMSG);
	put_super(FA_LW_MAGIC, FA_LW_VERSION, 256);
	FA_ASSERT_EQ(open_log(), -EBADMSG);
	put_super(FA_LW_MAGIC, FA_LW_VERSION, 1u << 17);
	FA_ASSERT_EQ(open_log(), -EBADMSG);
	/* a log smaller than its own block */
	put_super(FA_LW_MAGIC, FA_LW_VERSION, SS);
	log_len = 100;
	FA_ASSERT_EQ(open_log(), -ERANGE);
	log_len = 10;
	FA_ASSERT_EQ(open_log(), -ERANGE);
}

/* the only entry of a log holds these fields: what does the walk say? */
static int one_entry(uint64_t sector, uint64_t nr, uint64_t flags,
		     uint64_t data_len)
{
	struct fa_lw_entry e;
	int ret;

	log_start(SS);
	add(sector, 0, 0, 0, NULL);
	sg_put_unaligned_le64(nr, log_buf + SS + 8);
	sg_put_unaligned_le64(flags, log_buf + SS + 16);
	sg_put_unaligned_le64(data_len, log_buf + SS + 24);
	ret = open_log();
	if (ret)
		return 100 + ret;
	return fa_lw_next(&rd, &e);
}

static void test_bad_entries(void)
{
	FA_ASSERT_EQ(one_entry(0, 0, FA_LW_FLUSH, 0), 0);
	FA_ASSERT_EQ(one_entry(0, 0, 1ULL << 5, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry(0, 0, FA_LW_MARK | FA_LW_FUA, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry(0, 1, FA_LW_MARK, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry(1, 0, FA_LW_MARK, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry(0, 0, FA_LW_MARK, SS - FA_LW_ENTRY_LEN - 1), 0);
	FA_ASSERT_EQ(one_entry(0, 0, FA_LW_MARK, SS - FA_LW_ENTRY_LEN),
		     -EBADMSG);
	FA_ASSERT_EQ(one_entry(0, 0, FA_LW_MARK, UINT64_MAX), -EBADMSG);
	FA_ASSERT_EQ(one_entry(0, 0, 0, 1), -EBADMSG);
	FA_ASSERT_EQ(one_entry(0, 4, FA_LW_DISCARD | FA_LW_FLUSH, 0),
		     -EBADMSG);
	/* ranges past 2^63 bytes, with and without wrapping */
	FA_ASSERT_EQ(one_entry(UINT64_MAX, 0, FA_LW_DISCARD, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry(1, UINT64_MAX, FA_LW_DISCARD, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry(1ULL << 51, 1, FA_LW_DISCARD, 0), -EBADMSG);
	FA_ASSERT_EQ(one_entry((1ULL << 51) - 1, 2, FA_LW_DISCARD, 0),
		     -EBADMSG);
	FA_ASSERT_EQ(one_entry((1ULL << 51) - 1, 1, FA_LW_DISCARD, 0), 0);
	/* data that the log does not hold */
	FA_ASSERT_EQ(one_entry(0, 1, 0, 0), -ERANGE);
	FA_ASSERT_EQ(one_entry(0, 1ULL << 40, FA_LW_FUA, 0), -ERANGE);
}

static void test_counts_past_the_log(void)
{
	struct fa_lw_entry e;

	/* nr_entries says 3, the log holds 2: the third is past its end */
	sample_log();
	log_len = 5 * SS;
	sg_put_unaligned_le64(3, log_buf + 16);
	FA_ASSERT_EQ(open_log(), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), -ERANGE);
	/* the walk stays at the entry that failed */
	FA_ASSERT_UEQ(rd.next_index, 2);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), -ERANGE);
}

static void test_short_read(void)
{
	struct fa_lw_entry e;

	/* the caller's size is larger than what can be read */
	sample_log();
	mem.buf = log_buf;
	mem.len = 3 * SS;
	fa_lw_close(&rd);
	FA_ASSERT_EQ(fa_lw_open(&rd, fa_lw_mem_read, &mem, log_len), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), 0);
	FA_ASSERT_EQ(fa_lw_next(&rd, &e), -ENODATA);
}

static void test_flags_name(void)
{
	char buf[64];

	FA_ASSERT_STREQ(fa_lw_flags_name(0, buf, sizeof(buf)), "-");
	FA_ASSERT_STREQ(fa_lw_flags_name(FA_LW_DISCARD, buf, sizeof(buf)),
			"DISCARD");
	FA_ASSERT_STREQ(fa_lw_flags_name(FA_LW_FUA | 1ULL << 9, buf,
					 sizeof(buf)), "FUA|0x200");
	FA_ASSERT_STREQ(fa_lw_flags_name(FA_LW_KNOWN_FLAGS, buf, 8),
			"FLUSH");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_super_fields),
	FA_TEST(test_walk),
	FA_TEST(test_seek),
	FA_TEST(test_small_sectors),
	FA_TEST(test_bad_super),
	FA_TEST(test_bad_entries),
	FA_TEST(test_counts_past_the_log),
	FA_TEST(test_short_read),
	FA_TEST(test_flags_name),
};

FA_TEST_MAIN(cases, setup, teardown)
