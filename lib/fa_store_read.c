// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: reading the results database back (fa_store.h): runs, with
 * filters; a run by name or id; result rows; files; contexts; guarantees.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fa_store.h"
#include "fa_util.h"

static char *fa_col_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return strdup(s ? (const char *)s : "");
}

static char *fa_col_strdup_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	return fa_col_strdup(st, col);
}

static void fa_col_copy(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	fa_strlcpy(buf, s ? (const char *)s : "", len);
}

static double fa_col_double(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

static int fa_prepare(struct fa_store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot read");
	return 0;
}

static int fa_done(struct fa_store *s, sqlite3_stmt *st, int rc)
{
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return fa_store_fail(s, -ENOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return fa_store_sql_fail(s, "cannot read");
	return 0;
}

/*
 * A run with what it holds. The filters bind ?1 target, ?2 host,
 * ?3 kernel, ?4 since, ?5 until, each NULL for any.
 */
#define FA_RUN_COLUMNS							\
	"SELECT r.id, r.name, r.label, r.created,"			\
	" COALESCE((SELECT min(started) FROM files WHERE run_id = r.id),"	\
	"          r.created) AS started,"				\
	" (SELECT count(*) FROM results WHERE run_id = r.id),"	\
	" (SELECT count(*) FROM files WHERE run_id = r.id),"		\
	" (SELECT group_concat(h, ', ') FROM (SELECT host AS h FROM results"	\
	"   WHERE run_id = r.id UNION SELECT host FROM contexts"	\
	"   WHERE run_id = r.id AND host IS NOT NULL"			\
	"   UNION SELECT host FROM guarantees WHERE run_id = r.id)),"	\
	" (SELECT group_concat(k, ', ') FROM (SELECT DISTINCT kernel AS k"	\
	"   FROM contexts WHERE run_id = r.id AND kernel IS NOT NULL)),"	\
	" (SELECT group_concat(t, ', ') FROM (SELECT DISTINCT target_path AS t"	\
	"   FROM contexts WHERE run_id = r.id AND target_path IS NOT NULL))"	\
	" FROM runs r"

static const char fa_runs_sql[] =
	"SELECT * FROM (" FA_RUN_COLUMNS ") AS x WHERE"
	" (?1 IS NULL OR EXISTS (SELECT 1 FROM contexts c WHERE c.run_id = x.id"
	"   AND c.target_path = ?1))"
	" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM results WHERE run_id = x.id"
	"   AND host = ?2) OR EXISTS (SELECT 1 FROM contexts WHERE"
	"   run_id = x.id AND host = ?2) OR EXISTS (SELECT 1 FROM guarantees"
	"   WHERE run_id = x.id AND host = ?2))"
	" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM contexts WHERE"
	"   run_id = x.id AND kernel = ?3))"
	" AND (?4 IS NULL OR started >= ?4)"
	" AND (?5 IS NULL OR started <= ?5)"
	" ORDER BY id";

static void fa_read_run(sqlite3_stmt *st, struct fa_store_run *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->name = fa_col_strdup(st, 1);
	r->label = fa_col_strdup_null(st, 2);
	r->created = sqlite3_column_int64(st, 3);
	r->started = sqlite3_column_int64(st, 4);
	r->nr_rows = sqlite3_column_int64(st, 5);
	r->nr_files = sqlite3_column_int64(st, 6);
	r->hosts = fa_col_strdup(st, 7);
	r->kernels = fa_col_strdup(st, 8);
	r->targets = fa_col_strdup(st, 9);
}

static void fa_bind_opt_text(sqlite3_stmt *st, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(st, col, v, -1, SQLITE_TRANSIENT);
}

int fa_store_runs(struct fa_store *s, const struct fa_store_run_filter *filter,
		  struct fa_store_run **runs, size_t *nr)
{
	struct fa_store_run *r = NULL, *n;
	sqlite3_stmt *st;
	size_t count = 0;
	int rc, ret;

	*runs = NULL;
	*nr = 0;
	ret = fa_prepare(s, fa_runs_sql, &st);
	if (ret)
		return ret;
	if (filter) {
		fa_bind_opt_text(st, 1, filter->target);
		fa_bind_opt_text(st, 2, filter->host);
		fa_bind_opt_text(st, 3, filter->kernel);
		if (filter->since)
			sqlite3_bind_int64(st, 4, filter->since);
		if (filter->until)
			sqlite3_bind_int64(st, 5, filter->until);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = realloc(r, (count + 1) * sizeof(*r));
		if (!n) {
			rc = SQLITE_NOMEM;
			break;
		}
		r = n;
		fa_read_run(st, &r[count++]);
	}
	*runs = r;
	*nr = count;
	ret = fa_done(s, st, rc);
	if (ret) {
		fa_store_runs_free(r, count);
		*runs = NULL;
		*nr = 0;
	}
	return ret;
}

void fa_store_run_free(struct fa_store_run *r)
{
	free(r->name);
	free(r->label);
	free(r->hosts);
	free(r->kernels);
	free(r->targets);
	memset(r, 0, sizeof(*r));
}

void fa_store_runs_free(struct fa_store_run *runs, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		fa_store_run_free(&runs[i]);
	free(runs);
}

int fa_store_find_run(struct fa_store *s, const char *ref,
		      struct fa_store_run *out)
{
	static const char by_name[] = FA_RUN_COLUMNS " WHERE r.name = ?1";
	static const char by_id[] = FA_RUN_COLUMNS " WHERE r.id = ?1";
	static const char latest[] = FA_RUN_COLUMNS
		" ORDER BY r.id DESC LIMIT 1";
	const char *sqls[3];
	sqlite3_stmt *st;
	int i, n = 0, rc, ret;
	char *end;
	long long id;

	memset(out, 0, sizeof(*out));
	sqls[n++] = by_name;
	id = strtoll(ref, &end, 10);
	if (*ref && !*end && id > 0)
		sqls[n++] = by_id;
	if (!strcmp(ref, "latest"))
		sqls[n++] = latest;
	for (i = 0; i < n; i++) {
		ret = fa_prepare(s, sqls[i], &st);
		if (ret)
			return ret;
		if (sqls[i] == by_id)
			sqlite3_bind_int64(st, 1, id);
		else if (sqls[i] == by_name)
			sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			fa_read_run(st, out);
			sqlite3_finalize(st);
			return 0;
		}
		ret = fa_done(s, st, rc);
		if (ret)
			return ret;
	}
	return fa_store_fail(s, -ENOENT, "no run '%s' (neither a run name nor a run id%s)",
			     ref, strcmp(ref, "latest") ? "" : "; the database has no runs");
}

static const char fa_rows_sql[] =
	"SELECT id, run_id, file_id, COALESCE(context_id, 0), host, job,"
	" engine, COALESCE(mode, ''), rw, dir, bs, iodepth, numjobs, iops,"
	" bw_bytes, clat_p50_ns, clat_p99_ns, clat_p999_ns, plain_iops,"
	" atomic_cost, torn, intact, checked"
	" FROM results ORDER BY id";

static bool fa_id_wanted(int64_t id, const int64_t *ids, size_t nr)
{
	size_t i;

	if (!nr)
		return true;
	for (i = 0; i < nr; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void fa_read_row(sqlite3_stmt *st, struct fa_store_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->run_id = sqlite3_column_int64(st, 1);
	r->file_id = sqlite3_column_int64(st, 2);
	r->context_id = sqlite3_column_int64(st, 3);
	r->host = fa_col_strdup(st, 4);
	r->job = fa_col_strdup(st, 5);
	r->engine = fa_col_strdup(st, 6);
	r->mode = fa_col_strdup(st, 7);
	r->rw = fa_col_strdup(st, 8);
	r->dir = fa_col_strdup(st, 9);
	r->bs = sqlite3_column_int64(st, 10);
	r->iodepth = sqlite3_column_int64(st, 11);
	r->numjobs = sqlite3_column_int64(st, 12);
	r->iops = fa_col_double(st, 13);
	r->bw_bytes = fa_col_double(st, 14);
	r->p50 = fa_col_double(st, 15);
	r->p99 = fa_col_double(st, 16);
	r->p999 = fa_col_double(st, 17);
	r->plain_iops = fa_col_double(st, 18);
	r->atomic_cost = fa_col_double(st, 19);
	r->has_tear = sqlite3_column_type(st, 20) != SQLITE_NULL;
	r->torn = sqlite3_column_int64(st, 20);
	r->intact = sqlite3_column_int64(st, 21);
	r->checked = sqlite3_column_int64(st, 22);
}

int fa_store_rows(struct fa_store *s, const int64_t *ids, size_t nr_ids,
		  struct fa_store_rows *out)
{
	struct fa_store_row *r, *rows = NULL;
	size_t nr = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, ret;

	out->rows = NULL;
	out->nr = 0;
	ret = fa_prepare(s, fa_rows_sql, &st);
	if (ret)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!fa_id_wanted(sqlite3_column_int64(st, 1), ids, nr_ids))
			continue;
		if (nr == cap) {
			cap = cap ? cap * 2 : 64;
			r = realloc(rows, cap * sizeof(*rows));
			if (!r) {
				rc = SQLITE_NOMEM;
				break;
			}
			rows = r;
		}
		fa_read_row(st, &rows[nr++]);
	}
	out->rows = rows;
	out->nr = nr;
	ret = fa_done(s, st, rc);
	if (ret)
		fa_store_rows_free(out);
	return ret;
}

void fa_store_rows_free(struct fa_store_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->nr; i++) {
		free(rows->rows[i].host);
		free(rows->rows[i].job);
		free(rows->rows[i].engine);
		free(rows->rows[i].mode);
		free(rows->rows[i].rw);
		free(rows->rows[i].dir);
	}
	free(rows->rows);
	rows->rows = NULL;
	rows->nr = 0;
}

