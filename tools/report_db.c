// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic report: the results database (SQLite): where it lives, its
 * schema, opening it, one ingest's inserts inside the caller's
 * transaction, the rows read back for compare and html, and how they
 * group (report.h).
 *
 * The database: runs (name, when first ingested), files (content hash,
 * unique) and results (one row per job and direction). PRAGMA user_version
 * holds the schema version.
 *
 * Test hook: FA_REPORT_KILL_AFTER_ROWS=N makes ingest kill itself with
 * SIGKILL after inserting N rows, inside its transaction, so a test can
 * show that an interrupted ingest leaves the database as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fa_results.h"
#include "fa_tool.h"
#include "report.h"

static const char *const fa_schema =
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE files ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" path TEXT NOT NULL,"
	" hash TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" fio_version TEXT,"
	" started INTEGER,"
	" ingested INTEGER NOT NULL);"
	"CREATE TABLE results ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" host TEXT NOT NULL,"
	" job TEXT NOT NULL,"
	" engine TEXT NOT NULL,"
	" rw TEXT NOT NULL,"
	" dir TEXT NOT NULL,"
	" bs INTEGER NOT NULL,"
	" iodepth INTEGER NOT NULL,"
	" numjobs INTEGER NOT NULL,"
	" iops REAL,"
	" bw_bytes REAL,"
	" clat_p50_ns REAL,"
	" clat_p99_ns REAL,"
	" clat_p999_ns REAL,"
	" torn INTEGER,"
	" intact INTEGER,"
	" checked INTEGER);"
	"CREATE INDEX results_run ON results(run_id);";

int fa_report_db_path(const char *given, char *out, size_t len)
{
	const char *env = getenv("FIO_ATOMIC_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (given && *given)
		snprintf(out, len, "%s", given);
	else if (env && *env)
		snprintf(out, len, "%s", env);
	else if (xdg && *xdg)
		snprintf(out, len, "%s/fio-atomic/results.db", xdg);
	else if (home && *home)
		snprintf(out, len, "%s/.local/share/fio-atomic/results.db",
			 home);
	else
		return -ENOENT;
	return 0;
}

/* mkdir -p of the directory part of @path */
static int fa_make_parents(const char *path)
{
	char dir[4096];
	char *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	return fa_tool_mkdir_p(dir);
}

int fa_exec(const char *cmd, sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fa_tool_error(cmd, "database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

static int fa_user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL))
		return -EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -EIO;
}

/*
 * The schema is created inside the caller's transaction when there is
 * one, so that a failed first ingest leaves no empty schema behind.
 */
static int fa_report_schema(const char *cmd, sqlite3 *db, const char *path)
{
	char sql[64];
	int version;

	if (fa_user_version(db, &version)) {
		fa_tool_error(cmd, "%s: %s", path, sqlite3_errmsg(db));
		return -EIO;
	}
	if (version == FA_REPORT_SCHEMA_VERSION)
		return 0;
	if (version > FA_REPORT_SCHEMA_VERSION) {
		fa_tool_error(cmd, "%s: schema version %d is newer than this tool's %d",
			      path, version, FA_REPORT_SCHEMA_VERSION);
		return -EPROTO;
	}
	if (fa_exec(cmd, db, fa_schema))
		return -EIO;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 FA_REPORT_SCHEMA_VERSION);
	return fa_exec(cmd, db, sql);
}

int fa_report_open(const char *cmd, const char *path, sqlite3 **db)
{
	int ret;

	ret = fa_make_parents(path);
	if (ret) {
		fa_tool_path_error(cmd, path, ret);
		return ret;
	}
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fa_tool_error(cmd, "%s: %s", path,
			      *db ? sqlite3_errmsg(*db) : "cannot open");
		sqlite3_close(*db);
		*db = NULL;
		return -EIO;
	}
	sqlite3_busy_timeout(*db, 10000);
	if (fa_exec(cmd, *db, "BEGIN IMMEDIATE") ||
	    fa_report_schema(cmd, *db, path) ||
	    fa_exec(cmd, *db, "COMMIT")) {
		sqlite3_close(*db);
		*db = NULL;
		return -EIO;
	}
	return 0;
}

