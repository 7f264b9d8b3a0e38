// SPDX-License-Identifier: GPL-2.0
/*
 * Description: write stamps (fa_stamp.h): the on-disk layout byte by byte
 * and the pattern as documented, a stamped unit parsing back with every
 * field, at 512 and 4096-byte blocks and at odd buffer alignments; a
 * flipped byte anywhere giving BAD_CRC; unstamped data giving NONE; a
 * block checked at another place giving MISPLACED; stamps of another block
 * size or version giving FOREIGN; bad geometries refused; and the block
 * size chosen for a target.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_crc32c.h"
#include "fa_limits.h"
#include "fa_stamp.h"
#include "fa_test.h"

#define UNIT		65536u
#define BLOCK		4096u
#define UNIT_OFFSET	(1ull << 20)
#define GEN		42ull

/* Room for a unit at any alignment. */
static unsigned char space[UNIT + 64];
static unsigned char *buf;
static struct fa_stamp_info info;

static int setup(void)
{
	memset(space, 0xee, sizeof(space));
	buf = space + 16;
	memset(&info, 0, sizeof(info));
	return 0;
}

static uint64_t le64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static uint32_t le32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

/* The pattern word j of block @index, from the formula in fa_stamp.h. */
static uint64_t doc_word(uint64_t generation, uint32_t index, uint64_t j)
{
	const uint64_t golden = 0x9e3779b97f4a7c15ull;
	uint64_t z = generation + golden * (index + 1ull), v;

	z ^= z >> 30;
	z *= 0xbf58476d1ce4e5b9ull;
	z ^= z >> 27;
	z *= 0x94d049bb133111ebull;
	z ^= z >> 31;
	v = z + golden * j;
	return v ^ (v >> 29);
}

static void test_layout_is_fixed(void)
{
	static const unsigned char want[44] = {
		'F', 'A', '-', 'S', 'T', 'A', 'M', 'P',
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, /* gen */
		0x00, 0x80, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* offset */
		0x00, 0x20, 0x00, 0x00,		/* unit_len 8192 */
		0x01, 0x00, 0x00, 0x00,		/* block_index 1 */
		0x00, 0x10, 0x00, 0x00,		/* block_size 4096 */
		0x01, 0x00,			/* version 1 */
		0x30, 0x00,			/* stamp_len 48 */
		0x00, 0x00, 0x00, 0x00,		/* reserved */
	};
	unsigned char copy[BLOCK];
	const unsigned char *blk = buf + BLOCK;
	size_t i;

	FA_ASSERT_EQ(fa_stamp_fill(buf, 0x0102030405068000ull, 8192, BLOCK,
				   0x1122334455667788ull), 0);
	for (i = 0; i < sizeof(want); i++)
		if (blk[i] != want[i])
			FA_FAIL("byte %zu of block 1 is 0x%02x, want 0x%02x",
				i, blk[i], want[i]);
	/* The CRC is of the block with the CRC field zero. */
	memcpy(copy, blk, BLOCK);
	memset(copy + FA_STAMP_OFF_CRC, 0, 4);
	FA_ASSERT_UEQ(le32_at(blk + FA_STAMP_OFF_CRC),
		      fa_crc32c_portable(0, copy, BLOCK));
}

static void test_pattern_is_as_documented(void)
{
	static const uint32_t blocks[] = { 0, 3, 15 };
	static const uint64_t words[] = { 0, 1, 2, 3, 4, 100, 505 };
	size_t b, w;

	FA_ASSERT_EQ(fa_stamp_fill(buf, UNIT_OFFSET, UNIT, BLOCK, GEN), 0);
	for (b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++)
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			FA_ASSERT_UEQ(le64_at(buf + blocks[b] * BLOCK +
					      FA_STAMP_LEN + 8 * words[w]),
				      doc_word(GEN, blocks[b], words[w]));
}

