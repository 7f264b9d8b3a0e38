// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report compare: one run against a baseline, per group (host,
 * engine, mode, rw, bs, iodepth; the direction too for mixed rw),
 * noise-aware. The baseline is a named baseline (report baseline set),
 * a run, or the last N runs before the one compared; what changed in the
 * runs' contexts (kernel, firmware, ...) is said first (report_changes.c).
 *
 * Within a run, the samples of a group (several ingests under one run
 * name, numjobs results) are reduced to their median. The baseline is the
 * median of its runs' medians; its spread is the median absolute
 * deviation (MAD) of those medians, or, with a single baseline run, the
 * MAD of that run's samples. A metric regressed when its change goes past
 * max(--threshold, 3 x MAD / baseline): IOPS lower, p99 completion latency
 * higher. The tear rate regressed when torn units appear where the
 * baseline judged units and had none, or when the current rate's 95%
 * lower bound exceeds the baseline's 95% upper bound (Clopper-Pearson).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_rate.h"
#include "fa_scan.h"
#include "fa_stats.h"
#include "fa_tool.h"
#include "report.h"

static const char *const fa_metric_names[FA_NR_METRICS] = {
	"iops", "p99_clat", "tear_rate",
};

static const char *const fa_verdict_names[] = {
	"ok", "REGRESSED", "improved", "no data",
};

struct fa_compare {
	int64_t cur;
	const int64_t *base;
	size_t nr_base;
	double floor;
};

const char *fa_cmp_metric_name(enum fa_metric m)
{
	return fa_metric_names[m];
}

const char *fa_cmp_verdict_name(enum fa_cmp_verdict v)
{
	return fa_verdict_names[v];
}

#define FA_COMPARE_SYNOPSIS						\
	"usage: fio-atomic report compare [--db PATH] [--run RUN]\n"	\
	"              [--baseline NAME | --last N] [--threshold PCT] [--json]\n"

void fa_report_compare_usage(FILE *fp)
{
	fprintf(fp, FA_COMPARE_SYNOPSIS
		"\n"
		"Compare run RUN (a run name or id; default: the latest) with a\n"
		"baseline: --baseline NAME, a named baseline ('report baseline set'),\n"
		"else the run of that name or id; or the last N runs before RUN\n"
		"(default %d). First, what changed between the baseline's contexts and\n"
		"the run's on each host (kernel, distro, fio, build, device model and\n"
		"firmware, filesystem and its options, limits). Then per group: host,\n"
		"engine, mode, rw, bs, iodepth (and direction for mixed rw). Within a\n"
		"run a group's samples (several ingests of one run name, numjobs\n"
		"results) are reduced to their median; the baseline value is the median\n"
		"of its runs' medians.\n"
		"Threshold, per metric and group: max(PCT, 3 x MAD / baseline), where\n"
		"MAD is the median absolute deviation of the baseline runs' medians\n"
		"(with one baseline run: of that run's samples); PCT defaults to %.0f%%.\n"
		"So a metric that is noisy across the baseline needs a larger change.\n"
		"Regressed: IOPS lower by more than the threshold; p99 completion\n"
		"latency higher by more than the threshold; the tear rate when torn\n"
		"units appear where the baseline had none, or when the current rate's\n"
		"95%% lower bound exceeds the baseline's 95%% upper bound\n"
		"(Clopper-Pearson). Groups missing from the run, or new in it, are\n"
		"listed, not counted as regressions.\n"
		"\n"
		"database:\n" FA_REPORT_DB_HELP
		FA_REPORT_EXIT_HELP "; 7 a regression.\n",
		FA_COMPARE_DEFAULT_LAST, FA_COMPARE_DEFAULT_PCT);
}