static char *fa_column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return strdup(s ? (const char *)s : "");
}

static double fa_column_double(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

int fa_report_runs(sqlite3 *db, struct fa_report_run **runs, size_t *nr)
{
	struct fa_report_run *r = NULL, *n;
	sqlite3_stmt *st;
	size_t count = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, name, created FROM runs ORDER BY id",
			       -1, &st, NULL))
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = realloc(r, (count + 1) * sizeof(*r));
		if (!n) {
			rc = SQLITE_NOMEM;
			break;
		}
		r = n;
		r[count].id = sqlite3_column_int64(st, 0);
		r[count].name = fa_column_strdup(st, 1);
		r[count].created = sqlite3_column_int64(st, 2);
		count++;
	}
	sqlite3_finalize(st);
	*runs = r;
	*nr = count;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

void fa_report_runs_free(struct fa_report_run *runs, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(runs[i].name);
	free(runs);
}

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

int fa_report_load(sqlite3 *db, const int64_t *ids, size_t nr_ids,
		   struct fa_report_rows *out)
{
	static const char sql[] =
		"SELECT run_id, host, engine, rw, dir, bs, iodepth, iops,"
		" clat_p50_ns, clat_p99_ns, clat_p999_ns, torn, intact"
		" FROM results ORDER BY id";
	struct fa_report_row *r, *rows = NULL;
	size_t nr = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!fa_id_wanted(sqlite3_column_int64(st, 0), ids, nr_ids))
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
		r = &rows[nr++];
		r->run_id = sqlite3_column_int64(st, 0);
		r->host = fa_column_strdup(st, 1);
		r->engine = fa_column_strdup(st, 2);
		r->rw = fa_column_strdup(st, 3);
		r->dir = fa_column_strdup(st, 4);
		r->bs = sqlite3_column_int64(st, 5);
		r->iodepth = sqlite3_column_int64(st, 6);
		r->iops = fa_column_double(st, 7);
		r->p50 = fa_column_double(st, 8);
		r->p99 = fa_column_double(st, 9);
		r->p999 = fa_column_double(st, 10);
		r->has_tear = sqlite3_column_type(st, 11) != SQLITE_NULL;
		r->torn = sqlite3_column_int64(st, 11);
		r->intact = sqlite3_column_int64(st, 12);
	}
	sqlite3_finalize(st);
	out->rows = rows;
	out->nr = nr;
	if (rc != SQLITE_DONE) {
		fa_report_rows_free(out);
		return -EIO;
	}
	return 0;
}

void fa_report_rows_free(struct fa_report_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->nr; i++) {
		free(rows->rows[i].host);
		free(rows->rows[i].engine);
		free(rows->rows[i].rw);
		free(rows->rows[i].dir);
	}
	free(rows->rows);
	rows->rows = NULL;
	rows->nr = 0;
}

int fa_report_group_cmp(const struct fa_report_row *a,
			const struct fa_report_row *b)
{
	int c;

	c = strcmp(a->host, b->host);
	if (!c)
		c = strcmp(a->engine, b->engine);
	if (!c)
		c = strcmp(a->rw, b->rw);
	if (!c)
		c = strcmp(a->dir, b->dir);
	if (!c)
		c = (a->bs > b->bs) - (a->bs < b->bs);
	if (!c)
		c = (a->iodepth > b->iodepth) - (a->iodepth < b->iodepth);
	return c;
}

static int fa_row_cmp(const void *x, const void *y)
{
	const struct fa_report_row *a = x, *b = y;
	int c = fa_report_group_cmp(a, b);

	if (!c)
		c = (a->run_id > b->run_id) - (a->run_id < b->run_id);
	return c;
}

void fa_report_sort(struct fa_report_rows *rows)
{
	if (rows->nr)
		qsort(rows->rows, rows->nr, sizeof(*rows->rows), fa_row_cmp);
}

