// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic qualify: the HTML report and its gnuplot images.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <json-c/json.h>
#include "fa_device.h"
#include "fa_guard.h"
#include "fa_jobreport.h"
#include "fa_limits.h"
#include "fa_qualify.h"
#include "fa_tool.h"
#include "fa_util.h"

#include "qualify.h"

/* -------- HTML -------- */

/*
 * --html draws with gnuplot and plots/qualify-latency.gp: both are looked
 * for before the first write, rather than missed after the last.
 */
int fa_q_check_plotting(void)
{
	char path[PATH_MAX + 64];
	int ret;

	ret = fa_path_gnuplot(path, sizeof(path));
	if (ret) {
		fa_tool_error(CMD, "--html needs gnuplot for its latency plots: %s %s (install gnuplot-nox, or set GNUPLOT=PATH)",
			      getenv("GNUPLOT") && getenv("GNUPLOT")[0] ?
			      "GNUPLOT: no executable" : "no gnuplot on PATH:",
			      path);
		return ret;
	}
	ret = fa_path_data("plots/qualify-latency.gp", path, sizeof(path));
	if (ret)
		fa_tool_error(CMD, "--html needs %s: %s", path,
			      strerror(-ret));
	return ret;
}

const char *fa_jstr(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

uint64_t fa_juint(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	return json_object_get_uint64(v);
}

/* Draw one engine's latency against size with plots/qualify-latency.gp. */
static int fa_q_plot(const struct fa_q_opts *o, const char *dir,
		     const char *tsv, const char *series, const char *png)
{
	struct fa_argv a = { .n = 0 };
	char script[PATH_MAX + 64], gnuplot[PATH_MAX];
	struct fa_q_run r;
	int ret;

	if (fa_path_gnuplot(gnuplot, sizeof(gnuplot)) ||
	    fa_path_data("plots/qualify-latency.gp", script, sizeof(script)))
		return -ENOENT;
	fa_argv_add(&a, "%s", gnuplot);
	fa_argv_add(&a, "-e");
	fa_argv_add(&a, "tsv='%s'; out='%s'; series='%s'", tsv, png, series);
	fa_argv_add(&a, "%s", script);
	ret = fa_q_spawn(dir, 0, a.v, &r);
	fa_argv_free(&a);
	snprintf(script, sizeof(script), "%s/run0.out", dir);
	unlink(script);
	snprintf(script, sizeof(script), "%s/run0.err", dir);
	unlink(script);
	if (ret)
		return ret;
	ret = r.status ? -EIO : 0;
	fa_q_run_free(&r);
	return ret;
}

/* One target's section: steps, results table, one plot per engine. */
/* The three guarantees, each apart: status, failures of trials, how. */
static void fa_q_html_guarantees(FILE *fp, struct json_object *g)
{
	static const char *const names[] = {
		"power_fail", "read_isolation", "write_isolation",
	};
	char rate[160];
	size_t i;

	if (!g)
		return;
	fprintf(fp, "<table>\n<tr><th>guarantee</th><th>status</th><th>failed (95%% upper bound)</th><th>how</th></tr>\n");
	for (i = 0; i < FA_ARRAY_SIZE(names); i++) {
		struct json_object *r = json_object_object_get(g, names[i]);
		const char *st = fa_jstr(r, "status");

		if (!r)
			continue;
		fa_g_percent((uint64_t)json_object_get_int64(
				     json_object_object_get(r, "failures")),
			     (uint64_t)json_object_get_int64(
				     json_object_object_get(r, "trials")),
			     rate, sizeof(rate));
		fprintf(fp, "<tr><td>%s</td><td class=\"%s\">%s</td><td>",
			names[i], !strcmp(st, "provided") ? "pass" :
			!strcmp(st, "not_provided") ? "fail" : "skip",
			!strcmp(st, "provided") ? "provided" :
			!strcmp(st, "not_provided") ? "NOT PROVIDED" :
			"not tested");
		if (!strcmp(st, "not_tested"))
			fa_tool_html_escape(fp, fa_jstr(r, "reason"));
		else
			fa_tool_html_escape(fp, rate);
		fprintf(fp, "</td><td>");
		fa_tool_html_escape(fp, fa_jstr(r, "how"));
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");
}

static void fa_q_html_target(const struct fa_q_opts *o, FILE *fp,
			     const char *dir, struct json_object *t, int idx)
{
	struct json_object *steps, *results, *row, *dev;
	char tsv[PATH_MAX + 32], series[64][96], png[PATH_MAX + 128];
	size_t i, j, nr;
	int nr_series = 0;
	FILE *tf;

	fprintf(fp, "<h2>");
	fa_tool_html_escape(fp, fa_jstr(t, "target"));
	fprintf(fp, " (%s): <span class=\"%s\">%s</span></h2>\n",
		fa_jstr(t, "kind"),
		!strcmp(fa_jstr(t, "verdict"), "QUALIFIED") ? "pass" : "fail",
		fa_jstr(t, "verdict"));
	fprintf(fp, "<p>kernel ");
	fa_tool_html_escape(fp, fa_jstr(json_object_object_get(t, "kernel"),
				   "release"));
	dev = json_object_object_get(t, "device");
	if (dev) {
		fprintf(fp, ", device ");
		fa_tool_html_escape(fp, fa_jstr(dev, "model"));
		fprintf(fp, " firmware ");
		fa_tool_html_escape(fp, fa_jstr(dev, "firmware"));
	}
	fprintf(fp, "; limits: ");
	fa_tool_html_escape(fp, fa_jstr(json_object_object_get(t, "limits"),
				   "verdict"));
	fprintf(fp, "</p>\n<table>\n<tr><th>step</th><th>result</th><th>reason</th></tr>\n");
	steps = json_object_object_get(t, "steps");
	nr = steps ? json_object_array_length(steps) : 0;
	for (i = 0; i < nr; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);
		const char *res = fa_jstr(s, "result");

		fprintf(fp, "<tr><td>");
		fa_tool_html_escape(fp, fa_jstr(s, "name"));
		fprintf(fp, "</td><td class=\"%s\">%s</td><td>",
			!strcmp(res, "PASS") ? "pass" : !strcmp(res, "FAIL") ?
			"fail" : "skip", res);
		fa_tool_html_escape(fp, fa_jstr(s, "reason"));
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");
	fa_q_html_guarantees(fp, json_object_object_get(t, "guarantees"));

	results = json_object_object_get(t, "results");
	nr = results ? json_object_array_length(results) : 0;
	if (!nr)
		return;
	snprintf(tsv, sizeof(tsv), "%s/latency-%d.tsv", dir, idx);
	tf = fopen(tsv, "we");
	if (tf)
		fprintf(tf, "# engine\tmode\tbs\tiodepth\tiops\tbw_bytes\tclat_p50_ns\tclat_p99_ns\tclat_p999_ns\n");
	fprintf(fp, "<table>\n<tr><th>engine</th><th>mode</th><th>bs</th><th>iodepth</th><th>IOPS</th><th>MiB/s</th><th>clat p50 &micro;s</th><th>p99</th><th>p99.9</th></tr>\n");
	for (i = 0; i < nr; i++) {
		char key[96];

		row = json_object_array_get_idx(results, i);
		snprintf(key, sizeof(key), "%s/%s", fa_jstr(row, "engine"),
			 fa_jstr(row, "mode"));
		for (j = 0; j < (size_t)nr_series; j++)
			if (!strcmp(series[j], key))
				break;
		if (j == (size_t)nr_series && nr_series < 64)
			fa_strlcpy(series[nr_series++], key, sizeof(series[0]));
#define FA_I(k) json_object_get_int64(json_object_object_get(row, k))
		if (tf)
			fprintf(tf, "%s\t%s\t%" PRId64 "\t%" PRId64 "\t%.1f\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n",
				fa_jstr(row, "engine"), fa_jstr(row, "mode"),
				FA_I("bs"), FA_I("iodepth"),
				json_object_get_double(json_object_object_get(row, "iops")),
				FA_I("bw_bytes"), FA_I("clat_p50_ns"),
				FA_I("clat_p99_ns"), FA_I("clat_p999_ns"));
		fprintf(fp, "<tr><td>");
		fa_tool_html_escape(fp, fa_jstr(row, "engine"));
		fprintf(fp, "</td><td>");
		fa_tool_html_escape(fp, fa_jstr(row, "mode"));
		fprintf(fp, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%.0f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>\n",
			FA_I("bs"), FA_I("iodepth"),
			json_object_get_double(json_object_object_get(row, "iops")),
			FA_I("bw_bytes") / 1048576.0,
			FA_I("clat_p50_ns") / 1000.0,
			FA_I("clat_p99_ns") / 1000.0,
			FA_I("clat_p999_ns") / 1000.0);
#undef FA_I
	}
	fprintf(fp, "</table>\n");
	if (tf)
		fclose(tf);
	for (j = 0; j < (size_t)nr_series; j++) {
		char name[96], *c;

		fa_strlcpy(name, series[j], sizeof(name));
		for (c = name; *c; c++)
			if (*c == '/')
				*c = '-';
		snprintf(png, sizeof(png), "%s/latency-%d-%s.png", dir, idx,
			 name);
		if (fa_q_plot(o, dir, tsv, series[j], png)) {
			fprintf(fp, "<p>no plot for ");
			fa_tool_html_escape(fp, series[j]);
			fprintf(fp, " (gnuplot or plots/qualify-latency.gp missing)</p>\n");
			continue;
		}
		fprintf(fp, "<p><img src=\"latency-%d-", idx);
		fa_tool_html_escape(fp, name);
		fprintf(fp, ".png\" alt=\"completion latency against write size, ");
		fa_tool_html_escape(fp, series[j]);
		fprintf(fp, "\"></p>\n");
	}
}

int fa_q_write_html(const struct fa_q_opts *o, const char *dir,
		    struct json_object **targets, int nr,
		    const char *overall, struct json_object *lab_steps)
{
	char path[PATH_MAX + 16];
	FILE *fp;
	int i;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		fa_tool_path_error(CMD, dir, -errno);
		return -EIO;
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	fp = fopen(path, "we");
	if (!fp) {
		fa_tool_path_error(CMD, path, -errno);
		return -EIO;
	}
	fprintf(fp, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>fio-atomic qualify</title>\n"
		"<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
		"td,th{border:1px solid #999;padding:2px 8px;text-align:left}"
		".pass{color:#070}.fail{color:#b00;font-weight:bold}.skip{color:#777}</style>\n"
		"</head><body>\n<h1>fio-atomic qualify: ");
	fa_tool_html_escape(fp, overall);
	fprintf(fp, "</h1>\n");
	if (o->quick)
		fprintf(fp, "<p class=\"fail\">--quick: a smoke test, one short run per point; its figures are not for comparing.</p>\n");
	if (lab_steps) {
		size_t j, n = json_object_array_length(lab_steps);

		fprintf(fp, "<table>\n<tr><th>lab</th><th>result</th><th>reason</th></tr>\n");
		for (j = 0; j < n; j++) {
			struct json_object *s;
			const char *res;

			s = json_object_array_get_idx(lab_steps, j);
			res = fa_jstr(s, "result");

			fprintf(fp, "<tr><td>");
			fa_tool_html_escape(fp, fa_jstr(s, "name"));
			fprintf(fp, "</td><td class=\"%s\">%s</td><td>",
				!strcmp(res, "PASS") ? "pass" :
				!strcmp(res, "FAIL") ? "fail" : "skip", res);
			fa_tool_html_escape(fp, fa_jstr(s, "reason"));
			fprintf(fp, "</td></tr>\n");
		}
		fprintf(fp, "</table>\n");
	}
	for (i = 0; i < nr; i++)
		fa_q_html_target(o, fp, dir, targets[i], i);
	fprintf(fp, "</body></html>\n");
	if (fclose(fp)) {
		fa_tool_path_error(CMD, path, -errno);
		return -EIO;
	}
	return 0;
}