/* Fill a unit at @p, parse every block back and check every field. */
static int round_trip(unsigned char *p, uint32_t unit, uint32_t block)
{
	uint32_t i;

	if (fa_stamp_fill(p, UNIT_OFFSET, unit, block, GEN))
		return -1;
	for (i = 0; i < unit / block; i++) {
		const unsigned char *blk = p + (size_t)i * block;
		uint64_t where = UNIT_OFFSET + (uint64_t)i * block;

		memset(&info, 0, sizeof(info));
		if (fa_stamp_parse_block(blk, block, &info) != FA_STAMP_OK ||
		    fa_stamp_check_block(blk, block, where, &info) !=
		    FA_STAMP_OK)
			return -2;
		if (info.generation != GEN || info.unit_offset != UNIT_OFFSET ||
		    info.unit_len != unit || info.block_index != i ||
		    info.block_size != block || info.version != 1 ||
		    info.stamp_len != FA_STAMP_LEN ||
		    info.crc != info.crc_computed)
			return -3;
	}
	return 0;
}

static void test_round_trip_4096(void)
{
	FA_ASSERT_EQ(round_trip(buf, UNIT, BLOCK), 0);
}

static void test_round_trip_512(void)
{
	FA_ASSERT_EQ(round_trip(buf, 16384, 512), 0);
}

static void test_round_trip_any_alignment(void)
{
	int align;

	for (align = 1; align < 16; align++)
		FA_ASSERT_EQ(round_trip(space + align, 8192, 4096), 0);
}

static void test_one_block_unit(void)
{
	FA_ASSERT_EQ(round_trip(buf, BLOCK, BLOCK), 0);
}

static void test_flipped_pattern_byte_is_bad_crc(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, UNIT_OFFSET, UNIT, BLOCK, GEN), 0);
	buf[BLOCK + 3000] ^= 0x01;
	FA_ASSERT_EQ(fa_stamp_parse_block(buf + BLOCK, BLOCK, &info),
		     FA_STAMP_BAD_CRC);
	FA_ASSERT(info.crc != info.crc_computed);
	/* Its neighbours are untouched. */
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info), FA_STAMP_OK);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf + 2 * BLOCK, BLOCK, &info),
		     FA_STAMP_OK);
}

static void test_flipped_byte_anywhere_is_bad_crc(void)
{
	size_t pos;

	FA_ASSERT_EQ(fa_stamp_fill(buf, UNIT_OFFSET, BLOCK, BLOCK, GEN), 0);
	/* Every byte after the magic and outside the version fields. */
	for (pos = FA_STAMP_MAGIC_LEN; pos < BLOCK; pos++) {
		int ret;

		if (pos >= FA_STAMP_OFF_VERSION &&
		    pos < FA_STAMP_OFF_RESERVED)
			continue;
		buf[pos] ^= 0x40;
		ret = fa_stamp_parse_block(buf, BLOCK, &info);
		buf[pos] ^= 0x40;
		if (ret != FA_STAMP_BAD_CRC)
			FA_FAIL("byte %zu flipped: %s, want bad_crc", pos,
				fa_stamp_result_name(ret));
	}
}

static void test_torn_block_is_bad_crc(void)
{
	/* The first 512-byte sector of one write, the rest of another. */
	static unsigned char other[BLOCK];

	FA_ASSERT_EQ(fa_stamp_fill(buf, UNIT_OFFSET, BLOCK, BLOCK, GEN), 0);
	FA_ASSERT_EQ(fa_stamp_fill(other, UNIT_OFFSET, BLOCK, BLOCK, GEN + 1),
		     0);
	memcpy(buf + 512, other + 512, BLOCK - 512);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info),
		     FA_STAMP_BAD_CRC);
	FA_ASSERT_UEQ(info.generation, GEN);
}

static void test_unstamped_is_none(void)
{
	size_t i;

	memset(buf, 0, BLOCK);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info), FA_STAMP_NONE);
	for (i = 0; i < BLOCK; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info), FA_STAMP_NONE);
	/* A magic one byte off is no magic. */
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, BLOCK, BLOCK, GEN), 0);
	buf[FA_STAMP_MAGIC_LEN - 1] ^= 0x20;
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info), FA_STAMP_NONE);
}

