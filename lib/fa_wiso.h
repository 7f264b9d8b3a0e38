/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the write_isolation probe (fa_guarantee.h). Two writes of
 * the same unit are submitted at the same instant; once both have
 * completed the unit is read back with O_DIRECT and judged by its stamps
 * (fa_stamp.h): all of the first write, all of the second, a mix of the
 * two, or something else (unwritten, stale, bad checksum, misplaced).
 *
 * The kernel promises nothing about two overlapping atomic writes in
 * flight: XFS's software (out-of-place) fallback leaves such units mixed
 * at rest at large sizes. A mixed unit is a failure of write_isolation.
 *
 * Submission modes:
 *   pwritev2   two threads released together by a barrier, each calling
 *              pwritev2() once (engine name "atomic-pvsync2", or "plain"
 *              without RWF_ATOMIC)
 *   io_uring   two write SQEs in one io_uring_submit() (engine name
 *              "atomic-uring", or "plain-uring" without RWF_ATOMIC)
 *
 * Nothing in lib/ prints or exits: functions return 0 or -errno.
 */
#ifndef FA_WISO_H
#define FA_WISO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fa_guarantee.h"

struct fa_limits;

/**
 * enum fa_wiso_outcome - what one pair left in its unit
 * @FA_WISO_FIRST:	every block of the first submitted write (A)
 * @FA_WISO_SECOND:	every block of the second (B)
 * @FA_WISO_MIXED:	blocks of both, nothing else: write_isolation broken
 * @FA_WISO_OTHER:	a block of neither (unwritten, an older write, a bad
 *			checksum, another place): the unit is torn or lost
 */
enum fa_wiso_outcome {
	FA_WISO_FIRST = 0,
	FA_WISO_SECOND,
	FA_WISO_MIXED,
	FA_WISO_OTHER,
	FA_WISO_NR_OUTCOMES,
};

/** fa_wiso_outcome_name() - "first", "second", "mixed", "other" */
const char *fa_wiso_outcome_name(enum fa_wiso_outcome o);

/**
 * struct fa_wiso_unit - one unit read back after a pair
 * @outcome:	the judgement
 * @blocks:	blocks in the unit
 * @blocks_a, @blocks_b: blocks carrying write A's, write B's valid stamp
 *		in their place
 * @blocks_unwritten: blocks without a stamp
 * @blocks_stale: valid stamps of another write (an earlier pair)
 * @blocks_bad: bad checksum, misplaced or foreign stamps
 * @first_odd_block: first block whose kind differs from block 0's
 *		(the edge of the mix); @blocks when there is none
 */
struct fa_wiso_unit {
	enum fa_wiso_outcome outcome;
	uint32_t blocks;
	uint32_t blocks_a;
	uint32_t blocks_b;
	uint32_t blocks_unwritten;
	uint32_t blocks_stale;
	uint32_t blocks_bad;
	uint32_t first_odd_block;
};

/**
 * fa_wiso_classify() - judge a unit read back after writes @gen_a, @gen_b
 * @buf:	@unit_len bytes read at @unit_offset
 * @what, @len:	receives the blocks as runs, e.g. "blocks 0-127 of write
 *		A, 128-511 of write B" (may be NULL)
 *
 * Return: 0, or -EINVAL for a geometry fa_stamp_valid_geometry() refuses.
 */
int fa_wiso_classify(const void *buf, uint64_t unit_offset, uint32_t unit_len,
		     uint32_t block_size, uint64_t gen_a, uint64_t gen_b,
		     struct fa_wiso_unit *u, char *what, size_t len);

enum fa_wiso_submit {
	FA_WISO_PWRITEV2 = 0,	/* two threads behind a barrier */
	FA_WISO_IO_URING,	/* two SQEs in one submit */
};

/** fa_wiso_engine_name() - "atomic-pvsync2", "atomic-uring", "plain", ... */
const char *fa_wiso_engine_name(enum fa_wiso_submit submit, bool atomic);

/**
 * struct fa_wiso_run - one batch of pairs at one size
 * @submit:	how the two writes are submitted
 * @atomic:	RWF_ATOMIC on both writes (false for the positive control)
 * @size:	bytes per write; the caller checked it against the limits
 * @pairs:	pairs to submit
 * @units:	the region's units; each pair picks one at random
 * @region_offset: first byte of the region (a multiple of @size)
 * @block_size:	stamp block size (fa_stamp_block_for())
 * @seed:	generations and unit choices derive from it; two runs on one
 *		target must use different seeds (a stale unit is then told
 *		apart from a fresh one)
 * @punch:	punch the unit's blocks out before each pair (regular files
 *		only): on XFS's software fallback a unit written into a
 *		hole mixed more often than one overwritten
 * @piece:	0, or (the positive control, plain pwritev2 only) write
 *		each unit in pieces of this many bytes, write A front to
 *		back and write B back to front, so that they cross
 */
