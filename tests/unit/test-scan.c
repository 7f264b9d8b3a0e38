// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the tear scanner (fa_scan.h) on in-memory regions and on a
 * file: clean units intact; unstamped units unwritten; a unit whose second
 * half is another write's torn (mixed_generation), half written torn
 * (partial), a flipped byte torn (bad_checksum), a block of another unit
 * torn (misplaced); stamps of another unit size or grid mismatched, not
 * torn; examples and their cap; counts adding up over calls, and
 * fa_scan_add() summing them (examples up to the cap, the first mismatch);
 * fa_scan_counts_json() giving every count and example; fa_scan_fd()
 * agreeing with the in-memory scan and leaving the file's flags alone.
 * Then the tear rate and its 95% upper bound, checked against an
 * independent computation: bisection on the binomial distribution summed
 * term by term in long double.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_scan.h"
#include "fa_fake_tree.h"
#include "fa_stamp.h"
#include "fa_test.h"
#include "fa_util.h"

#define UNIT		16384u
#define BLOCK		4096u
#define NR_UNITS	64u
#define BASE		(1ull << 30)
#define HALF		(UNIT / 2)

static unsigned char *region;
static unsigned char other[UNIT];
static struct fa_scan_counts c;

/* Unit k gets generation 1000 + k, as if written in order. */
static void stamp_region(unsigned char *buf, unsigned int units,
			 uint64_t base)
{
	unsigned int k;

	for (k = 0; k < units; k++)
		fa_stamp_fill(buf + (size_t)k * UNIT, base + (uint64_t)k * UNIT,
			      UNIT, BLOCK, 1000 + k);
}

static unsigned char *unit_at(unsigned int k)
{
	return region + (size_t)k * UNIT;
}

static int setup(void)
{
	region = malloc((size_t)NR_UNITS * UNIT + BLOCK);
	if (!region)
		return -ENOMEM;
	stamp_region(region, NR_UNITS, BASE);
	fa_scan_counts_init(&c);
	return 0;
}

static void teardown(void)
{
	free(region);
	region = NULL;
	fa_tree_remove();
}

static int scan_all(void)
{
	return fa_scan_region(region, (size_t)NR_UNITS * UNIT, BASE, UNIT,
			      BLOCK, &c);
}

static void test_clean_region_is_intact(void)
{
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.units, NR_UNITS);
	FA_ASSERT_UEQ(c.intact, NR_UNITS);
	FA_ASSERT_UEQ(c.torn + c.unwritten + c.mismatched, 0);
	FA_ASSERT_UEQ(c.nr_examples, 0);
	FA_ASSERT_UEQ(c.bytes_scanned, (uint64_t)NR_UNITS * UNIT);
}

static void test_unstamped_region_is_unwritten(void)
{
	size_t i;

	memset(region, 0, (size_t)NR_UNITS * UNIT / 2);
	for (i = (size_t)NR_UNITS * UNIT / 2; i < (size_t)NR_UNITS * UNIT; i++)
		region[i] = (unsigned char)(i * 2654435761u >> 13);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.unwritten, NR_UNITS);
	FA_ASSERT_UEQ(c.intact + c.torn + c.mismatched, 0);
}

static void test_second_half_of_another_write_is_mixed(void)
{
	const struct fa_tear_example *ex = &c.examples[0];

	fa_stamp_fill(other, BASE + 5 * UNIT, UNIT, BLOCK, 7777);
	memcpy(unit_at(5) + HALF, other + HALF, HALF);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.mixed_generation, 1);
	FA_ASSERT_UEQ(c.partial + c.bad_checksum + c.misplaced, 0);
	FA_ASSERT_UEQ(c.intact, NR_UNITS - 1);
	FA_ASSERT_UEQ(c.nr_examples, 1);
	FA_ASSERT_UEQ(ex->offset, BASE + 5 * UNIT);
	FA_ASSERT_UEQ(ex->reasons, FA_TEAR_MIXED_GENERATION);
	FA_ASSERT_UEQ(ex->first_odd_block, HALF / BLOCK);
	FA_ASSERT_UEQ(ex->nr_generations, 2);
	FA_ASSERT_UEQ(ex->generations[0], 1005);
	FA_ASSERT_UEQ(ex->generations[1], 7777);
	FA_ASSERT_UEQ(ex->generation_blocks[0], HALF / BLOCK);
	FA_ASSERT_UEQ(ex->generation_blocks[1], HALF / BLOCK);
	FA_ASSERT_UEQ(ex->blocks_ok, UNIT / BLOCK);
}

