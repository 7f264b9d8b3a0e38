// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the results database: where a failure's text goes, the
 * schema, opening a database and bringing its schema to the current
 * version in one transaction (fa_store.h).
 *
 * Schema history (PRAGMA user_version):
 *   1  runs, files, results
 *   2  runs.label; results.mode, plain_iops, atomic_cost, iops_spread,
 *      context_id; contexts, guarantees, guarantee_points, baselines,
 *      baseline_runs
 * A new database gets version 1's tables and then every upgrade, so a
 * new and an upgraded database are the same.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fa_store.h"
#include "fa_util.h"

static const char *const fa_schema_v1 =
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

static const char *const fa_upgrade_v2 =
	"ALTER TABLE runs ADD COLUMN label TEXT;"
	"CREATE TABLE contexts ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" host TEXT, kernel TEXT, distro TEXT, fio_version TEXT, build TEXT,"
	" target_path TEXT, target_kind TEXT,"
	" device_name TEXT, device_transport TEXT, device_model TEXT,"
	" device_serial TEXT, device_firmware TEXT, device_source TEXT,"
	" fs_type TEXT, fs_mountpoint TEXT, fs_source TEXT, fs_options TEXT,"
	" limits_source TEXT,"
	" unit_min INTEGER, unit_max INTEGER, unit_max_opt INTEGER,"
	" segments_max INTEGER);"
	"ALTER TABLE results ADD COLUMN mode TEXT;"
	"ALTER TABLE results ADD COLUMN plain_iops REAL;"
	"ALTER TABLE results ADD COLUMN atomic_cost REAL;"
	"ALTER TABLE results ADD COLUMN iops_spread REAL;"
	"ALTER TABLE results ADD COLUMN context_id INTEGER REFERENCES contexts(id);"
	"CREATE TABLE guarantees ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" context_id INTEGER REFERENCES contexts(id),"
	" host TEXT NOT NULL,"
	" guarantee TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" reason TEXT,"
	" trials INTEGER,"
	" failures INTEGER,"
	" upper95 REAL,"
	" control_trials INTEGER,"
	" control_failures INTEGER);"
	"CREATE TABLE guarantee_points ("
	" id INTEGER PRIMARY KEY,"
	" guarantee_id INTEGER NOT NULL REFERENCES guarantees(id),"
	" engine TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" trials INTEGER NOT NULL,"
	" failures INTEGER NOT NULL);"
	"CREATE TABLE baselines ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" created INTEGER NOT NULL);"
	"CREATE TABLE baseline_runs ("
	" baseline_id INTEGER NOT NULL REFERENCES baselines(id),"
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" PRIMARY KEY (baseline_id, run_id));"
	"CREATE INDEX files_run ON files(run_id);"
	"CREATE INDEX contexts_run ON contexts(run_id);"
	"CREATE INDEX guarantees_run ON guarantees(run_id);"
	"CREATE INDEX guarantee_points_of ON guarantee_points(guarantee_id);"
	"PRAGMA user_version = 2;";

/* Upgrade N (from version N - 1 to N) is fa_upgrades[N - 2] */
static const char *const fa_upgrades[] = { fa_upgrade_v2 };

int fa_store_fail(struct fa_store *s, int err, const char *fmt, ...)
{
	char what[FA_STORE_ERROR_LEN - 288];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(s->error, sizeof(s->error), "%.256s: %s", s->path, what);
	return err;
}

/* SQLite's result code as an errno */
static int fa_sql_errno(sqlite3 *db)
{
	switch (db ? sqlite3_errcode(db) & 0xff : SQLITE_CANTOPEN) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOTADB:
		return -ENOTSUP;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return -EACCES;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	default:
		return -EIO;
	}
}

