// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: one ingest into the results database (fa_store.h): files
 * already stored are recognised by their content hash, the engines' job
 * reports join fio's rows of their job, and everything new is inserted
 * in one transaction: the run, each file, its contexts, its rows, its
 * guarantees and their points.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "fa_store.h"
#include "fa_util.h"

/* per row of each file: not inserted (folded into fio's rows, or empty) */
struct fa_ingest {
	struct fa_store *s;
	struct fa_store_file *files;
	size_t nr;
	bool **skip;
	const char *host_given;
	sqlite3_stmt *find, *run_add, *run_id, *file_add, *ctx_add, *row_add,
		*g_add, *gp_add;
};

/* The index of a context equal to @c in @f, added when new; -errno */
static int fa_context_into(struct fa_result_file *f,
			   const struct fa_context *c)
{
	struct fa_context *n;
	size_t i;

	for (i = 0; i < f->nr_contexts; i++)
		if (!memcmp(&f->contexts[i], c, sizeof(*c)))
			return (int)i;
	n = realloc(f->contexts, (f->nr_contexts + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	f->contexts = n;
	f->contexts[f->nr_contexts] = *c;
	return (int)f->nr_contexts++;
}

static bool fa_live(const struct fa_store_file *f, enum fa_result_kind kind)
{
	return !f->duplicate && f->parsed.kind == kind;
}

/*
 * fio's rows of job @t->job from this ingest: of @t's host; when none
 * is, of the host the user named; else, when the job ran on one host
 * only, that host's (a job report names its host by uname, fio by the
 * address it was given).
 */
static bool fa_row_of(const struct fa_result *r, const struct fa_result *t,
		      const char *host)
{
	return !strcmp(r->job, t->job) && (!host || !strcmp(r->host, host));
}

static const char *fa_job_host(struct fa_ingest *in, const struct fa_result *t)
{
	const char *host = NULL;
	bool given = false;
	size_t k, l;

	for (k = 0; k < in->nr; k++) {
		if (!fa_live(&in->files[k], FA_RESULT_FIO))
			continue;
		for (l = 0; l < in->files[k].parsed.nr_rows; l++) {
			const struct fa_result *r = &in->files[k].parsed.rows[l];

			if (!fa_row_of(r, t, NULL))
				continue;
			if (!strcmp(r->host, t->host))
				return t->host;
			if (in->host_given && !strcmp(r->host, in->host_given))
				given = true;
			if (host && strcmp(host, r->host))
				host = "";	/* several other hosts */
			else
				host = r->host;
		}
	}
	if (given)
		return in->host_given;
	return host && *host ? host : NULL;
}

static int fa_join_one(struct fa_ingest *in, struct fa_store_file *tf,
		       size_t j)
{
	const struct fa_result *t = &tf->parsed.rows[j];
	const char *host = fa_job_host(in, t);
	struct fa_result *r, *best = NULL;
	bool found = false;
	size_t k, l;
	int idx;

	if (!host)
		return 0;
	for (k = 0; k < in->nr; k++) {
		struct fa_result_file *f = &in->files[k].parsed;

		if (!fa_live(&in->files[k], FA_RESULT_FIO))
			continue;
		for (l = 0; l < f->nr_rows; l++) {
			r = &f->rows[l];
			if (!fa_row_of(r, t, host))
				continue;
			found = true;
			if (t->context >= 0 && r->context < 0) {
				idx = fa_context_into(f,
					&tf->parsed.contexts[t->context]);
				if (idx < 0)
					return idx;
				r->context = idx;
			}
			/* readers judge the units: the read row first */
			if (!best || (!strcmp(r->dir, "read") &&
				      strcmp(best->dir, "read")))
				best = r;
		}
	}
	if (!found)
		return 0;
	if (t->has_tear) {
		best->has_tear = true;
		best->torn += t->torn;
		best->intact += t->intact;
		best->checked += t->checked;
	}
	in->skip[tf - in->files][j] = true;
	return 0;
}

static int fa_join_job_reports(struct fa_ingest *in)
{
	struct fa_store_file *tf;
	size_t i, j;
	int ret;

	for (i = 0; i < in->nr; i++) {
		tf = &in->files[i];
		if (!fa_live(tf, FA_RESULT_TEAR))
			continue;
		for (j = 0; j < tf->parsed.nr_rows; j++) {
			ret = fa_join_one(in, tf, j);
			if (ret)
				return ret;
			/* a context alone, of no fio row here: nothing to add */
			if (!tf->parsed.rows[j].has_tear)
				in->skip[i][j] = true;
		}
	}
	return 0;
}

static const char *fa_kind_name(enum fa_result_kind kind)
{
	switch (kind) {
	case FA_RESULT_FIO:
		return "fio";
	case FA_RESULT_TEAR:
		return "tear";
	case FA_RESULT_FLEET:
		return "fleet";
	case FA_RESULT_QUALIFY:
	default:
		return "qualify";
	}
}

static void fa_bind_double(sqlite3_stmt *st, int col, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, col, v);
	else
		sqlite3_bind_null(st, col);
}

/* "" is unknown: NULL */
static void fa_bind_text(sqlite3_stmt *st, int col, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, col, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

static int fa_step(struct fa_ingest *in, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : fa_store_sql_fail(in->s, "cannot insert");
}

static int fa_prepare(struct fa_ingest *in)
{
	static const struct {
		size_t off;
		const char *sql;
	} stmts[] = {
		{ offsetof(struct fa_ingest, find),
		  "SELECT runs.name FROM files JOIN runs ON runs.id = files.run_id WHERE hash = ?" },
		{ offsetof(struct fa_ingest, run_add),
		  "INSERT OR IGNORE INTO runs (name, created) VALUES (?, ?)" },
		{ offsetof(struct fa_ingest, run_id),
		  "SELECT id FROM runs WHERE name = ?" },
		{ offsetof(struct fa_ingest, file_add),
		  "INSERT INTO files (run_id, path, hash, kind, fio_version, started, ingested) VALUES (?, ?, ?, ?, ?, ?, ?)" },
		{ offsetof(struct fa_ingest, ctx_add),
		  "INSERT INTO contexts (run_id, file_id, host, kernel, distro, fio_version, build, target_path, target_kind, device_name, device_transport, device_model, device_serial, device_firmware, device_source, fs_type, fs_mountpoint, fs_source, fs_options, limits_source, unit_min, unit_max, unit_max_opt, segments_max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
		{ offsetof(struct fa_ingest, row_add),
		  "INSERT INTO results (run_id, file_id, host, job, engine, rw, dir, bs, iodepth, numjobs, iops, bw_bytes, clat_p50_ns, clat_p99_ns, clat_p999_ns, torn, intact, checked, mode, plain_iops, atomic_cost, iops_spread, context_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
		{ offsetof(struct fa_ingest, g_add),
		  "INSERT INTO guarantees (run_id, file_id, context_id, host, guarantee, status, reason, trials, failures, upper95, control_trials, control_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
		{ offsetof(struct fa_ingest, gp_add),
		  "INSERT INTO guarantee_points (guarantee_id, engine, size, trials, failures) VALUES (?, ?, ?, ?, ?)" },
	};
	size_t i;

	for (i = 0; i < FA_ARRAY_SIZE(stmts); i++)
		if (sqlite3_prepare_v2(in->s->db, stmts[i].sql, -1,
				       (sqlite3_stmt **)((char *)in + stmts[i].off),
				       NULL) != SQLITE_OK)
			return fa_store_sql_fail(in->s, "cannot prepare an insert");
	return 0;
}

static void fa_finalize(struct fa_ingest *in)
{
	sqlite3_finalize(in->find);
	sqlite3_finalize(in->run_add);
	sqlite3_finalize(in->run_id);
	sqlite3_finalize(in->file_add);
	sqlite3_finalize(in->ctx_add);
	sqlite3_finalize(in->row_add);
	sqlite3_finalize(in->g_add);
	sqlite3_finalize(in->gp_add);
}

static int fa_find_duplicates(struct fa_ingest *in)
{
	const unsigned char *name;
	size_t i;
	int rc;

	for (i = 0; i < in->nr; i++) {
		sqlite3_bind_text(in->find, 1, in->files[i].hash, -1,
				  SQLITE_TRANSIENT);
		rc = sqlite3_step(in->find);
		if (rc == SQLITE_ROW) {
			name = sqlite3_column_text(in->find, 0);
			in->files[i].duplicate = true;
			fa_strlcpy(in->files[i].duplicate_run,
				   name ? (const char *)name : "",
				   sizeof(in->files[i].duplicate_run));
		}
		sqlite3_reset(in->find);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return fa_store_sql_fail(in->s, "cannot look up a file");
	}
	return 0;
}

static int fa_insert_context(struct fa_ingest *in, int64_t run_id,
			     int64_t file_id, const struct fa_context *c)
{
	sqlite3_stmt *st = in->ctx_add;
	int i;

	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, file_id);
	for (i = 0; i < FA_CTX_NR_TEXT; i++)
		fa_bind_text(st, 3 + i, c->text[i]);
	for (i = 0; i < FA_CTX_NR_NUM; i++)
		if (c->num[i] >= 0)
			sqlite3_bind_int64(st, 3 + FA_CTX_NR_TEXT + i, c->num[i]);
	return fa_step(in, st);
}

static int fa_insert_row(struct fa_ingest *in, int64_t run_id,
			 int64_t file_id, const struct fa_result *r,
			 const int64_t *ctx_ids)
{
	sqlite3_stmt *st = in->row_add;

	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, file_id);
	sqlite3_bind_text(st, 3, r->host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, r->job, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, r->engine, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, r->rw, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, r->dir, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, (int64_t)r->bs);
	sqlite3_bind_int64(st, 9, r->iodepth);
	sqlite3_bind_int64(st, 10, r->numjobs);
	fa_bind_double(st, 11, r->iops);
	fa_bind_double(st, 12, r->bw_bytes);
	fa_bind_double(st, 13, r->clat_p50_ns);
	fa_bind_double(st, 14, r->clat_p99_ns);
	fa_bind_double(st, 15, r->clat_p999_ns);
	if (r->has_tear) {
		sqlite3_bind_int64(st, 16, (int64_t)r->torn);
		sqlite3_bind_int64(st, 17, (int64_t)r->intact);
		sqlite3_bind_int64(st, 18, (int64_t)r->checked);
	}
	fa_bind_text(st, 19, r->mode);
	fa_bind_double(st, 20, r->plain_iops);
	fa_bind_double(st, 21, r->atomic_cost);
	fa_bind_double(st, 22, r->iops_spread);
	if (r->context >= 0)
		sqlite3_bind_int64(st, 23, ctx_ids[r->context]);
	return fa_step(in, st);
}

static int fa_insert_guarantee(struct fa_ingest *in, int64_t run_id,
			       int64_t file_id,
			       const struct fa_result_file *f,
			       const struct fa_result_guarantee *g,
			       const int64_t *ctx_ids)
{
	sqlite3_stmt *st = in->g_add;
	int64_t id;
	size_t k;
	int ret;

	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, file_id);
	if (g->context >= 0)
		sqlite3_bind_int64(st, 3, ctx_ids[g->context]);
	sqlite3_bind_text(st, 4, g->host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, g->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, g->status, -1, SQLITE_TRANSIENT);
	fa_bind_text(st, 7, g->reason);
	if (g->has_counts) {
		sqlite3_bind_int64(st, 8, (int64_t)g->trials);
		sqlite3_bind_int64(st, 9, (int64_t)g->failures);
	}
	fa_bind_double(st, 10, g->upper95);
	if (g->has_control) {
		sqlite3_bind_int64(st, 11, (int64_t)g->control_trials);
		sqlite3_bind_int64(st, 12, (int64_t)g->control_failures);
	}
	ret = fa_step(in, st);
	if (ret)
		return ret;
	id = sqlite3_last_insert_rowid(in->s->db);
	for (k = g->first_point; k < g->first_point + g->nr_points; k++) {
		const struct fa_result_gpoint *p = &f->gpoints[k];

		sqlite3_bind_int64(in->gp_add, 1, id);
		sqlite3_bind_text(in->gp_add, 2, p->engine, -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(in->gp_add, 3, (int64_t)p->size);
		sqlite3_bind_int64(in->gp_add, 4, (int64_t)p->trials);
		sqlite3_bind_int64(in->gp_add, 5, (int64_t)p->failures);
		ret = fa_step(in, in->gp_add);
		if (ret)
			return ret;
	}
	return 0;
}

static int fa_run_id(struct fa_ingest *in, const char *run, int64_t now,
		     int64_t *run_id)
{
	int ret;

	sqlite3_bind_text(in->run_add, 1, run, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(in->run_add, 2, now);
	ret = fa_step(in, in->run_add);
	if (ret)
		return ret;
	sqlite3_bind_text(in->run_id, 1, run, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(in->run_id) != SQLITE_ROW) {
		sqlite3_reset(in->run_id);
		return fa_store_sql_fail(in->s, "cannot find the run");
	}
	*run_id = sqlite3_column_int64(in->run_id, 0);
	sqlite3_reset(in->run_id);
	return 0;
}

static int fa_insert_file(struct fa_ingest *in, size_t i, int64_t run_id,
			  int64_t now, struct fa_store_ingest_stats *stats)
{
	const struct fa_result_file *p = &in->files[i].parsed;
	sqlite3_stmt *st = in->file_add;
	int64_t file_id, *ctx_ids;
	size_t j;
	int ret;

	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, in->files[i].path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, in->files[i].hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, fa_kind_name(p->kind), -1, SQLITE_STATIC);
	fa_bind_text(st, 5, p->fio_version);
	if (p->timestamp)
		sqlite3_bind_int64(st, 6, p->timestamp);
	sqlite3_bind_int64(st, 7, now);
	ret = fa_step(in, st);
	if (ret)
		return ret;
	file_id = sqlite3_last_insert_rowid(in->s->db);
	stats->files++;
	ctx_ids = calloc(p->nr_contexts + 1, sizeof(*ctx_ids));
	if (!ctx_ids)
		return fa_store_fail(in->s, -ENOMEM, "out of memory");
	for (j = 0; j < p->nr_contexts && !ret; j++) {
		ret = fa_insert_context(in, run_id, file_id, &p->contexts[j]);
		ctx_ids[j] = sqlite3_last_insert_rowid(in->s->db);
		stats->contexts++;
	}
	for (j = 0; j < p->nr_rows && !ret; j++) {
		if (in->skip[i][j])
			continue;
		ret = fa_insert_row(in, run_id, file_id, &p->rows[j], ctx_ids);
		stats->rows++;
		if (!ret && stats->after_row)
			stats->after_row(stats->rows, stats->arg);
	}
	for (j = 0; j < p->nr_guarantees && !ret; j++) {
		ret = fa_insert_guarantee(in, run_id, file_id, p,
					  &p->guarantees[j], ctx_ids);
		stats->guarantees++;
	}
	free(ctx_ids);
	return ret;
}

int fa_store_ingest(struct fa_store *s, const char *run,
		    struct fa_store_file *files, size_t nr,
		    struct fa_store_ingest_stats *stats)
{
	struct fa_ingest in = { .s = s, .files = files, .nr = nr,
				.host_given = stats->host_given };
	int64_t now = (int64_t)time(NULL), run_id = -1;
	size_t i;
	int ret;

	stats->rows = stats->files = stats->contexts = stats->guarantees = 0;
	in.skip = calloc(nr + 1, sizeof(*in.skip));
	if (!in.skip)
		return fa_store_fail(s, -ENOMEM, "out of memory");
	for (i = 0; i < nr; i++) {
		in.skip[i] = calloc(files[i].parsed.nr_rows + 1, sizeof(bool));
		if (!in.skip[i]) {
			ret = fa_store_fail(s, -ENOMEM, "out of memory");
			goto out;
		}
	}
	ret = fa_store_begin(s);
	if (ret)
		goto out;
	ret = fa_prepare(&in);
	if (!ret)
		ret = fa_find_duplicates(&in);
	if (!ret)
		ret = fa_join_job_reports(&in);
	if (ret == -ENOMEM)
		fa_store_fail(s, ret, "out of memory");
	for (i = 0; i < nr && !ret; i++) {
		if (files[i].duplicate)
			continue;
		if (run_id < 0)
			ret = fa_run_id(&in, run, now, &run_id);
		if (!ret)
			ret = fa_insert_file(&in, i, run_id, now, stats);
	}
	fa_finalize(&in);
	if (!ret)
		ret = fa_store_commit(s);
	else
		fa_store_rollback(s);
out:
	for (i = 0; i < nr; i++)
		free(in.skip[i]);
	free(in.skip);
	if (ret)
		stats->rows = stats->files = stats->contexts =
			stats->guarantees = 0;
	return ret;
}