void fa_report_size(int64_t bytes, char *buf, size_t len)
{
	if (bytes > 0 && !(bytes % (1 << 20)))
		snprintf(buf, len, "%" PRId64 "m", bytes >> 20);
	else if (bytes > 0 && !(bytes % 1024))
		snprintf(buf, len, "%" PRId64 "k", bytes >> 10);
	else
		snprintf(buf, len, "%" PRId64, bytes);
}

/* rw= values with both directions: the direction is part of the name */
static bool fa_mixed(const char *rw)
{
	return strstr(rw, "rw") || !strcmp(rw, "readwrite") ||
	       !strcmp(rw, "trimwrite");
}

void fa_report_group_name(const struct fa_report_row *r, bool with_host,
			  char *buf, size_t len)
{
	char bs[32];

	fa_report_size(r->bs, bs, sizeof(bs));
	if (!*r->dir) {
		/* a tear report alone: no I/O figures, only the job's engine */
		snprintf(buf, len, "%s%s%s (tear)", with_host ? r->host : "",
			 with_host ? " " : "", r->engine);
		return;
	}
	snprintf(buf, len, "%s%s%s %s%s%s %s qd%" PRId64,
		 with_host ? r->host : "", with_host ? " " : "", r->engine,
		 r->rw, fa_mixed(r->rw) ? "/" : "",
		 fa_mixed(r->rw) ? r->dir : "", bs, r->iodepth);
}

/*
 * A tear report belongs to the fio row of its job on the same host read
 * in this invocation: the reading direction first, as readers judge the
 * units. Several threads of one job add up.
 */
static void fa_merge_tear(struct fa_ingest_file *files, size_t nr)
{
	struct fa_result *t, *r, *best;
	size_t i, j, k, l;

	for (i = 0; i < nr; i++) {
		if (files[i].duplicate ||
		    files[i].parsed.kind != FA_RESULT_TEAR)
			continue;
		for (j = 0; j < files[i].parsed.nr_rows; j++) {
			t = &files[i].parsed.rows[j];
			best = NULL;
			for (k = 0; k < nr; k++) {
				if (files[k].duplicate ||
				    files[k].parsed.kind != FA_RESULT_FIO)
					continue;
				for (l = 0; l < files[k].parsed.nr_rows; l++) {
					r = &files[k].parsed.rows[l];
					if (strcmp(r->job, t->job) ||
					    strcmp(r->host, t->host))
						continue;
					if (!best || (!strcmp(r->dir, "read") &&
						      strcmp(best->dir, "read")))
						best = r;
				}
			}
			if (!best)
				continue;
			best->has_tear = true;
			best->torn += t->torn;
			best->intact += t->intact;
			best->checked += t->checked;
			files[i].merged[j] = true;
		}
	}
}

