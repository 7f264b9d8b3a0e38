// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: index.html. First one screen of summary: per
 * target and metric the latest run against its baseline, compare's
 * verdict in colour (the worst group shown, how many groups each way),
 * and what changed (kernel, firmware, fio) since the baseline. Then,
 * per target in two columns: its runs with their context and the changes
 * between them, the guarantees over runs, the trends with the changes
 * marked, and latency against write size with the engines overlaid.
 * Every figure's title is its heading, once.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fa_rate.h"
#include "fa_tool.h"
#include "report_page.h"

static const char *const fa_metric_titles[FA_NR_METRICS] = {
	"IOPS (1/s)", "p99 completion latency (µs)", "tear rate",
};

static const char *fa_verdict_class(enum fa_cmp_verdict v)
{
	switch (v) {
	case FA_V_REGRESSED:
		return "verdict-regressed";
	case FA_V_IMPROVED:
		return "verdict-improved";
	case FA_V_OK:
		return "verdict-ok";
	default:
		return "verdict-nobaseline";
	}
}

static const char *fa_verdict_text(enum fa_cmp_verdict v)
{
	switch (v) {
	case FA_V_REGRESSED:
		return "regressed";
	case FA_V_IMPROVED:
		return "improved";
	case FA_V_OK:
		return "ok";
	default:
		return "no baseline";
	}
}

/* One metric's value as the page writes it: IOPS, µs, or a tear rate */
static void fa_value(FILE *fp, enum fa_metric m, double v, uint64_t torn,
		     uint64_t n)
{
	char rate[160];

	if (m == FA_METRIC_TEAR) {
		if (!n) {
			fputs("-", fp);
			return;
		}
		fa_rate_text(torn, n, rate, sizeof(rate));
		fa_tool_html_escape(fp, rate);
	} else if (!isfinite(v)) {
		fputs("-", fp);
	} else if (m == FA_METRIC_P99) {
		fprintf(fp, "%.1f", v / 1000);
	} else {
		fprintf(fp, "%.0f", v);
	}
}

/* value, baseline, change, threshold and verdict cells of one result */
static void fa_result_cells(FILE *fp, enum fa_metric m,
			    const struct fa_metric_result *r)
{
	fputs("<td class=\"num\">", fp);
	fa_value(fp, m, r->cur, r->cur_torn, r->cur_n);
	fputs("</td><td class=\"num\">", fp);
	fa_value(fp, m, r->base, r->base_torn, r->base_n);
	fputs("</td><td class=\"num\">", fp);
	if (isfinite(r->change))
		fprintf(fp, "%+.1f", r->change * 100);
	else
		fputs("-", fp);
	fputs("</td><td class=\"num\">", fp);
	if (m == FA_METRIC_TEAR && r->verdict != FA_V_NO_DATA)
		fprintf(fp, "above %.3g", r->threshold * 100);
	else if (r->verdict != FA_V_NO_DATA)
		fprintf(fp, "%.1f", r->threshold * 100);
	else
		fputs("-", fp);
	fputs("</td>", fp);
}

/*
 * How bad a result is, to pick the group a summary line shows: a
 * regression by how far past its threshold, then an improvement, then ok.
 */
static double fa_badness(enum fa_metric m, const struct fa_metric_result *r)
{
	double rel;

	if (m == FA_METRIC_TEAR)
		rel = isfinite(r->cur) ? r->cur : 0;
	else
		rel = isfinite(r->change) ? (m == FA_METRIC_P99 ? r->change :
					     -r->change) : 0;
	switch (r->verdict) {
	case FA_V_REGRESSED:
		return 2e9 + rel;
	case FA_V_OK:
		return 1e9 + rel;
	case FA_V_IMPROVED:
		return rel;
	default:
		return -1e18;
	}
}

static void fa_summary_baseline(FILE *fp, const struct fa_page_model *m,
				const struct fa_page_target *t)
{
	size_t i;

	if (!t->nr_base) {
		fputs("none: the first run here", fp);
		return;
	}
	if (t->baseline_name) {
		fputs("baseline ", fp);
		fa_tool_html_escape(fp, t->baseline_name);
		fputs(": ", fp);
	} else if (t->nr_base == 1) {
		fputs("run ", fp);
	} else {
		fprintf(fp, "median of %zu runs: ", t->nr_base);
	}
	for (i = t->nr_base; i > 0; i--) {
		fa_page_run_link(fp, &m->runs[t->base[i - 1]]);
		fputs(i > 1 ? ", " : "", fp);
	}
}

