// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: `fio-atomic qualify` reports into result rows and
 * guarantees (fa_results.h), one host's report or a fleet's:
 *
 *   {"fio_atomic_qualify": { "context", "results": [...],
 *                            "guarantees": { "power_fail": {...}, ... } }}
 *   {"fio_atomic_qualify_fleet": { "version": 1,
 *                                  "hosts": [ <a qualify report>, ... ] }}
 *
 * A "results" row is one point of the writes step: engine, mode, bs,
 * iodepth, the median IOPS and latencies of the atomic writes, and the
 * plain writes' IOPS at the same point (the cost of atomicity). The
 * writes step writes at random offsets, so rw is "randwrite". The
 * read_isolation guarantee's trials at a row's (engine, size) are the
 * tear check of that point: they become the row's torn and intact counts
 * when no other row of the host shares that engine and size (two modes
 * of one engine do; their counts then stay with the guarantee alone).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_results.h"
#include "fa_results_int.h"
#include "fa_util.h"

static const char *const fa_guarantee_names[] = {
	"power_fail", "read_isolation", "write_isolation",
};

static int fa_qualify_row(struct json_object *row, const char *host,
			  bool host_named, int ctx, struct fa_result_file *f,
			  size_t *cap, size_t idx)
{
	const char *engine = fa_rj_string(row, "engine"), *mode, *bs_s, *rw;
	struct fa_result *r;
	double bs, iodepth, iops, v;
	uint64_t bs_n;
	int ret;

	if (!engine || !fa_rj_number(row, "iops", &iops)) {
		fa_rj_skip_row(f, "results[%zu] lacks \"engine\" or a numeric \"iops\"",
			       idx);
		return 0;
	}
	bs_s = fa_rj_string(row, "bs");
	if (fa_rj_number(row, "bs", &bs) && bs > 0 && bs < 1e15) {
		bs_n = (uint64_t)bs;
	} else if (!bs_s || fa_results_parse_bs(bs_s, 1, &bs_n)) {
		fa_rj_skip_row(f, "results[%zu] lacks a block size \"bs\"", idx);
		return 0;
	}
	ret = fa_rj_add_row(f, cap, &r);
	if (ret)
		return ret;
	fa_strlcpy(r->host, host, sizeof(r->host));
	r->host_named = host_named;
	r->context = ctx;
	fa_results_engine_name(engine, r->engine, sizeof(r->engine));
	mode = fa_rj_string(row, "mode");
	fa_strlcpy(r->mode, mode ? mode : "", sizeof(r->mode));
	rw = fa_rj_string(row, "rw");
	fa_strlcpy(r->rw, rw ? rw : "randwrite", sizeof(r->rw));
	fa_strlcpy(r->dir, "write", sizeof(r->dir));
	fa_strlcpy(r->job, "qualify", sizeof(r->job));
	r->bs = bs_n;
	if (fa_rj_number(row, "iodepth", &iodepth) && iodepth >= 1 &&
	    iodepth <= UINT32_MAX)
		r->iodepth = (uint32_t)iodepth;
	r->iops = iops;
	if (fa_rj_number(row, "bw_bytes", &v))
		r->bw_bytes = v;
	else
		r->bw_bytes = iops * (double)bs_n;
	if (fa_rj_number(row, "clat_p50_ns", &v))
		r->clat_p50_ns = v;
	if (fa_rj_number(row, "clat_p99_ns", &v))
		r->clat_p99_ns = v;
	if (fa_rj_number(row, "clat_p999_ns", &v))
		r->clat_p999_ns = v;
	if (fa_rj_number(row, "plain_iops", &v) && v >= 0)
		r->plain_iops = v;
	if (fa_rj_number(row, "atomic_cost", &v) && v >= 0)
		r->atomic_cost = v;
	else if (isfinite(r->plain_iops) && r->plain_iops > 0)
		r->atomic_cost = iops / r->plain_iops;
	if (fa_rj_number(row, "iops_spread", &v) && v >= 0)
		r->iops_spread = v;
	return 0;
}

static int fa_add_gpoint(struct fa_result_file *f, size_t *cap,
			 struct json_object *p)
{
	struct fa_result_gpoint *g;
	const char *engine = fa_rj_string(p, "engine");
	uint64_t size, trials, failures;