static const char *fa_kind_name(enum fa_result_kind kind)
{
	switch (kind) {
	case FA_RESULT_FIO:
		return "fio";
	case FA_RESULT_TEAR:
		return "tear";
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

static void fa_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
}

struct fa_ingest_stmts {
	sqlite3_stmt *find, *run_add, *run_id, *file_add, *row_add;
};

static int fa_prepare(sqlite3 *db, struct fa_ingest_stmts *s)
{
	if (sqlite3_prepare_v2(db,
			"SELECT runs.name FROM files JOIN runs ON runs.id = files.run_id WHERE hash = ?",
			-1, &s->find, NULL) ||
	    sqlite3_prepare_v2(db,
			"INSERT OR IGNORE INTO runs (name, created) VALUES (?, ?)",
			-1, &s->run_add, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE name = ?", -1,
			       &s->run_id, NULL) ||
	    sqlite3_prepare_v2(db,
			"INSERT INTO files (run_id, path, hash, kind, fio_version, started, ingested) VALUES (?, ?, ?, ?, ?, ?, ?)",
			-1, &s->file_add, NULL) ||
	    sqlite3_prepare_v2(db,
			"INSERT INTO results (run_id, file_id, host, job, engine, rw, dir, bs, iodepth, numjobs, iops, bw_bytes, clat_p50_ns, clat_p99_ns, clat_p999_ns, torn, intact, checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			-1, &s->row_add, NULL))
		return -EIO;
	return 0;
}

static void fa_finalize(struct fa_ingest_stmts *s)
{
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->run_add);
	sqlite3_finalize(s->run_id);
	sqlite3_finalize(s->file_add);
	sqlite3_finalize(s->row_add);
}

static int fa_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static int fa_insert_row(struct fa_ingest_stmts *s, int64_t run_id,
			 int64_t file_id, const struct fa_result *r)
{
	sqlite3_stmt *st = s->row_add;

	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, file_id);
	fa_bind_text(st, 3, r->host);
	fa_bind_text(st, 4, r->job);
	fa_bind_text(st, 5, r->engine);
	fa_bind_text(st, 6, r->rw);
	fa_bind_text(st, 7, r->dir);
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
	return fa_step_done(st);
}

/* The test hook: die mid-transaction after N rows */
static long fa_kill_after(void)
{
	const char *v = getenv("FA_REPORT_KILL_AFTER_ROWS");
	char *end;
	long n;

	if (!v || !*v)
		return -1;
	n = strtol(v, &end, 10);
	return *end || n < 0 ? -1 : n;
}

int fa_ingest_db(sqlite3 *db, const char *run,
		 struct fa_ingest_file *files, size_t nr,
		 size_t *rows_added, size_t *files_added)
{
	struct fa_ingest_stmts s = { 0 };
	long kill_after = fa_kill_after();
	int64_t now = (int64_t)time(NULL), run_id = -1, file_id;
	const struct fa_result_file *p;
	size_t i, j;
	int ret = -EIO, rc;

	if (fa_prepare(db, &s))
		goto out;
	for (i = 0; i < nr; i++) {
		fa_bind_text(s.find, 1, files[i].hash);
		rc = sqlite3_step(s.find);
		if (rc == SQLITE_ROW) {
			printf("%s: already ingested as run %s\n", files[i].path,
			       (const char *)sqlite3_column_text(s.find, 0));
			files[i].duplicate = true;
		}
		sqlite3_reset(s.find);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto out;
	}
	fa_merge_tear(files, nr);
	for (i = 0; i < nr; i++) {
		if (files[i].duplicate)
			continue;
		if (run_id < 0) {
			fa_bind_text(s.run_add, 1, run);
			sqlite3_bind_int64(s.run_add, 2, now);
			if (fa_step_done(s.run_add))
				goto out;
			fa_bind_text(s.run_id, 1, run);
			if (sqlite3_step(s.run_id) != SQLITE_ROW)
				goto out;
			run_id = sqlite3_column_int64(s.run_id, 0);
			sqlite3_reset(s.run_id);
		}
		p = &files[i].parsed;
		sqlite3_bind_int64(s.file_add, 1, run_id);
		fa_bind_text(s.file_add, 2, files[i].path);
		fa_bind_text(s.file_add, 3, files[i].hash);
		fa_bind_text(s.file_add, 4, fa_kind_name(p->kind));
		if (p->fio_version[0])
			fa_bind_text(s.file_add, 5, p->fio_version);
		else
			sqlite3_bind_null(s.file_add, 5);
		if (p->timestamp)
			sqlite3_bind_int64(s.file_add, 6, p->timestamp);
		else
			sqlite3_bind_null(s.file_add, 6);
		sqlite3_bind_int64(s.file_add, 7, now);
		if (fa_step_done(s.file_add))
			goto out;
		file_id = sqlite3_last_insert_rowid(db);
		(*files_added)++;
		for (j = 0; j < p->nr_rows; j++) {
			if (files[i].merged[j])
				continue;
			if (fa_insert_row(&s, run_id, file_id, &p->rows[j]))
				goto out;
			(*rows_added)++;
			if (kill_after >= 0 && *rows_added >= (size_t)kill_after)
				raise(SIGKILL);
		}
	}
	ret = 0;
out:
	if (ret)
		fa_tool_error("report", "database: %s", sqlite3_errmsg(db));
	fa_finalize(&s);
	return ret;
}