static void test_half_written_unit_is_partial(void)
{
	/* Unit 9 was unwritten before; the write reached its first half. */
	memset(unit_at(9) + HALF, 0, HALF);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.partial, 1);
	FA_ASSERT_UEQ(c.mixed_generation + c.bad_checksum + c.misplaced, 0);
	FA_ASSERT_UEQ(c.examples[0].blocks_unwritten, HALF / BLOCK);
	FA_ASSERT_UEQ(c.examples[0].blocks_ok, HALF / BLOCK);
	FA_ASSERT_UEQ(c.examples[0].nr_generations, 1);
}

static void test_flipped_byte_is_bad_checksum(void)
{
	unit_at(12)[BLOCK + 777] ^= 0x80;
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.bad_checksum, 1);
	FA_ASSERT_UEQ(c.blocks_bad_checksum, 1);
	FA_ASSERT_UEQ(c.mixed_generation + c.partial + c.misplaced, 0);
	FA_ASSERT_UEQ(c.examples[0].first_odd_block, 1);
}

static void test_block_of_another_unit_is_misplaced(void)
{
	memcpy(unit_at(20) + 2 * BLOCK, unit_at(21) + 2 * BLOCK, BLOCK);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.misplaced, 1);
	FA_ASSERT_UEQ(c.blocks_misplaced, 1);
	FA_ASSERT_UEQ(c.examples[0].offset, BASE + 20 * UNIT);
	FA_ASSERT_UEQ(c.examples[0].blocks_misplaced, 1);
	FA_ASSERT_UEQ(c.examples[0].nr_generations, 2);
}

static void test_whole_unit_written_elsewhere_is_misplaced(void)
{
	/* A misdirected write: unit 3's data landed on unit 30. */
	memcpy(unit_at(30), unit_at(3), UNIT);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.misplaced, 1);
	FA_ASSERT_UEQ(c.blocks_misplaced, UNIT / BLOCK);
}

static void test_several_reasons_count_once_as_torn(void)
{
	fa_stamp_fill(other, BASE + 7 * UNIT, UNIT, BLOCK, 9999);
	memcpy(unit_at(7) + HALF, other + HALF, HALF);
	/* blocks: 0 valid, 1 unwritten, 2 another write, 3 bad CRC */
	memset(unit_at(7) + BLOCK, 0, BLOCK);
	unit_at(7)[3 * BLOCK + 100] ^= 1;
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.mixed_generation, 1);
	FA_ASSERT_UEQ(c.partial, 1);
	FA_ASSERT_UEQ(c.bad_checksum, 1);
	FA_ASSERT_UEQ(c.examples[0].reasons, FA_TEAR_MIXED_GENERATION |
		      FA_TEAR_PARTIAL | FA_TEAR_BAD_CHECKSUM);
}

static void test_other_unit_size_is_mismatched(void)
{
	/* 16 KiB units scanned as 8 KiB ones: nothing to judge. */
	FA_ASSERT_EQ(fa_scan_region(region, (size_t)NR_UNITS * UNIT, BASE,
				    UNIT / 2, BLOCK, &c), 0);
	FA_ASSERT_UEQ(c.units, 2 * NR_UNITS);
	FA_ASSERT_UEQ(c.mismatched, 2 * NR_UNITS);
	FA_ASSERT_UEQ(c.torn + c.intact, 0);
	FA_ASSERT(c.mismatch_seen);
	FA_ASSERT_UEQ(c.mismatch_offset, BASE);
	FA_ASSERT_UEQ(c.mismatch.unit_len, UNIT);
	FA_ASSERT_UEQ(c.mismatch.block_size, BLOCK);
}

