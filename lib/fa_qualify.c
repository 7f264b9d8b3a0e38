// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the pure logic of hardware qualification, kept apart from
 * the tool that forks fio so that the verdict and the parsers can be unit
 * tested with canned input.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fa_jobreport.h"
#include "fa_json.h"
#include "fa_qualify.h"
#include "fa_util.h"

const char *fa_q_result_name(enum fa_q_result r)
{
	switch (r) {
	case FA_Q_PASS:
		return "PASS";
	case FA_Q_FAIL:
		return "FAIL";
	case FA_Q_SKIP:
	default:
		return "SKIP";
	}
}

bool fa_q_verdict(const struct fa_q_step *steps, int nr, char *failing,
		  size_t len)
{
	size_t used = 0;
	bool ok = true;
	int i;

	if (len)
		failing[0] = '\0';
	for (i = 0; i < nr; i++) {
		const struct fa_q_step *s = &steps[i];
		int n;

		if (s->advisory || s->result == FA_Q_PASS ||
		    (s->result == FA_Q_SKIP && !s->required))
			continue;
		ok = false;
		if (used >= len)
			continue;
		n = snprintf(failing + used, len - used, "%s%s",
			     used ? ", " : "", s->name);
		if (n > 0)
			used += (size_t)n;
	}
	return ok;
}

int fa_q_sizes(uint64_t unit_min, uint64_t unit_max, uint64_t cap,
	       uint64_t *out, int max)
{
	uint64_t size = 1, top = unit_max;
	int nr = 0;

	if (!unit_min || unit_max < unit_min)
		return -EINVAL;
	if (cap && cap < top)
		top = cap;
	while (size < unit_min) {
		if (size > UINT64_MAX / 2)
			return 0;
		size <<= 1;
	}
	while (size <= top && nr < max) {
		out[nr++] = size;
		if (size > UINT64_MAX / 2)
			break;
		size <<= 1;
	}
	return nr;
}

const char *fa_q_fio_json_start(const char *out)
{
	const char *p = out;

	while (p && *p) {
		if (p[0] == '{' && (p[1] == '\n' || p[1] == '\r'))
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static uint64_t fa_q_json_u64(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v))
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

/* A percentile of fio's in ns; 0 when it has none */
static uint64_t fa_q_percentile(struct json_object *pct, double want)
{
	double v;

	return fa_json_fio_percentile(pct, want, &v) && v > 0 ?
	       (uint64_t)v : 0;
}

int fa_q_fio_point(struct json_object *root, const char *jobname,
		   struct fa_q_point *p)
{
	struct json_object *jobs, *job = NULL, *write, *clat, *pct, *v;
	size_t i, nr;

	memset(p, 0, sizeof(*p));
	/* fio --client reports the server's jobs as "client_stats" */
	if (!root || (!json_object_object_get_ex(root, "jobs", &jobs) &&
		      !json_object_object_get_ex(root, "client_stats", &jobs)) ||
	    !json_object_is_type(jobs, json_type_array))
		return -EINVAL;
	nr = json_object_array_length(jobs);
	for (i = 0; i < nr; i++) {
		struct json_object *j = json_object_array_get_idx(jobs, i);

		if (!jobname) {
			job = j;
			break;
		}
		if (json_object_object_get_ex(j, "jobname", &v) &&
		    !strcmp(json_object_get_string(v), jobname)) {
			job = j;
			break;
		}
	}
	if (!job)
		return -ENOENT;
	p->error = (int)fa_q_json_u64(job, "error");
	if (!json_object_object_get_ex(job, "write", &write))
		return -EINVAL;
	if (json_object_object_get_ex(write, "iops", &v))
		p->iops = json_object_get_double(v);
	p->bw_bytes = fa_q_json_u64(write, "bw_bytes");
	p->ios = fa_q_json_u64(write, "total_ios");
	if (json_object_object_get_ex(write, "clat_ns", &clat) &&
	    json_object_object_get_ex(clat, "percentile", &pct)) {
		p->clat_p50_ns = fa_q_percentile(pct, 50.0);
		p->clat_p99_ns = fa_q_percentile(pct, 99.0);
		p->clat_p999_ns = fa_q_percentile(pct, 99.9);
	}
	return 0;
}

bool fa_q_conf_judge(const struct fa_conf_rule *c, uint64_t expect_sent,
		     const char *expect_how, char *why, size_t len)
{
	if (!c) {
		snprintf(why, len, "the engine reported no illegal write");
		return false;
	}
	if (!c->enforced) {
		if (c->sent != expect_sent) {
			snprintf(why, len,
				 "%" PRIu64 " of %" PRIu64 " writes counted outside the guarantee",
				 c->sent, expect_sent);
			return false;
		}
		return true;
	}
	if (c->accepted) {
		snprintf(why, len,
			 "%" PRIu64 " of %" PRIu64 " illegal writes ACCEPTED",
			 c->accepted, c->sent);
		return false;
	}
	if (c->sent != expect_sent || c->rejected != expect_sent) {
		snprintf(why, len,
			 "%" PRIu64 " sent, %" PRIu64 " rejected, expected %" PRIu64,
			 c->sent, c->rejected, expect_sent);
		return false;
	}
	if (expect_how &&
	    strncmp(c->last.text, expect_how, strlen(expect_how))) {
		snprintf(why, len, "rejected with '%s', expected '%s'",
			 c->last.text, expect_how);
		return false;
	}
	return true;
}

bool fa_q_tear_judge(uint64_t torn, uint64_t intact, char *why, size_t len)
{
	if (torn) {
		snprintf(why, len, "%" PRIu64 " torn unit%s", torn,
			 torn == 1 ? "" : "s");
		return false;
	}
	if (!intact) {
		snprintf(why, len,
			 "no intact unit read: the readers proved nothing");
		return false;
	}
	return true;
}