#define fa_usage_error(fmt, ...)						\
	fa_tool_usage_error("report", FA_COMPARE_SYNOPSIS, "compare: " fmt,	\
			    ##__VA_ARGS__)

static bool fa_is_base(const struct fa_compare *c, int64_t run)
{
	size_t i;

	for (i = 0; i < c->nr_base; i++)
		if (c->base[i] == run)
			return true;
	return false;
}

static double fa_row_value(const struct fa_store_row *r, enum fa_metric m)
{
	return m == FA_METRIC_IOPS ? r->iops : r->p99;
}

/* The finite values of metric @m of run @run in rows[a, b) */
static size_t fa_samples(const struct fa_store_row *rows, size_t a,
			 size_t b, int64_t run, enum fa_metric m, double *out)
{
	size_t i, n = 0;
	double v;

	for (i = a; i < b; i++) {
		if (rows[i].run_id != run)
			continue;
		v = fa_row_value(&rows[i], m);
		if (isfinite(v))
			out[n++] = v;
	}
	return n;
}

static void fa_compare_metric(const struct fa_compare *c,
			      const struct fa_store_row *rows, size_t a,
			      size_t b, enum fa_metric m, double *scratch,
			      double *medians, struct fa_metric_result *res)
{
	size_t i, n, nr_med = 0, one_run = 0;
	double mad = 0;

	memset(res, 0, sizeof(*res));
	res->base = res->cur = res->change = NAN;
	res->threshold = c->floor;
	n = fa_samples(rows, a, b, c->cur, m, scratch);
	if (n)
		res->cur = fa_median(scratch, n);
	for (i = 0; i < c->nr_base; i++) {
		n = fa_samples(rows, a, b, c->base[i], m, scratch);
		if (!n)
			continue;
		medians[nr_med++] = fa_median(scratch, n);
		one_run = i;
	}
	if (!nr_med || !isfinite(res->cur)) {
		res->verdict = FA_V_NO_DATA;
		return;
	}
	if (nr_med == 1) {
		res->base = medians[0];
		n = fa_samples(rows, a, b, c->base[one_run], m, scratch);
		mad = fa_mad(scratch, n);
	} else {
		memcpy(scratch, medians, nr_med * sizeof(*scratch));
		res->base = fa_median(scratch, nr_med);
		mad = fa_mad(medians, nr_med);
	}
	res->threshold = fa_noise_threshold(c->floor, res->base, mad);
	if (res->base == 0) {
		res->verdict = FA_V_NO_DATA;
		return;
	}
	res->change = (res->cur - res->base) / res->base;
	if (m == FA_METRIC_P99)
		res->verdict = res->change > res->threshold ? FA_V_REGRESSED :
			       -res->change > res->threshold ? FA_V_IMPROVED :
			       FA_V_OK;
	else
		res->verdict = -res->change > res->threshold ? FA_V_REGRESSED :
			       res->change > res->threshold ? FA_V_IMPROVED :
			       FA_V_OK;
}

static void fa_compare_tear(const struct fa_compare *c,
			    const struct fa_store_row *rows, size_t a,
			    size_t b, struct fa_metric_result *res)
{
	bool have_cur = false, have_base = false;
	size_t i;

	memset(res, 0, sizeof(*res));
	res->base = res->cur = res->change = NAN;
	for (i = a; i < b; i++) {
		if (!rows[i].has_tear)
			continue;
		if (rows[i].run_id == c->cur) {
			have_cur = true;
			res->cur_torn += (uint64_t)rows[i].torn;
			res->cur_n += (uint64_t)(rows[i].torn + rows[i].intact);
		} else if (fa_is_base(c, rows[i].run_id)) {
			have_base = true;
			res->base_torn += (uint64_t)rows[i].torn;
			res->base_n += (uint64_t)(rows[i].torn + rows[i].intact);
		}
	}
	if (!have_cur || !have_base || !res->cur_n || !res->base_n) {
		res->verdict = FA_V_NO_DATA;
		return;
	}
	res->base = (double)res->base_torn / (double)res->base_n;
	res->cur = (double)res->cur_torn / (double)res->cur_n;
	res->threshold = fa_tear_upper95(res->base_torn, res->base_n);
	res->verdict = fa_tear_regressed(res->base_torn, res->base_n,
					 res->cur_torn, res->cur_n) ?
			       FA_V_REGRESSED : FA_V_OK;
}

static void fa_format_value(enum fa_metric m, double v, char *buf,
			    size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (m == FA_METRIC_P99)
		snprintf(buf, len, "%.1fus", v / 1000);
	else
		snprintf(buf, len, "%.0f", v);
}

/* A tear rate does not fit the table's columns: a line of its own */
static void fa_print_tear(const char *group,
			  const struct fa_metric_result *res)
{
	char base[FA_RATE_TEXT_LEN], cur[FA_RATE_TEXT_LEN];

	printf("%-44s %-9s baseline %s; now %s  %s\n", group,
	       fa_metric_names[FA_METRIC_TEAR],
	       fa_rate_text(res->base_torn, res->base_n, base, sizeof(base)),
	       fa_rate_text(res->cur_torn, res->cur_n, cur, sizeof(cur)),
	       fa_verdict_names[res->verdict]);
}

static void fa_print_metric(const char *group, enum fa_metric m,
			    const struct fa_metric_result *res)
{
	char base[48], cur[48], change[32], thr[32];

	if (m == FA_METRIC_TEAR) {
		fa_print_tear(group, res);
		return;
	}
	fa_format_value(m, res->base, base, sizeof(base));
	fa_format_value(m, res->cur, cur, sizeof(cur));
	if (isfinite(res->change))
		snprintf(change, sizeof(change), "%+.1f%%", res->change * 100);
	else
		snprintf(change, sizeof(change), "-");
	snprintf(thr, sizeof(thr), "%.1f%%", res->threshold * 100);
	printf("%-44s %-9s %12s %12s %8s %9s  %s\n", group,
	       fa_metric_names[m], base, cur, change, thr,
	       fa_verdict_names[res->verdict]);
}

static struct json_object *fa_json_double(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static struct json_object *fa_json_group(const struct fa_store_row *r,
					 const char *status)
{
	struct json_object *g = json_object_new_object();
	char name[512];

	fa_report_group_name(r, true, name, sizeof(name));
	json_object_object_add(g, "group", json_object_new_string(name));
	json_object_object_add(g, "host", json_object_new_string(r->host));
	json_object_object_add(g, "engine", json_object_new_string(r->engine));
	json_object_object_add(g, "mode", *r->mode ?
			       json_object_new_string(r->mode) : NULL);
	json_object_object_add(g, "rw", json_object_new_string(r->rw));
	json_object_object_add(g, "dir", json_object_new_string(r->dir));
	json_object_object_add(g, "bs", json_object_new_int64(r->bs));
	json_object_object_add(g, "iodepth", json_object_new_int64(r->iodepth));
	json_object_object_add(g, "status", json_object_new_string(status));
	return g;
}

static void fa_json_metric(struct json_object *arr, enum fa_metric m,
			   const struct fa_metric_result *res)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "metric",
			       json_object_new_string(fa_metric_names[m]));
	json_object_object_add(o, "baseline", fa_json_double(res->base));
	json_object_object_add(o, "current", fa_json_double(res->cur));
	json_object_object_add(o, "change_pct",
			       fa_json_double(res->change * 100));
	json_object_object_add(o, "threshold_pct",
			       fa_json_double(res->threshold * 100));
	if (m == FA_METRIC_TEAR) {
		char text[FA_RATE_TEXT_LEN];

		json_object_object_add(o, "baseline_text", json_object_new_string(
			fa_rate_text(res->base_torn, res->base_n, text,
				     sizeof(text))));
		json_object_object_add(o, "current_text", json_object_new_string(
			fa_rate_text(res->cur_torn, res->cur_n, text,
				     sizeof(text))));
		json_object_object_add(o, "baseline_torn",
				       json_object_new_uint64(res->base_torn));
		json_object_object_add(o, "baseline_units",
				       json_object_new_uint64(res->base_n));
		json_object_object_add(o, "current_torn",
				       json_object_new_uint64(res->cur_torn));
		json_object_object_add(o, "current_units",
				       json_object_new_uint64(res->cur_n));
	}
	json_object_object_add(o, "verdict",
			       json_object_new_string(fa_verdict_names[res->verdict]));
	json_object_array_add(arr, o);
}