static void test_other_block_size_is_mismatched(void)
{
	FA_ASSERT_EQ(fa_scan_region(region, (size_t)NR_UNITS * UNIT, BASE,
				    UNIT, 512, &c), 0);
	FA_ASSERT_UEQ(c.mismatched, NR_UNITS);
	FA_ASSERT_UEQ(c.torn + c.intact, 0);
	FA_ASSERT_UEQ(c.mismatch.block_size, BLOCK);
}

static void test_grid_off_the_writes_is_mismatched(void)
{
	/* Units scanned from the middle of the writer's units. */
	FA_ASSERT_EQ(fa_scan_region(region + HALF, (size_t)(NR_UNITS - 1) *
				    UNIT, BASE + HALF, UNIT, BLOCK, &c), 0);
	FA_ASSERT_UEQ(c.mismatched, NR_UNITS - 1);
	FA_ASSERT_UEQ(c.torn + c.intact, 0);
	FA_ASSERT_UEQ(c.mismatch.unit_offset, BASE);
}

static void test_examples_are_capped(void)
{
	unsigned int k;

	for (k = 0; k < FA_SCAN_MAX_EXAMPLES + 5; k++)
		memset(unit_at(k) + HALF, 0, HALF);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT_UEQ(c.torn, FA_SCAN_MAX_EXAMPLES + 5);
	FA_ASSERT_UEQ(c.nr_examples, FA_SCAN_MAX_EXAMPLES);
	FA_ASSERT_UEQ(c.examples[FA_SCAN_MAX_EXAMPLES - 1].offset,
		      BASE + (uint64_t)(FA_SCAN_MAX_EXAMPLES - 1) * UNIT);
}

static void test_many_generations_are_cut_short(void)
{
	const uint32_t small = 512;
	unsigned int b;

	/* Each 512-byte block of one unit from another write of it. */
	for (b = 0; b < UNIT / small; b++) {
		fa_stamp_fill(other, BASE, UNIT, small, 500 + b);
		memcpy(region + b * small, other + b * small, small);
	}
	FA_ASSERT_EQ(fa_scan_region(region, UNIT, BASE, UNIT, small, &c), 0);
	FA_ASSERT_UEQ(c.torn, 1);
	FA_ASSERT_UEQ(c.mixed_generation, 1);
	FA_ASSERT_UEQ(c.examples[0].nr_generations, FA_TEAR_MAX_GENERATIONS);
	FA_ASSERT(c.examples[0].more_generations);
	FA_ASSERT_UEQ(c.examples[0].generations[3], 503);
	FA_ASSERT_UEQ(c.examples[0].first_odd_block, 1);
}

static void test_counts_add_up_over_calls(void)
{
	size_t half = (size_t)NR_UNITS / 2 * UNIT;

	FA_ASSERT_EQ(fa_scan_region(region, half, BASE, UNIT, BLOCK, &c), 0);
	/* The trailing part of a unit is not a unit. */
	FA_ASSERT_EQ(fa_scan_region(region + half, half + BLOCK, BASE + half,
				    UNIT, BLOCK, &c), 0);
	FA_ASSERT_UEQ(c.units, NR_UNITS);
	FA_ASSERT_UEQ(c.intact, NR_UNITS);
	FA_ASSERT_UEQ(c.bytes_scanned, (uint64_t)NR_UNITS * UNIT);
	FA_ASSERT_EQ(fa_scan_region(region, UNIT - 1, BASE, UNIT, BLOCK, &c),
		     0);
	FA_ASSERT_UEQ(c.units, NR_UNITS);
}

