// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the kernel's rules for an untorn write (RWF_ATOMIC), applied to
 * one write or to every write a job can produce, with messages that name the
 * rule, the value, the limit and where the limit came from.
 *
 * The order follows the kernel's checks (generic_atomic_write_valid() and
 * the block layer's limits), so the first broken rule is also the one the
 * kernel would have refused the write for.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fa_limits.h"
#include "fa_util.h"

static const char *const fa_rule_names[FA_RULE_NR] = {
	[FA_RULE_OK]		= "ok",
	[FA_RULE_UNSUPPORTED]	= "unsupported",
	[FA_RULE_DIRECT]	= "direct",
	[FA_RULE_POW2]		= "pow2",
	[FA_RULE_MIN]		= "unit_min",
	[FA_RULE_MAX]		= "unit_max",
	[FA_RULE_ALIGN]		= "align",
	[FA_RULE_SEGMENTS]	= "segments",
	[FA_RULE_UBUF]		= "user_buffer",
};

const char *fa_rule_name(enum fa_rule rule)
{
	if (rule < 0 || rule >= FA_RULE_NR)
		return "unknown";
	return fa_rule_names[rule];
}

int fa_rule_errno(enum fa_rule rule)
{
	switch (rule) {
	case FA_RULE_OK:
		return 0;
	case FA_RULE_UNSUPPORTED:
		return EOPNOTSUPP;
	default:
		return EINVAL;
	}
}

static enum fa_rule fa_verdict_set(struct fa_verdict *v, enum fa_rule rule,
				   uint64_t value, uint64_t limit,
				   const struct fa_value *src)
{
	v->rule = rule;
	v->value = value;
	v->limit = limit;
	v->src = src;
	return rule;
}

enum fa_rule fa_check_write(const struct fa_limits *lim,
			    const struct fa_write *w, struct fa_verdict *v)
{
	if (!fa_limits_supported(lim))
		return fa_verdict_set(v, FA_RULE_UNSUPPORTED, 0, 0,
				      &lim->unit_max);
	if (!w->direct)
		return fa_verdict_set(v, FA_RULE_DIRECT, 0, 1, NULL);
	if (!fa_is_pow2(w->length))
		return fa_verdict_set(v, FA_RULE_POW2, w->length, 0, NULL);
	if (w->length < lim->unit_min.value)
		return fa_verdict_set(v, FA_RULE_MIN, w->length,
				      lim->unit_min.value, &lim->unit_min);
	if (w->length > lim->unit_max.value)
		return fa_verdict_set(v, FA_RULE_MAX, w->length,
				      lim->unit_max.value, &lim->unit_max);
	if (w->offset & (w->length - 1))
		return fa_verdict_set(v, FA_RULE_ALIGN, w->offset, w->length,
				      NULL);
	if (lim->segments_max.known && w->nr_segs > lim->segments_max.value)
		return fa_verdict_set(v, FA_RULE_SEGMENTS, w->nr_segs,
				      lim->segments_max.value,
				      &lim->segments_max);
	if (w->registered_buffer)
		return fa_verdict_set(v, FA_RULE_UBUF, 1, 0, NULL);
	return fa_verdict_set(v, FA_RULE_OK, 0, 0, NULL);
}

/* "(atomic writes here must be 4096..1048576 bytes, from statx on X)" */
static void fa_range_note(const struct fa_limits *lim, char *buf, size_t len)
{
	const struct fa_value *src = &lim->unit_max;

	if (strcmp(lim->unit_min.origin, lim->unit_max.origin))
		snprintf(buf, len,
			 "atomic writes here must be %" PRIu64 "..%" PRIu64 " bytes, from %s and %s",
			 lim->unit_min.value, lim->unit_max.value,
			 lim->unit_min.origin, src->origin);
	else
		snprintf(buf, len,
			 "atomic writes here must be %" PRIu64 "..%" PRIu64 " bytes, from %s",
			 lim->unit_min.value, lim->unit_max.value, src->origin);
}

