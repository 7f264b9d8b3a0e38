// SPDX-License-Identifier: GPL-2.0
/*
 * Description: reading a region's geometry from its stamps (fa_geometry.h):
 * the first valid stamp in its place gives unit, block and grid, whatever
 * zeros or damaged stamps come before it; a region of two geometries (unit
 * size, block size, or grid) is a conflict that names the first stamp of
 * the second, and the geometry stays the first's; stamps beyond the window
 * are not looked at; no stamp at all leaves the fallback (one block per
 * unit) and says so; a given unit or block that disagrees with the stamps
 * is refused and named, one that agrees is kept as an option; probing in
 * pieces that cut a block gives what one piece gives; a file probes as
 * memory does and keeps its flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_fake_tree.h"
#include "fa_geometry.h"
#include "fa_stamp.h"
#include "fa_test.h"

#define UNIT		16384u
#define BLOCK		4096u
#define LEN		(1u << 20)		/* 64 units */
#define BIG		(FA_GEOMETRY_WINDOW + 2 * LEN)
#define BASE		(1ull << 30)

static unsigned char *region;
static struct fa_geometry_probe p;
static struct fa_geometry g;

/* @len bytes of units of @unit from @at (relative), grid from @grid. */
static void stamp(size_t at, size_t len, uint64_t base, uint32_t unit,
		  uint32_t block)
{
	size_t k;

	for (k = 0; k + unit <= len; k += unit)
		fa_stamp_fill(region + at + k, base + at + k, unit, block,
			      7 + at + k);
}

static int probe_all(size_t len)
{
	int ret = fa_geometry_probe_init(&p, BASE, len);

	return ret ? ret : fa_geometry_probe_buf(&p, region, len, BASE, true);
}

static int setup(void)
{
	region = calloc(1, BIG);
	return region ? 0 : -ENOMEM;
}

static void teardown(void)
{
	free(region);
	region = NULL;
	fa_tree_remove();
}

static void test_clean_region_gives_its_geometry(void)
{
	stamp(0, LEN, BASE, UNIT, BLOCK);
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(p.found && p.done && !p.conflict);
	FA_ASSERT_UEQ(p.first.at, BASE);
	FA_ASSERT_UEQ(p.first.unit_offset, BASE);
	FA_ASSERT_UEQ(p.first.unit, UNIT);
	FA_ASSERT_UEQ(p.first.block, BLOCK);
	FA_ASSERT_UEQ(p.stamps, LEN / BLOCK);
	FA_ASSERT_UEQ(p.damaged, 0);
	FA_ASSERT_UEQ(p.bytes_probed, LEN);

	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, 0, 512, &g), 0);
	FA_ASSERT_UEQ(g.unit, UNIT);
	FA_ASSERT_UEQ(g.block, BLOCK);
	FA_ASSERT_UEQ(g.phase, 0);
	FA_ASSERT_EQ(g.unit_source, FA_GEOMETRY_STAMPS);
	FA_ASSERT_EQ(g.block_source, FA_GEOMETRY_STAMPS);
}

static void test_small_blocks_and_a_grid_off_zero(void)
{
	/* 512-byte blocks, units from 8 KiB on: the grid is 8 KiB off */
	stamp(8192, LEN - 8192, BASE, UNIT, 512);
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(p.found && !p.conflict);
	FA_ASSERT_UEQ(p.first.at, BASE + 8192);
	FA_ASSERT_UEQ(p.first.block, 512);
	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, 0, 4096, &g), 0);
	FA_ASSERT_UEQ(g.block, 512);
	FA_ASSERT_UEQ(g.phase, 8192);
}

static void test_damaged_stamps_are_skipped(void)
{
	stamp(0, LEN, BASE, UNIT, BLOCK);
	region[100] ^= 1;			/* block 0 fails its CRC */
	memcpy(region + BLOCK, region + 2 * BLOCK, BLOCK); /* misplaced */
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(p.found && !p.conflict);
	FA_ASSERT_UEQ(p.first.at, BASE + 2 * BLOCK);
	/* each damaged block is looked at in 512-byte steps: magic once */
	FA_ASSERT_UEQ(p.damaged, 2);
	FA_ASSERT_UEQ(p.stamps, LEN / BLOCK - 2);
}

