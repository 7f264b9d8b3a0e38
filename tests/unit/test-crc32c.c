// SPDX-License-Identifier: GPL-2.0
/*
 * Description: CRC-32C (fa_crc32c.h): the check value and the iSCSI test
 * vectors of RFC 3720 B.4 on both the SSE4.2 and the slicing-by-8 path,
 * chaining of calls, and the two paths agreeing on random buffers of every
 * length up to a few blocks, at every alignment, and on lengths around the
 * interleaved rounds of the SSE4.2 path; fa_crc32c() names the path it
 * takes (the instruction unless the table is faster, as on an emulated
 * CPU).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_crc32c.h"
#include "fa_test.h"

typedef uint32_t (*crc_fn)(uint32_t crc, const void *buf, size_t len);

static const struct {
	const char *name;
	crc_fn fn;
} paths[] = {
	{ "dispatch", fa_crc32c },
	{ "portable", fa_crc32c_portable },
	{ "hw", fa_crc32c_hw },
};

#define NR_PATHS	(sizeof(paths) / sizeof(paths[0]))

/* RFC 3720 B.4: a SCSI Read (10) command PDU */
static const unsigned char read_pdu[48] = {
	0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
	0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fill_random(unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(rng() >> 24);
}

/* Every path gives @want for @len bytes of @buf; names the path if not. */
#define ASSERT_ALL_PATHS(buf, len, want)				\
	do {								\
		size_t p_;						\
		for (p_ = 0; p_ < NR_PATHS; p_++) {			\
			uint32_t got_ = paths[p_].fn(0, (buf), (len));	\
			if (got_ != (uint32_t)(want))			\
				FA_FAIL("%s path: 0x%08X, want 0x%08X",	\
					paths[p_].name, got_,		\
					(uint32_t)(want));		\
		}							\
	} while (0)

static void test_check_value(void)
{
	ASSERT_ALL_PATHS("123456789", 9, 0xE3069283);
}

static void test_iscsi_32_zeros(void)
{
	unsigned char buf[32];

	memset(buf, 0, sizeof(buf));
	ASSERT_ALL_PATHS(buf, sizeof(buf), 0x8A9136AA);
}

static void test_iscsi_32_ones(void)
{
	unsigned char buf[32];

	memset(buf, 0xff, sizeof(buf));
	ASSERT_ALL_PATHS(buf, sizeof(buf), 0x62A8AB43);
}

static void test_iscsi_32_incrementing(void)
{
	unsigned char buf[32];
	int i;

	for (i = 0; i < 32; i++)
		buf[i] = (unsigned char)i;
	ASSERT_ALL_PATHS(buf, sizeof(buf), 0x46DD794E);
}

static void test_iscsi_32_decrementing(void)
{
	unsigned char buf[32];
	int i;

	for (i = 0; i < 32; i++)
		buf[i] = (unsigned char)(31 - i);
	ASSERT_ALL_PATHS(buf, sizeof(buf), 0x113FDB5C);
}

static void test_iscsi_read_pdu(void)
{
	ASSERT_ALL_PATHS(read_pdu, sizeof(read_pdu), 0xD9963A56);
}

static void test_empty_returns_crc(void)
{
	size_t p;

	for (p = 0; p < NR_PATHS; p++) {
		FA_ASSERT_UEQ(paths[p].fn(0, "", 0), 0);
		FA_ASSERT_UEQ(paths[p].fn(0x12345678, NULL, 0), 0x12345678);
	}
}

static void test_calls_chain(void)
{
	static unsigned char buf[20000];
	uint32_t whole, part;
	size_t split, p;

	fill_random(buf, sizeof(buf));
	whole = fa_crc32c_portable(0, buf, sizeof(buf));
	for (p = 0; p < NR_PATHS; p++) {
		for (split = 0; split <= sizeof(buf); split += 997) {
			part = paths[p].fn(0, buf, split);
			part = paths[p].fn(part, buf + split,
					   sizeof(buf) - split);
			if (part != whole)
				FA_FAIL("%s path split at %zu: 0x%08X, want 0x%08X",
					paths[p].name, split, part, whole);
		}
	}
}

/* The instruction where it runs faster than the table, else the table. */
static void test_hw_path_available_here(void)
{
	const char *name = fa_crc32c_impl_name();

	if (!fa_crc32c_hw_available()) {
		FA_ASSERT_STREQ(name, "slicing-by-8");
		FA_SKIP("this CPU has no SSE4.2 crc32 instruction: only the portable path runs");
	}
	FA_ASSERT(!strcmp(name, "sse4.2") || !strcmp(name, "slicing-by-8"));
}

static int compare_paths(const unsigned char *buf, size_t len,
			 uint32_t seed)
{
	uint32_t sw = fa_crc32c_portable(seed, buf, len);

	if (fa_crc32c_hw(seed, buf, len) != sw ||
	    fa_crc32c(seed, buf, len) != sw)
		return -1;
	return 0;
}

static void test_paths_agree_every_length_and_alignment(void)
{
	static unsigned char buf[9000 + 16];
	size_t len, align;

	if (!fa_crc32c_hw_available())
		FA_SKIP("this CPU has no SSE4.2 crc32 instruction: one path only");
	fill_random(buf, sizeof(buf));
	for (len = 0; len <= 9000; len++) {
		align = rng() % 16;
		if (compare_paths(buf + align, len, (uint32_t)rng()))
			FA_FAIL("paths disagree at length %zu, alignment %zu",
				len, align);
	}
	for (align = 0; align < 16; align++)
		for (len = 3 * 1024 - 24; len <= 3 * 1024 + 24; len++)
			if (compare_paths(buf + align, len, 0))
				FA_FAIL("paths disagree at length %zu, alignment %zu",
					len, align);
}

static void test_paths_agree_large_buffers(void)
{
	static const size_t lens[] = {
		65536, 65536 + 13, 3 * 1024 * 7 + 3 * 128 * 2 + 5,
		(1 << 20) + 7, (4 << 20) - 1,
	};
	unsigned char *buf;
	size_t i;

	if (!fa_crc32c_hw_available())
		FA_SKIP("this CPU has no SSE4.2 crc32 instruction: one path only");
	buf = malloc((4 << 20) + 8);
	FA_ASSERT(buf);
	fill_random(buf, (4 << 20) + 8);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		if (compare_paths(buf + (i % 8), lens[i], 0)) {
			free(buf);
			FA_FAIL("paths disagree at length %zu", lens[i]);
		}
	}
	free(buf);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_check_value),
	FA_TEST(test_iscsi_32_zeros),
	FA_TEST(test_iscsi_32_ones),
	FA_TEST(test_iscsi_32_incrementing),
	FA_TEST(test_iscsi_32_decrementing),
	FA_TEST(test_iscsi_read_pdu),
	FA_TEST(test_empty_returns_crc),
	FA_TEST(test_calls_chain),
	FA_TEST(test_hw_path_available_here),
	FA_TEST(test_paths_agree_every_length_and_alignment),
	FA_TEST(test_paths_agree_large_buffers),
};

FA_TEST_MAIN(cases, NULL, NULL)