int fa_store_file(struct fa_store *s, int64_t file_id,
		  struct fa_store_file_info *out)
{
	sqlite3_stmt *st;
	int rc, ret;

	memset(out, 0, sizeof(*out));
	ret = fa_prepare(s, "SELECT id, run_id, path, kind, COALESCE(started, 0) FROM files WHERE id = ?",
			 &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, file_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->run_id = sqlite3_column_int64(st, 1);
		fa_col_copy(st, 2, out->path, sizeof(out->path));
		fa_col_copy(st, 3, out->kind, sizeof(out->kind));
		out->started = sqlite3_column_int64(st, 4);
		sqlite3_finalize(st);
		return 0;
	}
	ret = fa_done(s, st, rc);
	return ret ? ret : fa_store_fail(s, -ENOENT, "no file %" PRId64,
					 file_id);
}

/* The context columns in the order of enum fa_ctx_text, then fa_ctx_num */
static const char fa_ctx_columns[] =
	"host, kernel, distro, fio_version, build, target_path, target_kind,"
	" device_name, device_transport, device_model, device_serial,"
	" device_firmware, device_source, fs_type, fs_mountpoint, fs_source,"
	" fs_options, limits_source, unit_min, unit_max, unit_max_opt,"
	" segments_max";

static void fa_read_context(sqlite3_stmt *st, int col0, struct fa_context *c)
{
	int i;

	for (i = 0; i < FA_CTX_NR_TEXT; i++)
		fa_col_copy(st, col0 + i, c->text[i], sizeof(c->text[i]));
	for (i = 0; i < FA_CTX_NR_NUM; i++)
		c->num[i] = sqlite3_column_type(st, col0 + FA_CTX_NR_TEXT + i) ==
				    SQLITE_NULL ? -1 :
			    sqlite3_column_int64(st, col0 + FA_CTX_NR_TEXT + i);
}

