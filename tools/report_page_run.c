// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: one page per run (run-ID.html: its label, the
 * context of each target it measured, its guarantees and its rows), and
 * the pieces of HTML the index shares with it: the head with the one
 * stylesheet (fio-atomic.css), the closing script, a context in one line
 * or in full, a guarantee's cell.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fa_rate.h"
#include "fa_stats.h"
#include "fa_tool.h"
#include "report_page.h"

void fa_page_head(FILE *fp, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      fp);
	fa_tool_html_escape(fp, title);
	fputs("</title>\n<link rel=\"stylesheet\" href=\"fio-atomic.css\">\n</head>\n<body>\n",
	      fp);
}

/*
 * After load the page records on <body> how many images it has and how
 * many decoded, so a headless browser (and a test) can tell that every
 * image is there.
 */
void fa_page_tail(FILE *fp)
{
	fputs("<script>\n"
	      "window.addEventListener('load', function () {\n"
	      "\tvar imgs = document.images, ok = 0;\n"
	      "\tfor (var i = 0; i < imgs.length; i++)\n"
	      "\t\tif (imgs[i].complete && imgs[i].naturalWidth > 0)\n"
	      "\t\t\tok++;\n"
	      "\tdocument.body.setAttribute('data-images', imgs.length);\n"
	      "\tdocument.body.setAttribute('data-images-loaded', ok);\n"
	      "});\n"
	      "</script>\n</body>\n</html>\n", fp);
}

void fa_page_run_link(FILE *fp, const struct fa_page_run *r)
{
	fprintf(fp, "<a href=\"run-%" PRId64 ".html\">", r->id);
	fa_tool_html_escape(fp, r->name);
	fputs("</a>", fp);
}

static void fa_page_when(FILE *fp, int64_t when)
{
	time_t t = (time_t)when;
	char buf[64];
	struct tm tm;

	if (!when) {
		fputs("-", fp);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
	fputs(buf, fp);
}

void fa_page_ctx_line(FILE *fp, const struct fa_page_ctx *c)
{
	const char *parts[] = {
		c->kernel ? "kernel " : NULL, c->kernel,
		c->dev_model ? "" : NULL, c->dev_model,
		c->dev_firmware ? "firmware " : NULL, c->dev_firmware,
		c->fio_version ? "" : NULL, c->fio_version,
	};
	size_t i;
	bool first = true;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i += 2) {
		if (!parts[i + 1])
			continue;
		fputs(first ? "" : ", ", fp);
		fa_tool_html_escape(fp, parts[i]);
		fa_tool_html_escape(fp, parts[i + 1]);
		first = false;
	}
	if (first)
		fputs("-", fp);
}

/* The fields of a context with their names, NULL ones left out */
#define FA_CTX_FIELDS(c) {						\
	{ "host", (c)->host }, { "kernel", (c)->kernel },		\
	{ "distro", (c)->distro }, { "fio", (c)->fio_version },		\
	{ "build", (c)->build }, { "target", (c)->target_path },	\
	{ "kind", (c)->target_kind }, { "device", (c)->dev_name },	\
	{ "transport", (c)->dev_transport },				\
	{ "model", (c)->dev_model }, { "serial", (c)->dev_serial },	\
	{ "firmware", (c)->dev_firmware },				\
	{ "filesystem", (c)->fs_type },					\
	{ "mountpoint", (c)->fs_mountpoint },				\
	{ "mount options", (c)->fs_options },				\
	{ "limits", (c)->limits },					\
}

struct fa_ctx_field {
	const char *name, *value;
};

void fa_page_ctx_title(FILE *fp, const struct fa_page_ctx *c)
{
	const struct fa_ctx_field f[] = FA_CTX_FIELDS(c);
	bool first = true;
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!f[i].value)
			continue;
		fprintf(fp, "%s%s: ", first ? "" : "; ", f[i].name);
		fa_tool_html_escape(fp, f[i].value);
		first = false;
	}
	if (first)
		fputs("no context recorded", fp);
}

