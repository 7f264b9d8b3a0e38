// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report export: the table of results with their run, file and
 * context columns that --csv and --json write (report_export.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_util.h"
#include "report.h"
#include "report_export.h"

enum {
	FA_COL_RUN_ID, FA_COL_RUN, FA_COL_RUN_LABEL, FA_COL_RUN_STARTED,
	FA_COL_HOST, FA_COL_JOB, FA_COL_ENGINE, FA_COL_MODE, FA_COL_RW,
	FA_COL_DIR, FA_COL_BS, FA_COL_IODEPTH, FA_COL_NUMJOBS, FA_COL_IOPS,
	FA_COL_BW, FA_COL_P50, FA_COL_P99, FA_COL_P999, FA_COL_PLAIN_IOPS,
	FA_COL_ATOMIC_COST, FA_COL_TORN, FA_COL_INTACT, FA_COL_CHECKED,
	FA_COL_FILE, FA_COL_FILE_KIND,
	FA_COL_CONTEXT,	/* then the context's fields but its host */
};

#define FA_NR_COLS (FA_COL_CONTEXT + FA_CTX_NR_TEXT - 1 + FA_CTX_NR_NUM)

const struct fa_column fa_columns[FA_NR_COLS] = {
	{ "run_id" }, { "run" }, { "run_label" }, { "run_started" },
	{ "host" }, { "job" }, { "engine" }, { "mode" }, { "rw" }, { "dir" },
	{ "bs" }, { "iodepth" }, { "numjobs" }, { "iops" }, { "bw_bytes" },
	{ "clat_p50_ns" }, { "clat_p99_ns" }, { "clat_p999_ns" },
	{ "plain_iops" }, { "atomic_cost" }, { "torn" }, { "intact" },
	{ "checked" }, { "file" }, { "file_kind" },
	{ "kernel" }, { "distro" }, { "fio_version" }, { "build" },
	{ "target_path" }, { "target_kind" }, { "device_name" },
	{ "device_transport" }, { "device_model" }, { "device_serial" },
	{ "device_firmware" }, { "device_source" }, { "fs_type" },
	{ "fs_mountpoint" }, { "fs_source" }, { "fs_options" },
	{ "limits_source" }, { "unit_min" }, { "unit_max" },
	{ "unit_max_opt" }, { "segments_max" },
};

const size_t fa_nr_columns = FA_NR_COLS;

bool fa_cell_text(const struct fa_cell *v, char *buf, size_t len)
{
	switch (v->type) {
	case FA_CELL_INT:
		snprintf(buf, len, "%" PRId64, v->i);
		return true;
	case FA_CELL_REAL:
		snprintf(buf, len, "%.15g", v->d);
		return true;
	case FA_CELL_TEXT:
		snprintf(buf, len, "%s", v->text);
		return true;
	case FA_CELL_NULL:
	default:
		return false;
	}
}

static void fa_set_int(struct fa_cell *c, int64_t v)
{
	c->type = FA_CELL_INT;
	c->i = v;
}

static void fa_set_real(struct fa_cell *c, double v)
{
	if (isfinite(v)) {
		c->type = FA_CELL_REAL;
		c->d = v;
	}
}

/* "" is unknown */
static int fa_set_text(struct fa_cell *c, const char *s)
{
	if (!s || !*s)
		return 0;
	c->text = strdup(s);
	if (!c->text)
		return -ENOMEM;
	c->type = FA_CELL_TEXT;
	return 0;
}

static const struct fa_store_run *fa_run_of(const struct fa_store_run *runs,
					    size_t nr, int64_t id)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (runs[i].id == id)
			return &runs[i];
	return NULL;
}