/* Two scans, one with a torn unit, summed as a reader's reads are. */
static void test_scan_add_sums_counts(void)
{
	struct fa_scan_counts one, sum;

	fa_scan_counts_init(&sum);
	memset(unit_at(3) + HALF, 0, HALF);
	FA_ASSERT_EQ(scan_all(), 0);
	fa_scan_add(&sum, &c);
	fa_scan_counts_init(&one);
	FA_ASSERT_EQ(fa_scan_region(region, 4 * UNIT, BASE, UNIT, BLOCK,
				    &one), 0);
	fa_scan_add(&sum, &one);
	FA_ASSERT_UEQ(sum.units, NR_UNITS + 4);
	FA_ASSERT_UEQ(sum.intact, NR_UNITS - 1 + 3);
	FA_ASSERT_UEQ(sum.torn, 2);
	FA_ASSERT_UEQ(sum.partial, 2);
	FA_ASSERT_UEQ(sum.mixed_generation, 0);
	FA_ASSERT_UEQ(sum.bytes_scanned, (uint64_t)(NR_UNITS + 4) * UNIT);
	FA_ASSERT_UEQ(sum.nr_examples, 2);
	FA_ASSERT_UEQ(sum.examples[1].offset, BASE + 3 * UNIT);
	FA_ASSERT(!sum.mismatch_seen);
}

static void test_scan_add_caps_examples_keeps_first_mismatch(void)
{
	struct fa_scan_counts sum;
	unsigned int k;

	fa_scan_counts_init(&sum);
	for (k = 0; k < 10; k++)
		memset(unit_at(k) + HALF, 0, HALF);
	/* Unit 20 stamped as one half as long: not judged, mismatched. */
	fa_stamp_fill(unit_at(20), BASE + 20 * UNIT, HALF, BLOCK, 5);
	FA_ASSERT_EQ(scan_all(), 0);
	FA_ASSERT(c.mismatch_seen);
	fa_scan_add(&sum, &c);
	fa_scan_add(&sum, &c);
	FA_ASSERT_UEQ(sum.torn, 20);
	FA_ASSERT_UEQ(sum.mismatched, 2);
	FA_ASSERT_UEQ(sum.nr_examples, FA_SCAN_MAX_EXAMPLES);
	FA_ASSERT_UEQ(sum.examples[FA_SCAN_MAX_EXAMPLES - 1].offset,
		      BASE + (uint64_t)(FA_SCAN_MAX_EXAMPLES - 11) * UNIT);
	FA_ASSERT(sum.mismatch_seen);
	FA_ASSERT_UEQ(sum.mismatch_offset, c.mismatch_offset);
	FA_ASSERT_UEQ(sum.mismatch.unit_len, HALF);
}

static uint64_t json_u64(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return UINT64_MAX;
	return json_object_get_uint64(v);
}

