/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the tear scanner. It reads a region of a target that was
 * written with stamped units (fa_stamp.h), cuts it into units of one size
 * on a fixed grid, and classifies each unit by the stamps of its blocks.
 *
 * The grid is the writer's contract: every write covered whole units of
 * that size, aligned to it (as atomic writes must be), so the blocks of a
 * unit can only ever come from one write unless a write was torn.
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno, or a typed
 * result, and the caller decides what to tell the user.
 */
#ifndef FA_SCAN_H
#define FA_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fa_stamp.h"

struct json_object;

/* Why a unit is torn; a unit can have several reasons. */
enum fa_tear_reason {
	FA_TEAR_MIXED_GENERATION = 1 << 0, /* valid blocks of 2+ writes */
	FA_TEAR_PARTIAL = 1 << 1,	/* some blocks stamped, some not */
	FA_TEAR_BAD_CHECKSUM = 1 << 2,	/* a block fails its CRC */
	FA_TEAR_MISPLACED = 1 << 3,	/* a block names another place */
};

#define FA_TEAR_NR_REASONS	4

/** fa_tear_reason_name() - "mixed_generation", "partial", ... for one bit */
const char *fa_tear_reason_name(enum fa_tear_reason reason);

#define FA_TEAR_MAX_GENERATIONS	4
#define FA_SCAN_MAX_EXAMPLES	16

/**
 * struct fa_tear_example - one torn unit, for the report
 * @offset:	byte offset of the unit in the target
 * @reasons:	enum fa_tear_reason bits
 * @blocks_ok:	blocks with a valid stamp in their place
 * @blocks_unwritten: blocks without a stamp
 * @blocks_bad_checksum: blocks whose stamp fails its CRC
 * @blocks_misplaced: valid blocks that name another place
 * @first_odd_block: index of the first block that differs from block 0 in
 *		kind or generation (the tear's edge)
 * @generations: the distinct generations of the valid blocks (misplaced
 *		ones included), in the order met, with @generation_blocks
 *		blocks each
 * @nr_generations: entries used in @generations
 * @more_generations: there were more than FA_TEAR_MAX_GENERATIONS
 */
struct fa_tear_example {
	uint64_t offset;
	unsigned int reasons;
	uint32_t blocks_ok;
	uint32_t blocks_unwritten;
	uint32_t blocks_bad_checksum;
	uint32_t blocks_misplaced;
	uint32_t first_odd_block;
	uint64_t generations[FA_TEAR_MAX_GENERATIONS];
	uint32_t generation_blocks[FA_TEAR_MAX_GENERATIONS];
	unsigned int nr_generations;
	bool more_generations;
};

/**
 * enum fa_unit_state - what a scan made of one unit, for a
 * fa_scan_unit_fn
 */
enum fa_unit_state {
	FA_UNIT_UNWRITTEN = 0,
	FA_UNIT_INTACT,
	FA_UNIT_TORN,
	FA_UNIT_MISMATCHED,
};

/**
 * typedef fa_scan_unit_fn - called for every unit a scan classifies, in
 * ascending offset order within a call
 * @arg:	fa_scan_counts.unit_arg
 * @offset:	the unit's byte offset in the target
 * @state:	what it holds
 * @generation:	the write it holds when @state is FA_UNIT_INTACT, else 0
 */
typedef void (*fa_scan_unit_fn)(void *arg, uint64_t offset,
				enum fa_unit_state state, uint64_t generation);

/**
 * struct fa_scan_counts - what a scan found; calls add to it, so zero it
 * (fa_scan_counts_init()) before the first
 * @units:	whole units scanned
 * @unwritten:	units without any stamped block (never written by a
 *		stamping job, or not since the region was cleared)
 * @intact:	units whose blocks all carry valid stamps of one write, in
 *		their places
 * @torn:	units with blocks of more than one write, or some blocks
 *		written and others not, or a block failing its CRC, or a
 *		block of another place
 * @mismatched:	units holding stamps written with another unit size,
 *		block size, grid or stamp version than the scan's: they were
 *		not judged (rescan with the writer's geometry)
 * @mixed_generation, @partial, @bad_checksum, @misplaced: torn units by
 *		reason; a unit with two reasons counts in both, so these can
 *		add up to more than @torn
 * @blocks_bad_checksum, @blocks_misplaced: blocks, over all units
 * @bytes_scanned: @units times the unit size
 * @direct:	fa_scan_fd() read with O_DIRECT (media, not page cache)
 * @mismatch_offset, @mismatch: the first block of a mismatched unit and
 *		its stamp, so the caller can name the writer's geometry
 * @examples:	the first FA_SCAN_MAX_EXAMPLES torn units
 * @unit_fn, @unit_arg: when @unit_fn is set (after fa_scan_counts_init()),
 *		it is called for every unit, e.g. to check each unit's
 *		generation against a log of acknowledged writes
 */
struct fa_scan_counts {
	uint64_t units;
	uint64_t unwritten;
	uint64_t intact;
	uint64_t torn;
	uint64_t mismatched;

	uint64_t mixed_generation;
	uint64_t partial;
	uint64_t bad_checksum;
	uint64_t misplaced;

	uint64_t blocks_bad_checksum;
	uint64_t blocks_misplaced;
	uint64_t bytes_scanned;
	bool direct;

	bool mismatch_seen;
	uint64_t mismatch_offset;
	struct fa_stamp_info mismatch;