static void test_block_elsewhere_is_misplaced(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, UNIT_OFFSET, UNIT, BLOCK, GEN), 0);
	/* Block 2 read where block 1 belongs, or a unit further on. */
	FA_ASSERT_EQ(fa_stamp_check_block(buf + 2 * BLOCK, BLOCK,
					  UNIT_OFFSET + BLOCK, &info),
		     FA_STAMP_MISPLACED);
	FA_ASSERT_UEQ(info.block_index, 2);
	FA_ASSERT_EQ(fa_stamp_check_block(buf, BLOCK, UNIT_OFFSET + UNIT,
					  &info),
		     FA_STAMP_MISPLACED);
	/* Parsing alone does not know the place. */
	FA_ASSERT_EQ(fa_stamp_parse_block(buf + 2 * BLOCK, BLOCK, &info),
		     FA_STAMP_OK);
}

static void test_smaller_block_size_is_foreign(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, BLOCK, 512, GEN), 0);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info),
		     FA_STAMP_FOREIGN);
	FA_ASSERT_UEQ(info.block_size, 512);
	FA_ASSERT_UEQ(info.unit_len, BLOCK);
	/* ...but verified over its own size first. */
	buf[300] ^= 1;
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info),
		     FA_STAMP_BAD_CRC);
}

static void test_larger_block_size_is_foreign(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, UNIT, BLOCK, GEN), 0);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, 512, &info), FA_STAMP_FOREIGN);
	FA_ASSERT_UEQ(info.block_size, BLOCK);
	FA_ASSERT_UEQ(info.crc_computed, 0);
}

/* Rewrite a field of block 0 and give it a valid CRC again. */
static void rewrite_u16(size_t off, uint16_t value)
{
	uint16_t le = htole16(value);
	uint32_t crc;

	memcpy(buf + off, &le, sizeof(le));
	memset(buf + FA_STAMP_OFF_CRC, 0, 4);
	crc = htole32(fa_crc32c(0, buf, BLOCK));
	memcpy(buf + FA_STAMP_OFF_CRC, &crc, 4);
}

static void test_other_version_is_foreign(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, BLOCK, BLOCK, GEN), 0);
	rewrite_u16(FA_STAMP_OFF_VERSION, 2);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info),
		     FA_STAMP_FOREIGN);
	FA_ASSERT_UEQ(info.version, 2);
}

static void test_other_header_length_is_foreign(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, BLOCK, BLOCK, GEN), 0);
	rewrite_u16(FA_STAMP_OFF_STAMP_LEN, 64);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info),
		     FA_STAMP_FOREIGN);
}

static void test_block_index_beyond_unit_is_foreign(void)
{
	uint32_t v = htole32(2), crc;

	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, 2 * BLOCK, BLOCK, GEN), 0);
	memcpy(buf + FA_STAMP_OFF_BLOCK_INDEX, &v, 4);
	memset(buf + FA_STAMP_OFF_CRC, 0, 4);
	crc = htole32(fa_crc32c(0, buf, BLOCK));
	memcpy(buf + FA_STAMP_OFF_CRC, &crc, 4);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, BLOCK, &info),
		     FA_STAMP_FOREIGN);
}

static void test_bad_geometry_refused(void)
{
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, 4096, 1000, GEN), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, 4096, 256, GEN), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, 4u << 20, 2u << 20, GEN), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, 0, 4096, GEN), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, 6144, 4096, GEN), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_valid_geometry(2u << 30, 4096), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_valid_geometry(1u << 30, 4096), 0);
	FA_ASSERT_EQ(fa_stamp_parse_block(buf, 1000, &info), -EINVAL);
	FA_ASSERT_EQ(fa_stamp_check_block(buf, 0, 0, &info), -EINVAL);
	/* Nothing was written by the refused fills. */
	FA_ASSERT_UEQ(buf[0], 0xee);
}

