// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: a static dashboard in one directory: index.html
 * and the images gnuplot draws from the TSV files written next to them
 * with the scripts in plots/ (which work alone too):
 *   trend-N.png    IOPS and p99 over runs, one per group (plots/trend.gp)
 *   latency-N.png  latency against block size per engine in the latest
 *                  run (plots/latency-size.gp)
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fa_spawn.h"
#include "fa_stats.h"
#include "fa_paths.h"
#include "fa_tool.h"
#include "report.h"

struct fa_html {
	const char *out;
	const char *plots;
	const char *gnuplot;
	FILE *index;
	unsigned int images;
	unsigned int failed;
};

void fa_report_html_usage(FILE *fp)
{
	fputs("html [--db PATH] --out DIR [--plots DIR]\n"
	      "  Write a static dashboard to DIR: index.html, and PNG images drawn\n"
	      "  by gnuplot from TSV files written beside them: IOPS and p99 over\n"
	      "  runs per group (host, engine, rw, bs, iodepth), and latency (p50,\n"
	      "  p99, p99.9) against block size per engine in the latest run.\n"
	      "  The gnuplot scripts come from --plots DIR, else $FIO_ATOMIC_PLOTS,\n"
	      "  else the installed plots/ (or the source tree's); gnuplot is\n"
	      "  $GNUPLOT or 'gnuplot' from PATH.\n",
	      fp);
}

