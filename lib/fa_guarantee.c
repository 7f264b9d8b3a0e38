// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the three guarantees and the result every probe fills
 * (fa_guarantee.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fa_guarantee.h"
#include "fa_json.h"
#include "fa_scan.h"
#include "fa_util.h"

static const char *const fa_g_names[FA_G_NR] = {
	[FA_G_POWER_FAIL]	= "power_fail",
	[FA_G_READ_ISOLATION]	= "read_isolation",
	[FA_G_WRITE_ISOLATION]	= "write_isolation",
};

static const char *const fa_g_status_names[] = {
	[FA_G_NOT_TESTED]	= "not_tested",
	[FA_G_PROVIDED]		= "provided",
	[FA_G_NOT_PROVIDED]	= "not_provided",
};

const char *fa_guarantee_name(enum fa_guarantee g)
{
	return (unsigned int)g < FA_G_NR ? fa_g_names[g] : "unknown";
}

const char *fa_g_status_name(enum fa_g_status s)
{
	if ((unsigned int)s >= FA_ARRAY_SIZE(fa_g_status_names))
		return "unknown";
	return fa_g_status_names[s];
}

void fa_g_init(struct fa_g_result *r, enum fa_guarantee g)
{
	memset(r, 0, sizeof(*r));
	r->guarantee = g;
	r->status = FA_G_NOT_TESTED;
}

struct fa_g_point *fa_g_point(struct fa_g_result *r, const char *engine,
			      uint64_t size)
{
	struct fa_g_point *p;
	int i;

	for (i = 0; i < r->nr_points; i++)
		if (r->points[i].size == size &&
		    !strcmp(r->points[i].engine, engine))
			return &r->points[i];
	if (r->nr_points >= FA_G_MAX_POINTS)
		return NULL;
	p = &r->points[r->nr_points++];
	memset(p, 0, sizeof(*p));
	fa_strlcpy(p->engine, engine, sizeof(p->engine));
	p->size = size;
	return p;
}

void fa_g_example(struct fa_g_result *r, uint64_t offset, uint64_t size,
		  const char *what)
{
	struct fa_g_example *e;

	if (r->nr_examples >= FA_G_MAX_EXAMPLES)
		return;
	e = &r->examples[r->nr_examples++];
	e->offset = offset;
	e->size = size;
	fa_strlcpy(e->what, what, sizeof(e->what));
}

void fa_g_totals(const struct fa_g_result *r, uint64_t *trials,
		 uint64_t *failures)
{
	int i;

	*trials = *failures = 0;
	for (i = 0; i < r->nr_points; i++) {
		*trials += r->points[i].trials;
		*failures += r->points[i].failures;
	}
}

void fa_g_judge(struct fa_g_result *r)
{
	uint64_t trials, failures;

	fa_g_totals(r, &trials, &failures);
	r->control_passed = r->has_control && r->control_failures > 0;
	if (failures) {
		r->status = FA_G_NOT_PROVIDED;
		return;
	}
	if (!trials) {
		r->status = FA_G_NOT_TESTED;
		if (!r->reason[0])
			fa_strlcpy(r->reason, "no trial ran", sizeof(r->reason));
		return;
	}
	if (r->has_control && !r->control_passed) {
		r->status = FA_G_NOT_TESTED;
		snprintf(r->reason, sizeof(r->reason),
			 "the positive control saw no failure in %" PRIu64 " trials: the probe proved nothing",
			 r->control_trials);
		return;
	}
	r->status = FA_G_PROVIDED;
}

static int fa_g_rate(struct json_object *o, uint64_t trials,
		     uint64_t failures)
{
	int ret = 0;

	ret |= fa_json_add(o, "trials", json_object_new_uint64(trials));
	ret |= fa_json_add(o, "failures", json_object_new_uint64(failures));
	ret |= fa_json_add(o, "rate", json_object_new_double(trials ?
				   (double)failures / (double)trials : 0));
	ret |= fa_json_add(o, "rate_upper95", json_object_new_double(
				   fa_tear_upper95(failures, trials)));
	return ret;
}

struct json_object *fa_g_measure_json(enum fa_guarantee g, uint64_t trials,
				      uint64_t failures, const char *condition)
{
	struct json_object *o = json_object_new_object();
	int ret = 0;

	if (!o)
		return NULL;
	ret |= fa_json_add(o, "guarantee",
			   json_object_new_string(fa_guarantee_name(g)));
	ret |= fa_g_rate(o, trials, failures);
	ret |= fa_json_add(o, "condition", json_object_new_string(condition));
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *fa_g_point_json(const struct fa_g_point *p)
{
	struct json_object *o = json_object_new_object(), *out;
	int i, ret = 0;

	if (!o)
		return NULL;
	ret |= fa_json_add(o, "engine", json_object_new_string(p->engine));
	ret |= fa_json_add(o, "size", json_object_new_uint64(p->size));
	ret |= fa_g_rate(o, p->trials, p->failures);
	if (p->nr_outcomes) {
		out = json_object_new_object();
		for (i = 0; out && i < p->nr_outcomes; i++)
			ret |= fa_json_add(out, p->outcome_name[i],
					   json_object_new_uint64(p->outcome[i]));
		ret |= fa_json_add(o, "outcomes", out);
	}
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *fa_g_json(const struct fa_g_result *r)
{
	struct json_object *o = json_object_new_object(), *arr, *e, *c;
	struct json_object *engines, *sizes;
	uint64_t trials, failures;
	int i, j, ret = 0;

	if (!o)
		return NULL;
	fa_g_totals(r, &trials, &failures);
	ret |= fa_json_add(o, "guarantee", json_object_new_string(
				   fa_guarantee_name(r->guarantee)));
	ret |= fa_json_add(o, "status", json_object_new_string(
				   fa_g_status_name(r->status)));
	ret |= fa_json_add_str(o, "reason", r->reason);
	ret |= fa_json_add_str(o, "how", r->how);
	ret |= fa_g_rate(o, trials, failures);
	engines = json_object_new_array();
	sizes = json_object_new_array();
	for (i = 0; engines && sizes && i < r->nr_points; i++) {
		bool seen_e = false, seen_s = false;

		for (j = 0; j < i; j++) {
			seen_e |= !strcmp(r->points[j].engine,
					  r->points[i].engine);
			seen_s |= r->points[j].size == r->points[i].size;
		}
		if (!seen_e)
			ret |= fa_json_append(engines, json_object_new_string(
						      r->points[i].engine));
		if (!seen_s)
			ret |= fa_json_append(sizes, json_object_new_uint64(
						      r->points[i].size));
	}
	ret |= fa_json_add(o, "engines", engines);
	ret |= fa_json_add(o, "sizes", sizes);
	arr = json_object_new_array();
	for (i = 0; arr && i < r->nr_points; i++)
		ret |= fa_json_append(arr, fa_g_point_json(&r->points[i]));
	ret |= fa_json_add(o, "points", arr);
	arr = json_object_new_array();
	for (i = 0; arr && i < r->nr_examples; i++) {
		e = json_object_new_object();
		if (!e) {
			ret = -ENOMEM;
			break;
		}
		ret |= fa_json_add(e, "offset", json_object_new_uint64(
					   r->examples[i].offset));
		ret |= fa_json_add(e, "size", json_object_new_uint64(
					   r->examples[i].size));
		ret |= fa_json_add(e, "what", json_object_new_string(
					   r->examples[i].what));
		ret |= fa_json_append(arr, e);
	}
	ret |= fa_json_add(o, "examples", arr);
	if (r->has_control) {
		c = json_object_new_object();
		if (c) {
			ret |= fa_g_rate(c, r->control_trials,
					 r->control_failures);
			ret |= fa_json_add(c, "passed", json_object_new_boolean(
						   r->control_passed));
		}
		ret |= fa_json_add(o, "control", c);
	} else {
		ret |= fa_json_add_null(o, "control");
	}
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