/* One line of the summary: target x metric */
static void fa_summary_line(FILE *fp, const struct fa_page_model *m,
			    const struct fa_page_target *t, enum fa_metric mt)
{
	const struct fa_cmp_group *best = NULL, *g;
	unsigned int count[FA_V_NO_DATA + 1] = { 0 };
	struct fa_metric_result none = { .verdict = FA_V_NO_DATA };
	enum fa_cmp_verdict v;
	char name[512];
	size_t i;

	none.base = none.cur = none.change = NAN;
	for (i = 0; i < t->cmp.nr; i++) {
		g = &t->cmp.groups[i];
		if (g->status != FA_CMP_COMPARED)
			continue;
		count[g->res[mt].verdict]++;
		if (g->res[mt].verdict == FA_V_NO_DATA)
			continue;
		if (!best || fa_badness(mt, &g->res[mt]) >
			     fa_badness(mt, &best->res[mt]))
			best = g;
	}
	/* a tear rate shows only where both sides measured one */
	if (mt == FA_METRIC_TEAR && !best)
		return;
	fputs("<tr><td>", fp);
	fa_tool_html_escape(fp, t->name);
	fprintf(fp, "</td><td>%s</td><td>", fa_metric_titles[mt]);
	fa_page_run_link(fp, &m->runs[t->latest]);
	fputs("</td><td>", fp);
	fa_summary_baseline(fp, m, t);
	fputs("</td><td>", fp);
	if (best) {
		fa_page_series_name(&t->rows.rows[best->first], name,
				    sizeof(name));
		fa_tool_html_escape(fp, name);
		fa_report_size(t->rows.rows[best->first].bs, name,
			       sizeof(name));
		fprintf(fp, " %s", name);
	} else {
		fputs("-", fp);
	}
	fputs("</td>", fp);
	fa_result_cells(fp, mt, best ? &best->res[mt] : &none);
	v = best ? best->res[mt].verdict : FA_V_NO_DATA;
	fprintf(fp, "<td class=\"verdict %s\">%s", fa_verdict_class(v),
		fa_verdict_text(v));
	if (best)
		fprintf(fp, " (%u regressed, %u ok, %u improved of %u groups)",
			count[FA_V_REGRESSED], count[FA_V_OK],
			count[FA_V_IMPROVED], t->cmp.compared);
	fputs("</td></tr>\n", fp);
}

static void fa_change_item(FILE *fp, const struct fa_page_model *m,
			   const struct fa_page_target *t,
			   const struct fa_page_change *c)
{
	fprintf(fp, "<li class=\"change change-%s\" data-change=\"%s\"><span class=\"change-kind\">%s</span> ",
		c->what, c->what, c->what);
	fa_tool_html_escape(fp, c->from);
	fputs(" &rarr; ", fp);
	fa_tool_html_escape(fp, c->to);
	fputs(" in run ", fp);
	fa_page_run_link(fp, &m->runs[c->run]);
	fputs(" on ", fp);
	fa_tool_html_escape(fp, t->name);
	fputs("</li>\n", fp);
}

static void fa_summary(FILE *fp, const struct fa_page_model *m)
{
	const struct fa_page_target *t;
	size_t ti, i, first, changes = 0;
	int mt;

	fputs("<section id=\"summary\">\n<h2>Latest run per target against its baseline</h2>\n"
	      "<div class=\"wide\"><table class=\"summary\">\n<tr><th>target</th><th>metric</th>"
	      "<th>latest run</th><th>baseline</th><th>group shown (the worst)</th>"
	      "<th class=\"num\">value</th><th class=\"num\">baseline value</th>"
	      "<th class=\"num\">change (%)</th><th class=\"num\">threshold (%)</th>"
	      "<th>verdict</th></tr>\n", fp);
	for (ti = 0; ti < m->nr_targets; ti++) {
		if (!m->targets[ti].has_runs)
			continue;
		for (mt = 0; mt < FA_NR_METRICS; mt++)
			fa_summary_line(fp, m, &m->targets[ti],
					(enum fa_metric)mt);
	}
	fputs("</table></div>\n<p class=\"meta\">compare's verdicts (<code>fio-atomic report compare</code>): "
	      "a group regressed when its change goes past max(5%, 3 &times; MAD / baseline); "
	      "the tear rate when the latest run's 95% lower bound exceeds the baseline's upper bound.</p>\n",
	      fp);
	/* what changed between the baseline's oldest run and the latest */
	for (ti = 0; ti < m->nr_targets; ti++) {
		t = &m->targets[ti];
		first = t->nr_base ? t->base[t->nr_base - 1] : t->latest;
		for (i = 0; i < t->nr_changes; i++) {
			if (t->changes[i].run <= first ||
			    t->changes[i].run > t->latest)
				continue;
			if (!changes++)
				fputs("<h3>Changed since the baseline</h3>\n<ul class=\"changes\" id=\"changes-since-baseline\">\n",
				      fp);
			fa_change_item(fp, m, t, &t->changes[i]);
		}
	}
	if (changes)
		fputs("</ul>\n", fp);
	fputs("</section>\n", fp);
}