int fa_store_sql_fail(struct fa_store *s, const char *what)
{
	int err = fa_sql_errno(s->db);
	const char *msg = s->db ? sqlite3_errmsg(s->db) : "cannot open";

	if (err == -EBUSY)
		return fa_store_fail(s, err, "%s: %s (another process holds the database; try again when it is done)",
				     what, msg);
	if (err == -ENOTSUP)
		return fa_store_fail(s, err, "%s (not an SQLite database: not a results database of fio-atomic)",
				     msg);
	return fa_store_fail(s, err, "%s: %s", what, msg);
}

static int fa_exec(struct fa_store *s, const char *sql, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, what);
	return 0;
}

int fa_store_begin(struct fa_store *s)
{
	return fa_exec(s, "BEGIN IMMEDIATE", "cannot start a transaction");
}

int fa_store_commit(struct fa_store *s)
{
	int ret = fa_exec(s, "COMMIT", "cannot commit");

	if (ret)
		fa_store_rollback(s);
	return ret;
}

void fa_store_rollback(struct fa_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int fa_int_query(struct fa_store *s, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fa_store_sql_fail(s, "cannot read the schema");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fa_store_sql_fail(s, "cannot read the schema");
	return 0;
}

/* Inside the open's transaction: bring the schema to the current one */
static int fa_schema(struct fa_store *s)
{
	int version, tables, ret, v;

	ret = fa_int_query(s, "PRAGMA user_version", &version);
	if (!ret)
		ret = fa_int_query(s, "SELECT count(*) FROM sqlite_master",
				   &tables);
	if (ret)
		return ret;
	if (version > FA_STORE_SCHEMA_VERSION)
		return fa_store_fail(s, -EPROTO,
				     "schema version %d is newer than this tool's %d (a newer fio-atomic wrote it): not touched",
				     version, FA_STORE_SCHEMA_VERSION);
	if (version == FA_STORE_SCHEMA_VERSION)
		return 0;
	if (!version && tables)
		return fa_store_fail(s, -EMEDIUMTYPE,
				     "an SQLite database with %d table%s of something else (schema version 0): not a results database of fio-atomic, not touched",
				     tables, tables == 1 ? "" : "s");
	if (!version) {
		s->created = true;
		ret = fa_exec(s, fa_schema_v1, "cannot create the schema");
		if (ret)
			return ret;
		version = 1;
	} else {
		s->upgraded_from = version;
	}
	for (v = version + 1; v <= FA_STORE_SCHEMA_VERSION; v++) {
		ret = fa_exec(s, fa_upgrades[v - 2],
			      "cannot upgrade the schema");
		if (ret)
			return ret;
	}
	return 0;
}

/* mkdir -p of the directory part of @path */
static int fa_make_parents(const char *path)
{
	char dir[4096], *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

int fa_store_open(struct fa_store *s, const char *path, unsigned int flags,
		  int wait_ms)
{
	struct stat st;
	int ret;

	memset(s, 0, sizeof(*s));
	fa_strlcpy(s->path, path, sizeof(s->path));
	if (stat(path, &st)) {
		if (errno != ENOENT || !(flags & FA_STORE_CREATE))
			return fa_store_fail(s, -errno, "%s%s", strerror(errno),
					     errno == ENOENT ? " (no database here: run 'fio-atomic report ingest' first)" : "");
		ret = fa_make_parents(path);
		if (ret)
			return fa_store_fail(s, ret,
					     "cannot make its directory: %s",
					     strerror(-ret));
	} else if (!S_ISREG(st.st_mode)) {
		return fa_store_fail(s, -EISDIR, "not a regular file");
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
			    ((flags & FA_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0),
			    NULL) != SQLITE_OK) {
		ret = fa_store_sql_fail(s, "cannot open");
		fa_store_close(s);
		return ret;
	}
	sqlite3_busy_timeout(s->db, wait_ms);
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	ret = fa_store_begin(s);
	if (!ret)
		ret = fa_schema(s);
	if (!ret)
		ret = fa_store_commit(s);
	if (ret) {
		fa_store_rollback(s);
		fa_store_close(s);
	}
	return ret;
}

void fa_store_close(struct fa_store *s)
{
	if (s->db)
		sqlite3_close(s->db);
	s->db = NULL;
}