#define fa_usage_error(fmt, ...)						\
	fa_tool_usage_error("report",					\
		"usage: fio-atomic report html [--db PATH] --out DIR [--plots DIR]\n", \
		"html: " fmt, ##__VA_ARGS__)


/* A TSV field: tabs and newlines would shift the columns. */
static void fa_tsv_field(FILE *fp, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

/* A gnuplot single-quoted string: a quote is doubled. */
static void fa_gp_string(char *buf, size_t len, const char *name,
			 const char *s)
{
	size_t n = strlen(buf);

	n += (size_t)snprintf(buf + n, len > n ? len - n : 0, "%s='", name);
	for (; *s && n + 3 < len; s++) {
		if (*s == '\'')
			buf[n++] = '\'';
		buf[n++] = *s;
	}
	if (n + 3 < len) {
		buf[n++] = '\'';
		buf[n++] = ';';
	}
	buf[n < len ? n : len - 1] = '\0';
}

static int fa_gnuplot(struct fa_html *h, const char *script,
		      const char *data, const char *image, const char *title)
{
	const struct fa_spawn s = {
		.dir = h->out,
		.flags = FA_SPAWN_PATH | FA_SPAWN_QUIET,
	};
	char expr[8192] = "", path[PATH_MAX];
	struct fa_argv a = { .n = 0 };
	int status;

	snprintf(path, sizeof(path), "%s/%s", h->plots, script);
	fa_gp_string(expr, sizeof(expr), "data", data);
	fa_gp_string(expr, sizeof(expr), "out", image);
	fa_gp_string(expr, sizeof(expr), "title", title);
	fa_argv_add(&a, "%s", h->gnuplot);
	fa_argv_add(&a, "-e");
	fa_argv_add(&a, "%s", expr);
	fa_argv_add(&a, "%s", path);
	status = a.n == 4 ? fa_spawn_run(&s, a.v) : -ENOMEM;
	fa_argv_free(&a);
	if (status < 0)
		return status;
	if (status == 127) {
		fa_tool_error("report", "html: cannot run %s: install gnuplot-nox or set GNUPLOT",
			      h->gnuplot);
		return -ENOENT;
	}
	if (status) {
		fa_tool_error("report", "html: gnuplot failed on %s/%s with %s",
			      h->out, data, path);
		return -EIO;
	}
	return 0;
}

static void fa_us(FILE *fp, double ns)
{
	if (isfinite(ns))
		fprintf(fp, "%.1f", ns / 1000);
	else
		fputs("NaN", fp);
}

static void fa_html_us(FILE *fp, double ns)
{
	if (isfinite(ns))
		fprintf(fp, "<td>%.1f</td>", ns / 1000);
	else
		fputs("<td>-</td>", fp);
}

/* Median of the finite values of rows[a, b) of run @run; NaN if none */
static double fa_run_median(const struct fa_report_row *rows, size_t a,
			    size_t b, int64_t run, int64_t bs, int which,
			    double *scratch)
{
	size_t i, n = 0;
	double v;

	for (i = a; i < b; i++) {
		if (rows[i].run_id != run || (bs >= 0 && rows[i].bs != bs))
			continue;
		v = which == 0 ? rows[i].iops : which == 1 ? rows[i].p50 :
		    which == 2 ? rows[i].p99 : rows[i].p999;
		if (isfinite(v))
			scratch[n++] = v;
	}
	return fa_median(scratch, n);
}

static void fa_image(struct fa_html *h, const char *image, const char *alt)
{
	fprintf(h->index, "<figure><img src=\"%s\" alt=\"", image);
	fa_tool_html_escape(h->index, alt);
	fprintf(h->index, "\"><figcaption>");
	fa_tool_html_escape(h->index, alt);
	fprintf(h->index, "</figcaption></figure>\n");
	h->images++;
}

static int fa_trend(struct fa_html *h, const struct fa_report_run *runs,
		    size_t nr_runs, const struct fa_report_row *rows,
		    size_t a, size_t b, unsigned int n, double *scratch)
{
	char name[512], tsv[64], png[64], path[PATH_MAX];
	size_t r;
	FILE *fp;
	int ret;

	fa_report_group_name(&rows[a], true, name, sizeof(name));
	snprintf(tsv, sizeof(tsv), "trend-%u.tsv", n);
	snprintf(png, sizeof(png), "trend-%u.png", n);
	snprintf(path, sizeof(path), "%s/%s", h->out, tsv);
	fp = fopen(path, "w");
	if (!fp)
		return -errno;
	fputs("# run_index\trun\tiops\tp99_us\t", fp);
	fa_tsv_field(fp, name);
	fputc('\n', fp);
	for (r = 0; r < nr_runs; r++) {
		double iops = fa_run_median(rows, a, b, runs[r].id, -1, 0,
					    scratch);
		double p99 = fa_run_median(rows, a, b, runs[r].id, -1, 2,
					   scratch);

		if (!isfinite(iops) && !isfinite(p99))
			continue;
		fprintf(fp, "%zu\t", r + 1);
		fa_tsv_field(fp, runs[r].name);
		if (isfinite(iops))
			fprintf(fp, "\t%.3f\t", iops);
		else
			fputs("\tNaN\t", fp);
		fa_us(fp, p99);
		fputc('\n', fp);
	}
	if (fclose(fp))
		return -errno;
	ret = fa_gnuplot(h, "trend.gp", tsv, png, name);
	if (ret)
		return ret;
	fprintf(h->index, "<h3>");
	fa_tool_html_escape(h->index, name);
	fprintf(h->index, "</h3>\n");
	fa_image(h, png, name);
	return 0;
}

static int fa_latency(struct fa_html *h, const struct fa_report_row *rows,
		      size_t a, size_t b, int64_t run, unsigned int n,
		      double *scratch)
{
	char name[512], tsv[64], png[64], path[PATH_MAX], label[32];
	int64_t last_bs = -1;
	struct fa_report_row key;
	size_t i, points = 0;
	FILE *fp;

	/* the group without its size: one curve over the sizes */
	key = rows[a];
	key.bs = 0;
	fa_report_group_name(&key, true, name, sizeof(name));
	/* "... 0 qd1" -> drop the size */
	snprintf(tsv, sizeof(tsv), "latency-%u.tsv", n);
	snprintf(png, sizeof(png), "latency-%u.png", n);
	snprintf(path, sizeof(path), "%s/%s", h->out, tsv);
	fp = fopen(path, "w");
	if (!fp)
		return -errno;
	fputs("# bs\tbs_label\tp50_us\tp99_us\tp999_us\n", fp);
	for (i = a; i < b; i++) {
		if (rows[i].run_id != run || rows[i].bs == last_bs)
			continue;
		last_bs = rows[i].bs;
		if (!isfinite(fa_run_median(rows, a, b, run, last_bs, 2,
					    scratch)))
			continue;
		fa_report_size(last_bs, label, sizeof(label));
		fprintf(fp, "%" PRId64 "\t%s\t", last_bs, label);
		fa_us(fp, fa_run_median(rows, a, b, run, last_bs, 1, scratch));
		fputc('\t', fp);
		fa_us(fp, fa_run_median(rows, a, b, run, last_bs, 2, scratch));
		fputc('\t', fp);
		fa_us(fp, fa_run_median(rows, a, b, run, last_bs, 3, scratch));
		fputc('\n', fp);
		points++;
	}
	if (fclose(fp))
		return -errno;
	if (!points) {
		unlink(path);
		return 0;
	}
	{
		/* "host engine rw 0 qd1": the size is on the x axis */
		char *zero = strstr(name, " 0 qd");

		if (zero)
			memmove(zero, zero + 2, strlen(zero + 2) + 1);
	}
	if (fa_gnuplot(h, "latency-size.gp", tsv, png, name))
		return -EIO;
	fprintf(h->index, "<h3>");
	fa_tool_html_escape(h->index, name);
	fprintf(h->index, "</h3>\n");
	fa_image(h, png, name);
	return 0;
}

/* Same group apart from the block size: the latency curves' key. */
static int fa_curve_cmp(const struct fa_report_row *a,
			const struct fa_report_row *b)
{
	struct fa_report_row x = *a, y = *b;

	x.bs = y.bs = 0;
	return fa_report_group_cmp(&x, &y);
}

static int fa_curve_sort_cmp(const void *x, const void *y)
{
	const struct fa_report_row *a = x, *b = y;
	int c = fa_curve_cmp(a, b);

	if (!c)
		c = (a->bs > b->bs) - (a->bs < b->bs);
	return c;
}

static void fa_latest_table(struct fa_html *h, const struct fa_report_row *rows,
			    size_t nr, int64_t run, double *scratch)
{
	char name[512];
	size_t a, i;
	int64_t torn, intact;
	bool tear;

	fputs("<table>\n<tr><th>group</th><th>IOPS</th><th>p50 (us)</th><th>p99 (us)</th><th>p99.9 (us)</th><th>torn / units judged</th></tr>\n",
	      h->index);
	for (a = 0; a < nr; a = i) {
		torn = intact = 0;
		tear = false;
		for (i = a; i < nr && !fa_report_group_cmp(&rows[a], &rows[i]);
		     i++) {
			if (rows[i].run_id == run && rows[i].has_tear) {
				tear = true;
				torn += rows[i].torn;
				intact += rows[i].intact;
			}
		}
		if (!isfinite(fa_run_median(rows, a, i, run, -1, 0, scratch)) &&
		    !tear)
			continue;
		fa_report_group_name(&rows[a], true, name, sizeof(name));
		fputs("<tr><td>", h->index);
		fa_tool_html_escape(h->index, name);
		fputs("</td>", h->index);
		{
			double iops = fa_run_median(rows, a, i, run, -1, 0,
						    scratch);

			if (isfinite(iops))
				fprintf(h->index, "<td>%.0f</td>", iops);
			else
				fputs("<td>-</td>", h->index);
		}
		fa_html_us(h->index, fa_run_median(rows, a, i, run, -1, 1,
						   scratch));
		fa_html_us(h->index, fa_run_median(rows, a, i, run, -1, 2,
						   scratch));
		fa_html_us(h->index, fa_run_median(rows, a, i, run, -1, 3,
						   scratch));
		if (tear)
			fprintf(h->index, "<td>%" PRId64 " / %" PRId64 "</td>",
				torn, torn + intact);
		else
			fputs("<td>-</td>", h->index);
		fputs("</tr>\n", h->index);
	}
	fputs("</table>\n", h->index);
}

static const char fa_html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>fio-atomic results</title>\n<style>\n"
	"body { font-family: sans-serif; margin: 2em; }\n"
	"table { border-collapse: collapse; margin: 1em 0; }\n"
	"td, th { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: right; }\n"
	"td:first-child, th:first-child { text-align: left; }\n"
	"figure { margin: 0.5em 0 1.5em 0; }\n"
	"figcaption { font-size: 90%; color: #555; }\n"
	"</style>\n</head>\n";

/*
 * After load the page records on <body> how many images it has and how
 * many decoded, so a headless browser (and a test) can tell that every
 * image is there.
 */
static const char fa_html_tail[] =
	"<script>\n"
	"window.addEventListener('load', function () {\n"
	"\tvar imgs = document.images, ok = 0;\n"
	"\tfor (var i = 0; i < imgs.length; i++)\n"
	"\t\tif (imgs[i].complete && imgs[i].naturalWidth > 0)\n"
	"\t\t\tok++;\n"
	"\tdocument.body.setAttribute('data-images', imgs.length);\n"
	"\tdocument.body.setAttribute('data-images-loaded', ok);\n"
	"});\n"
	"</script>\n</body>\n</html>\n";

static int fa_html_write(struct fa_html *h, const char *db_path,
			 sqlite3 *db)
{
	struct fa_report_run *runs = NULL;
	struct fa_report_rows rows = { 0 };
	char when[64], path[PATH_MAX + 16];
	size_t nr_runs = 0, a, i;
	unsigned int n = 0;
	double *scratch = NULL;
	int64_t latest;
	time_t t;
	struct tm tm;
	int ret = -EIO;

	if (fa_report_runs(db, &runs, &nr_runs) ||
	    fa_report_load(db, NULL, 0, &rows)) {
		fa_tool_error("report", "html: database: %s",
			      sqlite3_errmsg(db));
		goto out;
	}
	scratch = calloc(rows.nr + 1, sizeof(*scratch));
	if (!scratch)
		goto out;
	snprintf(path, sizeof(path), "%s/index.html", h->out);
	h->index = fopen(path, "w");
	if (!h->index) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
		goto out;
	}
	fputs(fa_html_head, h->index);
	fputs("<body>\n<h1>fio-atomic results</h1>\n<p>", h->index);
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(h->index, "%zu run%s, %zu result rows, from <code>", nr_runs,
		nr_runs == 1 ? "" : "s", rows.nr);
	fa_tool_html_escape(h->index, db_path);
	fprintf(h->index, "</code>; generated %s.</p>\n", when);

	fputs("<h2>Runs</h2>\n<table>\n<tr><th>run</th><th>first ingested (UTC)</th></tr>\n",
	      h->index);
	for (i = 0; i < nr_runs; i++) {
		t = (time_t)runs[i].created;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		fputs("<tr><td>", h->index);
		fa_tool_html_escape(h->index, runs[i].name);
		fprintf(h->index, "</td><td>%s</td></tr>\n", when);
	}
	fputs("</table>\n", h->index);
	if (!nr_runs) {
		fputs("<p>No results yet: run <code>fio-atomic report ingest</code>.</p>\n",
		      h->index);
		ret = 0;
		goto close;
	}
	latest = runs[nr_runs - 1].id;

	fa_report_sort(&rows);
	fputs("<h2>Latest run: ", h->index);
	fa_tool_html_escape(h->index, runs[nr_runs - 1].name);
	fputs("</h2>\n", h->index);
	fa_latest_table(h, rows.rows, rows.nr, latest, scratch);

	fputs("<h2>Trends over runs</h2>\n", h->index);
	for (a = 0; a < rows.nr; a = i) {
		for (i = a + 1; i < rows.nr &&
		     !fa_report_group_cmp(&rows.rows[a], &rows.rows[i]); i++)
			;
		if (!*rows.rows[a].dir)
			continue;
		ret = fa_trend(h, runs, nr_runs, rows.rows, a, i, ++n,
			       scratch);
		if (ret)
			goto close;
	}

	fputs("<h2>Latency against block size, latest run</h2>\n", h->index);
	qsort(rows.rows, rows.nr, sizeof(*rows.rows), fa_curve_sort_cmp);
	n = 0;
	for (a = 0; a < rows.nr; a = i) {
		for (i = a + 1; i < rows.nr &&
		     !fa_curve_cmp(&rows.rows[a], &rows.rows[i]); i++)
			;
		if (!*rows.rows[a].dir)
			continue;
		ret = fa_latency(h, rows.rows, a, i, latest, ++n, scratch);
		if (ret)
			goto close;
	}
	ret = 0;
close:
	fputs(fa_html_tail, h->index);
	if (fclose(h->index) && !ret) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
	}
out:
	free(scratch);
	fa_report_rows_free(&rows);
	fa_report_runs_free(runs, nr_runs);
	return ret;
}