void fa_page_g_cell(FILE *fp, const struct fa_page_guarantee *g)
{
	char rate[160];

	if (!g->known) {
		fputs("<td class=\"g-not-tested\">-</td>", fp);
		return;
	}
	fa_rate_text(g->failures, g->trials, rate, sizeof(rate));
	switch (g->status) {
	case FA_G_PROVIDED:
		fputs("<td class=\"g-provided\">provided: ", fp);
		fa_tool_html_escape(fp, rate);
		break;
	case FA_G_NOT_PROVIDED:
		fputs("<td class=\"g-not-provided\">NOT PROVIDED: ", fp);
		fa_tool_html_escape(fp, rate);
		break;
	default:
		fputs("<td class=\"g-not-tested\">not tested", fp);
		if (g->reason) {
			fputs(": ", fp);
			fa_tool_html_escape(fp, g->reason);
		}
		break;
	}
	fputs("</td>", fp);
}

void fa_page_g_cells(FILE *fp, const struct fa_page_model *m, size_t run,
		     size_t target)
{
	size_t g;

	fputs("<td>", fp);
	fa_page_run_link(fp, &m->runs[run]);
	fputs("</td>", fp);
	for (g = 0; g < FA_G_NR; g++)
		fa_page_g_cell(fp, fa_page_g(m, run, target,
					     (enum fa_guarantee)g));
	fputs("</tr>\n", fp);
}

static void fa_us_cell(FILE *fp, double ns)
{
	if (isfinite(ns))
		fprintf(fp, "<td class=\"num\">%.1f</td>", ns / 1000);
	else
		fputs("<td class=\"num\">-</td>", fp);
}

/* Median of metric @k (0 IOPS, 1 p50, 2 p99, 3 p99.9) of @run in rows[a, b) */
static double fa_run_median(const struct fa_store_row *rows, size_t a,
			    size_t b, int64_t run, int k, double *v)
{
	size_t i, n = 0;
	double x;

	for (i = a; i < b; i++) {
		x = k == 0 ? rows[i].iops : k == 1 ? rows[i].p50 :
		    k == 2 ? rows[i].p99 : rows[i].p999;
		if (rows[i].run_id == run && isfinite(x))
			v[n++] = x;
	}
	return fa_median(v, n);
}

