// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report html: the page's images. For each target, TSV files
 * in the layout the scripts in plots/ document, then gnuplot draws them
 * (its stderr is the tool's: the scripts are written to warn about
 * nothing):
 *   trend-T-N.tsv/.png  IOPS and p99 over the target's runs of one
 *                       engine, rw and queue depth, a line per write size
 *                       (plots/trend.gp), with trend-T-N.marks.tsv: the
 *                       kernel, firmware and fio changes in its range
 *   latency-T.tsv/.png  latency against write size in the target's latest
 *                       run, the engines overlaid (plots/latency-size.gp)
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_spawn.h"
#include "fa_stats.h"
#include "fa_tool.h"
#include "report_page.h"

/* A TSV field: tabs and newlines would shift the columns. */
static void fa_tsv_field(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

static void fa_tsv_num(FILE *fp, double v, const char *fmt)
{
	if (isfinite(v))
		fprintf(fp, fmt, v);
	else
		fputs("NaN", fp);
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

static int fa_gnuplot(struct fa_page_out *o, const char *script,
		      const char *data, const char *marks, const char *image)
{
	const struct fa_spawn s = {
		.dir = o->dir,
		.flags = FA_SPAWN_PATH | FA_SPAWN_QUIET,
	};
	char expr[8192] = "", path[PATH_MAX];
	struct fa_argv a = { .n = 0 };
	int status;

	snprintf(path, sizeof(path), "%s/%s", o->plots, script);
	fa_gp_string(expr, sizeof(expr), "data", data);
	fa_gp_string(expr, sizeof(expr), "out", image);
	if (marks)
		fa_gp_string(expr, sizeof(expr), "marks", marks);
	fa_argv_add(&a, "%s", o->gnuplot);
	fa_argv_add(&a, "-e");
	fa_argv_add(&a, "%s", expr);
	fa_argv_add(&a, "%s", path);
	status = a.n == 4 ? fa_spawn_run(&s, a.v) : -ENOMEM;
	fa_argv_free(&a);
	if (status < 0)
		return status;
	if (status == 127) {
		fa_tool_error("report", "html: cannot run %s: install gnuplot-nox or set GNUPLOT",
			      o->gnuplot);
		return -ENOENT;
	}
	if (status) {
		fa_tool_error("report", "html: gnuplot failed on %s/%s with %s",
			      o->dir, data, path);
		return -EIO;
	}
	o->images++;
	return 0;
}

/* "atomic-uring io_uring randwrite qd32", "psync randrw/read qd1" */
void fa_page_series_name(const struct fa_store_row *r, char *buf,
			 size_t len)
{
	bool mixed = strstr(r->rw, "rw") || !strcmp(r->rw, "readwrite") ||
		     !strcmp(r->rw, "trimwrite");

	snprintf(buf, len, "%s%s%s %s%s%s qd%" PRId64, r->engine,
		 *r->mode ? " " : "", r->mode, r->rw, mixed ? "/" : "",
		 mixed ? r->dir : "", r->iodepth);
}

/* Same curve: the group apart from the write size */
static int fa_curve_cmp(const struct fa_store_row *a,
			const struct fa_store_row *b)
{
	struct fa_store_row x = *a, y = *b;

	x.bs = y.bs = 0;
	return fa_report_group_cmp(&x, &y);
}

static int fa_curve_sort_cmp(const void *x, const void *y)
{
	const struct fa_store_row *a = *(const struct fa_store_row *const *)x;
	const struct fa_store_row *b = *(const struct fa_store_row *const *)y;
	int c = fa_curve_cmp(a, b);

	if (!c)
		c = (a->bs > b->bs) - (a->bs < b->bs);
	if (!c)
		c = (a->run_id > b->run_id) - (a->run_id < b->run_id);
	return c;
}

/* The target's rows by curve, size and run (its own order stays compare's) */
static const struct fa_store_row **fa_by_curve(const struct fa_page_target *t)
{
	const struct fa_store_row **v;
	size_t i;

	v = calloc(t->rows.nr + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < t->rows.nr; i++)
		v[i] = &t->rows.rows[i];
	qsort(v, t->rows.nr, sizeof(*v), fa_curve_sort_cmp);
	return v;
}

enum { FA_IOPS, FA_P50, FA_P99, FA_P999 };

/* Median of one metric of run @run over v[a, b); NaN when none */
static double fa_median_of(const struct fa_store_row **v, size_t a,
			   size_t b, int64_t run, int which, double *scratch)
{
	size_t i, n = 0;
	double x;

	for (i = a; i < b; i++) {
		if (v[i]->run_id != run)
			continue;
		x = which == FA_IOPS ? v[i]->iops : which == FA_P50 ?
		    v[i]->p50 : which == FA_P99 ? v[i]->p99 : v[i]->p999;
		if (isfinite(x))
			scratch[n++] = x;
	}
	return fa_median(scratch, n);
}

/* The x position of run @run among the target's runs (1, 2, ...); 0 */
static size_t fa_target_x(const struct fa_page_model *m, size_t target,
			  size_t run)
{
	size_t r, x = 0;

	for (r = 0; r <= run && r < m->nr_runs; r++)
		if (fa_page_ctx(m, r, target)->known)
			x++;
	return fa_page_ctx(m, run, target)->known ? x : 0;
}

/*
 * One curve's TSV: a block per write size with a finite IOPS somewhere.
 * Returns the blocks written; *@xmin and *@xmax the positions used.
 */
static size_t fa_trend_tsv(FILE *fp, const struct fa_page_model *m,
			   size_t ti, const struct fa_store_row **v,
			   size_t a, size_t b, double *scratch, size_t *xmin,
			   size_t *xmax)
{
	size_t i, j, r, x, blocks = 0;
	char size[32];
	double iops, p99;
	bool any;

	fputs("# run_index\trun\tiops\tp99_us: a block per write size\n",
	      fp);
	for (i = a; i < b; i = j) {
		for (j = i; j < b && v[j]->bs == v[i]->bs; j++)
			;
		any = false;
		for (r = 0; r < m->nr_runs && !any; r++)
			any = isfinite(fa_median_of(v, i, j, m->runs[r].id,
						    FA_IOPS, scratch));
		if (!any)
			continue;
		fa_report_size(v[i]->bs, size, sizeof(size));
		fprintf(fp, "%srun\t%s\tiops\tp99_us\n", blocks ? "\n\n" : "",
			size);
		blocks++;
		for (r = 0; r < m->nr_runs; r++) {
			iops = fa_median_of(v, i, j, m->runs[r].id, FA_IOPS,
					    scratch);
			p99 = fa_median_of(v, i, j, m->runs[r].id, FA_P99,
					   scratch);
			x = fa_target_x(m, ti, r);
			if (!x || (!isfinite(iops) && !isfinite(p99)))
				continue;
			if (x < *xmin)
				*xmin = x;
			if (x > *xmax)
				*xmax = x;
			fprintf(fp, "%zu\t", x);
			fa_tsv_field(fp, m->runs[r].name);
			fputc('\t', fp);
			fa_tsv_num(fp, iops, "%.3f");
			fputc('\t', fp);
			fa_tsv_num(fp, isfinite(p99) ? p99 / 1000 : NAN,
				   "%.3f");
			fputc('\n', fp);
		}
	}
	return blocks;
}

/* The changes inside (xmin, xmax]: a line before the first run with it */
static size_t fa_marks_tsv(FILE *fp, const struct fa_page_model *m,
			   size_t ti, size_t xmin, size_t xmax)
{
	const struct fa_page_target *t = &m->targets[ti];
	size_t i, x, n = 0;

	fputs("# run_index\tlabel\n", fp);
	for (i = 0; i < t->nr_changes; i++) {
		x = fa_target_x(m, ti, t->changes[i].run);
		if (x <= xmin || x > xmax)
			continue;
		fprintf(fp, "%zu\t%s ", x, t->changes[i].what);
		fa_tsv_field(fp, t->changes[i].to);
		fputc('\n', fp);
		n++;
	}
	return n;
}

static int fa_trend(struct fa_page_out *o, const struct fa_page_model *m,
		    size_t ti, size_t n, const struct fa_store_row **v,
		    size_t a, size_t b, double *scratch, char *png,
		    size_t png_len)
{
	char tsv[64], marks[64], path[PATH_MAX];
	size_t blocks, xmin = SIZE_MAX, xmax = 0, nr_marks;
	FILE *fp;

	snprintf(tsv, sizeof(tsv), "trend-%zu-%zu.tsv", ti + 1, n);
	snprintf(marks, sizeof(marks), "trend-%zu-%zu.marks.tsv", ti + 1, n);
	snprintf(png, png_len, "trend-%zu-%zu.png", ti + 1, n);
	snprintf(path, sizeof(path), "%s/%s", o->dir, tsv);
	fp = fopen(path, "w");
	if (!fp)
		goto error;
	blocks = fa_trend_tsv(fp, m, ti, v, a, b, scratch, &xmin, &xmax);
	if (fclose(fp))
		goto error;
	if (!blocks) {
		unlink(path);
		*png = '\0';
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", o->dir, marks);
	fp = fopen(path, "w");
	if (!fp)
		goto error;
	nr_marks = fa_marks_tsv(fp, m, ti, xmin, xmax);
	if (fclose(fp))
		goto error;
	if (!nr_marks)
		unlink(path);
	return fa_gnuplot(o, "trend.gp", tsv, nr_marks ? marks : NULL, png);
error:
	fa_tool_path_error("report", path, -errno);
	return -EIO;
}

int fa_page_trends(struct fa_page_out *o, const struct fa_page_model *m,
		   size_t target, char names[][64],
		   char titles[][FA_PAGE_TITLE_LEN], size_t max, size_t *nr)
{
	const struct fa_page_target *t = &m->targets[target];
	const struct fa_store_row **v;
	double *scratch;
	size_t a, b;
	int ret = 0;

	*nr = 0;
	v = fa_by_curve(t);
	scratch = calloc(t->rows.nr + 1, sizeof(*scratch));
	if (!v || !scratch) {
		ret = -ENOMEM;
		goto out;
	}
	for (a = 0; a < t->rows.nr && *nr < max && !ret; a = b) {
		for (b = a + 1; b < t->rows.nr && !fa_curve_cmp(v[a], v[b]);
		     b++)
			;
		/* a tear report alone has no I/O figures to draw */
		if (!*v[a]->dir)
			continue;
		ret = fa_trend(o, m, target, *nr + 1, v, a, b, scratch,
			       names[*nr], sizeof(names[0]));
		if (ret || !*names[*nr])
			continue;
		fa_page_series_name(v[a], titles[*nr], sizeof(titles[0]));
		(*nr)++;
	}
out:
	free(v);
	free(scratch);
	return ret;
}

int fa_page_latency(struct fa_page_out *o, const struct fa_page_model *m,
		    size_t target, char *name, size_t len)
{
	const struct fa_page_target *t = &m->targets[target];
	const struct fa_store_row **v;
	char tsv[64], path[PATH_MAX], series[256], size[32];
	size_t a, b, i, j, blocks = 0;
	int64_t run = m->runs[t->latest].id;
	double *scratch, p50, p99;
	bool header;
	FILE *fp = NULL;
	int ret = 0;

	*name = '\0';
	if (!t->has_runs)
		return 0;
	v = fa_by_curve(t);
	scratch = calloc(t->rows.nr + 1, sizeof(*scratch));
	snprintf(tsv, sizeof(tsv), "latency-%zu.tsv", target + 1);
	snprintf(path, sizeof(path), "%s/%s", o->dir, tsv);
	if (!v || !scratch) {
		ret = -ENOMEM;
		goto out;
	}
	fp = fopen(path, "w");
	if (!fp) {
		ret = -errno;
		fa_tool_path_error("report", path, ret);
		goto out;
	}
	fputs("# bs\tbs_label\tp50_us\tp99_us\tp999_us: a block per engine\n",
	      fp);
	for (a = 0; a < t->rows.nr; a = b) {
		for (b = a + 1; b < t->rows.nr && !fa_curve_cmp(v[a], v[b]);
		     b++)
			;
		if (!*v[a]->dir)
			continue;
		header = false;
		for (i = a; i < b; i = j) {
			for (j = i; j < b && v[j]->bs == v[i]->bs; j++)
				;
			p50 = fa_median_of(v, i, j, run, FA_P50, scratch);
			p99 = fa_median_of(v, i, j, run, FA_P99, scratch);
			if (!isfinite(p50) && !isfinite(p99))
				continue;
			if (!header) {
				fa_page_series_name(v[a], series,
						    sizeof(series));
				fprintf(fp, "%sbs\t", blocks ? "\n\n" : "");
				fa_tsv_field(fp, series);
				fputs("\tp50_us\tp99_us\tp999_us\n", fp);
				header = true;
				blocks++;
			}
			fa_report_size(v[i]->bs, size, sizeof(size));
			fprintf(fp, "%" PRId64 "\t%s\t", v[i]->bs, size);
			fa_tsv_num(fp, p50 / 1000, "%.3f");
			fputc('\t', fp);
			fa_tsv_num(fp, p99 / 1000, "%.3f");
			fputc('\t', fp);
			fa_tsv_num(fp, fa_median_of(v, i, j, run, FA_P999,
						    scratch) / 1000, "%.3f");
			fputc('\n', fp);
		}
	}
	if (fclose(fp)) {
		fp = NULL;
		ret = -errno;
		fa_tool_path_error("report", path, ret);
		goto out;
	}
	fp = NULL;
	if (!blocks) {
		unlink(path);
		goto out;
	}
	snprintf(name, len, "latency-%zu.png", target + 1);
	ret = fa_gnuplot(o, "latency-size.gp", tsv, NULL, name);
	if (ret)
		*name = '\0';
out:
	if (fp)
		fclose(fp);
	free(v);
	free(scratch);
	return ret;
}