/* One group, rows[a, b): present where, and each metric's verdict */
static void fa_compare_group(const struct fa_compare *c,
			     const struct fa_store_row *rows, size_t a,
			     size_t b, double *scratch, double *medians,
			     struct fa_cmp_group *g)
{
	bool in_cur = false, in_base = false;

	memset(g, 0, sizeof(*g));
	g->first = a;
	g->end = b;
	for (size_t i = a; i < b; i++) {
		if (rows[i].run_id == c->cur)
			in_cur = true;
		else if (fa_is_base(c, rows[i].run_id))
			in_base = true;
	}
	if (!in_cur || !in_base) {
		g->status = !in_cur && !in_base ? FA_CMP_ABSENT :
			    in_base ? FA_CMP_MISSING : FA_CMP_NEW;
		return;
	}
	g->status = FA_CMP_COMPARED;
	fa_compare_metric(c, rows, a, b, FA_METRIC_IOPS, scratch, medians,
			  &g->res[FA_METRIC_IOPS]);
	fa_compare_metric(c, rows, a, b, FA_METRIC_P99, scratch, medians,
			  &g->res[FA_METRIC_P99]);
	fa_compare_tear(c, rows, a, b, &g->res[FA_METRIC_TEAR]);
}

int fa_report_compare_rows(const struct fa_store_rows *rows, int64_t cur,
			   const int64_t *base, size_t nr_base, double floor,
			   struct fa_cmp_result *out)
{
	const struct fa_compare c = {
		.cur = cur, .base = base, .nr_base = nr_base, .floor = floor,
	};
	double *scratch, *medians;
	struct fa_cmp_group g;
	size_t a, i;
	int m, ret = 0;