/* Every group of each target's latest run, folded away */
static void fa_all_groups(FILE *fp, const struct fa_page_model *m)
{
	const struct fa_page_target *t;
	const struct fa_cmp_group *g;
	char name[512];
	size_t ti, i, n = 0;
	int mt;

	for (ti = 0; ti < m->nr_targets; ti++)
		n += m->targets[ti].cmp.nr;
	fprintf(fp, "<details id=\"all-groups\">\n<summary>Every group of the latest runs (%zu)</summary>\n"
		"<div class=\"wide\"><table>\n<tr><th>target</th><th>group</th><th>metric</th>"
		"<th class=\"num\">value</th><th class=\"num\">baseline value</th>"
		"<th class=\"num\">change (%%)</th><th class=\"num\">threshold (%%)</th>"
		"<th>verdict</th></tr>\n", n);
	for (ti = 0; ti < m->nr_targets; ti++) {
		t = &m->targets[ti];
		for (i = 0; i < t->cmp.nr; i++) {
			g = &t->cmp.groups[i];
			fa_report_group_name(&t->rows.rows[g->first], false,
					     name, sizeof(name));
			for (mt = 0; mt < FA_NR_METRICS; mt++) {
				if (g->status == FA_CMP_COMPARED &&
				    mt == FA_METRIC_TEAR &&
				    g->res[mt].verdict == FA_V_NO_DATA)
					continue;
				if (g->status != FA_CMP_COMPARED &&
				    mt != FA_METRIC_IOPS)
					continue;
				fputs("<tr><td>", fp);
				fa_tool_html_escape(fp, t->name);
				fputs("</td><td>", fp);
				fa_tool_html_escape(fp, name);
				if (g->status != FA_CMP_COMPARED) {
					fprintf(fp, "</td><td colspan=\"5\">%s</td><td class=\"verdict verdict-nobaseline\">%s</td></tr>\n",
						g->status == FA_CMP_NEW ?
						"new in this run" :
						"missing from this run (not a regression)",
						g->status == FA_CMP_NEW ?
						"no baseline" : "missing");
					continue;
				}
				fprintf(fp, "</td><td>%s</td>",
					fa_metric_titles[mt]);
				fa_result_cells(fp, (enum fa_metric)mt,
						&g->res[mt]);
				fprintf(fp, "<td class=\"verdict %s\">%s</td></tr>\n",
					fa_verdict_class(g->res[mt].verdict),
					fa_verdict_text(g->res[mt].verdict));
			}
		}
	}
	fputs("</table></div>\n</details>\n", fp);
}

