// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report export --openmetrics FILE: the latest run of each
 * target as an OpenMetrics text file (the exposition format of
 * node_exporter's textfile collector, which reads FILE when it is named
 * *.prom in its directory):
 *
 *   fio_atomic_iops{target,host,engine,mode,rw,dir,bs,iodepth,run}
 *   fio_atomic_clat_p99_seconds{...the same}
 *   fio_atomic_guarantee{target,host,guarantee,run}  1 provided, 0 not
 *
 * A target is a host and the target path of a context ("" when the rows
 * came without one). Several samples of one group in a run give their
 * median; a guarantee not tested gives no sample. Samples carry no
 * timestamp (the textfile collector refuses them). The file ends with
 * "# EOF"; it is written beside FILE under a temporary name, then renamed.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_stats.h"
#include "fa_tool.h"
#include "report.h"
#include "report_export.h"

struct fa_om_target {
	char host[FA_RESULT_NAME_LEN];
	char path[FA_CTX_TEXT_LEN];
	int64_t latest;
};

struct fa_om {
	struct fa_store *s;
	const struct fa_store_run *runs;
	size_t nr_runs;
	struct fa_store_rows rows;
	int64_t *row_target;		/* per row: its target's index */
	struct fa_store_guarantee *g;
	size_t nr_g;
	int64_t *g_target;
	struct fa_om_target *targets;
	size_t nr_targets;
};

