// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: runs as objects in the results database (fa_store.h): a
 * run's label, deleting a run with everything ingested under it, and
 * named baselines (sets of runs to compare against). Each change is one
 * transaction.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "fa_store.h"

/* Runs @sql with ?1 bound to @id */
static int fa_exec_id(struct fa_store *s, const char *sql, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot change the database");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 :
		fa_store_sql_fail(s, "cannot change the database");
}

static int fa_finish(struct fa_store *s, int ret)
{
	if (ret) {
		fa_store_rollback(s);
		return ret;
	}
	return fa_store_commit(s);
}

int fa_store_label(struct fa_store *s, int64_t run_id, const char *label)
{
	sqlite3_stmt *st;
	int ret, rc;

	ret = fa_store_begin(s);
	if (ret)
		return ret;
	if (sqlite3_prepare_v2(s->db, "UPDATE runs SET label = ?2 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return fa_finish(s, fa_store_sql_fail(s, "cannot label the run"));
	sqlite3_bind_int64(st, 1, run_id);
	if (label && *label)
		sqlite3_bind_text(st, 2, label, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		ret = fa_store_sql_fail(s, "cannot label the run");
	else if (!sqlite3_changes(s->db))
		ret = fa_store_fail(s, -ENOENT, "no run %" PRId64, run_id);
	return fa_finish(s, ret);
}

/* ", "-joined names of the baselines holding run ?1 */
static int fa_baselines_of(struct fa_store *s, int64_t run_id, char **out)
{
	sqlite3_stmt *st;
	const unsigned char *v;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(s->db,
			"SELECT group_concat(name, ', ') FROM (SELECT b.name FROM baselines b"
			" JOIN baseline_runs br ON br.baseline_id = b.id"
			" WHERE br.run_id = ?1 ORDER BY b.name)",
			-1, &st, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot read the baselines");
	sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	*out = strdup(v ? (const char *)v : "");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fa_store_sql_fail(s, "cannot read the baselines");
	return *out ? 0 : fa_store_fail(s, -ENOMEM, "out of memory");
}

int fa_store_delete_run(struct fa_store *s, int64_t run_id, char **baselines)
{
	static const char *const steps[] = {
		"DELETE FROM baseline_runs WHERE run_id = ?1",
		("DELETE FROM guarantee_points WHERE guarantee_id IN"
		 " (SELECT id FROM guarantees WHERE run_id = ?1)"),
		"DELETE FROM guarantees WHERE run_id = ?1",
		"DELETE FROM results WHERE run_id = ?1",
		"DELETE FROM contexts WHERE run_id = ?1",
		"DELETE FROM files WHERE run_id = ?1",
		"DELETE FROM runs WHERE id = ?1",
	};
	char *names = NULL;
	size_t i;
	int ret;

	if (baselines)
		*baselines = NULL;
	ret = fa_store_begin(s);
	if (ret)
		return ret;
	ret = fa_baselines_of(s, run_id, &names);
	for (i = 0; !ret && i < sizeof(steps) / sizeof(steps[0]); i++)
		ret = fa_exec_id(s, steps[i], run_id);
	if (!ret && !sqlite3_changes(s->db))
		ret = fa_store_fail(s, -ENOENT, "no run %" PRId64, run_id);
	ret = fa_finish(s, ret);
	if (!ret && baselines)
		*baselines = names;
	else
		free(names);
	return ret;
}

int fa_store_baseline_set(struct fa_store *s, const char *name,
			  const int64_t *run_ids, size_t nr, bool *replaced)
{
	sqlite3_stmt *st = NULL;
	int64_t id;
	size_t i;
	int ret, rc;

	*replaced = false;
	ret = fa_store_begin(s);
	if (ret)
		return ret;
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM baselines WHERE name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return fa_finish(s, fa_store_sql_fail(s, "cannot set the baseline"));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*replaced = true;
		id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		ret = fa_exec_id(s, "DELETE FROM baseline_runs WHERE baseline_id = ?1",
				 id);
		if (!ret)
			ret = fa_exec_id(s, "UPDATE baselines SET created = strftime('%s', 'now') WHERE id = ?1",
					 id);
	} else {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return fa_finish(s, fa_store_sql_fail(s, "cannot set the baseline"));
		if (sqlite3_prepare_v2(s->db,
				"INSERT INTO baselines (name, created) VALUES (?, ?)",
				-1, &st, NULL) != SQLITE_OK)
			return fa_finish(s, fa_store_sql_fail(s, "cannot set the baseline"));
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return fa_finish(s, fa_store_sql_fail(s, "cannot set the baseline"));
		id = sqlite3_last_insert_rowid(s->db);
	}
	if (ret)
		return fa_finish(s, ret);
	if (sqlite3_prepare_v2(s->db,
			"INSERT OR IGNORE INTO baseline_runs (baseline_id, run_id) VALUES (?, ?)",
			-1, &st, NULL) != SQLITE_OK)
		return fa_finish(s, fa_store_sql_fail(s, "cannot set the baseline"));
	for (i = 0; i < nr && !ret; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, run_ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = fa_store_sql_fail(s, "cannot set the baseline");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return fa_finish(s, ret);
}

int fa_store_baseline_delete(struct fa_store *s, const char *name)
{
	struct fa_store_baseline b;
	int ret;

	ret = fa_store_begin(s);
	if (ret)
		return ret;
	ret = fa_store_baseline_find(s, name, &b);
	if (!ret) {
		ret = fa_exec_id(s, "DELETE FROM baseline_runs WHERE baseline_id = ?1",
				 b.id);
		if (!ret)
			ret = fa_exec_id(s, "DELETE FROM baselines WHERE id = ?1",
					 b.id);
		fa_store_baseline_free(&b);
	}
	return fa_finish(s, ret);
}

static int fa_read_baseline(struct fa_store *s, sqlite3_stmt *st,
			    struct fa_store_baseline *b)
{
	const unsigned char *name = sqlite3_column_text(st, 1);
	sqlite3_stmt *rs;
	int64_t *n;
	int rc;

	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(st, 0);
	b->name = strdup(name ? (const char *)name : "");
	b->created = sqlite3_column_int64(st, 2);
	if (!b->name)
		return fa_store_fail(s, -ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(s->db,
			"SELECT run_id FROM baseline_runs WHERE baseline_id = ? ORDER BY run_id",
			-1, &rs, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot read the baseline");
	sqlite3_bind_int64(rs, 1, b->id);
	while ((rc = sqlite3_step(rs)) == SQLITE_ROW) {
		n = realloc(b->run_ids, (b->nr_runs + 1) * sizeof(*n));
		if (!n) {
			rc = SQLITE_NOMEM;
			break;
		}
		b->run_ids = n;
		b->run_ids[b->nr_runs++] = sqlite3_column_int64(rs, 0);
	}
	sqlite3_finalize(rs);
	if (rc != SQLITE_DONE)
		return fa_store_sql_fail(s, "cannot read the baseline");
	return 0;
}

int fa_store_baseline_find(struct fa_store *s, const char *name,
			   struct fa_store_baseline *out)
{
	sqlite3_stmt *st;
	int rc, ret;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(s->db,
			"SELECT id, name, created FROM baselines WHERE name = ?",
			-1, &st, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot read the baselines");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ret = fa_read_baseline(s, st, out);
		sqlite3_finalize(st);
		if (ret)
			fa_store_baseline_free(out);
		return ret;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fa_store_sql_fail(s, "cannot read the baselines");
	return fa_store_fail(s, -ENOENT, "no baseline '%s'", name);
}

int fa_store_baselines(struct fa_store *s, struct fa_store_baseline **out,
		       size_t *nr)
{
	struct fa_store_baseline *b = NULL, *n;
	sqlite3_stmt *st;
	size_t count = 0;
	int rc, ret = 0;

	*out = NULL;
	*nr = 0;
	if (sqlite3_prepare_v2(s->db,
			"SELECT id, name, created FROM baselines ORDER BY name",
			-1, &st, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot read the baselines");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = realloc(b, (count + 1) * sizeof(*b));
		if (!n) {
			ret = fa_store_fail(s, -ENOMEM, "out of memory");
			break;
		}
		b = n;
		ret = fa_read_baseline(s, st, &b[count++]);
		if (ret)
			break;
	}
	sqlite3_finalize(st);
	if (!ret && rc != SQLITE_DONE)
		ret = fa_store_sql_fail(s, "cannot read the baselines");
	if (ret) {
		fa_store_baselines_free(b, count);
		return ret;
	}
	*out = b;
	*nr = count;
	return 0;
}

void fa_store_baseline_free(struct fa_store_baseline *b)
{
	free(b->name);
	free(b->run_ids);
	memset(b, 0, sizeof(*b));
}

void fa_store_baselines_free(struct fa_store_baseline *b, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		fa_store_baseline_free(&b[i]);
	free(b);
}
