// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: conformance cases that fit the target (see fa_cases.h).
 *
 * Each case must break its rule and keep the others, including O_DIRECT's
 * own alignment: an O_DIRECT write below the logical block size also fails
 * with EINVAL, and the two rejections cannot be told apart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fa_cases.h"

uint64_t fa_dio_align(const struct fa_limits *lim)
{
	if (lim->stx_dio_offset_align.known && lim->stx_dio_offset_align.value)
		return lim->stx_dio_offset_align.value;
	if (lim->sys_logical_block.known && lim->sys_logical_block.value)
		return lim->sys_logical_block.value;
	return 512;
}

static void fa_case_set(struct fa_case *c, const char *job, enum fa_rule rule,
			uint64_t bs, uint64_t offset)
{
	c->job = job;
	c->rule = rule;
	c->bs = bs;
	c->offset = offset;
	c->size = FA_CASE_WRITES * bs;
	c->alone = true;
	c->why[0] = '\0';
}

static void fa_case_mixed(struct fa_case *c, const char *fmt, uint64_t a,
			  uint64_t b)
{
	c->alone = false;
	snprintf(c->why, sizeof(c->why), fmt, a, b);
}

/*
 * A length that is not a power of two, between unit_min and unit_max and
 * a multiple of the DIO alignment: 3 x unit_min, else 1.5 x unit_min; when
 * there is none, 3 x unit_min is above unit_max too.
 */
static void fa_case_not_pow2(struct fa_case *c, uint64_t min, uint64_t max,
			     uint64_t align)
{
	if (3 * min > max && 2 * min <= max && min / 2 >= align) {
		fa_case_set(c, "not-power-of-two", FA_RULE_POW2,
			    min + min / 2, 0);
		return;
	}
	fa_case_set(c, "not-power-of-two", FA_RULE_POW2, 3 * min, 0);
	if (3 * min > max)
		fa_case_mixed(c,
			      "%llu is also above unit_max %llu: no length in range is a multiple of the DIO alignment but not a power of two",
			      (unsigned long long)(3 * min),
			      (unsigned long long)max);
}

/* The largest power of two below unit_min, if O_DIRECT takes it. */
static void fa_case_below_min(struct fa_case *c, uint64_t min, uint64_t align)
{
	uint64_t bs = min > 1 ? min / 2 : 1;

	fa_case_set(c, "below-unit-min", FA_RULE_MIN, bs, 0);
	if (bs < align)
		fa_case_mixed(c,
			      "%llu is also below the DIO alignment %llu: O_DIRECT refuses it for that too",
			      (unsigned long long)bs,
			      (unsigned long long)align);
}

/*
 * A legal length (up to 4 x unit_min) at an offset of half of it: aligned
 * for O_DIRECT, not to the length.
 */
static void fa_case_misaligned(struct fa_case *c, uint64_t min, uint64_t max,
			       uint64_t align)
{
	uint64_t bs = 4 * min <= max ? 4 * min : max;

	fa_case_set(c, "misaligned", FA_RULE_ALIGN, bs, bs / 2);
	if (bs / 2 < align)
		fa_case_mixed(c,
			      "offset %llu is also below the DIO alignment %llu: O_DIRECT refuses it for that too",
			      (unsigned long long)(bs / 2),
			      (unsigned long long)align);
}

int fa_cases_plan(const struct fa_limits *lim,
		  struct fa_case cases[FA_CASE_NR])
{
	uint64_t min, max, align;

	if (!fa_limits_supported(lim))
		return -EOPNOTSUPP;
	min = lim->unit_min.value;
	max = lim->unit_max.value;
	align = fa_dio_align(lim);
	memset(cases, 0, FA_CASE_NR * sizeof(*cases));
	fa_case_not_pow2(&cases[FA_CASE_NOT_POW2], min, max, align);
	fa_case_below_min(&cases[FA_CASE_BELOW_MIN], min, align);
	/* Twice unit_max: a power of two, naturally aligned, legal O_DIRECT. */
	fa_case_set(&cases[FA_CASE_ABOVE_MAX], "above-unit-max", FA_RULE_MAX,
		    2 * max, 0);
	fa_case_misaligned(&cases[FA_CASE_MISALIGNED], min, max, align);
	return 0;
}