/* A label value: backslash, double quote and newline escaped */
static void fa_om_value(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', fp);
		if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static void fa_om_label(FILE *fp, const char *name, const char *value,
			bool first)
{
	fprintf(fp, "%s%s=", first ? "" : ",", name);
	fa_om_value(fp, value);
}

static const char *fa_om_run_name(const struct fa_om *om, int64_t id)
{
	size_t i;

	for (i = 0; i < om->nr_runs; i++)
		if (om->runs[i].id == id)
			return om->runs[i].name;
	return "";
}

/* The index of target (@host, @path), added when new; -1 out of memory */
static int64_t fa_om_target(struct fa_om *om, const char *host,
			    const char *path, int64_t run)
{
	struct fa_om_target *t;
	size_t i;

	for (i = 0; i < om->nr_targets; i++) {
		t = &om->targets[i];
		if (!strcmp(t->host, host) && !strcmp(t->path, path)) {
			if (run > t->latest)
				t->latest = run;
			return (int64_t)i;
		}
	}
	t = realloc(om->targets, (om->nr_targets + 1) * sizeof(*t));
	if (!t)
		return -1;
	om->targets = t;
	t = &t[om->nr_targets];
	snprintf(t->host, sizeof(t->host), "%s", host);
	snprintf(t->path, sizeof(t->path), "%s", path);
	t->latest = run;
	return (int64_t)om->nr_targets++;
}

static int fa_om_path(struct fa_om *om, int64_t context_id, char *path,
		      size_t len)
{
	struct fa_context c;

	path[0] = '\0';
	if (!context_id)
		return 0;
	if (fa_store_context(om->s, context_id, &c))
		return -EIO;
	snprintf(path, len, "%s", c.text[FA_CTX_TARGET_PATH]);
	return 0;
}

static int fa_om_load(struct fa_om *om)
{
	char path[FA_CTX_TEXT_LEN];
	size_t i;
	int ret;

	ret = fa_store_rows(om->s, NULL, 0, &om->rows);
	if (!ret)
		ret = fa_store_guarantees(om->s, 0, &om->g, &om->nr_g);
	if (ret)
		return ret;
	om->row_target = calloc(om->rows.nr + 1, sizeof(int64_t));
	om->g_target = calloc(om->nr_g + 1, sizeof(int64_t));
	if (!om->row_target || !om->g_target)
		return fa_store_fail(om->s, -ENOMEM, "out of memory");
	for (i = 0; i < om->rows.nr; i++) {
		const struct fa_store_row *r = &om->rows.rows[i];

		if (fa_om_path(om, r->context_id, path, sizeof(path)))
			return -EIO;
		om->row_target[i] = fa_om_target(om, r->host, path, r->run_id);
		if (om->row_target[i] < 0)
			return fa_store_fail(om->s, -ENOMEM, "out of memory");
	}
	for (i = 0; i < om->nr_g; i++) {
		if (fa_om_path(om, om->g[i].context_id, path, sizeof(path)))
			return -EIO;
		om->g_target[i] = fa_om_target(om, om->g[i].host, path,
					       om->g[i].run_id);
		if (om->g_target[i] < 0)
			return fa_store_fail(om->s, -ENOMEM, "out of memory");
	}
	return 0;
}

static bool fa_om_latest(const struct fa_om *om, size_t i)
{
	const struct fa_store_row *r = &om->rows.rows[i];

	return *r->dir &&
	       r->run_id == om->targets[om->row_target[i]].latest;
}

static bool fa_om_same(const struct fa_om *om, size_t a, size_t b)
{
	return om->row_target[a] == om->row_target[b] &&
	       !fa_report_group_cmp(&om->rows.rows[a], &om->rows.rows[b]);
}

/* One family: each group of the latest runs once, its median */
static void fa_om_family(FILE *fp, const struct fa_om *om, const char *name,
			 const char *help, const char *unit, bool p99,
			 double *scratch)
{
	const struct fa_store_row *r;
	const struct fa_om_target *t;
	size_t i, k, n;
	char bs[32], qd[32];
	double v;

	fprintf(fp, "# TYPE %s gauge\n", name);
	if (unit)
		fprintf(fp, "# UNIT %s %s\n", name, unit);
	fprintf(fp, "# HELP %s %s\n", name, help);
	for (i = 0; i < om->rows.nr; i++) {
		if (!fa_om_latest(om, i))
			continue;
		for (k = 0; k < i && !(fa_om_latest(om, k) &&
				       fa_om_same(om, k, i)); k++)
			;
		if (k < i)
			continue;	/* the group's first row speaks for it */
		for (n = 0, k = i; k < om->rows.nr; k++) {
			if (!fa_om_latest(om, k) || !fa_om_same(om, k, i))
				continue;
			v = p99 ? om->rows.rows[k].p99 / 1e9 :
				  om->rows.rows[k].iops;
			if (isfinite(v))
				scratch[n++] = v;
		}
		if (!n)
			continue;
		r = &om->rows.rows[i];
		t = &om->targets[om->row_target[i]];
		snprintf(bs, sizeof(bs), "%" PRId64, r->bs);
		snprintf(qd, sizeof(qd), "%" PRId64, r->iodepth);
		fprintf(fp, "%s{", name);
		fa_om_label(fp, "target", t->path, true);
		fa_om_label(fp, "host", r->host, false);
		fa_om_label(fp, "engine", r->engine, false);
		fa_om_label(fp, "mode", r->mode, false);
		fa_om_label(fp, "rw", r->rw, false);
		fa_om_label(fp, "dir", r->dir, false);
		fa_om_label(fp, "bs", bs, false);
		fa_om_label(fp, "iodepth", qd, false);
		fa_om_label(fp, "run", fa_om_run_name(om, r->run_id), false);
		fprintf(fp, "} %.10g\n", fa_median(scratch, n));
	}
}

static void fa_om_guarantees(FILE *fp, const struct fa_om *om)
{
	const struct fa_store_guarantee *g;
	const struct fa_om_target *t;
	size_t i, k;

	fputs("# TYPE fio_atomic_guarantee gauge\n"
	      "# HELP fio_atomic_guarantee 1 when qualify found the guarantee provided, 0 when not provided (not tested: no sample)\n",
	      fp);
	for (i = 0; i < om->nr_g; i++) {
		g = &om->g[i];
		t = &om->targets[om->g_target[i]];
		if (g->run_id != t->latest || !strcmp(g->status, "not_tested"))
			continue;
		/* one sample per label set: the first of a run */
		for (k = 0; k < i; k++)
			if (om->g[k].run_id == g->run_id &&
			    om->g_target[k] == om->g_target[i] &&
			    !strcmp(om->g[k].name, g->name) &&
			    strcmp(om->g[k].status, "not_tested"))
				break;
		if (k < i)
			continue;
		fputs("fio_atomic_guarantee{", fp);
		fa_om_label(fp, "target", t->path, true);
		fa_om_label(fp, "host", g->host, false);
		fa_om_label(fp, "guarantee", g->name, false);
		fa_om_label(fp, "run", fa_om_run_name(om, g->run_id), false);
		fprintf(fp, "} %d\n", !strcmp(g->status, "provided"));
	}
}

int fa_export_openmetrics(struct fa_store *s, const char *file)
{
	struct fa_om om = { .s = s };
	struct fa_store_run *runs = NULL;
	char tmp[4200];
	double *scratch = NULL;
	FILE *fp = NULL;
	int ret;

	ret = fa_store_runs(s, NULL, &runs, &om.nr_runs);
	om.runs = runs;
	if (!ret)
		ret = fa_om_load(&om);
	if (ret)
		goto out;
	scratch = calloc(om.rows.nr + 1, sizeof(*scratch));
	if (!scratch) {
		ret = fa_store_fail(s, -ENOMEM, "out of memory");
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid());
	fp = fopen(tmp, "w");
	if (!fp) {
		fa_tool_path_error("report", tmp, -errno);
		ret = FA_EXIT_ERROR;
		goto out;
	}
	fa_om_family(fp, &om, "fio_atomic_iops",
		     "IOPS of the latest run per target (median of its samples)",
		     NULL, false, scratch);
	fa_om_family(fp, &om, "fio_atomic_clat_p99_seconds",
		     "p99 completion latency of the latest run per target (median of its samples)",
		     "seconds", true, scratch);
	fa_om_guarantees(fp, &om);
	fputs("# EOF\n", fp);
	ret = fflush(fp) || fsync(fileno(fp)) ? -errno : 0;
	if (fclose(fp) && !ret)
		ret = -errno;
	fp = NULL;
	if (!ret && rename(tmp, file))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		fa_tool_path_error("report", file, ret);
		ret = FA_EXIT_ERROR;
		goto out;
	}
	fp = NULL;
	printf("wrote %s: %zu target%s\n", file, om.nr_targets,
	       om.nr_targets == 1 ? "" : "s");
out:
	if (fp) {
		fclose(fp);
		unlink(tmp);
	}
	free(scratch);
	free(om.row_target);
	free(om.g_target);
	free(om.targets);
	free(om.g);
	fa_store_rows_free(&om.rows);
	fa_store_runs_free(runs, om.nr_runs);
	return ret;
}
