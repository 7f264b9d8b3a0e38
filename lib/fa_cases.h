/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio-atomic: the conformance cases of a target. Each case is a stream of
 * sequential writes meant to break exactly one of the kernel's atomic
 * write rules (pow2, unit_min, unit_max, align) on this very target, and
 * nothing else: every write stays a legal O_DIRECT write, so a rejection
 * can only come from the atomic rule. The sizes follow the target's limits,
 * so a case cannot turn legal on a target with a larger unit_max.
 */
#ifndef FA_CASES_H
#define FA_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "fa_limits.h"

/* Writes each case sends: enough to see a count, few enough to be quick. */
#define FA_CASE_WRITES	16

enum fa_case_id {
	FA_CASE_NOT_POW2,
	FA_CASE_BELOW_MIN,
	FA_CASE_ABOVE_MAX,
	FA_CASE_MISALIGNED,
	FA_CASE_NR,
};

/**
 * struct fa_case - one conformance case
 * @job:	its section name in jobs/atomic-conformance.fio
 * @rule:	the rule every write of it breaks
 * @bs:		write length
 * @offset:	offset of the first write
 * @size:	bytes from @offset: FA_CASE_WRITES writes of @bs
 * @alone:	false when no write on this target breaks @rule and nothing
 *		else: the case then breaks @rule first (as fa_check_write()
 *		orders the rules) but also another rule, named in @why
 * @why:	empty when @alone
 */
struct fa_case {
	const char *job;
	enum fa_rule rule;
	uint64_t bs;
	uint64_t offset;
	uint64_t size;
	bool alone;
	char why[160];
};

/**
 * fa_dio_align() - the offset and length alignment of an O_DIRECT write:
 * statx's dio_offset_align, else the queue's logical block size, else 512
 */
uint64_t fa_dio_align(const struct fa_limits *lim);

/**
 * fa_cases_plan() - the conformance cases of a target with atomic writes
 * Return: 0, or -EOPNOTSUPP when fa_limits_supported(@lim) is false.
 */
int fa_cases_plan(const struct fa_limits *lim,
		  struct fa_case cases[FA_CASE_NR]);

#endif /* FA_CASES_H */