static void test_no_stamp_leaves_the_fallback(void)
{
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(!p.found && p.done && !p.conflict);
	FA_ASSERT_UEQ(p.stamps, 0);
	FA_ASSERT_UEQ(p.bytes_probed, LEN);

	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, 0, 4096, &g), 0);
	FA_ASSERT_UEQ(g.block, 4096);
	FA_ASSERT_UEQ(g.unit, 4096);
	FA_ASSERT_EQ(g.unit_source, FA_GEOMETRY_FALLBACK);
	FA_ASSERT_EQ(g.block_source, FA_GEOMETRY_FALLBACK);
	FA_ASSERT_STREQ(fa_geometry_source_name(g.unit_source), "fallback");

	/* what was given is kept, nothing to disagree with */
	FA_ASSERT_EQ(fa_geometry_resolve(&p, 65536, 0, 4096, &g), 0);
	FA_ASSERT_UEQ(g.unit, 65536);
	FA_ASSERT_EQ(g.unit_source, FA_GEOMETRY_OPTION);
	FA_ASSERT_EQ(g.block_source, FA_GEOMETRY_FALLBACK);
	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, 512, 4096, &g), 0);
	FA_ASSERT_UEQ(g.unit, 512);
	FA_ASSERT_UEQ(g.block, 512);
}

static void test_two_unit_sizes_conflict(void)
{
	stamp(0, LEN / 2, BASE, UNIT, BLOCK);
	stamp(LEN / 2, LEN / 2, BASE, 4 * UNIT, BLOCK);
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(p.found && p.conflict);
	FA_ASSERT_UEQ(p.first.unit, UNIT);
	FA_ASSERT_UEQ(p.other.at, BASE + LEN / 2);
	FA_ASSERT_UEQ(p.other.unit, 4 * UNIT);
	FA_ASSERT_UEQ(p.other.block, BLOCK);
	/* the geometry is the first stamp's: no winner by majority */
	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, 0, 512, &g), 0);
	FA_ASSERT_UEQ(g.unit, UNIT);
}

static void test_two_block_sizes_conflict(void)
{
	stamp(0, LEN / 2, BASE, UNIT, 512);
	stamp(LEN / 2, LEN / 2, BASE, UNIT, BLOCK);
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(p.conflict);
	FA_ASSERT_UEQ(p.first.block, 512);
	FA_ASSERT_UEQ(p.other.at, BASE + LEN / 2);
	FA_ASSERT_UEQ(p.other.block, BLOCK);
}

static void test_two_grids_conflict(void)
{
	stamp(0, LEN / 2, BASE, UNIT, BLOCK);
	/* same sizes, units from half a unit on */
	stamp(LEN / 2 + UNIT / 2, LEN / 2 - UNIT, BASE, UNIT, BLOCK);
	FA_ASSERT_EQ(probe_all(LEN), 0);
	FA_ASSERT(p.conflict);
	FA_ASSERT_UEQ(p.other.at, BASE + LEN / 2 + UNIT / 2);
	FA_ASSERT_UEQ(p.other.unit_offset % UNIT, UNIT / 2);
}

static void test_window_bounds_the_probe(void)
{
	stamp(0, FA_GEOMETRY_WINDOW, BASE, UNIT, BLOCK);
	stamp(FA_GEOMETRY_WINDOW, LEN, BASE, 4 * UNIT, BLOCK);
	FA_ASSERT_EQ(probe_all(BIG), 0);
	FA_ASSERT(p.found && p.done && !p.conflict);
	FA_ASSERT_UEQ(p.bytes_probed, FA_GEOMETRY_WINDOW);
	FA_ASSERT_UEQ(p.stamps, FA_GEOMETRY_WINDOW / BLOCK);
}

static void test_given_values_checked_against_the_stamps(void)
{
	stamp(0, LEN, BASE, UNIT, BLOCK);
	FA_ASSERT_EQ(probe_all(LEN), 0);

	FA_ASSERT_EQ(fa_geometry_resolve(&p, UNIT, BLOCK, 512, &g), 0);
	FA_ASSERT_EQ(g.unit_source, FA_GEOMETRY_OPTION);
	FA_ASSERT_EQ(g.block_source, FA_GEOMETRY_OPTION);
	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, BLOCK, 512, &g), 0);
	FA_ASSERT_EQ(g.unit_source, FA_GEOMETRY_STAMPS);
	FA_ASSERT_EQ(g.block_source, FA_GEOMETRY_OPTION);

	FA_ASSERT_EQ(fa_geometry_resolve(&p, 4 * UNIT, 0, 512, &g), -EINVAL);
	FA_ASSERT(g.disagree_unit);
	FA_ASSERT_UEQ(g.unit, UNIT);		/* what the stamps say */
	FA_ASSERT_EQ(fa_geometry_resolve(&p, 0, 512, 512, &g), -EINVAL);
	FA_ASSERT(!g.disagree_unit);
	FA_ASSERT_UEQ(g.block, BLOCK);
}

