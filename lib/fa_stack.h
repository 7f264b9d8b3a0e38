/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the atomic write limits a stacked block device (md, dm,
 * LVM) should report, derived from its members as the kernel stacks them
 * (block/blk-settings.c, blk_stack_atomic_writes_limits(), 6.13+), so that
 * fio-atomic limits can flag a stack whose sysfs limits disagree.
 */
#ifndef FA_STACK_H
#define FA_STACK_H

#include <stdint.h>

#define FA_STACK_MAX_MEMBERS 64

/**
 * struct fa_stack_limits - atomic write limits of one device, in bytes
 * @unit_min:	atomic_write_unit_min_bytes
 * @unit_max:	atomic_write_unit_max_bytes
 * @max_bytes:	atomic_write_max_bytes
 * @boundary:	atomic_write_boundary_bytes
 */
struct fa_stack_limits {
	uint64_t unit_min;
	uint64_t unit_max;
	uint64_t max_bytes;
	uint64_t boundary;
};

/* Why a stack has no atomic writes by the rule (FA_STACK_OK: it has). */
enum fa_stack_verdict {
	FA_STACK_OK = 0,
	FA_STACK_NO_MEMBERS,	     /* nothing to stack */
	FA_STACK_MEMBER_UNSUPPORTED, /* a member's unit_min is 0 */
	FA_STACK_BOUNDARY_CHUNK,     /* first member's boundary vs chunk */
	FA_STACK_BOUNDARY_MISMATCH,  /* members' boundaries differ */
	FA_STACK_UNITS_DISJOINT,     /* a member's unit range misses the rest */
};

/**
 * fa_stack_rule() - the kernel's stacking of members' atomic limits
 * @members:	the members' limits, in the order the stack adds them
 * @n:		how many
 * @chunk_bytes: the stack's chunk (queue/chunk_sectors * 512; 0: none)
 * @out:	the stack's limits by the rule; all 0 when unsupported
 *
 * The first member's limits are taken whole (its boundary must divide the
 * chunk or be a multiple of it); each further member must have the same
 * boundary and a unit range that meets the stack's, which then narrows to
 * the common part (max_bytes and unit_max the smallest, unit_min the
 * largest); after each member a chunk caps unit_max at the largest power
 * of two dividing it, unit_min at unit_max, max_bytes at the chunk.
 *
 * Return: why the stack has no atomic writes, or FA_STACK_OK.
 */
enum fa_stack_verdict fa_stack_rule(const struct fa_stack_limits *members,
				    int n, uint64_t chunk_bytes,
				    struct fa_stack_limits *out);

/* A sentence for the verdict, e.g. for a disagreement's explanation. */
const char *fa_stack_verdict_str(enum fa_stack_verdict v);

/**
 * fa_stack_read() - a stacked disk's members and their limits from sysfs
 * @sysfs:	the sysfs root, "/sys" (tests pass a fake tree)
 * @disk:	the stacked disk, e.g. "md0" or "dm-0"
 * @members:	filled with each member's limits
 * @names:	filled with each member's name (slaves/<name>)
 * @max:	room in @members and @names
 * @chunk_bytes: the disk's queue/chunk_sectors in bytes (0 when absent)
 *
 * Members are read in name order (sysfs lists slaves unordered; the rule
 * is the same whatever the order unless it is refused).
 *
 * Return: the number of members (0: not a stacked disk), or -errno.
 */
int fa_stack_read(const char *sysfs, const char *disk,
		  struct fa_stack_limits *members, char (*names)[64], int max,
		  uint64_t *chunk_bytes);

#endif