/* The target's runs: each a point of its trends, with its context */
static void fa_target_runs(FILE *fp, const struct fa_page_model *m,
			   size_t ti)
{
	const struct fa_page_target *t = &m->targets[ti];
	const struct fa_page_ctx *c;
	size_t r, x = 0, i;

	fputs("<div>\n<h3>Runs and their context</h3>\n<div class=\"wide\"><table class=\"context\">\n"
	      "<tr><th class=\"num\">x</th><th>run</th><th>label</th><th>kernel</th>"
	      "<th>device, firmware</th><th>fio</th><th>build</th></tr>\n", fp);
	for (r = 0; r < m->nr_runs; r++) {
		c = fa_page_ctx(m, r, ti);
		if (!c->known)
			continue;
		fputs("<tr title=\"", fp);
		fa_page_ctx_title(fp, c);
		fprintf(fp, "\"><td class=\"num\">%zu</td><td>", ++x);
		fa_page_run_link(fp, &m->runs[r]);
		fputs("</td><td>", fp);
		fa_tool_html_escape(fp, m->runs[r].label ? m->runs[r].label :
				    "-");
		fputs("</td><td>", fp);
		fa_tool_html_escape(fp, c->kernel ? c->kernel : "-");
		fputs("</td><td>", fp);
		fa_tool_html_escape(fp, c->dev_model ? c->dev_model : "-");
		if (c->dev_firmware) {
			fputs(", ", fp);
			fa_tool_html_escape(fp, c->dev_firmware);
		}
		fputs("</td><td>", fp);
		fa_tool_html_escape(fp, c->fio_version ? c->fio_version : "-");
		fputs("</td><td>", fp);
		fa_tool_html_escape(fp, c->build ? c->build : "-");
		fputs("</td></tr>\n", fp);
	}
	fputs("</table></div>\n<p class=\"meta\">x: the run's position on the trends' axis; "
	      "hover a run for all of its context.</p>\n", fp);
	fprintf(fp, "<h3>Changes between runs</h3>\n<ul class=\"changes\" id=\"changes-%zu\">\n",
		ti + 1);
	for (i = 0; i < t->nr_changes; i++)
		fa_change_item(fp, m, t, &t->changes[i]);
	if (!t->nr_changes)
		fputs("<li>none recorded (kernel, firmware and fio version)</li>\n",
		      fp);
	fputs("</ul>\n</div>\n", fp);
}

/* provided / not provided / not tested per run, the three apart */
static void fa_target_guarantees(FILE *fp, const struct fa_page_model *m,
				 size_t ti)
{
	size_t r, g, rows = 0;
	bool any;

	fputs("<div>\n<h3>Guarantees over runs</h3>\n", fp);
	for (r = 0; r < m->nr_runs; r++) {
		any = false;
		for (g = 0; g < FA_G_NR; g++)
			any |= fa_page_g(m, r, ti, (enum fa_guarantee)g)->known;
		if (!any)
			continue;
		if (!rows++)
			fputs("<div class=\"wide\"><table class=\"guarantees\">\n<tr><th>run</th>"
			      "<th>power_fail</th><th>read_isolation</th><th>write_isolation</th></tr>\n",
			      fp);
		fputs("<tr>", fp);
		fa_page_g_cells(fp, m, r, ti);
	}
	if (rows)
		fputs("</table></div>\n<p class=\"meta\">failed of judged, with the exact 95% upper bound of the rate.</p>\n",
		      fp);
	else
		fputs("<p class=\"meta\">No guarantees recorded for this target: they come from "
		      "<code>fio-atomic qualify</code> reports.</p>\n", fp);
	fputs("</div>\n", fp);
}

/*
 * The fleet: every host and target with guarantees, each from its latest
 * run that recorded one (a qualify report, or one row of a fleet's), so
 * the hosts of a fleet stand side by side.
 */
static void fa_fleet(FILE *fp, const struct fa_page_model *m)
{
	size_t ti, r, g, rows = 0;
	bool any;

	for (ti = 0; ti < m->nr_targets; ti++) {
		any = false;
		for (r = m->nr_runs; r-- > 0;) {
			any = false;
			for (g = 0; g < FA_G_NR; g++)
				any |= fa_page_g(m, r, ti,
						 (enum fa_guarantee)g)->known;
			if (any)
				break;
		}
		if (!any)
			continue;
		if (!rows++)
			fputs("<section id=\"fleet\">\n<h2>Fleet: the guarantees per host and target</h2>\n"
			      "<div class=\"wide\"><table class=\"fleet\">\n<tr><th>host and target</th><th>run</th>"
			      "<th>power_fail</th><th>read_isolation</th><th>write_isolation</th></tr>\n",
			      fp);
		fputs("<tr><td>", fp);
		fa_tool_html_escape(fp, m->targets[ti].name);
		fputs("</td>", fp);
		fa_page_g_cells(fp, m, r, ti);
	}
	if (rows)
		fputs("</table></div>\n<p class=\"meta\">each from the latest run that recorded it; failed of judged, with the exact 95% upper bound of the rate.</p>\n</section>\n",
		      fp);
}