void fa_verdict_message(const struct fa_limits *lim,
			const struct fa_verdict *v, const char *what,
			char *buf, size_t len)
{
	char range[FA_ORIGIN_LEN * 2 + 96];

	fa_range_note(lim, range, sizeof(range));
	switch (v->rule) {
	case FA_RULE_OK:
		snprintf(buf, len, "%s is a valid atomic write", what);
		break;
	case FA_RULE_UNSUPPORTED:
		fa_limits_unsupported_reason(lim, buf, len);
		break;
	case FA_RULE_DIRECT:
		snprintf(buf, len,
			 "direct=0: atomic writes need O_DIRECT (set direct=1; %s)",
			 range);
		break;
	case FA_RULE_POW2:
		snprintf(buf, len, "%s=%" PRIu64 " is not a power of two (%s)",
			 what, v->value, range);
		break;
	case FA_RULE_MIN:
		snprintf(buf, len,
			 "%s=%" PRIu64 " is below atomic_write_unit_min %" PRIu64 " (%s)",
			 what, v->value, v->limit, range);
		break;
	case FA_RULE_MAX:
		snprintf(buf, len,
			 "%s=%" PRIu64 " is above atomic_write_unit_max %" PRIu64 " (%s)",
			 what, v->value, v->limit, range);
		break;
	case FA_RULE_ALIGN:
		snprintf(buf, len,
			 "%s=%" PRIu64 " is not naturally aligned to the write length %" PRIu64 " (an atomic write must start at a multiple of its length)",
			 what, v->value, v->limit);
		break;
	case FA_RULE_SEGMENTS:
		snprintf(buf, len,
			 "%s=%" PRIu64 " exceeds atomic_write_segments_max %" PRIu64 " (from %s)",
			 what, v->value, v->limit,
			 v->src ? v->src->origin : "the kernel");
		break;
	case FA_RULE_UBUF:
		snprintf(buf, len,
			 "%s: registered (fixed) buffers reach the kernel as a bvec, and an atomic write must come from one user buffer (generic_atomic_write_valid() refuses it with EINVAL; drop fixedbufs)",
			 what);
		break;
	default:
		snprintf(buf, len, "%s breaks an unknown rule", what);
		break;
	}
}

int fa_job_add_size(struct fa_job *job, uint64_t size, const char *opt)
{
	int i;

	for (i = 0; i < job->nr_sizes; i++)
		if (job->sizes[i] == size)
			return 0;
	if (job->nr_sizes >= FA_JOB_MAX_SIZES)
		return -E2BIG;
	job->sizes[job->nr_sizes] = size;
	job->size_opt[job->nr_sizes] = opt;
	job->nr_sizes++;
	return 0;
}

enum fa_rule fa_check_job(const struct fa_limits *lim, const struct fa_job *job,
			  struct fa_verdict *v, char *msg, size_t len)
{
	struct fa_write w = {
		.direct = job->direct,
		.nr_segs = job->nr_segs ? job->nr_segs : 1,
		.registered_buffer = job->registered_buffer,
	};
	enum fa_rule rule;
	int i;

	/* Lengths first: a bad size is the root cause of any misalignment. */
	for (i = 0; i < job->nr_sizes; i++) {
		w.length = job->sizes[i];
		w.offset = 0;
		rule = fa_check_write(lim, &w, v);
		if (rule == FA_RULE_UBUF) {
			fa_verdict_message(lim, v, "fixedbufs", msg, len);
			return rule;
		}
		if (rule != FA_RULE_OK) {
			fa_verdict_message(lim, v, job->size_opt[i], msg, len);
			return rule;
		}
	}
	for (i = 0; i < job->nr_sizes; i++) {
		uint64_t size = job->sizes[i];

		if (job->start_offset % size) {
			fa_verdict_set(v, FA_RULE_ALIGN, job->start_offset,
				       size, NULL);
			snprintf(msg, len,
				 "offset=%" PRIu64 " is not naturally aligned to %s=%" PRIu64 " (an atomic write must start at a multiple of its length)",
				 job->start_offset, job->size_opt[i], size);
			return FA_RULE_ALIGN;
		}
		/*
		 * Every later offset is start + k * offset_align, so each
		 * write length must divide the alignment as well.
		 */
		if (job->offset_align % size == 0)
			continue;
		fa_verdict_set(v, FA_RULE_ALIGN, job->offset_align, size,
			       NULL);
		if (job->align_opt)
			snprintf(msg, len,
				 "%s=%" PRIu64 " lets a %s=%" PRIu64 " write start at an offset that is not a multiple of %" PRIu64 " (atomic writes must be naturally aligned; set %s to a multiple of the largest write size)",
				 job->align_opt, job->offset_align,
				 job->size_opt[i], size, size, job->align_opt);
		else
			snprintf(msg, len,
				 "sequential writes of mixed sizes start a %s=%" PRIu64 " write at an offset that is only a multiple of %" PRIu64 " (atomic writes must be naturally aligned; use one size for sequential writes, or random writes with blockalign=%" PRIu64 ")",
				 job->size_opt[i], size, job->offset_align,
				 size);
		return FA_RULE_ALIGN;
	}
	fa_verdict_set(v, FA_RULE_OK, 0, 0, NULL);
	if (len)
		msg[0] = '\0';
	return FA_RULE_OK;
}
