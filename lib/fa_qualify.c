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

		if (s->result == FA_Q_PASS ||
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

/* fio names percentiles "99.900000"; match them as numbers, not text. */
static uint64_t fa_q_percentile(struct json_object *pct, double want)
{
	struct json_object_iterator it, end;

	if (!pct || !json_object_is_type(pct, json_type_object))
		return 0;
	it = json_object_iter_begin(pct);
	end = json_object_iter_end(pct);
	for (; !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		double at = strtod(json_object_iter_peek_name(&it), NULL);

		if (at > want - 1e-6 && at < want + 1e-6)
			return (uint64_t)json_object_get_int64(
				json_object_iter_peek_value(&it));
	}
	return 0;
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

static struct fa_q_conf *fa_q_conf_slot(struct fa_q_conf *out, int *nr,
					int max, const char *rule,
					struct fa_q_conf *spare)
{
	int i;

	for (i = 0; i < *nr && i < max; i++)
		if (!strcmp(out[i].rule, rule))
			return &out[i];
	(*nr)++;
	if (*nr > max) {
		memset(spare, 0, sizeof(*spare));
		return spare;
	}
	memset(&out[*nr - 1], 0, sizeof(out[0]));
	fa_strlcpy(out[*nr - 1].rule, rule, sizeof(out[0].rule));
	return &out[*nr - 1];
}

/*
 * "N illegal writes sent, N rejected (HOW), N accepted": HOW is a decoded
 * sense or status that may hold parentheses of its own, so it ends at the
 * last "), ".
 */
static bool fa_q_parse_enforced(const char *rest, struct fa_q_conf *c)
{
	unsigned long long sent, rejected, accepted;
	const char *open, *close, *p;
	int n = 0;

	if (sscanf(rest, "%llu illegal writes sent, %llu rejected (%n",
		   &sent, &rejected, &n) != 2 || !n)
		return false;
	open = rest + n;
	close = NULL;
	for (p = strstr(open, "), "); p; p = strstr(p + 1, "), "))
		close = p;
	if (!close || sscanf(close, "), %llu accepted", &accepted) != 1)
		return false;
	c->sent += sent;
	c->rejected += rejected;
	c->accepted += accepted;
	if (rejected && (size_t)(close - open) < sizeof(c->how)) {
		memcpy(c->how, open, close - open);
		c->how[close - open] = '\0';
	}
	return true;
}

/*
 * "N writes sent outside the guarantee, N failed[, last: STATUS], N
 * completed without error": the device neither checks nor reports.
 */
static bool fa_q_parse_unenforced(const char *rest, struct fa_q_conf *c)
{
	unsigned long long sent, failed, completed;
	const char *p, *last;

	if (sscanf(rest, "%llu writes sent outside the guarantee, %llu failed",
		   &sent, &failed) != 2)
		return false;
	last = NULL;
	for (p = strstr(rest, ", "); p; p = strstr(p + 1, ", "))
		if (sscanf(p, ", %llu completed without error", &completed) == 1)
			last = p;
	if (!last)
		return false;
	c->sent += sent;
	c->rejected += failed;
	c->accepted += completed;
	c->unenforced = true;
	p = strstr(rest, "failed, last: ");
	if (p && p < last) {
		size_t n;

		p += strlen("failed, last: ");
		n = (size_t)(last - p);
		if (n < sizeof(c->how)) {
			memcpy(c->how, p, n);
			c->how[n] = '\0';
		}
	}
	return true;
}

int fa_q_parse_conformance(const char *text, struct fa_q_conf *out, int max)
{
	const char *line = text;
	int nr = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char buf[1024], rule[32], *r, *colon;
		struct fa_q_conf tmp, spare, *c;

		if (n < sizeof(buf)) {
			memcpy(buf, line, n);
			buf[n] = '\0';
			r = strstr(buf, ": rule ");
			colon = r ? strchr(r + 7, ':') : NULL;
			if (colon && colon - (r + 7) < (long)sizeof(rule) &&
			    colon[1] == ' ') {
				memcpy(rule, r + 7, colon - (r + 7));
				rule[colon - (r + 7)] = '\0';
				memset(&tmp, 0, sizeof(tmp));
				if (fa_q_parse_enforced(colon + 2, &tmp) ||
				    fa_q_parse_unenforced(colon + 2, &tmp)) {
					c = fa_q_conf_slot(out, &nr, max, rule,
							   &spare);
					c->sent += tmp.sent;
					c->rejected += tmp.rejected;
					c->accepted += tmp.accepted;
					c->unenforced |= tmp.unenforced;
					if (tmp.how[0])
						memcpy(c->how, tmp.how,
						       sizeof(c->how));
				}
			}
		}
		line = end ? end + 1 : NULL;
	}
	return nr;
}

bool fa_q_conf_judge(const struct fa_q_conf *c, uint64_t expect_sent,
		     const char *expect_how, char *why, size_t len)
{
	if (!c) {
		snprintf(why, len, "the engine reported no illegal write");
		return false;
	}
	if (c->unenforced) {
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
	if (expect_how && strncmp(c->how, expect_how, strlen(expect_how))) {
		snprintf(why, len, "rejected with '%s', expected '%s'",
			 c->how, expect_how);
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