static void test_generations_give_different_data(void)
{
	static unsigned char other[BLOCK];
	size_t w, same = 0;

	FA_ASSERT_EQ(fa_stamp_fill(buf, 0, BLOCK, BLOCK, GEN), 0);
	FA_ASSERT_EQ(fa_stamp_fill(other, 0, BLOCK, BLOCK, GEN + 1), 0);
	for (w = FA_STAMP_LEN; w < BLOCK; w += 8)
		same += !memcmp(buf + w, other + w, 8);
	FA_ASSERT_UEQ(same, 0);
	/* The same write, the same bytes. */
	FA_ASSERT_EQ(fa_stamp_fill(other, 0, BLOCK, BLOCK, GEN), 0);
	FA_ASSERT(!memcmp(buf, other, BLOCK));
}

static void set_value(struct fa_value *v, uint64_t value, const char *origin)
{
	v->value = value;
	v->known = true;
	snprintf(v->origin, sizeof(v->origin), "%s", origin);
}

static void test_block_for_target(void)
{
	static struct fa_limits lim;
	const struct fa_value *src;

	memset(&lim, 0, sizeof(lim));
	lim.kind = FA_KIND_BLOCK;
	set_value(&lim.sys_logical_block, 512, "/sys/block/sda/queue/x");
	set_value(&lim.stx_dio_offset_align, 4096, "statx on /dev/sda");
	FA_ASSERT_UEQ(fa_stamp_block_for(&lim, &src), 512);
	FA_ASSERT(src == &lim.sys_logical_block);

	lim.kind = FA_KIND_REGULAR;
	FA_ASSERT_UEQ(fa_stamp_block_for(&lim, &src), 4096);
	FA_ASSERT(src == &lim.stx_dio_offset_align);

	/* Nothing usable reported: the default. */
	lim.stx_dio_offset_align.value = 1;
	FA_ASSERT_UEQ(fa_stamp_block_for(&lim, &src), 4096);
	FA_ASSERT(src == NULL);
	lim.stx_dio_offset_align.known = false;
	FA_ASSERT_UEQ(fa_stamp_block_for(&lim, &src), 4096);
	FA_ASSERT(src == NULL);
}

static void test_result_names(void)
{
	FA_ASSERT_STREQ(fa_stamp_result_name(FA_STAMP_NONE), "none");
	FA_ASSERT_STREQ(fa_stamp_result_name(FA_STAMP_OK), "ok");
	FA_ASSERT_STREQ(fa_stamp_result_name(FA_STAMP_BAD_CRC), "bad_crc");
	FA_ASSERT_STREQ(fa_stamp_result_name(FA_STAMP_MISPLACED),
			"misplaced");
	FA_ASSERT_STREQ(fa_stamp_result_name(FA_STAMP_FOREIGN), "foreign");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_layout_is_fixed),
	FA_TEST(test_pattern_is_as_documented),
	FA_TEST(test_round_trip_4096),
	FA_TEST(test_round_trip_512),
	FA_TEST(test_round_trip_any_alignment),
	FA_TEST(test_one_block_unit),
	FA_TEST(test_flipped_pattern_byte_is_bad_crc),
	FA_TEST(test_flipped_byte_anywhere_is_bad_crc),
	FA_TEST(test_torn_block_is_bad_crc),
	FA_TEST(test_unstamped_is_none),
	FA_TEST(test_block_elsewhere_is_misplaced),
	FA_TEST(test_smaller_block_size_is_foreign),
	FA_TEST(test_larger_block_size_is_foreign),
	FA_TEST(test_other_version_is_foreign),
	FA_TEST(test_other_header_length_is_foreign),
	FA_TEST(test_block_index_beyond_unit_is_foreign),
	FA_TEST(test_bad_geometry_refused),
	FA_TEST(test_generations_give_different_data),
	FA_TEST(test_block_for_target),
	FA_TEST(test_result_names),
};

FA_TEST_MAIN(cases, setup, NULL)