	unsigned int nr_examples;
	struct fa_tear_example examples[FA_SCAN_MAX_EXAMPLES];

	fa_scan_unit_fn unit_fn;
	void *unit_arg;
};

/** fa_scan_counts_init() - zero @c before a scan */
void fa_scan_counts_init(struct fa_scan_counts *c);

/**
 * fa_scan_region() - classify the units of an in-memory copy of a region
 * @buf:	the region's bytes, any alignment
 * @len:	bytes at @buf; a trailing part shorter than @unit is ignored
 * @base_offset: where @buf starts in the target; unit k is the bytes at
 *		@base_offset + k * @unit
 * @unit:	bytes per unit, a multiple of @block_size
 * @block_size: bytes per stamped block
 * @c:		counts to add to
 *
 * Return: 0, or -EINVAL for a geometry fa_stamp_valid_geometry() refuses
 * (nothing is counted then).
 */
int fa_scan_region(const void *buf, size_t len, uint64_t base_offset,
		   uint32_t unit, uint32_t block_size,
		   struct fa_scan_counts *c);

/**
 * fa_scan_fd() - read a region of an open target and classify its units
 * @fd:		open for reading; its file status flags are restored
 * @offset:	first byte of the region, the first unit's offset
 * @len:	bytes in the region; units past the end of the target are
 *		not counted (compare @c->bytes_scanned)
 *
 * Reads in large aligned chunks with O_DIRECT where the target takes it
 * (so the scan sees the media, not the page cache), else buffered.
 *
 * Return: 0, -EINVAL for a bad geometry, -ENOMEM, or the -errno of a
 * failed read.
 */
int fa_scan_fd(int fd, uint64_t offset, uint64_t len, uint32_t unit,
	       uint32_t block_size, struct fa_scan_counts *c);

/**
 * struct fa_scan_read - a target set up for reading as a scan does
 * @buf:	the chunk buffer, aligned for O_DIRECT
 * @flags:	the fd's file status flags before, for fa_scan_pread() and
 *		fa_scan_read_end()
 * @direct:	whether O_DIRECT is set (the target may refuse it)
 */
struct fa_scan_read {
	void *buf;
	int flags;
	bool direct;
};

/**
 * fa_scan_read_begin() - allocate an aligned buffer of @chunk bytes and
 * turn O_DIRECT on for @fd where the target takes it, so reads see the
 * media, not the page cache
 * Return: 0, or -errno (-ENOMEM, or F_GETFL's).
 */
int fa_scan_read_begin(int fd, size_t chunk, struct fa_scan_read *rd);

/** fa_scan_read_end() - restore @fd's file status flags, free the buffer */
void fa_scan_read_end(int fd, struct fa_scan_read *rd);

/**
 * fa_scan_pread() - read up to @want bytes at @pos for a scan, as
 * fa_scan_fd() does: whole, through EINTR, and without O_DIRECT from then
 * on when the target refuses it (EINVAL) for this offset or length
 * @flags:	the fd's file status flags before O_DIRECT was set, restored
 *		when it is dropped
 * @direct:	whether O_DIRECT is set; cleared when it is dropped
 *
 * Return: the bytes read (fewer than @want only at the end of the
 * target), or -errno.
 */
ssize_t fa_scan_pread(int fd, void *buf, size_t want, uint64_t pos,
		      int flags, bool *direct);

/**
 * fa_scan_add() - add the counts of @c to @sum: every counter, then @c's
 * examples while @sum has room, and @c's first mismatch when @sum has none
 */
void fa_scan_add(struct fa_scan_counts *sum, const struct fa_scan_counts *c);

/** fa_scan_reason_count() - torn units of @c with @reason among theirs */
uint64_t fa_scan_reason_count(const struct fa_scan_counts *c,
			      enum fa_tear_reason reason);

/**
 * fa_scan_counts_json() - add the counts of @c to the JSON object @root,
 * the one schema every tear report shares: units, unwritten, intact,
 * torn, mismatched, torn_by_reason {mixed_generation, partial,
 * bad_checksum, misplaced}, blocks_bad_checksum, blocks_misplaced,
 * written_units, tear_rate, tear_rate_upper95 and examples (offset,
 * reasons, first_odd_block, blocks, generations, more_generations).
 *
 * Return: 0, or -ENOMEM (@root may then hold some of the members).
 */
int fa_scan_counts_json(struct json_object *root,
			const struct fa_scan_counts *c);

/**
 * fa_tear_rate() - torn / (intact + torn); 0 when no unit was written
 */
double fa_tear_rate(const struct fa_scan_counts *c);

/**
 * fa_tear_upper_bound() - one-sided exact (Clopper-Pearson) upper
 * confidence bound of a tear probability
 * @torn:	torn units seen
 * @n:		written units judged (intact + torn)
 * @alpha:	1 - confidence, in (0, 1)
 *
 * The p at which @torn or fewer tears in @n would happen with probability
 * @alpha: 1 - alpha^(1/n) for 0 tears, else found by bisection on the
 * binomial distribution function.
 *
 * Return: the bound in [0, 1]; 1 when @n is 0 or @torn >= @n.
 */
double fa_tear_upper_bound(uint64_t torn, uint64_t n, double alpha);

/** fa_tear_upper95() - fa_tear_upper_bound() at 95% confidence */
double fa_tear_upper95(uint64_t torn, uint64_t n);

#endif /* FA_SCAN_H */