	if (!fa_rj_count(p, "size", &size) ||
	    !fa_rj_count(p, "trials", &trials) ||
	    !fa_rj_count(p, "failures", &failures) || failures > trials)
		return 0;
	if (f->nr_gpoints >= FA_RESULT_MAX_GPOINTS)
		return -E2BIG;
	if (f->nr_gpoints == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		g = realloc(f->gpoints, *cap * sizeof(*g));
		if (!g)
			return -ENOMEM;
		f->gpoints = g;
	}
	g = &f->gpoints[f->nr_gpoints++];
	memset(g, 0, sizeof(*g));
	fa_results_engine_name(engine ? engine : "", g->engine,
			       sizeof(g->engine));
	g->size = size;
	g->trials = trials;
	g->failures = failures;
	return 0;
}

/* The guarantees of one host's report */
static int fa_guarantees(struct json_object *body, const char *host, int ctx,
			 struct fa_result_file *f, size_t *gcap, size_t *pcap)
{
	struct json_object *all = fa_rj_get(body, "guarantees"), *g, *c, *pts;
	struct fa_result_guarantee *out, *n;
	const char *s;
	size_t i, k, np;
	int ret;

	if (!all || !json_object_is_type(all, json_type_object))
		return 0;
	for (i = 0; i < FA_ARRAY_SIZE(fa_guarantee_names); i++) {
		g = fa_rj_get(all, fa_guarantee_names[i]);
		s = fa_rj_string(g, "status");
		if (!s)
			continue;
		if (f->nr_guarantees == *gcap) {
			*gcap = *gcap ? *gcap * 2 : 4;
			n = realloc(f->guarantees, *gcap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			f->guarantees = n;
		}
		out = &f->guarantees[f->nr_guarantees];
		memset(out, 0, sizeof(*out));
		out->context = ctx;
		out->upper95 = NAN;
		fa_strlcpy(out->host, host, sizeof(out->host));
		fa_strlcpy(out->name, fa_guarantee_names[i], sizeof(out->name));
		fa_strlcpy(out->status, s, sizeof(out->status));
		s = fa_rj_string(g, "reason");
		fa_strlcpy(out->reason, s ? s : "", sizeof(out->reason));
		out->has_counts = fa_rj_count(g, "trials", &out->trials) &&
				  fa_rj_count(g, "failures", &out->failures) &&
				  out->failures <= out->trials;
		if (!out->has_counts)
			out->trials = out->failures = 0;
		if (!fa_rj_number(g, "rate_upper95", &out->upper95))
			fa_rj_number(g, "upper95", &out->upper95);
		c = fa_rj_get(g, "control");
		out->has_control = fa_rj_count(c, "trials", &out->control_trials) &&
				   fa_rj_count(c, "failures",
					       &out->control_failures);
		if (!out->has_control)
			out->control_trials = out->control_failures = 0;
		out->first_point = f->nr_gpoints;
		pts = fa_rj_get(g, "points");
		np = pts && json_object_is_type(pts, json_type_array) ?
			     json_object_array_length(pts) : 0;
		for (k = 0; k < np; k++) {
			ret = fa_add_gpoint(f, pcap,
					    json_object_array_get_idx(pts, k));
			if (ret)
				return ret;
		}
		out->nr_points = f->nr_gpoints - out->first_point;
		f->nr_guarantees++;
	}
	return 0;
}

/* read_isolation's trials at each row's (engine, size): see the top */
static void fa_fold_read_isolation(struct fa_result_file *f, size_t row0,
				   size_t g0)
{
	const struct fa_result_guarantee *g;
	const struct fa_result_gpoint *p;
	struct fa_result *r;
	size_t i, j, k, same;

	for (i = g0; i < f->nr_guarantees; i++) {
		g = &f->guarantees[i];
		if (strcmp(g->name, "read_isolation"))
			continue;
		for (k = g->first_point; k < g->first_point + g->nr_points;
		     k++) {
			p = &f->gpoints[k];
			r = NULL;
			same = 0;
			for (j = row0; j < f->nr_rows; j++) {
				if (f->rows[j].bs != p->size ||
				    strcmp(f->rows[j].engine, p->engine))
					continue;
				r = &f->rows[j];
				same++;
			}
			if (same != 1)
				continue;
			r->has_tear = true;
			r->torn += p->failures;
			r->intact += p->trials - p->failures;
			r->checked += p->trials;
		}
	}
}

/* One host's report: @body is the object under "fio_atomic_qualify". */
static int fa_qualify_body(struct json_object *body, const char *default_host,
			   struct fa_result_file *f, struct fa_parse_error *err,
			   size_t *cap, size_t *gcap, size_t *pcap)
{
	struct json_object *results = fa_rj_get(body, "results"), *row;
	size_t i, n, row0 = f->nr_rows, g0 = f->nr_guarantees;
	const char *host = default_host, *s;
	bool named = false;
	int ctx, ret;
	double ts;

	ctx = fa_rj_context(body, f, err);
	if (ctx < -1)
		return ctx;
	/*
	 * A fleet's row names its member by its fio server: several servers
	 * on one machine share the context's host name.
	 */
	if (f->kind == FA_RESULT_FLEET && (s = fa_rj_string(body, "host")) &&
	    *s) {
		host = s;
		named = true;
	} else if (ctx >= 0 && f->contexts[ctx].text[FA_CTX_HOST][0]) {
		host = f->contexts[ctx].text[FA_CTX_HOST];
		named = true;
	} else if ((s = fa_rj_string(body, "fio_server")) && *s) {
		host = s;
		named = true;
	}
	s = fa_rj_string(body, "fio_version");
	if (s && !f->fio_version[0])
		fa_strlcpy(f->fio_version, s, sizeof(f->fio_version));
	if (fa_rj_number(body, "timestamp", &ts) && ts > 0 && ts < 1e15 &&
	    (!f->timestamp || (int64_t)ts < f->timestamp))
		f->timestamp = (int64_t)ts;
	f->nr_hosts++;
	if (!results || !json_object_is_type(results, json_type_array)) {
		fa_rj_skip_row(f, "qualify report without a \"results\" array: no rows to take");
	} else {
		n = json_object_array_length(results);
		for (i = 0; i < n; i++) {
			row = json_object_array_get_idx(results, i);
			ret = fa_qualify_row(row, host, named, ctx, f, cap, i);
			if (ret)
				return ret;
		}
	}
	ret = fa_guarantees(body, host, ctx, f, gcap, pcap);
	if (ret)
		return ret;
	fa_fold_read_isolation(f, row0, g0);
	return 0;
}

int fa_rj_parse_qualify(struct json_object *root, const char *default_host,
			struct fa_result_file *f, struct fa_parse_error *err)
{
	struct json_object *body = fa_rj_get(root, "fio_atomic_qualify");
	size_t cap = 0, gcap = 0, pcap = 0;