static void test_counts_json(void)
{
	struct json_object *root, *v, *ex, *arr;
	const char *keys[] = {
		"units", "unwritten", "intact", "torn", "mismatched",
		"torn_by_reason", "blocks_bad_checksum", "blocks_misplaced",
		"written_units", "tear_rate", "tear_rate_upper95", "examples",
	};
	unsigned int i;

	fa_stamp_fill(other, BASE + 5 * UNIT, UNIT, BLOCK, 7777);
	memcpy(unit_at(5) + HALF, other + HALF, HALF);
	unit_at(9)[100] ^= 1;
	FA_ASSERT_EQ(scan_all(), 0);
	root = json_object_new_object();
	FA_ASSERT(root);
	FA_ASSERT_EQ(fa_scan_counts_json(root, &c), 0);
	/* Members in the order of the schema, and nothing else. */
	i = 0;
	json_object_object_foreach(root, key, val) {
		(void)val;
		if (i >= FA_ARRAY_SIZE(keys) || strcmp(key, keys[i])) {
			json_object_put(root);
			FA_FAIL("member %u is %s, not %s", i, key,
				i < FA_ARRAY_SIZE(keys) ? keys[i] : "(none)");
		}
		i++;
	}
	FA_ASSERT_UEQ(i, FA_ARRAY_SIZE(keys));
	FA_ASSERT_UEQ(json_u64(root, "units"), NR_UNITS);
	FA_ASSERT_UEQ(json_u64(root, "intact"), NR_UNITS - 2);
	FA_ASSERT_UEQ(json_u64(root, "torn"), 2);
	FA_ASSERT_UEQ(json_u64(root, "written_units"), NR_UNITS);
	FA_ASSERT_UEQ(json_u64(root, "blocks_bad_checksum"), 1);
	FA_ASSERT(json_object_object_get_ex(root, "torn_by_reason", &v));
	FA_ASSERT_UEQ(json_u64(v, "mixed_generation"), 1);
	FA_ASSERT_UEQ(json_u64(v, "bad_checksum"), 1);
	FA_ASSERT_UEQ(json_u64(v, "partial"), 0);
	FA_ASSERT_UEQ(json_u64(v, "misplaced"), 0);
	FA_ASSERT(json_object_object_get_ex(root, "tear_rate", &v));
	FA_ASSERT(json_object_get_double(v) == fa_tear_rate(&c));
	FA_ASSERT(json_object_object_get_ex(root, "examples", &arr));
	FA_ASSERT_UEQ(json_object_array_length(arr), 2);
	ex = json_object_array_get_idx(arr, 0);
	FA_ASSERT_UEQ(json_u64(ex, "offset"), BASE + 5 * UNIT);
	FA_ASSERT_UEQ(json_u64(ex, "first_odd_block"), HALF / BLOCK);
	FA_ASSERT(json_object_object_get_ex(ex, "reasons", &v));
	FA_ASSERT_UEQ(json_object_array_length(v), 1);
	FA_ASSERT_STREQ(json_object_get_string(
				json_object_array_get_idx(v, 0)),
			"mixed_generation");
	FA_ASSERT(json_object_object_get_ex(ex, "generations", &v));
	FA_ASSERT_UEQ(json_object_array_length(v), 2);
	FA_ASSERT_UEQ(json_u64(json_object_array_get_idx(v, 1), "generation"),
		      7777);
	json_object_put(root);
}

static void test_bad_geometry_refused(void)
{
	FA_ASSERT_EQ(fa_scan_region(region, UNIT, BASE, UNIT, 1000, &c),
		     -EINVAL);
	FA_ASSERT_EQ(fa_scan_region(region, UNIT, BASE, 6144, 4096, &c),
		     -EINVAL);
	FA_ASSERT_EQ(fa_scan_region(region, UNIT, BASE, 0, 4096, &c), -EINVAL);
	FA_ASSERT_EQ(fa_scan_fd(-1, 0, UNIT, UNIT, 1000, &c), -EINVAL);
	FA_ASSERT_UEQ(c.units, 0);
}

/* The region in a temporary file, from byte @at; returns an open fd. */
static int region_file(uint64_t at)
{
	int ret = fa_tree_make("fa-scan");

	if (ret)
		return ret;
	return fa_tree_open_at("region", region, (size_t)NR_UNITS * UNIT,
			       (off_t)at);
}

static void test_scan_fd_matches_memory(void)
{
	struct fa_scan_counts mem;
	int fd, flags;

	/* The file holds the region from byte 0. */
	stamp_region(region, NR_UNITS, 0);
	memset(unit_at(1) + HALF, 0, HALF);
	unit_at(40)[5000] ^= 4;
	fa_scan_counts_init(&mem);
	FA_ASSERT_EQ(fa_scan_region(region, (size_t)NR_UNITS * UNIT, 0, UNIT,
				    BLOCK, &mem), 0);
	FA_ASSERT_UEQ(mem.torn, 2);

	fd = region_file(0);
	FA_ASSERT(fd >= 0);
	flags = fcntl(fd, F_GETFL);
	FA_ASSERT_EQ(fa_scan_fd(fd, 0, (uint64_t)NR_UNITS * UNIT, UNIT, BLOCK,
				&c), 0);
	FA_ASSERT_EQ(fcntl(fd, F_GETFL), flags);
	close(fd);
	FA_ASSERT_UEQ(c.units, mem.units);
	FA_ASSERT_UEQ(c.intact, mem.intact);
	FA_ASSERT_UEQ(c.torn, mem.torn);
	FA_ASSERT_UEQ(c.partial, 1);
	FA_ASSERT_UEQ(c.bad_checksum, 1);
	FA_ASSERT_UEQ(c.nr_examples, 2);
	FA_ASSERT_UEQ(c.examples[0].offset, 1ull * UNIT);
	FA_ASSERT_UEQ(c.examples[1].offset, 40ull * UNIT);
}