static void fa_figure(FILE *fp, const char *heading, const char *image,
		      const char *alt)
{
	fputs("<div>\n<h3>", fp);
	fa_tool_html_escape(fp, heading);
	fprintf(fp, "</h3>\n<figure><img src=\"%s\" alt=\"", image);
	fa_tool_html_escape(fp, alt);
	fputs("\"></figure>\n</div>\n", fp);
}

static int fa_target(struct fa_page_out *o, FILE *fp,
		     const struct fa_page_model *m, size_t ti)
{
	static char names[FA_PAGE_MAX_IMAGES][64];
	static char titles[FA_PAGE_MAX_IMAGES][FA_PAGE_TITLE_LEN];
	const struct fa_page_target *t = &m->targets[ti];
	char latency[64], heading[FA_PAGE_TITLE_LEN + 64];
	size_t i, n;
	int ret;

	fprintf(fp, "<section class=\"target\" id=\"target-%zu\">\n<h2>Target ",
		ti + 1);
	fa_tool_html_escape(fp, t->name);
	fputs("</h2>\n<div class=\"grid\">\n", fp);
	fa_target_runs(fp, m, ti);
	fa_target_guarantees(fp, m, ti);
	ret = fa_page_trends(o, m, ti, names, titles, FA_PAGE_MAX_IMAGES, &n);
	for (i = 0; !ret && i < n; i++) {
		snprintf(heading, sizeof(heading), "Trend: %s", titles[i]);
		fa_figure(fp, heading, names[i],
			  "IOPS and p99 completion latency over runs, a line per write size");
	}
	if (!ret)
		ret = fa_page_latency(o, m, ti, latency, sizeof(latency));
	if (!ret && *latency) {
		snprintf(heading, sizeof(heading),
			 "Latency against write size, run %s",
			 m->runs[t->latest].name);
		fa_figure(fp, heading, latency,
			  "p99 and p50 completion latency against write size, the engines overlaid");
	}
	fputs("</div>\n</section>\n", fp);
	return ret;
}

static void fa_runs(FILE *fp, const struct fa_page_model *m)
{
	size_t r;

	fputs("<section id=\"runs\">\n<h2>Runs</h2>\n<div class=\"wide\"><table>\n"
	      "<tr><th>run</th><th>label</th><th>first ingested (UTC)</th></tr>\n",
	      fp);
	for (r = m->nr_runs; r > 0; r--) {
		const struct fa_page_run *run = &m->runs[r - 1];
		time_t t = (time_t)run->created;
		char when[64];
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		fputs("<tr><td>", fp);
		fa_page_run_link(fp, run);
		fputs("</td><td>", fp);
		fa_tool_html_escape(fp, run->label ? run->label : "-");
		fprintf(fp, "</td><td>%s</td></tr>\n", when);
	}
	fputs("</table></div>\n</section>\n", fp);
}

int fa_page_write(struct fa_page_out *o, const struct fa_page_model *m)
{
	char path[PATH_MAX], when[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t ti;
	FILE *fp;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/index.html", o->dir);
	fp = fopen(path, "w");
	if (!fp) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
		return ret;
	}
	fa_page_head(fp, "fio-atomic results");
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(fp, "<h1>fio-atomic results</h1>\n<p class=\"meta\">%zu run%s, %zu result rows, %zu target%s, from <code>",
		m->nr_runs, m->nr_runs == 1 ? "" : "s", m->nr_rows,
		m->nr_targets, m->nr_targets == 1 ? "" : "s");
	fa_tool_html_escape(fp, m->db_path);
	fprintf(fp, "</code>; generated %s.</p>\n", when);
	if (!m->nr_runs) {
		fputs("<p>No results yet: run <code>fio-atomic report ingest</code>.</p>\n",
		      fp);
	} else {
		fa_summary(fp, m);
		fa_fleet(fp, m);
		fa_all_groups(fp, m);
		for (ti = 0; ti < m->nr_targets && !ret; ti++)
			ret = fa_target(o, fp, m, ti);
		fa_runs(fp, m);
	}
	fa_page_tail(fp);
	if (fclose(fp) && !ret) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
	}
	if (!ret)
		ret = fa_page_write_runs(o, m);
	return ret;
}