int fa_report_html(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "plots", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_arg = NULL, *plots_arg = getenv("FIO_ATOMIC_PLOTS");
	char path[4096], plots[PATH_MAX], out[PATH_MAX], gnuplot[PATH_MAX];
	struct fa_html h = { 0 };
	sqlite3 *db = NULL;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:o:p:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_arg = optarg;
			break;
		case 'o':
			h.out = optarg;
			break;
		case 'p':
			plots_arg = optarg;
			break;
		case 'h':
			fa_report_html_usage(stdout);
			return FA_EXIT_OK;
		case ':':
			return fa_usage_error("option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return fa_usage_error("unknown option '%s'",
					      argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fa_usage_error("unexpected argument '%s'", argv[optind]);
	if (!h.out || !*h.out)
		return fa_usage_error("missing --out DIR");
	if (plots_arg && *plots_arg)
		snprintf(plots, sizeof(plots), "%s", plots_arg);
	else if (fa_path_data("plots/trend.gp", plots, sizeof(plots)) ||
		 fa_path_data("plots", plots, sizeof(plots))) {
		fa_tool_error("report", "html: cannot find the gnuplot scripts (%s/plots/trend.gp): give --plots DIR or FIO_ATOMIC_PLOTS",
			      fa_paths()->data);
		return FA_EXIT_ERROR;
	}
	/* gnuplot runs in the output directory: the scripts need a full path */
	if (!realpath(plots, path)) {
		fa_tool_path_error("report", plots, -errno);
		return FA_EXIT_ERROR;
	}
	snprintf(plots, sizeof(plots), "%s", path);
	h.plots = plots;
	if (fa_path_gnuplot(gnuplot, sizeof(gnuplot))) {
		fa_tool_error("report", "html: no gnuplot: %s not found (install gnuplot-nox, or set GNUPLOT=PATH)",
			      gnuplot);
		return FA_EXIT_ERROR;
	}
	h.gnuplot = gnuplot;
	ret = fa_tool_mkdir_p(h.out);
	if (ret) {
		fa_tool_path_error("report", h.out, ret);
		return FA_EXIT_ERROR;
	}
	if (!realpath(h.out, out)) {
		fa_tool_path_error("report", h.out, -errno);
		return FA_EXIT_ERROR;
	}
	h.out = out;
	if (fa_report_db_path(db_arg, path, sizeof(path))) {
		fa_tool_error("report", "no database path: give --db, FIO_ATOMIC_DB or HOME");
		return FA_EXIT_ERROR;
	}
	if (access(path, F_OK)) {
		fa_tool_error("report", "html: no database at %s: run 'fio-atomic report ingest' first",
			      path);
		return FA_EXIT_ERROR;
	}
	if (fa_report_open("report", path, &db))
		return FA_EXIT_ERROR;
	ret = fa_html_write(&h, path, db);
	sqlite3_close(db);
	if (ret)
		return FA_EXIT_ERROR;
	printf("wrote %s/index.html with %u image%s\n", h.out, h.images,
	       h.images == 1 ? "" : "s");
	return FA_EXIT_OK;
}