	memset(out, 0, sizeof(*out));
	scratch = calloc(rows->nr + 1, sizeof(*scratch));
	medians = calloc(rows->nr + 1, sizeof(*medians));
	out->groups = calloc(rows->nr + 1, sizeof(*out->groups));
	if (!scratch || !medians || !out->groups) {
		ret = -ENOMEM;
		goto out;
	}
	for (a = 0; a < rows->nr; a = i) {
		for (i = a + 1; i < rows->nr &&
		     !fa_report_group_cmp(&rows->rows[a], &rows->rows[i]); i++)
			;
		fa_compare_group(&c, rows->rows, a, i, scratch, medians, &g);
		if (g.status == FA_CMP_ABSENT)
			continue;
		out->groups[out->nr++] = g;
		if (g.status == FA_CMP_MISSING)
			out->missing++;
		else if (g.status == FA_CMP_NEW)
			out->added++;
		if (g.status != FA_CMP_COMPARED)
			continue;
		out->compared++;
		for (m = 0; m < FA_NR_METRICS; m++)
			if (g.res[m].verdict == FA_V_REGRESSED)
				out->regressions++;
	}
out:
	free(scratch);
	free(medians);
	if (ret)
		fa_cmp_result_free(out);
	return ret;
}

void fa_cmp_result_free(struct fa_cmp_result *r)
{
	free(r->groups);
	memset(r, 0, sizeof(*r));
}

size_t fa_report_compare_last(const struct fa_store_run *runs, size_t cur,
			      size_t last, int64_t *ids)
{
	size_t i, n = 0;

	for (i = cur; i > 0 && n < last; i--)
		ids[n++] = runs[i - 1].id;
	return n;
}

/* A group as the table or the JSON says it */
static void fa_output_group(const struct fa_store_row *rows,
			    const struct fa_cmp_group *g, bool json,
			    struct json_object *groups)
{
	const struct fa_store_row *r = &rows[g->first];
	struct json_object *o, *metrics = NULL;
	char name[512];
	int m;

	fa_report_group_name(r, true, name, sizeof(name));
	if (g->status != FA_CMP_COMPARED) {
		if (json)
			json_object_array_add(groups, fa_json_group(r,
				g->status == FA_CMP_MISSING ? "missing" : "new"));
		else
			printf("%-44s %s\n", name, g->status == FA_CMP_MISSING ?
			       "missing from this run (not a regression)" :
			       "new in this run: no baseline");
		return;
	}
	if (json) {
		o = fa_json_group(r, "compared");
		metrics = json_object_new_array();
		json_object_object_add(o, "metrics", metrics);
		json_object_array_add(groups, o);
	}
	for (m = 0; m < FA_NR_METRICS; m++) {
		/* a tear rate shows only where both sides measured one */
		if (m == FA_METRIC_TEAR && g->res[m].verdict == FA_V_NO_DATA)
			continue;
		if (json)
			fa_json_metric(metrics, (enum fa_metric)m, &g->res[m]);
		else
			fa_print_metric(name, (enum fa_metric)m, &g->res[m]);
	}
}