static void test_scan_fd_at_an_offset_and_past_the_end(void)
{
	uint64_t at = 3 * UNIT;
	int fd;

	stamp_region(region, NR_UNITS, at);
	fd = region_file(at);
	FA_ASSERT(fd >= 0);
	/* From the region's start, asking for more than there is. */
	FA_ASSERT_EQ(fa_scan_fd(fd, at, (uint64_t)(NR_UNITS + 10) * UNIT,
				UNIT, BLOCK, &c), 0);
	close(fd);
	FA_ASSERT_UEQ(c.units, NR_UNITS);
	FA_ASSERT_UEQ(c.intact, NR_UNITS);
	FA_ASSERT_UEQ(c.bytes_scanned, (uint64_t)NR_UNITS * UNIT);
}

static void test_reason_names(void)
{
	FA_ASSERT_STREQ(fa_tear_reason_name(FA_TEAR_MIXED_GENERATION),
			"mixed_generation");
	FA_ASSERT_STREQ(fa_tear_reason_name(FA_TEAR_PARTIAL), "partial");
	FA_ASSERT_STREQ(fa_tear_reason_name(FA_TEAR_BAD_CHECKSUM),
			"bad_checksum");
	FA_ASSERT_STREQ(fa_tear_reason_name(FA_TEAR_MISPLACED), "misplaced");
}

static void test_tear_rate(void)
{
	FA_ASSERT(fa_tear_rate(&c) == 0.0);
	c.intact = 97;
	c.torn = 3;
	c.unwritten = 1000;	/* not written: not in the rate */
	c.mismatched = 50;
	FA_ASSERT(fa_tear_rate(&c) == 0.03);
}

/*
 * The independent bound: P(X <= k) summed term by term, C(n, i) p^i built
 * up by products and q^(n-i) by repeated squaring, all in long double;
 * then bisection for P(X <= k) = alpha.
 */
static long double powi(long double x, uint64_t e)
{
	long double r = 1;

	for (; e; e >>= 1, x *= x)
		if (e & 1)
			r *= x;
	return r;
}

static long double ref_cdf(uint64_t k, uint64_t n, long double p)
{
	long double q = 1 - p, coef = 1, sum = 0;
	uint64_t i;

	for (i = 0; i <= k; i++) {
		if (i)
			coef *= (long double)(n - i + 1) / i * p;
		sum += coef * powi(q, n - i);
	}
	return sum;
}