/* The run's rows of one target, a line per group (medians of samples) */
static int fa_run_rows(FILE *fp, const struct fa_page_target *t,
		       int64_t run)
{
	const struct fa_store_row *rows = t->rows.rows;
	double *v = calloc(t->rows.nr + 1, sizeof(*v)), iops;
	uint64_t torn, judged;
	size_t a, b, i, n;
	char name[512], rate[160];
	int k;

	if (!v)
		return -ENOMEM;
	fputs("<div class=\"wide\"><table>\n<tr><th>group</th><th class=\"num\">samples</th>"
	      "<th class=\"num\">IOPS (1/s)</th><th class=\"num\">p50 (µs)</th>"
	      "<th class=\"num\">p99 (µs)</th><th class=\"num\">p99.9 (µs)</th>"
	      "<th>torn units (95% upper bound)</th></tr>\n", fp);
	for (a = 0; a < t->rows.nr; a = b) {
		for (b = a + 1; b < t->rows.nr &&
		     !fa_report_group_cmp(&rows[a], &rows[b]); b++)
			;
		n = 0;
		torn = judged = 0;
		for (i = a; i < b; i++) {
			if (rows[i].run_id != run)
				continue;
			n++;
			if (!rows[i].has_tear)
				continue;
			torn += (uint64_t)rows[i].torn;
			judged += (uint64_t)(rows[i].torn + rows[i].intact);
		}
		if (!n)
			continue;
		fa_report_group_name(&rows[a], false, name, sizeof(name));
		fputs("<tr><td>", fp);
		fa_tool_html_escape(fp, name);
		fprintf(fp, "</td><td class=\"num\">%zu</td>", n);
		iops = fa_run_median(rows, a, b, run, 0, v);
		if (isfinite(iops))
			fprintf(fp, "<td class=\"num\">%.0f</td>", iops);
		else
			fputs("<td class=\"num\">-</td>", fp);
		for (k = 1; k < 4; k++)
			fa_us_cell(fp, fa_run_median(rows, a, b, run, k, v));
		if (judged) {
			fa_rate_text(torn, judged, rate, sizeof(rate));
			fputs("<td>", fp);
			fa_tool_html_escape(fp, rate);
			fputs("</td>", fp);
		} else {
			fputs("<td>-</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</table></div>\n", fp);
	free(v);
	return 0;
}

static void fa_run_ctx(FILE *fp, const struct fa_page_ctx *c)
{
	const struct fa_ctx_field f[] = FA_CTX_FIELDS(c);
	size_t i;

	fputs("<table>\n<tr><th>context</th><th>recorded</th></tr>\n", fp);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		fprintf(fp, "<tr><td>%s</td><td>", f[i].name);
		if (f[i].value)
			fa_tool_html_escape(fp, f[i].value);
		else
			fputs("<span class=\"skip\">not recorded</span>", fp);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static int fa_run_page(struct fa_page_out *o, const struct fa_page_model *m,
		       size_t r)
{
	const struct fa_page_run *run = &m->runs[r];
	char path[PATH_MAX], title[512];
	size_t ti, g;
	bool any;
	FILE *fp;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/run-%" PRId64 ".html", o->dir,
		 run->id);
	fp = fopen(path, "w");
	if (!fp) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
		return ret;
	}
	snprintf(title, sizeof(title), "fio-atomic run %s", run->name);
	fa_page_head(fp, title);
	fputs("<p><a href=\"index.html\">all results</a></p>\n<h1>Run ", fp);
	fa_tool_html_escape(fp, run->name);
	fputs("</h1>\n<p class=\"meta\">label: ", fp);
	if (run->label)
		fa_tool_html_escape(fp, run->label);
	else
		fputs("none", fp);
	fputs("; ran ", fp);
	fa_page_when(fp, run->started);
	fputs("; first ingested ", fp);
	fa_page_when(fp, run->created);
	fputs("</p>\n", fp);
	for (ti = 0; ti < m->nr_targets && !ret; ti++) {
		if (!fa_page_ctx(m, r, ti)->known)
			continue;
		fputs("<h2>Target ", fp);
		fa_tool_html_escape(fp, m->targets[ti].name);
		fputs("</h2>\n<div class=\"grid\">\n<div>\n", fp);
		fa_run_ctx(fp, fa_page_ctx(m, r, ti));
		fputs("</div>\n<div>\n<table>\n<tr><th>guarantee</th><th>status: failed of judged (95% upper bound)</th></tr>\n",
		      fp);
		any = false;
		for (g = 0; g < FA_G_NR; g++) {
			fprintf(fp, "<tr><td>%s</td>",
				fa_guarantee_name((enum fa_guarantee)g));
			fa_page_g_cell(fp, fa_page_g(m, r, ti,
						     (enum fa_guarantee)g));
			fputs("</tr>\n", fp);
			any |= fa_page_g(m, r, ti, (enum fa_guarantee)g)->known;
		}
		fputs("</table>\n", fp);
		if (!any)
			fputs("<p class=\"meta\">This run recorded no guarantees here (they come from qualify reports).</p>\n",
			      fp);
		fputs("</div>\n</div>\n<h3>Results</h3>\n", fp);
		ret = fa_run_rows(fp, &m->targets[ti], run->id);
	}
	fa_page_tail(fp);
	if (fclose(fp) && !ret) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
	}
	return ret;
}

int fa_page_write_runs(struct fa_page_out *o, const struct fa_page_model *m)
{
	size_t r;
	int ret = 0;

	for (r = 0; r < m->nr_runs && !ret; r++)
		ret = fa_run_page(o, m, r);
	return ret;
}