/* The runs of @ids in the order given, as "run a, b" for a person */
static const char *fa_run_name(const struct fa_store_run *runs, size_t nr,
			       int64_t id)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (runs[i].id == id)
			return runs[i].name;
	return "?";
}

/*
 * The baseline's run ids into @ids[1..]: the named baseline, else the run
 * @base_arg, else the last @last runs before @cur; *@what says which.
 */
static int fa_baseline_ids(struct fa_store *s, const struct fa_store_run *cur,
			   const struct fa_store_run *runs, size_t nr_runs,
			   const char *base_arg, long last, int64_t *ids,
			   size_t *nr_ids, char *what, size_t len)
{
	struct fa_store_baseline b;
	struct fa_store_run r;
	size_t i;

	if (!base_arg) {
		for (i = nr_runs; i > 0 && runs[i - 1].id >= cur->id; i--)
			;
		*nr_ids += fa_report_compare_last(runs, i, (size_t)last,
						  ids + *nr_ids);
		snprintf(what, len, "the last %zu run%s before it",
			 *nr_ids - 1, *nr_ids == 2 ? "" : "s");
		return 0;
	}
	if (!fa_store_baseline_find(s, base_arg, &b)) {
		for (i = 0; i < b.nr_runs && *nr_ids <= nr_runs; i++)
			if (b.run_ids[i] != cur->id)
				ids[(*nr_ids)++] = b.run_ids[i];
		snprintf(what, len, "baseline %s", b.name);
		fa_store_baseline_free(&b);
		if (*nr_ids > 1)
			return 0;
		fa_tool_error("report", "compare: baseline '%s' has no run other than the run compared (%s)",
			      base_arg, cur->name);
		return -ENOENT;
	}
	if (fa_store_find_run(s, base_arg, &r)) {
		fa_tool_error("report", "compare: %s: no baseline or run '%s' ('report baseline list' and 'report runs' show them)",
			      s->path, base_arg);
		return -ENOENT;
	}
	if (r.id == cur->id) {
		fa_tool_error("report", "compare: baseline '%s' is the run compared",
			      base_arg);
		fa_store_run_free(&r);
		return -EINVAL;
	}
	ids[(*nr_ids)++] = r.id;
	snprintf(what, len, "run %s", r.name);
	fa_store_run_free(&r);
	return 0;
}