static long double ref_upper(uint64_t k, uint64_t n, long double alpha)
{
	long double lo = 0, hi = 1, mid;
	int i;

	for (i = 0; i < 200; i++) {
		mid = (lo + hi) / 2;
		if (ref_cdf(k, n, mid) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static int close_to(double got, long double want, double rel)
{
	long double d = got - want;

	if (d < 0)
		d = -d;
	if (d <= rel * (want < 0 ? -want : want))
		return 1;
	fprintf(stderr, "got %.12g, want %.12Lg\n", got, want);
	return 0;
}

static void test_upper95_zero_of_1000(void)
{
	double b = fa_tear_upper95(0, 1000);

	FA_ASSERT(close_to(b, 0.002991, 1e-3));
	FA_ASSERT(close_to(b, ref_upper(0, 1000, 0.05L), 1e-9));
}

static void test_upper95_one_of_100(void)
{
	double b = fa_tear_upper95(1, 100);

	FA_ASSERT(close_to(b, 0.0466, 2e-3));
	FA_ASSERT(close_to(b, ref_upper(1, 100, 0.05L), 1e-9));
}

static void test_upper95_against_reference(void)
{
	static const uint64_t kn[][2] = {
		{ 0, 1 }, { 0, 2 }, { 1, 2 }, { 0, 10 }, { 3, 7 }, { 5, 50 },
		{ 7, 98 }, { 50, 100 }, { 99, 100 }, { 2, 1000 },
		{ 10, 1000000 }, { 1000, 1000000 }, { 0, 1000000000 },
		{ 3, 1000000000 },
	};
	size_t i;

	for (i = 0; i < sizeof(kn) / sizeof(kn[0]); i++) {
		double b = fa_tear_upper95(kn[i][0], kn[i][1]);

		if (!close_to(b, ref_upper(kn[i][0], kn[i][1], 0.05L), 1e-9))
			FA_FAIL("%ju of %ju", (uintmax_t)kn[i][0],
				(uintmax_t)kn[i][1]);
	}
}

static void test_upper_bound_other_confidence(void)
{
	FA_ASSERT(close_to(fa_tear_upper_bound(0, 10, 0.5),
			   ref_upper(0, 10, 0.5L), 1e-9));
	FA_ASSERT(close_to(fa_tear_upper_bound(4, 30, 0.01),
			   ref_upper(4, 30, 0.01L), 1e-9));
}

static void test_upper95_edges(void)
{
	FA_ASSERT(fa_tear_upper95(0, 0) == 1.0);
	FA_ASSERT(fa_tear_upper95(5, 5) == 1.0);
	FA_ASSERT(fa_tear_upper95(6, 5) == 1.0);
	FA_ASSERT(fa_tear_upper_bound(1, 10, 0) == 1.0);
	FA_ASSERT(fa_tear_upper_bound(1, 10, 1) == 1.0);
	FA_ASSERT(close_to(fa_tear_upper95(0, 1), 0.95L, 1e-12));
}

static void test_upper95_orders(void)
{
	double prev = 0;
	uint64_t k;

	/* More tears, a higher bound; more units, a lower one. */
	for (k = 0; k < 200; k++) {
		double b = fa_tear_upper95(k, 100000);

		FA_ASSERT(b > prev);
		FA_ASSERT(b > (double)k / 100000);
		prev = b;
	}
	FA_ASSERT(fa_tear_upper95(3, 1000) > fa_tear_upper95(3, 2000));
	/* Millions of tears in billions of units stays quick and sane. */
	prev = fa_tear_upper95(500000000, 1000000000);
	FA_ASSERT(prev > 0.5 && prev < 0.50003);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_clean_region_is_intact),
	FA_TEST(test_unstamped_region_is_unwritten),
	FA_TEST(test_second_half_of_another_write_is_mixed),
	FA_TEST(test_half_written_unit_is_partial),
	FA_TEST(test_flipped_byte_is_bad_checksum),
	FA_TEST(test_block_of_another_unit_is_misplaced),
	FA_TEST(test_whole_unit_written_elsewhere_is_misplaced),
	FA_TEST(test_several_reasons_count_once_as_torn),
	FA_TEST(test_other_unit_size_is_mismatched),
	FA_TEST(test_other_block_size_is_mismatched),
	FA_TEST(test_grid_off_the_writes_is_mismatched),
	FA_TEST(test_examples_are_capped),
	FA_TEST(test_many_generations_are_cut_short),
	FA_TEST(test_counts_add_up_over_calls),
	FA_TEST(test_scan_add_sums_counts),
	FA_TEST(test_scan_add_caps_examples_keeps_first_mismatch),
	FA_TEST(test_counts_json),
	FA_TEST(test_bad_geometry_refused),
	FA_TEST(test_scan_fd_matches_memory),
	FA_TEST(test_scan_fd_at_an_offset_and_past_the_end),
	FA_TEST(test_reason_names),
	FA_TEST(test_tear_rate),
	FA_TEST(test_upper95_zero_of_1000),
	FA_TEST(test_upper95_one_of_100),
	FA_TEST(test_upper95_against_reference),
	FA_TEST(test_upper_bound_other_confidence),
	FA_TEST(test_upper95_edges),
	FA_TEST(test_upper95_orders),
};

FA_TEST_MAIN(cases, setup, teardown)
