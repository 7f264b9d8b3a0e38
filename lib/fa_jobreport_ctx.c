// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the run context of the per-job report (version 2): the
 * "context" object written and read, with its limits taken from the
 * limits the report lists. See fa_jobreport.h and docs/job-report.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fa_jobreport.h"
#include "fa_json.h"
#include "fa_util.h"

static const struct fa_jr_limit *fa_jr_ctx_limit(const struct fa_jobreport *r,
						 const char *name)
{
	int i;

	for (i = 0; i < r->nr_limits; i++)
		if (!strcmp(r->limits[i].name, name))
			return &r->limits[i];
	return NULL;
}

/* The first of @names the report lists, into @bit of @l. */
static const struct fa_jr_limit *
fa_jr_ctx_take(const struct fa_jobreport *r, const char *const *names,
	       unsigned int bit, struct fa_runctx_limits *l, uint64_t *out)
{
	const struct fa_jr_limit *v = NULL;

	for (; *names && !v; names++)
		v = fa_jr_ctx_limit(r, *names);
	if (v) {
		*out = v->value;
		l->known |= bit;
	}
	return v;
}

void fa_jobreport_context_limits(const struct fa_jobreport *r,
				 struct fa_runctx_limits *l)
{
	static const char *const min[] = { "unit_min", "logical_block", NULL };
	static const char *const max[] = { "unit_max",
					   "max_atomic_transfer_length", NULL };
	static const char *const opt[] = { "unit_max_opt", NULL };
	static const char *const seg[] = { "segments_max", NULL };
	const struct fa_jr_limit *lo, *hi;

	memset(l, 0, sizeof(*l));
	lo = fa_jr_ctx_take(r, min, FA_RUNCTX_UNIT_MIN, l, &l->unit_min);
	hi = fa_jr_ctx_take(r, max, FA_RUNCTX_UNIT_MAX, l, &l->unit_max);
	fa_jr_ctx_take(r, seg, FA_RUNCTX_SEGMENTS_MAX, l, &l->segments_max);
	/* statx leaves unit_max_opt out when it is 0 ("no opinion") */
	if (!fa_jr_ctx_take(r, opt, FA_RUNCTX_UNIT_MAX_OPT, l,
			    &l->unit_max_opt) &&
	    hi && !strncmp(hi->origin, "statx ", 6))
		l->known |= FA_RUNCTX_UNIT_MAX_OPT;
	if (hi || lo)
		fa_strlcpy(l->source, (hi ? hi : lo)->origin,
			   sizeof(l->source));
}

int fa_jobreport_context_add(struct json_object *root,
			     const struct fa_jobreport *r)
{
	struct fa_runctx *c;
	int ret;

	if (!r->context.present)
		return fa_json_add_null(root, "context");
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = r->context;
	/* a report read back has them; one being written takes the job's */
	if (!c->limits.known && !c->limits.source[0])
		fa_jobreport_context_limits(r, &c->limits);
	ret = fa_json_add(root, "context", fa_runctx_json(c));
	free(c);
	return ret;
}

int fa_jobreport_context_read(struct json_object *root,
			      struct fa_jobreport *r, const char **bad_key)
{
	bool bad = false;
	struct json_object *o = fa_json_get(root, "context", json_type_object,
					    &bad);

	if (bad) {
		*bad_key = "context";
		return -EINVAL;
	}
	return fa_runctx_parse(o, &r->context, bad_key);
}