static int fa_compare_run(struct fa_store *s, const char *run_arg,
			  const char *base_arg, long last, double pct,
			  bool json)
{
	struct fa_compare c = { .floor = pct / 100 };
	struct fa_store_run *runs = NULL, cur = { 0 };
	struct fa_store_rows rows = { 0 };
	struct fa_cmp_result res = { 0 };
	int64_t *ids = NULL;
	size_t nr_runs = 0, nr_ids = 0, i;
	struct json_object *root = NULL, *arr, *changes = NULL;
	struct json_object *groups = NULL;
	char what[256];
	int ret = FA_EXIT_ERROR;

	if (fa_store_runs(s, NULL, &runs, &nr_runs)) {
		fa_report_store_error("compare", s);
		return FA_EXIT_ERROR;
	}
	if (fa_store_find_run(s, run_arg, &cur)) {
		fa_report_store_error("compare", s);
		goto out;
	}
	ids = calloc(nr_runs + 1, sizeof(*ids));
	if (!ids)
		goto out;
	ids[nr_ids++] = cur.id;
	if (fa_baseline_ids(s, &cur, runs, nr_runs, base_arg, last, ids,
			    &nr_ids, what, sizeof(what)))
		goto out;
	c.cur = cur.id;
	c.base = ids + 1;
	c.nr_base = nr_ids - 1;
	if (!c.nr_base) {
		printf("run %s has no run before it to compare with: nothing to compare\n",
		       cur.name);
		ret = FA_EXIT_OK;
		goto out;
	}
	if (fa_store_rows(s, ids, nr_ids, &rows)) {
		fa_report_store_error("compare", s);
		goto out;
	}
	fa_report_sort(&rows);
	if (fa_report_compare_rows(&rows, c.cur, c.base, c.nr_base, c.floor,
				   &res))
		goto out;

	if (json) {
		groups = json_object_new_array();
		changes = json_object_new_array();
		if (fa_report_changes(s, cur.id, c.base, c.nr_base, changes))
			goto out;
	} else {
		printf("run %s against %s", cur.name, what);
		/* oldest first; a run named by --baseline is named already */
		for (i = c.nr_base; strncmp(what, "run ", 4) && i > 0; i--)
			printf("%s%s", i < c.nr_base ? ", " : (c.nr_base > 1 ?
				" (the median of runs " : " (run "),
			       fa_run_name(runs, nr_runs, c.base[i - 1]));
		printf("%s; threshold max(%.1f%%, 3 x MAD / baseline)\n",
		       strncmp(what, "run ", 4) ? ")" : "", pct);
		if (fa_report_changes(s, cur.id, c.base, c.nr_base, NULL))
			goto out;
		printf("\n%-44s %-9s %12s %12s %8s %9s  %s\n", "group",
		       "metric", "baseline", "current", "change", "threshold",
		       "verdict");
	}
	for (i = 0; i < res.nr; i++)
		fa_output_group(rows.rows, &res.groups[i], json, groups);
	if (json) {
		root = json_object_new_object();
		json_object_object_add(root, "fio_atomic_compare",
				       json_object_new_int(1));
		json_object_object_add(root, "run",
				       json_object_new_string(cur.name));
		json_object_object_add(root, "baseline_is",
				       json_object_new_string(what));
		arr = json_object_new_array();
		for (i = c.nr_base; i > 0; i--)
			json_object_array_add(arr, json_object_new_string(
				fa_run_name(runs, nr_runs, c.base[i - 1])));
		json_object_object_add(root, "baseline", arr);
		json_object_object_add(root, "threshold_floor_pct",
				       json_object_new_double(pct));
		json_object_object_add(root, "context_changes", changes);
		changes = NULL;
		json_object_object_add(root, "groups", groups);
		groups = NULL;
		json_object_object_add(root, "regressions",
				       json_object_new_int(res.regressions));
		json_object_object_add(root, "missing",
				       json_object_new_int(res.missing));
		json_object_object_add(root, "new",
				       json_object_new_int(res.added));
		puts(json_object_to_json_string_ext(root,
						    JSON_C_TO_STRING_PRETTY));
	} else {
		printf("\n%u group%s compared, %u regression%s, %u missing, %u new\n",
		       res.compared, res.compared == 1 ? "" : "s",
		       res.regressions, res.regressions == 1 ? "" : "s",
		       res.missing, res.added);
	}
	ret = res.regressions ? FA_EXIT_REGRESSION : FA_EXIT_OK;
out:
	json_object_put(root);
	json_object_put(changes);
	json_object_put(groups);
	fa_cmp_result_free(&res);
	free(ids);
	fa_store_rows_free(&rows);
	fa_store_run_free(&cur);
	fa_store_runs_free(runs, nr_runs);
	return ret;
}

int fa_report_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'r' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "last", required_argument, NULL, 'n' },
		{ "threshold", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_arg = NULL, *run = "latest", *base = NULL;
	long last = FA_COMPARE_DEFAULT_LAST;
	unsigned long n;
	double pct = FA_COMPARE_DEFAULT_PCT;
	bool json = false, have_last = false;
	struct fa_store s;
	char *end;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:r:b:n:t:jh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_arg = optarg;
			break;
		case 'r':
			run = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'n':
			if (fa_tool_parse_count(optarg, 1, 100000, &n))
				return fa_usage_error("--last '%s' is not a count of runs (1..100000)",
						      optarg);
			last = (long)n;
			have_last = true;
			break;
		case 't':
			errno = 0;
			pct = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(pct >= 0) ||
			    pct > 1000)
				return fa_usage_error("--threshold '%s' is not a percentage (0..1000)",
						      optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fa_report_compare_usage(stdout);
			return FA_EXIT_OK;
		default: /* ':' or '?' */
			return fa_tool_getopt_error("report", FA_COMPARE_SYNOPSIS,
						    "compare: ", opt, argv);
		}
	}
	if (optind < argc)
		return fa_usage_error("unexpected argument '%s'", argv[optind]);
	if (base && have_last)
		return fa_usage_error("--baseline and --last exclude each other");
	if (fa_report_open("compare", db_arg, 0, &s))
		return FA_EXIT_ERROR;
	ret = fa_compare_run(&s, run, base, last, pct, json);
	fa_store_close(&s);
	return ret;
}