	/* The fields sit under the report's key; a bare object is read too. */
	if (!body || !json_object_is_type(body, json_type_object))
		body = root;
	f->kind = FA_RESULT_QUALIFY;
	return fa_qualify_body(body, default_host, f, err, &cap, &gcap, &pcap);
}

int fa_rj_parse_fleet(struct json_object *root, const char *default_host,
		      struct fa_result_file *f, struct fa_parse_error *err)
{
	struct json_object *fleet = fa_rj_get(root, "fio_atomic_qualify_fleet");
	struct json_object *hosts = fa_rj_get(fleet, "hosts"), *h, *inner;
	size_t cap = 0, gcap = 0, pcap = 0, i, n;
	double version;
	int ret;

	f->kind = FA_RESULT_FLEET;
	if (!fa_rj_number(fleet, "version", &version) || version < 1) {
		fa_rj_error(err, 0, 0, "qualify fleet report without a \"version\"");
		return -EINVAL;
	}
	if (version > FA_RESULT_FLEET_VERSION) {
		fa_rj_error(err, 0, 0,
			    "qualify fleet report version %.0f is newer than this tool's %d",
			    version, FA_RESULT_FLEET_VERSION);
		return -EINVAL;
	}
	if (!hosts || !json_object_is_type(hosts, json_type_array)) {
		fa_rj_error(err, 0, 0, "qualify fleet report without a \"hosts\" array");
		return -EINVAL;
	}
	n = json_object_array_length(hosts);
	for (i = 0; i < n; i++) {
		h = json_object_array_get_idx(hosts, i);
		if (!h || !json_object_is_type(h, json_type_object)) {
			fa_rj_skip_row(f, "hosts[%zu] is not a qualify report",
				       i);
			continue;
		}
		/* each host's full report, with or without its key */
		inner = fa_rj_get(h, "fio_atomic_qualify");
		if (inner && json_object_is_type(inner, json_type_object))
			h = inner;
		ret = fa_qualify_body(h, default_host, f, err, &cap, &gcap, &pcap);
		if (ret)
			return ret;
	}
	return 0;
}