int fa_store_context(struct fa_store *s, int64_t context_id,
		     struct fa_context *out)
{
	char sql[512];
	sqlite3_stmt *st;
	int rc, ret;

	snprintf(sql, sizeof(sql), "SELECT %s FROM contexts WHERE id = ?",
		 fa_ctx_columns);
	ret = fa_prepare(s, sql, &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, context_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fa_read_context(st, 0, out);
		sqlite3_finalize(st);
		return 0;
	}
	ret = fa_done(s, st, rc);
	return ret ? ret : fa_store_fail(s, -ENOENT, "no context %" PRId64,
					 context_id);
}

int fa_store_run_contexts(struct fa_store *s, int64_t run_id,
			  struct fa_context **out, size_t *nr)
{
	struct fa_context *c = NULL, *n;
	char sql[640];
	sqlite3_stmt *st;
	size_t count = 0;
	int rc, ret;

	*out = NULL;
	*nr = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT DISTINCT %s FROM contexts WHERE run_id = ? ORDER BY host, target_path",
		 fa_ctx_columns);
	ret = fa_prepare(s, sql, &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = realloc(c, (count + 1) * sizeof(*c));
		if (!n) {
			rc = SQLITE_NOMEM;
			break;
		}
		c = n;
		fa_read_context(st, 0, &c[count++]);
	}
	ret = fa_done(s, st, rc);
	if (ret) {
		free(c);
		return ret;
	}
	*out = c;
	*nr = count;
	return 0;
}

int fa_store_guarantees(struct fa_store *s, int64_t run_id,
			struct fa_store_guarantee **out, size_t *nr)
{
	struct fa_store_guarantee *g = NULL, *n, *x;
	sqlite3_stmt *st;
	size_t count = 0;
	int rc, ret;

	*out = NULL;
	*nr = 0;
	ret = fa_prepare(s,
		"SELECT id, run_id, COALESCE(context_id, 0), host, guarantee, status,"
		" reason, trials, failures, upper95, control_trials,"
		" control_failures FROM guarantees WHERE ?1 = 0 OR run_id = ?1"
		" ORDER BY id", &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = realloc(g, (count + 1) * sizeof(*g));
		if (!n) {
			rc = SQLITE_NOMEM;
			break;
		}
		g = n;
		x = &g[count++];
		memset(x, 0, sizeof(*x));
		x->id = sqlite3_column_int64(st, 0);
		x->run_id = sqlite3_column_int64(st, 1);
		x->context_id = sqlite3_column_int64(st, 2);
		fa_col_copy(st, 3, x->host, sizeof(x->host));
		fa_col_copy(st, 4, x->name, sizeof(x->name));
		fa_col_copy(st, 5, x->status, sizeof(x->status));
		fa_col_copy(st, 6, x->reason, sizeof(x->reason));
		x->has_counts = sqlite3_column_type(st, 7) != SQLITE_NULL;
		x->trials = (uint64_t)sqlite3_column_int64(st, 7);
		x->failures = (uint64_t)sqlite3_column_int64(st, 8);
		x->upper95 = fa_col_double(st, 9);
		x->has_control = sqlite3_column_type(st, 10) != SQLITE_NULL;
		x->control_trials = (uint64_t)sqlite3_column_int64(st, 10);
		x->control_failures = (uint64_t)sqlite3_column_int64(st, 11);
	}
	ret = fa_done(s, st, rc);
	if (ret) {
		free(g);
		return ret;
	}
	*out = g;
	*nr = count;
	return 0;
}