static int fa_fill_row(struct fa_store *s, struct fa_cell *c,
		       const struct fa_store_row *r,
		       const struct fa_store_run *run,
		       struct fa_store_file_info *file, struct fa_context *ctx,
		       int64_t *ctx_id)
{
	int ret = 0, i, col;

	fa_set_int(&c[FA_COL_RUN_ID], r->run_id);
	if (run) {
		ret |= fa_set_text(&c[FA_COL_RUN], run->name);
		ret |= fa_set_text(&c[FA_COL_RUN_LABEL], run->label);
		fa_set_int(&c[FA_COL_RUN_STARTED], run->started);
	}
	ret |= fa_set_text(&c[FA_COL_HOST], r->host);
	ret |= fa_set_text(&c[FA_COL_JOB], r->job);
	ret |= fa_set_text(&c[FA_COL_ENGINE], r->engine);
	ret |= fa_set_text(&c[FA_COL_MODE], r->mode);
	ret |= fa_set_text(&c[FA_COL_RW], r->rw);
	ret |= fa_set_text(&c[FA_COL_DIR], r->dir);
	fa_set_int(&c[FA_COL_BS], r->bs);
	fa_set_int(&c[FA_COL_IODEPTH], r->iodepth);
	fa_set_int(&c[FA_COL_NUMJOBS], r->numjobs);
	fa_set_real(&c[FA_COL_IOPS], r->iops);
	fa_set_real(&c[FA_COL_BW], r->bw_bytes);
	fa_set_real(&c[FA_COL_P50], r->p50);
	fa_set_real(&c[FA_COL_P99], r->p99);
	fa_set_real(&c[FA_COL_P999], r->p999);
	fa_set_real(&c[FA_COL_PLAIN_IOPS], r->plain_iops);
	fa_set_real(&c[FA_COL_ATOMIC_COST], r->atomic_cost);
	if (r->has_tear) {
		fa_set_int(&c[FA_COL_TORN], r->torn);
		fa_set_int(&c[FA_COL_INTACT], r->intact);
		fa_set_int(&c[FA_COL_CHECKED], r->checked);
	}
	if (file->id != r->file_id && fa_store_file(s, r->file_id, file))
		return -EIO;
	ret |= fa_set_text(&c[FA_COL_FILE], file->path);
	ret |= fa_set_text(&c[FA_COL_FILE_KIND], file->kind);
	if (!r->context_id)
		return ret ? -ENOMEM : 0;
	if (*ctx_id != r->context_id) {
		if (fa_store_context(s, r->context_id, ctx))
			return -EIO;
		*ctx_id = r->context_id;
	}
	col = FA_COL_CONTEXT;
	for (i = 0; i < FA_CTX_NR_TEXT; i++)
		if (i != FA_CTX_HOST)
			ret |= fa_set_text(&c[col++], ctx->text[i]);
	for (i = 0; i < FA_CTX_NR_NUM; i++, col++)
		if (ctx->num[i] >= 0)
			fa_set_int(&c[col], ctx->num[i]);
	return ret ? -ENOMEM : 0;
}

int fa_export_load(struct fa_store *s, int64_t run_id,
		   struct fa_export_table *t)
{
	struct fa_store_file_info file = { 0 };
	struct fa_store_rows rows = { 0 };
	struct fa_store_run *runs = NULL;
	struct fa_context ctx;
	int64_t ctx_id = 0;
	size_t nr_runs = 0, i;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = fa_store_runs(s, NULL, &runs, &nr_runs);
	if (!ret)
		ret = fa_store_rows(s, &run_id, run_id ? 1 : 0, &rows);
	if (ret)
		goto out;
	t->cells = calloc(rows.nr * fa_nr_columns + 1, sizeof(*t->cells));
	if (!t->cells) {
		ret = fa_store_fail(s, -ENOMEM, "out of memory");
		goto out;
	}
	t->nr = rows.nr;
	for (i = 0; i < rows.nr && !ret; i++) {
		ret = fa_fill_row(s, &t->cells[i * fa_nr_columns],
				  &rows.rows[i],
				  fa_run_of(runs, nr_runs, rows.rows[i].run_id),
				  &file, &ctx, &ctx_id);
		if (ret == -ENOMEM)
			fa_store_fail(s, ret, "out of memory");
	}
out:
	if (ret)
		fa_export_free(t);
	fa_store_rows_free(&rows);
	fa_store_runs_free(runs, nr_runs);
	return ret;
}

void fa_export_free(struct fa_export_table *t)
{
	size_t i;

	for (i = 0; t->cells && i < t->nr * fa_nr_columns; i++)
		free(t->cells[i].text);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