struct fa_wiso_run {
	enum fa_wiso_submit submit;
	bool atomic;
	uint64_t size;
	uint64_t pairs;
	unsigned int units;
	uint64_t region_offset;
	uint32_t block_size;
	uint64_t seed;
	bool punch;
	uint64_t piece;
};

/**
 * fa_wiso_pairs() - run @run's pairs on @fd and count their outcomes
 * @fd:		open O_RDWR | O_DIRECT; a regular file or a block device
 * @counts:	FA_WISO_NR_OUTCOMES counters, added to
 * @r:		failures are kept as examples in it (may be NULL)
 *
 * Return: 0, or -errno when a write or read failed or fell short (the
 * counts hold the pairs judged until then).
 */
int fa_wiso_pairs(int fd, const struct fa_wiso_run *run, uint64_t *counts,
		  struct fa_g_result *r);

#define FA_WISO_MAX_SIZES	8

/**
 * struct fa_wiso_config - what fa_wiso_probe() measures
 * @sizes, @nr_sizes: atomic write sizes; each must pass
 *		fa_wiso_check_size() on the target
 * @pairs:	pairs per size and mode; 0 takes fa_wiso_default_pairs()
 * @pwritev2, @io_uring: the submission modes to run (at least one)
 * @units:	units in the region (0: FA_WISO_DEFAULT_UNITS)
 * @region_offset: where the region starts; it spans @units times the
 *		largest size (and the control's)
 * @control:	run the positive control: two plain writes (no RWF_ATOMIC)
 *		of one unit by two threads, each in 4 KiB pieces, one front
 *		to back and one back to front, which must leave it mixed
 *		(whole plain writes mixed too rarely on loop-backed XFS to
 *		prove anything: 0 of 1,000 at 1 MiB)
 * @control_size, @control_pairs: its size (0: 1 MiB) and pairs (0:
 *		FA_WISO_DEFAULT_CONTROL_PAIRS)
 * @seed:	0 takes one from the clock
 * @punch:	as struct fa_wiso_run; set it for regular files
 */
struct fa_wiso_config {
	uint64_t sizes[FA_WISO_MAX_SIZES];
	int nr_sizes;
	uint64_t pairs;
	bool pwritev2;
	bool io_uring;
	unsigned int units;
	uint64_t region_offset;
	bool control;
	uint64_t control_size;
	uint64_t control_pairs;
	uint64_t seed;
	bool punch;
};

#define FA_WISO_DEFAULT_UNITS		8
#define FA_WISO_DEFAULT_CONTROL_PAIRS	20

/**
 * fa_wiso_default_pairs() - pairs per size and mode when none are asked
 * for, sized on XFS's software fallback so that a mix at 1 MiB and above
 * is found run after run (see the table in fa_wiso.c)
 */
uint64_t fa_wiso_default_pairs(uint64_t size);

/**
 * fa_wiso_region_len() - bytes of the target @cfg writes, from
 * @cfg->region_offset on
 */
uint64_t fa_wiso_region_len(const struct fa_wiso_config *cfg);

/**
 * fa_wiso_check_size() - is @size a legal atomic write on @lim's target
 * (a power of two in unit_min..unit_max, and the stamp geometry)?
 * @msg, @len:	receives why not, naming the size, the limits and where
 *		they came from
 *
 * Return: 0, or -EINVAL (-EOPNOTSUPP when the target has no atomic
 * writes at all).
 */
int fa_wiso_check_size(const struct fa_limits *lim, uint64_t size, char *msg,
		       size_t len);

/**
 * fa_wiso_probe() - the write_isolation probe: every size in every mode,
 * then the positive control, then fa_g_judge()
 * @fd:		open O_RDWR | O_DIRECT on @lim's target, at least
 *		@cfg->region_offset + fa_wiso_region_len(@cfg) bytes long
 *		for a block device (a file grows)
 * @lim:	from fa_limits_discover() on the target
 * @r:		initialised here (FA_G_WRITE_ISOLATION); one point per
 *		(engine, size) with outcomes first/second/mixed/other
 *
 * Sizes are checked before the first write.
 *
 * Return: 0 (@r judged), -EINVAL for a size the target refuses (nothing
 * written), or the -errno of a failed write or read (@r holds what was
 * counted until then, not judged: status not_tested with the reason).
 */
int fa_wiso_probe(int fd, const struct fa_limits *lim,
		  const struct fa_wiso_config *cfg, struct fa_g_result *r);

#endif /* FA_WISO_H */