static void test_pieces_cutting_a_block(void)
{
	struct fa_geometry_probe whole;
	size_t cut = 3 * BLOCK + 1000, next;

	stamp(0, LEN, BASE, UNIT, BLOCK);
	region[5 * UNIT + 9] ^= 2;
	FA_ASSERT_EQ(probe_all(LEN), 0);
	whole = p;

	FA_ASSERT_EQ(fa_geometry_probe_init(&p, BASE, LEN), 0);
	FA_ASSERT_EQ(fa_geometry_probe_buf(&p, region, cut, BASE, false), 0);
	FA_ASSERT(!p.done);
	/* stopped before the block it could not see whole */
	FA_ASSERT_UEQ(p.bytes_probed, 3 * BLOCK);
	next = (size_t)p.bytes_probed;
	FA_ASSERT_EQ(fa_geometry_probe_buf(&p, region + next, LEN - next,
					   BASE + next, true), 0);
	FA_ASSERT(p.done);
	FA_ASSERT_UEQ(p.stamps, whole.stamps);
	FA_ASSERT_UEQ(p.damaged, whole.damaged);
	FA_ASSERT_UEQ(p.damaged, 1);
	/* a buffer starting after the next candidate is refused */
	FA_ASSERT_EQ(fa_geometry_probe_init(&p, BASE, LEN), 0);
	FA_ASSERT_EQ(fa_geometry_probe_buf(&p, region, LEN, BASE + 512, true),
		     -EINVAL);
}

static void test_init_refuses_a_start_off_the_block_grid(void)
{
	FA_ASSERT_EQ(fa_geometry_probe_init(&p, 100, LEN), -EINVAL);
	FA_ASSERT_EQ(fa_geometry_probe_init(&p, UINT64_MAX - 511, LEN),
		     -EINVAL);
	FA_ASSERT_EQ(fa_geometry_probe_init(&p, 512, 0), 0);
	FA_ASSERT(p.done);
}

static void test_file_probes_as_memory_does(void)
{
	uint64_t at = 3 * 512;		/* off the 4 KiB read alignment */
	int fd, flags;

	/* 512-byte blocks at 1.5 KiB; then 4 KiB blocks later on */
	for (size_t k = 0; k + UNIT <= LEN; k += UNIT)
		fa_stamp_fill(region + k, at + k, UNIT,
			      k < LEN / 2 ? 512 : BLOCK, 9 + k);
	FA_ASSERT_EQ(fa_tree_make("fa-geometry"), 0);
	fd = fa_tree_open_at("region", region, LEN, (off_t)at);
	FA_ASSERT(fd >= 0);
	flags = fcntl(fd, F_GETFL);

	FA_ASSERT_EQ(fa_geometry_probe_init(&p, 0, at + LEN + 4096), 0);
	FA_ASSERT_EQ(fa_geometry_probe_fd(fd, &p), 0);
	FA_ASSERT_EQ(fcntl(fd, F_GETFL), flags);
	close(fd);
	FA_ASSERT(p.found && p.done && p.conflict);
	FA_ASSERT_UEQ(p.first.at, at);
	FA_ASSERT_UEQ(p.first.block, 512);
	FA_ASSERT_UEQ(p.other.at, at + LEN / 2);
	FA_ASSERT_UEQ(p.other.block, BLOCK);
	FA_ASSERT_UEQ(p.stamps, (LEN / 2) / 512 + (LEN / 2) / BLOCK);
	FA_ASSERT_UEQ(p.damaged, 0);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_clean_region_gives_its_geometry),
	FA_TEST(test_small_blocks_and_a_grid_off_zero),
	FA_TEST(test_damaged_stamps_are_skipped),
	FA_TEST(test_no_stamp_leaves_the_fallback),
	FA_TEST(test_two_unit_sizes_conflict),
	FA_TEST(test_two_block_sizes_conflict),
	FA_TEST(test_two_grids_conflict),
	FA_TEST(test_window_bounds_the_probe),
	FA_TEST(test_given_values_checked_against_the_stamps),
	FA_TEST(test_pieces_cutting_a_block),
	FA_TEST(test_init_refuses_a_start_off_the_block_grid),
	FA_TEST(test_file_probes_as_memory_does),
};

FA_TEST_MAIN(cases, setup, teardown)
